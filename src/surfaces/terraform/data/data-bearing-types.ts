/**
 * Resource types that hold data: deleting or replacing one destroys what is in it, and only a backup,
 * a snapshot or a provider's own recovery window brings it back. One row per type (aliases for the
 * `_v1` twins of the Kubernetes provider), each with the reason, and where the provider has one, a
 * note read from the object's last known values (deletion protection, final snapshots, recovery
 * windows). Used by `plan-resource-destroyed` (plan JSON) and by `moved-block-missing` and
 * `resource-removed` (configuration).
 *
 * Sources: the provider documentation of each type (registry.terraform.io/providers/hashicorp/aws,
 * /google, /azurerm, /kubernetes), "Argument Reference" of the attributes quoted below.
 */

export type Provider = 'aws' | 'google' | 'azurerm' | 'kubernetes';

export interface DataBearingType {
  type: string;
  aliases?: readonly string[];
  provider: Provider;
  /** What it holds, as the reason its destruction is not undone by re-creating it. */
  holds: string;
  /** A sentence about recovery from the object's values before the change (no secret is ever read). */
  recovery?(before: AttributeReader): string | undefined;
  /**
   * For a type the provider only soft-deletes (a KMS key scheduled for deletion, a Secrets Manager
   * secret inside its recovery window): the window and the commands that bring it back, from the old
   * object's values; undefined when this object is deleted at once (a recovery window of 0).
   */
  softDelete?(before: AttributeReader): SoftDelete | undefined;
  /** The argument that sets the soft-delete window; `zero`: it may be 0 (deleted at once). */
  window?: { attribute: string; zero: boolean };
}

/** How a soft-deleted object comes back: inside `window`, the `commands`, then an import into state. */
export interface SoftDelete {
  window: string;
  commands: string;
  /** What is lost for good once the window is over. */
  after: string;
}

/** Reads an attribute of the old object, or undefined when it is absent, unknown or sensitive. */
export type AttributeReader = (name: string) => unknown;

const days = (v: unknown, dflt: number) => (typeof v === 'number' ? v : dflt);
const str = (v: unknown, placeholder: string) => (typeof v === 'string' && v !== '' ? v : placeholder);

// KMS: https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-cancelling-key-deletion.html
// ("After you cancel the pending deletion of a KMS key, the key state of the KMS key is Disabled").
const kmsSoftDelete = (get: AttributeReader): SoftDelete => {
  const id = str(get('key_id'), '<key id>');
  return {
    window: `the ${days(get('deletion_window_in_days'), 30)}-day waiting period (deletion_window_in_days)`,
    commands: `aws kms cancel-key-deletion --key-id ${id} && aws kms enable-key --key-id ${id}`,
    after: 'everything encrypted with it is unreadable, beyond any backup',
  };
};

const rdsRecovery = (kind: string) => (get: AttributeReader) => {
  const notes: string[] = [];
  if (get('deletion_protection') === true)
    notes.push('deletion_protection is on: AWS refuses the delete until it is turned off');
  if (get('skip_final_snapshot') === false) {
    const id = get('final_snapshot_identifier');
    notes.push(
      typeof id === 'string' && id
        ? `a final snapshot "${id}" is taken first: restore the ${kind} from it`
        : 'skip_final_snapshot is false: a final snapshot is taken first (the delete fails without final_snapshot_identifier)',
    );
  } else if (get('skip_final_snapshot') === true) notes.push('skip_final_snapshot is true: no final snapshot is taken');
  return notes.length ? notes.join('; ') : undefined;
};

const forceDestroy = (what: string) => (get: AttributeReader) =>
  get('force_destroy') === false || get('force_destroy') === undefined
    ? `force_destroy is off: the delete fails while the ${what} still holds objects`
    : `force_destroy is on: every object in the ${what} is deleted with it`;

