/**
 * Arguments the provider cannot change in place (`ForceNew: true` in its schema): a new value makes
 * Terraform destroy the object and create another. A small table of identity and data-bearing types,
 * each checked against the hashicorp/aws provider source (internal/service/<service>/<resource>.go):
 * iam/openid_connect_provider.go (`url`), iam/role.go (`name`, `name_prefix`), s3/bucket.go
 * (`bucket`), dynamodb/table.go (`name`, `hash_key`, `range_key`), rds/instance.go and rds/cluster.go
 * (`storage_encrypted`, `kms_key_id`, `cluster_identifier`), ec2/ebs_volume.go (`availability_zone`),
 * efs/file_system.go (`creation_token`, `encrypted`, `performance_mode`), sqs/queue.go (`name`,
 * `fifo_queue`), eks/cluster.go (`name`, `role_arn`, and `vpc_config.subnet_ids` and
 * `vpc_config.security_group_ids` until provider 5.25.0, whose changelog says "resource/aws_eks_cluster:
 * Allow vpc_config.security_group_ids and vpc_config.subnet_ids to be updated in-place", after Amazon
 * EKS began to accept subnet and security-group changes of an existing cluster in October 2023).
 * An attribute in a nested block is written `block.attribute`.
 */
export interface ForceNew {
  attributes: readonly string[];
  /** What the replacement breaks besides the object itself (for identities: what names it). */
  breaks: string;
  /** Attributes a later provider release updates in place: from that version on, no replacement. */
  inPlaceFrom?: Readonly<Record<string, { provider: string; version: string }>>;
}

const TABLE: ReadonlyMap<string, ForceNew> = new Map([
  [
    'aws_iam_openid_connect_provider',
    {
      attributes: ['url'],
      breaks:
        'the provider is replaced and its ARN changes with the URL: role trust policies that name the old ARN (IRSA, CI federation) stop matching until they are updated',
    },
  ],
  [
    'aws_iam_role',
    {
      attributes: ['name', 'name_prefix'],
      breaks:
        'the role is replaced: a new unique id, and resource policies and trust relationships that named the old role stop matching it',
    },
  ],
  ['aws_s3_bucket', { attributes: ['bucket'], breaks: 'the bucket is replaced by an empty one' }],
  [
    'aws_dynamodb_table',
    { attributes: ['name', 'hash_key', 'range_key'], breaks: 'the table is replaced by an empty one' },
  ],
  [
    'aws_db_instance',
    { attributes: ['storage_encrypted', 'kms_key_id'], breaks: 'the database instance is replaced by an empty one' },
  ],
  [
    'aws_rds_cluster',
    {
      attributes: ['cluster_identifier', 'storage_encrypted', 'kms_key_id'],
      breaks: 'the cluster is replaced by an empty one',
    },
  ],
  ['aws_ebs_volume', { attributes: ['availability_zone'], breaks: 'the volume is replaced by an empty one' }],
  [
    'aws_efs_file_system',
    {
      attributes: ['creation_token', 'encrypted', 'performance_mode'],
      breaks: 'the file system is replaced by an empty one',
    },
  ],
  [
    'aws_sqs_queue',
    { attributes: ['name', 'fifo_queue'], breaks: 'the queue is replaced, and the messages in it are lost' },
  ],
  [
    'aws_eks_cluster',
    {
      attributes: ['name', 'role_arn', 'vpc_config.subnet_ids', 'vpc_config.security_group_ids'],
      breaks: 'the cluster is replaced, with every Kubernetes object in it',
      inPlaceFrom: {
        'vpc_config.subnet_ids': { provider: 'aws', version: '5.25.0' },
        'vpc_config.security_group_ids': { provider: 'aws', version: '5.25.0' },
      },
    },
  ],
]);

export function forceNew(type: string): ForceNew | undefined {
  return TABLE.get(type);
}
