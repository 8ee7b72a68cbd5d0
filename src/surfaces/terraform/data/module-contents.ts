import { registryAddress } from './version-attributes.js';

/**
 * Widely used registry modules whose purpose is a data-bearing object: removing the call destroys
 * it, so the class is known even though the module's code is not in the repository. Every other
 * remote module removed is "not assessed" until the plan is read. Matched on the registry address
 * without host and sub-directory. Sources: each module's README on registry.terraform.io (the
 * resources it creates).
 */
const DATA_BEARING_MODULES: ReadonlyMap<string, string> = new Map([
  [
    'terraform-aws-modules/eks/aws',
    'an EKS cluster (every Kubernetes object in its etcd), with its KMS key and control-plane log group',
  ],
  ['terraform-aws-modules/rds/aws', 'an RDS database instance: its storage is the data'],
  ['terraform-aws-modules/rds-aurora/aws', 'an Aurora cluster: its storage is the data'],
  ['terraform-aws-modules/s3-bucket/aws', 'an S3 bucket and its objects'],
  ['terraform-aws-modules/dynamodb-table/aws', 'a DynamoDB table and its items'],
  ['terraform-aws-modules/efs/aws', 'an EFS file system and its files'],
  ['terraform-aws-modules/elasticache/aws', 'an ElastiCache cluster and its data'],
  ['terraform-aws-modules/memory-db/aws', 'a MemoryDB cluster and its data'],
  ['terraform-aws-modules/redshift/aws', 'a Redshift cluster and its data'],
  ['terraform-aws-modules/opensearch/aws', 'an OpenSearch domain and its indices'],
  ['terraform-aws-modules/msk-kafka-cluster/aws', 'an MSK cluster and its topics'],
  ['terraform-aws-modules/sqs/aws', 'an SQS queue and the messages in it'],
  ['terraform-aws-modules/kms/aws', 'a KMS key: everything encrypted with it becomes unreadable once it is gone'],
  ['terraform-aws-modules/secrets-manager/aws', 'a Secrets Manager secret and its versions'],
  ['terraform-aws-modules/ecr/aws', 'an ECR repository and its images'],
  ['terraform-aws-modules/fsx/aws', 'an FSx file system and its files'],
  ['terraform-google-modules/sql-db/google', 'a Cloud SQL instance: its storage is the data'],
  ['terraform-google-modules/cloud-storage/google', 'Cloud Storage buckets and their objects'],
  ['terraform-google-modules/kubernetes-engine/google', 'a GKE cluster (every Kubernetes object in its etcd)'],
]);

/** What a remote module's main object holds, when the module is a well-known data-bearing one. */
export function moduleHolds(source: string | undefined): string | undefined {
  const address = source === undefined ? undefined : registryAddress(source);
  return address === undefined ? undefined : DATA_BEARING_MODULES.get(address);
}
