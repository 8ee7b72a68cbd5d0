/**
 * Resource types with no real object behind them: they live only in Terraform state (null_resource,
 * terraform_data, the time_* and random_* resources) or on the machine that runs Terraform
 * (local_file). Destroying one touches nothing outside state, and a revert creates it again (with a
 * new id, random value, key or timestamp). Sources: the hashicorp/null, time, random, tls and local
 * provider documentation ("a logical resource ... does not create any external managed resources"),
 * and Terraform's built-in terraform_data resource.
 */
const EPHEMERAL = new Set([
  'null_resource',
  'terraform_data',
  'time_sleep',
  'time_static',
  'time_offset',
  'time_rotating',
  'local_file',
  'local_sensitive_file',
  // The tls provider's resources are logical: the key or certificate is generated into state.
  'tls_private_key',
  'tls_self_signed_cert',
  'tls_locally_signed_cert',
  'tls_cert_request',
]);

export function isEphemeral(type: string): boolean {
  return EPHEMERAL.has(type) || type.startsWith('random_');
}
