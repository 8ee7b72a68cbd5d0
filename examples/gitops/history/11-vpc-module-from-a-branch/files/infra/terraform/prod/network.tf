module "vpc" {
  # Our fork carries the IPv6 egress fix until upstream releases it.
  source = "git::https://github.com/shop-platform/terraform-aws-vpc.git?ref=main"

  name            = "shop-prod"
  cidr            = "10.20.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.20.1.0/24", "10.20.2.0/24"]
}

resource "aws_security_group" "api" {
  name        = "shop-api"
  description = "HTTPS to the shop API from the load balancer"
  vpc_id      = module.vpc.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}
