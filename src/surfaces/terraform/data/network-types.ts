/**
 * Network resource types of the AWS, Google Cloud, Azure, Kubernetes (and Cloudflare DNS) providers:
 * - `firewall`: security groups and their rules, network ACLs, firewall rules and policies, network
 *   security groups, network policies: what may connect to what;
 * - `route`: route tables and routes, peering, transit and VPN attachments, gateways, private
 *   endpoints: which path traffic takes, including the pipeline's own path to its targets;
 * - `dns`: DNS records, whose answers resolvers cache for the record's TTL.
 */
export type NetworkKind = 'firewall' | 'route' | 'dns';

const EXACT: Record<string, NetworkKind> = {
  // AWS
  aws_security_group: 'firewall',
  aws_default_security_group: 'firewall',
  aws_security_group_rule: 'firewall',
  aws_vpc_security_group_ingress_rule: 'firewall',
  aws_vpc_security_group_egress_rule: 'firewall',
  aws_network_acl: 'firewall',
  aws_default_network_acl: 'firewall',
  aws_network_acl_rule: 'firewall',
  aws_network_acl_association: 'firewall',
  aws_wafv2_web_acl: 'firewall',
  aws_route: 'route',
  aws_route_table: 'route',
  aws_default_route_table: 'route',
  aws_route_table_association: 'route',
  aws_main_route_table_association: 'route',
  aws_vpc_peering_connection: 'route',
  aws_vpc_peering_connection_accepter: 'route',
  aws_internet_gateway: 'route',
  aws_nat_gateway: 'route',
  aws_egress_only_internet_gateway: 'route',
  aws_vpn_connection: 'route',
  aws_vpn_gateway: 'route',
  aws_customer_gateway: 'route',
  aws_vpc_endpoint: 'route',
  aws_vpc_endpoint_service: 'route',
  aws_dx_gateway_association: 'route',
  aws_route53_record: 'dns',
  aws_route53_resolver_rule: 'route',
  // Google Cloud
  google_compute_firewall: 'firewall',
  google_compute_firewall_policy: 'firewall',
  google_compute_firewall_policy_rule: 'firewall',
  google_compute_network_firewall_policy: 'firewall',
  google_compute_network_firewall_policy_rule: 'firewall',
  google_compute_security_policy: 'firewall',
  google_compute_route: 'route',
  google_compute_network_peering: 'route',
  google_compute_router: 'route',
  google_compute_router_nat: 'route',
  google_compute_vpn_gateway: 'route',
  google_compute_vpn_tunnel: 'route',
  google_compute_ha_vpn_gateway: 'route',
  google_service_networking_connection: 'route',
  google_dns_record_set: 'dns',
  // Azure
  azurerm_network_security_group: 'firewall',
  azurerm_network_security_rule: 'firewall',
  azurerm_application_security_group: 'firewall',
  azurerm_subnet_network_security_group_association: 'firewall',
  azurerm_firewall: 'firewall',
  azurerm_firewall_policy: 'firewall',
  azurerm_firewall_policy_rule_collection_group: 'firewall',
  azurerm_firewall_network_rule_collection: 'firewall',
  azurerm_route: 'route',
  azurerm_route_table: 'route',
  azurerm_subnet_route_table_association: 'route',
  azurerm_virtual_network_peering: 'route',
  azurerm_virtual_network_gateway: 'route',
  azurerm_virtual_network_gateway_connection: 'route',
  azurerm_nat_gateway: 'route',
  azurerm_private_endpoint: 'route',
  azurerm_private_dns_zone_virtual_network_link: 'dns',
  // Kubernetes
  kubernetes_network_policy: 'firewall',
  kubernetes_network_policy_v1: 'firewall',
  // Cloudflare (DNS is often managed there)
  cloudflare_record: 'dns',
  cloudflare_dns_record: 'dns',
};

const AZURE_DNS_RECORD = /^azurerm_(private_)?dns_(a|aaaa|caa|cname|mx|ns|ptr|srv|txt)_record$/;

export function networkKind(type: string): NetworkKind | undefined {
  return EXACT[type] ?? (AZURE_DNS_RECORD.test(type) ? 'dns' : undefined);
}