export const DATA_BEARING_TYPES: readonly DataBearingType[] = [
  // --- AWS -------------------------------------------------------------------------------------
  {
    type: 'aws_db_instance',
    provider: 'aws',
    holds: 'an RDS database instance: its storage is the data',
    recovery: rdsRecovery('instance'),
  },
  {
    // The control plane's etcd is the only copy of every Kubernetes object not re-applied from Git
    // (Secrets, custom resources, controller state): a new cluster starts empty, with a new endpoint,
    // certificate authority and OIDC issuer.
    type: 'aws_eks_cluster',
    provider: 'aws',
    holds: 'an EKS cluster: every Kubernetes object in its etcd',
  },
  {
    type: 'aws_rds_cluster',
    provider: 'aws',
    holds: 'an Aurora/RDS cluster: its cluster volume is the data',
    recovery: rdsRecovery('cluster'),
  },
  {
    type: 'aws_docdb_cluster',
    provider: 'aws',
    holds: 'a DocumentDB cluster and its storage',
    recovery: rdsRecovery('cluster'),
  },
  {
    type: 'aws_neptune_cluster',
    provider: 'aws',
    holds: 'a Neptune graph database cluster and its storage',
    recovery: rdsRecovery('cluster'),
  },
  {
    type: 'aws_redshift_cluster',
    provider: 'aws',
    holds: 'a Redshift data warehouse',
    recovery: rdsRecovery('cluster'),
  },
  {
    type: 'aws_redshiftserverless_namespace',
    provider: 'aws',
    holds: 'a Redshift Serverless namespace (its databases)',
  },
  {
    type: 'aws_dynamodb_table',
    provider: 'aws',
    holds: 'a DynamoDB table and its items',
    recovery: (get) =>
      get('deletion_protection_enabled') === true
        ? 'deletion_protection_enabled is on: AWS refuses the delete'
        : undefined,
  },
  { type: 'aws_keyspaces_table', provider: 'aws', holds: 'a Keyspaces (Cassandra) table and its rows' },
  { type: 'aws_timestreamwrite_table', provider: 'aws', holds: 'a Timestream table and its records' },
  { type: 'aws_qldb_ledger', provider: 'aws', holds: 'a QLDB ledger and its journal' },
  { type: 'aws_s3_bucket', provider: 'aws', holds: 'an S3 bucket and its objects', recovery: forceDestroy('bucket') },
  {
    type: 'aws_s3_directory_bucket',
    provider: 'aws',
    holds: 'an S3 directory bucket and its objects',
    recovery: forceDestroy('bucket'),
  },
  { type: 'aws_ebs_volume', provider: 'aws', holds: 'an EBS volume: a block device and its file system' },
  { type: 'aws_ebs_snapshot', provider: 'aws', holds: 'an EBS snapshot: a backup itself' },
  { type: 'aws_db_snapshot', provider: 'aws', holds: 'an RDS snapshot: a backup itself' },
  { type: 'aws_db_cluster_snapshot', provider: 'aws', holds: 'an RDS cluster snapshot: a backup itself' },
  { type: 'aws_efs_file_system', provider: 'aws', holds: 'an EFS file system and its files' },
  { type: 'aws_fsx_lustre_file_system', provider: 'aws', holds: 'an FSx for Lustre file system' },
  {
    type: 'aws_fsx_windows_file_system',
    provider: 'aws',
    holds: 'an FSx for Windows file system',
    recovery: (get) => (get('skip_final_backup') === false ? 'a final backup is taken first' : undefined),
  },
  { type: 'aws_fsx_ontap_file_system', provider: 'aws', holds: 'an FSx for NetApp ONTAP file system' },
  { type: 'aws_fsx_ontap_volume', provider: 'aws', holds: 'an FSx for NetApp ONTAP volume' },
  { type: 'aws_fsx_openzfs_file_system', provider: 'aws', holds: 'an FSx for OpenZFS file system' },
  {
    type: 'aws_elasticache_replication_group',
    provider: 'aws',
    holds: 'an ElastiCache replication group: its in-memory data and its persistence',
    recovery: (get) =>
      typeof get('final_snapshot_identifier') === 'string' && get('final_snapshot_identifier')
        ? `a final snapshot "${String(get('final_snapshot_identifier'))}" is taken first`
        : undefined,
  },
  {
    type: 'aws_elasticache_cluster',
    provider: 'aws',
    holds: 'an ElastiCache cluster: its in-memory data (Redis/Valkey persistence included)',
  },
  { type: 'aws_elasticache_serverless_cache', provider: 'aws', holds: 'an ElastiCache Serverless cache and its data' },
  { type: 'aws_memorydb_cluster', provider: 'aws', holds: 'a MemoryDB cluster: a durable in-memory database' },
  { type: 'aws_opensearch_domain', provider: 'aws', holds: 'an OpenSearch domain and its indexes' },
  { type: 'aws_elasticsearch_domain', provider: 'aws', holds: 'an Elasticsearch domain and its indexes' },
  { type: 'aws_sqs_queue', provider: 'aws', holds: 'an SQS queue and the messages in it' },
  { type: 'aws_kinesis_stream', provider: 'aws', holds: 'a Kinesis stream and the records it retains' },
  { type: 'aws_msk_cluster', provider: 'aws', holds: 'an MSK (Kafka) cluster and its topics' },
  { type: 'aws_mq_broker', provider: 'aws', holds: 'an Amazon MQ broker and its queued messages' },
  {
    type: 'aws_kms_key',
    provider: 'aws',
    holds: 'a KMS key: everything encrypted with it becomes unreadable once it is gone',
    recovery: (get) =>
      `AWS schedules the deletion after deletion_window_in_days (${days(get('deletion_window_in_days'), 30)} days): CancelKeyDeletion within the window saves it`,
    softDelete: kmsSoftDelete,
    window: { attribute: 'deletion_window_in_days', zero: false },
  },
  {
    type: 'aws_kms_external_key',
    provider: 'aws',
    holds: 'a KMS key with imported material: everything encrypted with it becomes unreadable',
    recovery: (get) =>
      `AWS schedules the deletion after deletion_window_in_days (${days(get('deletion_window_in_days'), 30)} days)`,
    softDelete: kmsSoftDelete,
    window: { attribute: 'deletion_window_in_days', zero: false },
  },
  {
    type: 'aws_secretsmanager_secret',
    provider: 'aws',
    holds: 'a Secrets Manager secret and its versions',
    recovery: (get) => {
      const d = days(get('recovery_window_in_days'), 30);
      return d === 0
        ? 'recovery_window_in_days is 0: deleted at once, without recovery'
        : `recoverable with RestoreSecret for ${d} days`;
    },
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_restore-secret.html
    softDelete: (get) => {
      const d = days(get('recovery_window_in_days'), 30);
      if (d === 0) return undefined;
      return {
        window: `the ${d}-day recovery window (recovery_window_in_days)`,
        commands: `aws secretsmanager restore-secret --secret-id ${str(get('arn'), str(get('name'), '<secret arn>'))}`,
        after: 'the secret and its versions are gone; a credential it held must be issued again',
      };
    },
    window: { attribute: 'recovery_window_in_days', zero: true },
  },
  {
    type: 'aws_route53_zone',
    provider: 'aws',
    holds:
      'a Route 53 hosted zone and its records; a re-created zone gets new name servers, so the delegation must be changed too',
    recovery: (get) =>
      get('force_destroy') === true ? 'force_destroy is on: every record is deleted with it' : undefined,
  },
  { type: 'aws_backup_vault', provider: 'aws', holds: 'an AWS Backup vault and its recovery points' },
  { type: 'aws_glacier_vault', provider: 'aws', holds: 'a Glacier vault and its archives' },
  {
    type: 'aws_ecr_repository',
    provider: 'aws',
    holds: 'an ECR repository and its images (rollback targets)',
    recovery: (get) =>
      get('force_delete') === true
        ? 'force_delete is on: its images are deleted with it'
        : 'force_delete is off: the delete fails while it holds images',
  },
  { type: 'aws_cloudwatch_log_group', provider: 'aws', holds: 'a CloudWatch log group and its log events' },
  {
    type: 'aws_cognito_user_pool',
    provider: 'aws',
    holds: 'a Cognito user pool: its users and their credentials cannot be exported with passwords',
    recovery: (get) =>
      get('deletion_protection') === 'ACTIVE' ? 'deletion_protection is ACTIVE: AWS refuses the delete' : undefined,
  },
  // --- Google Cloud ------------------------------------------------------------------------------
  {
    type: 'google_sql_database_instance',
    provider: 'google',
    holds: 'a Cloud SQL instance and its databases',
    recovery: (get) =>
      get('deletion_protection') === false
        ? 'deletion_protection (Terraform) is off'
        : 'deletion_protection (Terraform) is on: the apply fails until it is set to false',
  },
  { type: 'google_sql_database', provider: 'google', holds: 'a Cloud SQL database' },
  { type: 'google_spanner_instance', provider: 'google', holds: 'a Spanner instance and its databases' },
  {
    type: 'google_spanner_database',
    provider: 'google',
    holds: 'a Spanner database',
    recovery: (get) =>
      get('deletion_protection') === false
        ? undefined
        : 'deletion_protection (Terraform) is on: the apply fails until it is set to false',
  },
  { type: 'google_bigtable_instance', provider: 'google', holds: 'a Bigtable instance and its tables' },
  { type: 'google_bigtable_table', provider: 'google', holds: 'a Bigtable table and its rows' },
  {
    type: 'google_bigquery_dataset',
    provider: 'google',
    holds: 'a BigQuery dataset and its tables',
    recovery: (get) =>
      get('delete_contents_on_destroy') === true
        ? 'delete_contents_on_destroy is on: its tables are deleted with it'
        : 'the delete fails while the dataset holds tables (delete_contents_on_destroy is off)',
  },
  {
    type: 'google_bigquery_table',
    provider: 'google',
    holds: 'a BigQuery table and its rows',
    recovery: (get) =>
      get('deletion_protection') === false
        ? 'BigQuery time travel can restore a deleted table for up to 7 days'
        : 'deletion_protection (Terraform) is on: the apply fails until it is set to false',
  },
  {
    type: 'google_storage_bucket',
    provider: 'google',
    holds: 'a Cloud Storage bucket and its objects',
    recovery: forceDestroy('bucket'),
  },
  { type: 'google_compute_disk', provider: 'google', holds: 'a persistent disk' },
  { type: 'google_compute_region_disk', provider: 'google', holds: 'a regional persistent disk' },
  { type: 'google_compute_snapshot', provider: 'google', holds: 'a disk snapshot: a backup itself' },
  { type: 'google_filestore_instance', provider: 'google', holds: 'a Filestore instance and its files' },
  {
    type: 'google_redis_instance',
    provider: 'google',
    holds: 'a Memorystore for Redis instance: its data and persistence',
  },
  { type: 'google_alloydb_cluster', provider: 'google', holds: 'an AlloyDB cluster and its databases' },
  { type: 'google_firestore_database', provider: 'google', holds: 'a Firestore database and its documents' },
  {
    type: 'google_pubsub_topic',
    provider: 'google',
    holds: 'a Pub/Sub topic: its subscriptions are detached and retained messages lost',
  },
  {
    type: 'google_pubsub_subscription',
    provider: 'google',
    holds: 'a Pub/Sub subscription and its unacknowledged messages',
  },
  {
    type: 'google_kms_crypto_key',
    provider: 'google',
    holds:
      'a Cloud KMS key: Google Cloud never deletes a key, Terraform destroys all its versions, and data encrypted with them becomes unreadable after the destroy-scheduled duration',
  },
  {
    type: 'google_kms_key_ring',
    provider: 'google',
    holds:
      'a Cloud KMS key ring: Google Cloud never deletes key rings, so Terraform only forgets it and a re-create with the same name fails; the keys inside go with their own resources',
  },
  {
    type: 'google_dns_managed_zone',
    provider: 'google',
    holds: 'a Cloud DNS zone and its records; a re-created zone gets new name servers',
  },
  { type: 'google_secret_manager_secret', provider: 'google', holds: 'a Secret Manager secret and all its versions' },
  {
    type: 'google_artifact_registry_repository',
    provider: 'google',
    holds: 'an Artifact Registry repository and its artifacts (rollback targets)',
  },
  {
    type: 'google_container_cluster',
    provider: 'google',
    holds: 'a GKE cluster: the workloads, volumes and objects inside it',
    recovery: (get) =>
      get('deletion_protection') === false
        ? undefined
        : 'deletion_protection (Terraform) is on: the apply fails until it is set to false',
  },
  // --- Azure -------------------------------------------------------------------------------------
  { type: 'azurerm_mssql_server', provider: 'azurerm', holds: 'an Azure SQL server and its databases' },
  { type: 'azurerm_mssql_database', provider: 'azurerm', holds: 'an Azure SQL database' },
  {
    type: 'azurerm_mssql_managed_instance',
    provider: 'azurerm',
    holds: 'an Azure SQL Managed Instance and its databases',
  },
  {
    type: 'azurerm_postgresql_flexible_server',
    provider: 'azurerm',
    holds: 'a PostgreSQL flexible server and its databases',
  },
  { type: 'azurerm_postgresql_flexible_server_database', provider: 'azurerm', holds: 'a PostgreSQL database' },
  { type: 'azurerm_postgresql_server', provider: 'azurerm', holds: 'a PostgreSQL single server and its databases' },
  { type: 'azurerm_postgresql_database', provider: 'azurerm', holds: 'a PostgreSQL database' },
  { type: 'azurerm_mysql_flexible_server', provider: 'azurerm', holds: 'a MySQL flexible server and its databases' },
  { type: 'azurerm_mysql_flexible_database', provider: 'azurerm', holds: 'a MySQL database' },
  { type: 'azurerm_cosmosdb_account', provider: 'azurerm', holds: 'a Cosmos DB account and every database in it' },
  { type: 'azurerm_cosmosdb_sql_database', provider: 'azurerm', holds: 'a Cosmos DB database' },
  { type: 'azurerm_cosmosdb_sql_container', provider: 'azurerm', holds: 'a Cosmos DB container and its items' },
  { type: 'azurerm_cosmosdb_mongo_database', provider: 'azurerm', holds: 'a Cosmos DB for MongoDB database' },
  { type: 'azurerm_cosmosdb_mongo_collection', provider: 'azurerm', holds: 'a Cosmos DB for MongoDB collection' },
  {
    type: 'azurerm_storage_account',
    provider: 'azurerm',
    holds: 'a storage account: every blob, file share, queue and table in it',
  },
  { type: 'azurerm_storage_container', provider: 'azurerm', holds: 'a blob container and its blobs' },
  { type: 'azurerm_storage_share', provider: 'azurerm', holds: 'a file share and its files' },
  { type: 'azurerm_storage_table', provider: 'azurerm', holds: 'a storage table and its entities' },
  { type: 'azurerm_storage_queue', provider: 'azurerm', holds: 'a storage queue and its messages' },
  { type: 'azurerm_storage_data_lake_gen2_filesystem', provider: 'azurerm', holds: 'a Data Lake Gen2 file system' },
  { type: 'azurerm_managed_disk', provider: 'azurerm', holds: 'a managed disk' },
  { type: 'azurerm_snapshot', provider: 'azurerm', holds: 'a disk snapshot: a backup itself' },
  { type: 'azurerm_redis_cache', provider: 'azurerm', holds: 'an Azure Cache for Redis: its data and persistence' },
  {
    type: 'azurerm_key_vault',
    provider: 'azurerm',
    holds: 'a Key Vault and its keys, secrets and certificates',
    recovery: (get) =>
      `soft-deleted for soft_delete_retention_days (${days(get('soft_delete_retention_days'), 90)} days): recoverable unless purged${get('purge_protection_enabled') === true ? ' (purge protection is on)' : ''}`,
  },
  {
    type: 'azurerm_key_vault_key',
    provider: 'azurerm',
    holds: 'a Key Vault key: data encrypted with it becomes unreadable',
    recovery: () => 'soft-deleted keys can be recovered during the vault retention period',
  },
  {
    type: 'azurerm_key_vault_secret',
    provider: 'azurerm',
    holds: 'a Key Vault secret and its versions',
    recovery: () => 'soft-deleted secrets can be recovered during the vault retention period',
  },
  {
    type: 'azurerm_key_vault_managed_hardware_security_module',
    provider: 'azurerm',
    holds: 'a Managed HSM and its keys',
  },
  {
    type: 'azurerm_dns_zone',
    provider: 'azurerm',
    holds: 'a DNS zone and its records; a re-created zone gets new name servers',
  },
  { type: 'azurerm_private_dns_zone', provider: 'azurerm', holds: 'a private DNS zone and its records' },
  {
    type: 'azurerm_servicebus_namespace',
    provider: 'azurerm',
    holds: 'a Service Bus namespace and its queued messages',
  },
  { type: 'azurerm_servicebus_queue', provider: 'azurerm', holds: 'a Service Bus queue and its messages' },
  {
    type: 'azurerm_servicebus_topic',
    provider: 'azurerm',
    holds: 'a Service Bus topic and its subscriptions’ messages',
  },
  { type: 'azurerm_eventhub_namespace', provider: 'azurerm', holds: 'an Event Hubs namespace and its retained events' },
  { type: 'azurerm_eventhub', provider: 'azurerm', holds: 'an event hub and its retained events' },
  {
    type: 'azurerm_container_registry',
    provider: 'azurerm',
    holds: 'a container registry and its images (rollback targets)',
  },
  { type: 'azurerm_recovery_services_vault', provider: 'azurerm', holds: 'a Recovery Services vault and its backups' },
  {
    type: 'azurerm_data_protection_backup_vault',
    provider: 'azurerm',
    holds: 'a Backup vault and its recovery points',
  },
  { type: 'azurerm_log_analytics_workspace', provider: 'azurerm', holds: 'a Log Analytics workspace and its logs' },
  {
    type: 'azurerm_resource_group',
    provider: 'azurerm',
    holds: 'a resource group: Azure deletes every resource in it, managed by Terraform or not',
    recovery: () =>
      'the azurerm provider refuses to delete a group that still holds resources unless features.resource_group.prevent_deletion_if_contains_resources is false',
  },
  // --- Kubernetes --------------------------------------------------------------------------------
  {
    type: 'kubernetes_persistent_volume_claim',
    aliases: ['kubernetes_persistent_volume_claim_v1'],
    provider: 'kubernetes',
    holds: 'a PersistentVolumeClaim: a dynamically provisioned volume is deleted with it (reclaim policy Delete)',
  },
  {
    type: 'kubernetes_persistent_volume',
    aliases: ['kubernetes_persistent_volume_v1'],
    provider: 'kubernetes',
    holds: 'a PersistentVolume: with reclaim policy Delete the storage goes with it',
  },
  {
    type: 'kubernetes_namespace',
    aliases: ['kubernetes_namespace_v1'],
    provider: 'kubernetes',
    holds: 'a namespace: Kubernetes deletes every object in it, claims and their volumes included',
  },
];

const BY_TYPE = new Map<string, DataBearingType>();
for (const row of DATA_BEARING_TYPES) {
  BY_TYPE.set(row.type, row);
  for (const a of row.aliases ?? []) BY_TYPE.set(a, row);
}

export function dataBearing(type: string): DataBearingType | undefined {
  return BY_TYPE.get(type);
}

/** The attributes the recovery notes read (the only ones decoded from a plan's before/after values). */
export const RECOVERY_ATTRIBUTES: readonly string[] = [
  // identifiers for the recovery commands of soft-deleted types (names, never values)
  'arn',
  'key_id',
  'name',
  'delete_contents_on_destroy',
  'deletion_protection',
  'deletion_protection_enabled',
  'deletion_window_in_days',
  'final_snapshot_identifier',
  'force_delete',
  'force_destroy',
  'purge_protection_enabled',
  'recovery_window_in_days',
  'skip_final_backup',
  'skip_final_snapshot',
  'soft_delete_retention_days',
];

/** Types whose rows read attributes (their plan values are kept while reading the plan). */
export const TYPES_WITH_RECOVERY: ReadonlySet<string> = new Set(
  [...BY_TYPE].filter(([, r]) => r.recovery).map(([t]) => t),
);
