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

/**
 * Data-bearing modules whose data the call's own inputs declare transient. An SQS queue deletes every
 * message older than its `message_retention_seconds` by itself (60 s to 14 days, default 4 days); a
 * queue that keeps messages an hour or less is a buffer of events in flight, not a store: destroying
 * it loses the messages not yet consumed (DeleteQueue deletes them with the queue), no more than its
 * consumer being down for that long would, and the queue is created again under the same name and
 * ARN. A dead-letter queue (`create_dlq`, from v4 of the module) keeps the failed messages for
 * inspection under its own retention, so a call that may create one is not transient. Sources:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 * (MessageRetentionPeriod), .../API_DeleteQueue.html, and the module's variables.tf
 * (github.com/terraform-aws-modules/terraform-aws-sqs).
 */
const TRANSIENT_SECONDS = 3600;
const TRANSIENT_MODULES: ReadonlyMap<string, (valueOf: (argument: string) => unknown) => string | undefined> = new Map([
  [
    'terraform-aws-modules/sqs/aws',
    (valueOf) => {
      const raw = valueOf('message_retention_seconds');
      const seconds = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
      if (typeof seconds !== 'number' || seconds > TRANSIENT_SECONDS) return undefined;
      if (valueOf('create_dlq') !== undefined && valueOf('create_dlq') !== false) return undefined;
      return `its SQS queue keeps a message ${seconds} seconds at most (message_retention_seconds = ${seconds}): it holds events in flight, not stored data, so what goes with it is the messages not yet consumed and those sent until the new queue exists, which takes the same name and ARN`;
    },
  ],
]);

/**
 * Why a well-known data-bearing module holds only transient data with the inputs its call gives
 * (`valueOf` reads an argument as the configuration gives it: undefined when absent or unknown), or
 * undefined when its data is durable or not known to be transient.
 */
export function transientContents(
  source: string | undefined,
  valueOf: (argument: string) => unknown,
): string | undefined {
  const address = source === undefined ? undefined : registryAddress(source);
  return address === undefined ? undefined : TRANSIENT_MODULES.get(address)?.(valueOf);
}

/** What a remote module's main object holds, when the module is a well-known data-bearing one. */
export function moduleHolds(source: string | undefined): string | undefined {
  const address = source === undefined ? undefined : registryAddress(source);
  return address === undefined ? undefined : DATA_BEARING_MODULES.get(address);
}
