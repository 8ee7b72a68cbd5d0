variable "vpc_id" {
  type = string
}

variable "cidr" {
  type = string
}

resource "aws_security_group" "this" {
  name        = "shop-api"
  description = "HTTPS to the shop API from the load balancer"
  vpc_id      = var.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}

output "id" {
  value = aws_security_group.this.id
}
