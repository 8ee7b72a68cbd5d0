/**
 * The family of a Terraform resource type: its provider and service prefix (`aws_iam_role` → aws_iam,
 * `google_sql_database_instance` → google_sql), with the services whose types carry no service prefix
 * grouped under one name (AWS's VPC networking: `aws_vpc`, `aws_subnet`, `aws_route_table`... are
 * aws_vpc). Read by terraform/giant-state.
 */

/** AWS types of one service written without its prefix (EC2 networking, RDS's `aws_db_*`). */
const AWS_ALIASES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^aws_(vpc|subnet|route|route_table|route_table_association|internet_gateway|egress_only_internet_gateway|nat_gateway|eip|eip_association|network_acl|network_acl_rule|network_interface|default_route_table|default_network_acl|default_security_group|default_vpc|main_route_table_association|security_group|security_group_rule|flow_log|customer_gateway|vpn_gateway|vpn_connection|ec2_transit_gateway\w*)$/,
    'aws_vpc',
  ],
  [/^aws_(default_)?(vpc_)?security_group(_\w+)?$/, 'aws_security_group'],
  [/^aws_(db|rds)_/, 'aws_rds'],
  [/^aws_(lb|alb|lb_listener|lb_target_group|alb_listener|alb_target_group)(_\w+)?$/, 'aws_elb'],
  [
    /^aws_(launch_template|instance|autoscaling_\w+|placement_group|key_pair|ami\w*|ebs_\w+|volume_attachment)$/,
    'aws_ec2',
  ],
  [/^aws_(cloudwatch|sns_topic_subscription_cloudwatch)/, 'aws_cloudwatch'],
];

/**
 * Families that accompany every stack rather than make one: identity, keys, logs and metrics, and the
 * utility providers (random, null, time, tls, local...). They count as resources of the state, never
 * as unrelated families.
 */
const SUPPORTING = new Set([
  'aws_iam',
  'aws_rolesanywhere',
  'aws_kms',
  'aws_cloudwatch',
  'aws_security_group',
  'aws_ssm',
  'aws_secretsmanager',
  'aws_acm',
  'google_project_iam',
  'google_service_account',
  'google_kms',
  'azurerm_role',
  'azurerm_user_assigned_identity',
  'azurerm_key_vault',
  'azurerm_monitor',
]);
const UTILITY_PROVIDERS = new Set([
  'random',
  'null',
  'time',
  'tls',
  'local',
  'terraform',
  'external',
  'http',
  'archive',
  'cloudinit',
]);

const KUBERNETES_PROVIDERS = new Set(['helm', 'kubernetes', 'kubectl']);

/**
 * Families that are part of another one when both are in the state: the instances, launch templates
 * and autoscaling groups of a cluster are its nodes.
 */
export const PART_OF: ReadonlyArray<{ family: string; of: readonly string[] }> = [
  { family: 'aws_ec2', of: ['aws_eks', 'aws_ecs'] },
];

export interface ResourceFamily {
  name: string;
  /** Identity, keys, logs, utility: part of any stack, not a stack of its own. */
  supporting: boolean;
}

export function resourceFamily(type: string): ResourceFamily {
  const parts = type.split('_');
  const provider = parts[0]!;
  if (UTILITY_PROVIDERS.has(provider) || parts.length === 1) return { name: provider, supporting: true };
  // Objects inside a cluster (charts, manifests): one family, whatever provider writes them.
  if (KUBERNETES_PROVIDERS.has(provider)) return { name: 'kubernetes', supporting: false };
  let name = `${provider}_${parts[1]}`;
  if (provider === 'aws') for (const [re, alias] of AWS_ALIASES) if (re.test(type)) name = alias;
  if (provider === 'google' && parts[1] === 'project' && parts[2] === 'iam') name = 'google_project_iam';
  if (provider === 'google' && parts[1] === 'service' && parts[2] === 'account') name = 'google_service_account';
  if (provider === 'azurerm' && parts[1] === 'user' && parts[2] === 'assigned') name = 'azurerm_user_assigned_identity';
  if (provider === 'azurerm' && parts[1] === 'key' && parts[2] === 'vault') name = 'azurerm_key_vault';
  return { name, supporting: SUPPORTING.has(name) };
}
