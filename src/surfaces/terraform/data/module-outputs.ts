import { registryAddress } from './version-attributes.js';

/**
 * Outputs of widely used registry modules that are the ids of objects the module creates from some of
 * its inputs, where a changed input replaces those objects (or adds and removes some), so the output
 * is a different list of ids. terraform-aws-modules/vpc creates one `aws_subnet` per element of
 * `private_subnets`, `public_subnets`, `intra_subnets`, ... (the CIDR blocks), in the availability zone
 * of the same index of `azs`, inside the `aws_vpc` of `cidr`; the AWS provider's `aws_subnet` has
 * `cidr_block` and `availability_zone` ForceNew and `aws_vpc` has `cidr_block` ForceNew
 * (internal/service/ec2/vpc_subnet.go, vpc_.go), so a new CIDR, zone or VPC block gives new subnet ids.
 */
export interface DerivedOutputs {
  module: string;
  /** Output -> the inputs whose change gives it new ids. */
  outputs: Readonly<Record<string, readonly string[]>>;
  why: string;
}

const subnets = (kind: string) => [`${kind}_subnets`, 'azs', 'cidr'];

const TABLE: readonly DerivedOutputs[] = [
  {
    module: 'terraform-aws-modules/vpc/aws',
    outputs: Object.fromEntries(
      ['private', 'public', 'intra', 'database', 'elasticache', 'redshift', 'outpost'].map((k) => [
        `${k}_subnets`,
        subnets(k),
      ]),
    ),
    why: "a subnet's CIDR block and availability zone cannot change in place, so new values (or subnets added or removed) give a different list of subnet ids",
  },
];

export function derivedOutputs(source: string | undefined): DerivedOutputs | undefined {
  const address = source === undefined ? undefined : registryAddress(source);
  return address ? TABLE.find((t) => t.module === address) : undefined;
}
