import type { TfResource } from '../model.js';

/**
 * The provider-side guard of a resource type: an attribute that makes the cloud API refuse a delete
 * (`deletion_protection` on RDS, Aurora, DocumentDB, Neptune, Cloud SQL, GKE, Spanner, BigQuery
 * tables; `deletion_protection_enabled` on DynamoDB; `enable_deletion_protection` on load balancers),
 * with its value when the attribute is not written. Sources: the "Argument Reference" of each type in
 * the hashicorp/aws and hashicorp/google provider documentation (registry.terraform.io).
 */
export interface DeletionProtection {
  attribute: string;
  /** The provider's default when the attribute is absent. */
  default: boolean;
}

const TABLE: ReadonlyMap<string, DeletionProtection> = new Map([
  ['aws_db_instance', { attribute: 'deletion_protection', default: false }],
  ['aws_rds_cluster', { attribute: 'deletion_protection', default: false }],
  ['aws_docdb_cluster', { attribute: 'deletion_protection', default: false }],
  ['aws_neptune_cluster', { attribute: 'deletion_protection', default: false }],
  ['aws_dynamodb_table', { attribute: 'deletion_protection_enabled', default: false }],
  ['aws_qldb_ledger', { attribute: 'deletion_protection', default: true }],
  ['aws_lb', { attribute: 'enable_deletion_protection', default: false }],
  ['aws_alb', { attribute: 'enable_deletion_protection', default: false }],
  ['google_sql_database_instance', { attribute: 'deletion_protection', default: true }],
  ['google_container_cluster', { attribute: 'deletion_protection', default: true }],
  ['google_spanner_database', { attribute: 'deletion_protection', default: true }],
  ['google_bigquery_table', { attribute: 'deletion_protection', default: true }],
  ['google_compute_instance', { attribute: 'deletion_protection', default: false }],
]);

export function deletionProtection(type: string): DeletionProtection | undefined {
  return TABLE.get(type);
}

/**
 * Whether the provider-side delete guard of a resource is on: the literal value, the provider default
 * when the attribute is absent, and on when it is an expression (nothing says it was turned off).
 */
export function protectionOn(r: Pick<TfResource, 'type' | 'args'>): boolean {
  const row = deletionProtection(r.type);
  if (!row) return false;
  const v = r.args[row.attribute];
  return typeof v === 'boolean' ? v : v === undefined ? row.default : true;
}
