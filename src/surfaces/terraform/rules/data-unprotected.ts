import { defineRule } from '../../../core/rule.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { deletionProtection, protectionOn } from '../data/deletion-protection.js';
import { at, priorResource, type TfContext, type TfResource } from '../model.js';

/**
 * A data-bearing resource the change adds with no delete guard at all: neither `prevent_destroy` nor,
 * where its type has one, the provider's deletion protection. Turning a guard off on a resource that
 * stays is terraform/prevent-destroy-removed.
 */
/**
 * Types whose delete fails while they hold anything unless `force_destroy` is on (the provider empties
 * them first only then): a bucket with objects, a hosted zone with records, is guarded by its content.
 */
const EMPTY_ONLY = new Set(['aws_s3_bucket', 'google_storage_bucket', 'aws_route53_zone']);
const emptyOnlyDelete = (r: { type: string; args: Record<string, unknown> }) =>
  EMPTY_ONLY.has(r.type) && r.args.force_destroy !== true;

export default defineRule<TfContext, 'unguarded' | 'noPreventDestroy'>({
  id: 'data-unprotected',
  surface: 'terraform',
  class: 'non-recoverable-without-restore',
  severity: 'warning',
  smell: true,
  treeOnly: true,
  docs: {
    summary:
      'A data-bearing resource (database, bucket, volume, key...) is added with neither `prevent_destroy` nor the deletion protection its type offers.',
    rationale:
      'A data-bearing resource is not restored by re-creating it: an apply that destroys or replaces it (a force-new attribute changed, a rename without a `moved` block, a module refactoring, a revert of the commit that added it) loses what it holds, and only a backup brings that back. `lifecycle { prevent_destroy = true }` makes Terraform refuse any plan that would destroy it; the provider-side guard (`deletion_protection` on RDS, Aurora and Cloud SQL, `deletion_protection_enabled` on DynamoDB...) makes the cloud API refuse the delete even outside Terraform. With neither, the first such plan applies. A bucket (S3, GCS) or a Route 53 zone without `force_destroy = true` is not reported: its provider refuses to delete it while it holds objects or records. A guard that is turned off later is reported by `terraform/prevent-destroy-removed`. A resource the change did not add is not reported: one at the same address at the base, and one declared in a file the change renamed or copied from another directory (a root configuration moved from `examples/x` to `tests/x`), which was unguarded there already.',
    fix: 'Add `lifecycle { prevent_destroy = true }` to the resource, and turn on the deletion protection its type has (`deletion_protection = true` on aws_db_instance, aws_rds_cluster, google_sql_database_instance...); lift a guard only in the change that intends the destroy, after a backup.',
    references: [
      'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#deletion_protection',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#deletion_protection_enabled',
      'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#deletion_protection',
    ],
  },
  messages: {
    unguarded:
      '{{address}} ({{holds}}) has neither prevent_destroy nor {{attribute}}: a plan that destroys or replaces it applies, and the data goes with it',
    noPreventDestroy:
      '{{address}} ({{holds}}) has no prevent_destroy: a plan that destroys or replaces it applies, and the data goes with it',
  },
  check({ units, report }) {
    // One finding per resource block: a module called from several roots (its examples, its own
    // tests) is the same text, and its fix is written once. The shortest address names it.
    const found = new Map<string, { r: TfResource; holds: string }>();
    for (const unit of units) {
      if (!unit.head) continue;
      for (const r of unit.head.resources.values()) {
        if (r.mode !== 'managed' || r.preventDestroy === true) continue;
        // Already at the base: the change did not add the resource, so its guards are not the change's.
        // A file renamed from another directory declared it there, unguarded the same way.
        if (priorResource(unit, r) || unit.head.moved.some((m) => m.to === r.address)) continue;
        const holds = dataBearing(r.type)?.holds;
        if (!holds || protectionOn(r) || emptyOnlyDelete(r)) continue;
        const key = `${r.file}\0${r.line}`;
        const seen = found.get(key);
        if (!seen || r.address.length < seen.r.address.length) found.set(key, { r, holds });
      }
    }
    for (const { r, holds } of found.values()) {
      const guard = deletionProtection(r.type);
      if (guard)
        report('unguarded', { address: r.address, holds, attribute: guard.attribute }, at(r), { object: r.address });
      else report('noPreventDestroy', { address: r.address, holds }, at(r), { object: r.address });
    }
  },
});
