resource "aws_db_subnet_group" "orders" {
  name       = "shop-orders"
  subnet_ids = module.vpc.private_subnets
}

resource "aws_db_instance" "orders" {
  identifier                = "shop-orders"
  engine                    = "postgres"
  engine_version            = "16.4"
  instance_class            = "db.r6g.large"
  allocated_storage         = 100
  db_subnet_group_name      = aws_db_subnet_group.orders.name
  username                  = "orders"
  manage_master_user_password = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "shop-orders-final"

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_route53_record" "orders_db" {
  zone_id = "Z0SHOPINTERNAL"
  name    = "orders-db.shop.internal"
  type    = "CNAME"
  ttl     = 300
  records = [aws_db_instance.orders.address]
}
