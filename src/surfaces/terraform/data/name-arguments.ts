/**
 * The arguments that name an object and that the provider cannot change in place (`ForceNew: true`):
 * two blocks whose names certainly differ are two objects, and a `moved` block between them would
 * still plan a replacement. `prefix` is the argument that asks the provider for a generated name
 * (`name_prefix`: the prefix followed by a unique suffix, create.Name in the AWS provider). Checked
 * against the hashicorp/aws provider source (internal/service/<service>/<resource>.go):
 * iam/instance_profile.go (`name`, `name_prefix` ForceNew; the id is the name), iam/role.go (`name`,
 * `name_prefix`), iam/policy.go (`name`, `name_prefix`). Data-bearing types are not listed: a rename
 * of one stays paired, so that its data is never reported lost without the moved-block advice.
 */
export interface NameArguments {
  name: string;
  prefix?: string;
}

const TABLE: ReadonlyMap<string, NameArguments> = new Map([
  ['aws_iam_instance_profile', { name: 'name', prefix: 'name_prefix' }],
  ['aws_iam_role', { name: 'name', prefix: 'name_prefix' }],
  ['aws_iam_policy', { name: 'name', prefix: 'name_prefix' }],
]);

export function nameArguments(type: string): NameArguments | undefined {
  return TABLE.get(type);
}
