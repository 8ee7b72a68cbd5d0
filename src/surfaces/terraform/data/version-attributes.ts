/**
 * In-place version upgrades that the service does not take back: the attribute that carries the
 * engine or control-plane version of a managed database, cache, search or Kubernetes service, and why
 * going back is not an in-place change. Read by `plan-version-upgraded`.
 */
export interface VersionAttribute {
  type: string;
  attribute: string;
  why: string;
}

export const VERSION_ATTRIBUTES: readonly VersionAttribute[] = [
  {
    type: 'aws_db_instance',
    attribute: 'engine_version',
    why: 'RDS upgrades the engine in place and has no in-place downgrade: going back means restoring a snapshot taken before the upgrade',
  },
  {
    type: 'aws_rds_cluster',
    attribute: 'engine_version',
    why: 'Aurora/RDS clusters cannot be downgraded in place: going back means restoring a snapshot taken before the upgrade',
  },
  { type: 'aws_docdb_cluster', attribute: 'engine_version', why: 'DocumentDB has no in-place engine downgrade' },
  { type: 'aws_neptune_cluster', attribute: 'engine_version', why: 'Neptune has no in-place engine downgrade' },
  {
    type: 'aws_elasticache_replication_group',
    attribute: 'engine_version',
    why: 'ElastiCache does not downgrade an engine version in place',
  },
  {
    type: 'aws_elasticache_cluster',
    attribute: 'engine_version',
    why: 'ElastiCache does not downgrade an engine version in place',
  },
  {
    type: 'aws_opensearch_domain',
    attribute: 'engine_version',
    why: 'OpenSearch Service domains cannot be downgraded',
  },
  {
    type: 'aws_elasticsearch_domain',
    attribute: 'elasticsearch_version',
    why: 'Elasticsearch domains cannot be downgraded',
  },
  { type: 'aws_msk_cluster', attribute: 'kafka_version', why: 'MSK does not downgrade Apache Kafka versions' },
  { type: 'aws_mq_broker', attribute: 'engine_version', why: 'Amazon MQ brokers are not downgraded in place' },
  { type: 'aws_eks_cluster', attribute: 'version', why: 'EKS control planes cannot be downgraded' },
  {
    type: 'google_sql_database_instance',
    attribute: 'database_version',
    why: 'a Cloud SQL major version upgrade is not reversible in place: going back means restoring a backup taken before it',
  },
  {
    type: 'google_container_cluster',
    attribute: 'min_master_version',
    why: 'GKE control planes cannot be downgraded across minor versions',
  },
  {
    type: 'google_redis_instance',
    attribute: 'redis_version',
    why: 'Memorystore for Redis versions are upgraded in place, not downgraded',
  },
  { type: 'azurerm_kubernetes_cluster', attribute: 'kubernetes_version', why: 'AKS clusters cannot be downgraded' },
  {
    type: 'azurerm_postgresql_flexible_server',
    attribute: 'version',
    why: 'a PostgreSQL flexible server major version upgrade cannot be reverted in place',
  },
  {
    type: 'azurerm_mysql_flexible_server',
    attribute: 'version',
    why: 'a MySQL flexible server major version upgrade cannot be reverted in place',
  },
];

const BY_TYPE = new Map(VERSION_ATTRIBUTES.map((v) => [v.type, v]));

export function versionAttribute(type: string): VersionAttribute | undefined {
  return BY_TYPE.get(type);
}
