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

/**
 * State-only types whose object a create writes again exactly as before, because everything it is comes
 * from the configuration: a destroy and a create under a new address (a rename with no moved block) give
 * back the same thing, and nothing reads an id of it. The local provider's files: `local_file` and
 * `local_sensitive_file` write `content` (or `content_base64`, `source`) to `filename` on the machine that
 * runs Terraform, and the provider re-creates the file whenever it is missing ("Terraform will detect the
 * resource as having been deleted each time a configuration is applied on a new machine where the file is
 * not present and will generate a diff to re-create it", the local provider's pages for local_file
 * and local_sensitive_file on the Terraform Registry). Not here: random_*, tls_* and time_static/offset/rotating
 * (a create gives a new value, and what reads it changes), null_resource and terraform_data (a create runs
 * their provisioners again).
 */
const REPRODUCED = new Map<string, string>([
  ['local_file', 'a local_file is a file written from its configuration on the machine that runs Terraform'],
  [
    'local_sensitive_file',
    'a local_sensitive_file is a file written from its configuration on the machine that runs Terraform',
  ],
]);

/** Why creating an object of this type again gives back the same object, or nothing when it may not. */
export function reproducedFromConfiguration(type: string): string | undefined {
  return REPRODUCED.get(type);
}
