module "vpc" {
  # Our fork carries the IPv6 egress fix until upstream releases it.
  source = "git::https://github.com/shop-platform/terraform-aws-vpc.git?ref=main"

  name            = "shop-prod"
  cidr            = "10.20.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.20.1.0/24", "10.20.2.0/24"]
}

module "api_security" {
  source = "./modules/api-security"
  vpc_id = module.vpc.vpc_id
  cidr   = "10.20.0.0/16"
}
