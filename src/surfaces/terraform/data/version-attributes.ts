import type { MessageSpec } from '../../../core/rule.js';

/**
 * In-place version upgrades that the service does not take back: the attribute that carries the
 * engine or control-plane version of a managed database, cache, search or Kubernetes service, and why
 * going back is not an in-place change. Read by `plan-version-upgraded`.
 */
export interface VersionAttribute {
  type: string;
  attribute: string;
  why: string;
  /**
   * The service's own way back, where it has one: an in-place upgrade of one minor version can be
   * rolled back within `days` of the upgrade, by `command` (placeholders `<name>` and `{{from}}`), with
   * what the service leaves to the user (`leaves`). Larger jumps, and upgrades older than the window,
   * have no way back.
   */
  rollback?: { days: number; command: string; leaves: string };
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
    why: 'Aurora and RDS clusters cannot be downgraded in place, minor versions included: going back means restoring a snapshot taken before the upgrade into a new cluster',
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
  {
    type: 'aws_eks_cluster',
    attribute: 'version',
    why: 'an EKS control plane rolls back only to the previous minor version, within 7 days of an in-place upgrade; a jump of more than one minor version cannot be rolled back',
    // EKS version rollback: UpdateClusterVersion with the previous minor version (the AWS provider's
    // `version` update calls it, so lowering `version` and applying is the same request).
    rollback: {
      days: 7,
      command: 'aws eks update-cluster-version --name <cluster> --kubernetes-version {{from}}',
      leaves:
        'etcd data and workloads are kept; managed node groups (aws eks update-nodegroup-version), self-managed nodes and add-ons are not rolled back by EKS: bring them to {{from}} first, a node newer than the control plane fails the rollback readiness check',
    },
  },
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

/**
 * Inputs of widely used registry modules that carry such a version into the resource of the table
 * (`type`): the module passes the input straight to the attribute. Matched on the registry address
 * without host and sub-directory (`terraform-aws-modules/eks/aws`).
 */
export interface VersionInput {
  module: string;
  inputs: readonly string[];
  type: string;
}

export const VERSION_INPUTS: readonly VersionInput[] = [
  // v20 and before: cluster_version; v21 renamed it kubernetes_version (aws_eks_cluster.this version).
  {
    module: 'terraform-aws-modules/eks/aws',
    inputs: ['cluster_version', 'kubernetes_version'],
    type: 'aws_eks_cluster',
  },
  { module: 'terraform-aws-modules/rds/aws', inputs: ['engine_version'], type: 'aws_db_instance' },
  { module: 'terraform-aws-modules/rds-aurora/aws', inputs: ['engine_version'], type: 'aws_rds_cluster' },
  {
    module: 'terraform-aws-modules/elasticache/aws',
    inputs: ['engine_version'],
    type: 'aws_elasticache_replication_group',
  },
  { module: 'terraform-aws-modules/opensearch/aws', inputs: ['engine_version'], type: 'aws_opensearch_domain' },
  { module: 'terraform-aws-modules/msk-kafka-cluster/aws', inputs: ['kafka_version'], type: 'aws_msk_cluster' },
  {
    module: 'terraform-google-modules/kubernetes-engine/google',
    inputs: ['kubernetes_version'],
    type: 'google_container_cluster',
  },
  {
    module: 'terraform-google-modules/sql-db/google',
    inputs: ['database_version'],
    type: 'google_sql_database_instance',
  },
  { module: 'azure/aks/azurerm', inputs: ['kubernetes_version'], type: 'azurerm_kubernetes_cluster' },
];

/** The registry address of a module source (`registry.terraform.io/a/b/c//modules/x?ref=` -> `a/b/c`), lower case. */
export function registryAddress(source: string): string | undefined {
  const s = source
    .trim()
    .toLowerCase()
    .replace(/^(registry\.terraform\.io|registry\.opentofu\.org)\//, '');
  const m = /^([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_-]*)\/([a-z0-9]+)(?:\/\/.*)?$/.exec(s);
  return m ? `${m[1]}/${m[2]}/${m[3]}` : undefined;
}

export function versionInputs(source: string | undefined): VersionInput | undefined {
  const address = source === undefined ? undefined : registryAddress(source);
  return address ? VERSION_INPUTS.find((v) => v.module === address) : undefined;
}

/**
 * Settings a service moves along in one direction only: the values in the order the service allows
 * (each may go to a later one, never back), the value of a resource that does not set the block (what
 * the service gives an object created without it), and why going back is refused.
 */
export interface OneWaySetting {
  type: string;
  /** The nested block that holds the attribute, if any (`access_config`). */
  block?: string;
  attribute: string;
  order: readonly string[];
  unset: string;
  why: string;
}

export const ONE_WAY_SETTINGS: readonly OneWaySetting[] = [
  {
    type: 'aws_eks_cluster',
    block: 'access_config',
    attribute: 'authentication_mode',
    order: ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'],
    unset: 'CONFIG_MAP',
    why: 'Amazon EKS cannot change a cluster back to a mode without the access entry API (API or API_AND_CONFIG_MAP to CONFIG_MAP), nor from API back to API_AND_CONFIG_MAP: a revert is refused by the EKS API, and the access the aws-auth ConfigMap granted must be recreated as access entries',
  },
];

export function oneWaySettings(type: string): OneWaySetting[] {
  return ONE_WAY_SETTINGS.filter((s) => s.type === type);
}

/** What a finding says of a way back inside the service's own window. */
export interface RollbackWindow {
  /** `7d`. */
  window: string;
  days: number;
  /** The command that rolls back, with the previous version filled in. */
  command: string;
  leaves: string;
}

/**
 * The service's own rollback for `from` -> `to`, when there is one: the row has a rollback window and the
 * change is an upgrade of exactly one minor version in the same major (`1.29` -> `1.30`, patch levels
 * aside). Anything else (two minors, a major, a downgrade, an unreadable version) has none.
 */
export function rollbackWindow(row: VersionAttribute, from: string, to: string): RollbackWindow | undefined {
  if (!row.rollback) return undefined;
  const a = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(from.trim());
  const b = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(to.trim());
  if (!a || !b || a[1] !== b[1] || Number(b[2]) - Number(a[2]) !== 1) return undefined;
  const fill = (t: string) => t.replaceAll('{{from}}', from.trim());
  return {
    window: `${row.rollback.days}d`,
    days: row.rollback.days,
    command: fill(row.rollback.command),
    leaves: fill(row.rollback.leaves),
  };
}

/**
 * The message of a one-minor step back inside a rollback window, shared by the configuration and plan
 * rules (the same apply, read from either side).
 */
export const ROLLED_BACK: MessageSpec = {
  text: '{{address}}: {{attribute}} {{from}} -> {{to}} is a one-minor rollback: EKS accepts it only within {{window}} of the in-place upgrade to {{from}}, and only once nodes are no newer than {{to}} ({{leaves}}); past {{window}} the apply fails',
  class: 'reversible-with-compatibility-window',
  decision: { effects: ['data-surface'] },
};
