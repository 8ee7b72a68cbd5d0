import { registryAddress } from './version-attributes.js';

/**
 * Registry modules whose `create` input, passed `false`, leaves every resource of the module with no
 * instance: each resource's `count` or `for_each` is gated by it, so an instance of the call that passes
 * `create = false` has nothing in state. Checked in each module's code: terraform-aws-modules/kms
 * (main.tf: `aws_kms_key`, `aws_kms_external_key`, the replica keys `count = var.create && ...`,
 * `aws_kms_alias` and `aws_kms_grant` `for_each = { ... if var.create }`), terraform-aws-modules/eks
 * (main.tf: `local.create = var.create && ...` gates every resource and sub-module).
 */
const CREATE_FLAG_MODULES: ReadonlySet<string> = new Set([
  'terraform-aws-modules/kms/aws',
  'terraform-aws-modules/eks/aws',
]);

/** Whether a remote module's `create = false` leaves it without any resource instance. */
export function createFlagGatesAll(source: string | undefined): boolean {
  const address = source === undefined ? undefined : registryAddress(source);
  return address !== undefined && CREATE_FLAG_MODULES.has(address);
}
