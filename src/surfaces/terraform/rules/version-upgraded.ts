import { defineRule } from '../../../core/rule.js';
import { versionAttribute, versionInputs, type VersionAttribute } from '../data/version-attributes.js';
import { expr } from '../space.js';
import type { Located, TfContext, TfModuleCall, TfResource } from '../model.js';

/** A finding's data: the resource or module call, the attribute or input, both versions and the reason. */
export type VersionUpgradedData = {
  address: string;
  attribute: string;
  from: string;
  to: string;
  why: string;
  via: string;
};

/** A literal version as written (`"15.4"`, `1.30`); undefined for an expression (`var.x`, `"${local.v}"`). */
export function literalVersion(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string' || v.includes('${') || v.trim() === '') return undefined;
  return v.trim();
}

/**
 * Compares two service version strings by their numbers in order (`15.4` < `15.10`,
 * `8.0.mysql_aurora.3.05.2` < `8.0.mysql_aurora.3.06.0`, `1.29` < `1.30`): negative when `a` is older.
 */
export function compareVersions(a: string, b: string): number {
  const na = (a.match(/\d+/g) ?? []).map(Number);
  const nb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? 0) - (nb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `var.x` (alone) -> `x`. */
function variableOf(v: unknown): string | undefined {
  const e = expr(v);
  const m = e === undefined ? null : /^var\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(e);
  return m ? m[1] : undefined;
}

type M = 'upgraded' | 'downgraded';

/**
 * The configuration raises the engine or control-plane version of a managed service that does not
 * downgrade: on the resource (`aws_db_instance.engine_version`, `aws_eks_cluster.version`...), through
 * a local module's variable that feeds it, or through the version input of a widely used registry
 * module (terraform-aws-modules/eks `cluster_version`/`kubernetes_version`, .../rds `engine_version`).
 */
export default defineRule<TfContext, M, VersionUpgradedData>({
  id: 'version-upgraded',
  surface: 'terraform',
  class: 'forward-only',
  decision: { playbook: 'bad-iac-module', effects: ['previous-invalid', 'data-surface'] },
  severity: 'warning',
  docs: {
    summary:
      'The configuration raises the engine or control-plane version of a managed database, cache, broker, search or Kubernetes service, directly or through a module input.',
    rationale:
      'These services upgrade in place and have no in-place downgrade. Amazon EKS: "Once you upgrade a cluster, you can\'t downgrade to a previous version." RDS and Aurora upgrade the engine in place, and Aurora cannot go back even a minor version: the way back is restoring a snapshot taken before the upgrade into a new instance or cluster, which loses every write since. Reverting the commit makes the next apply fail (or, for some types, plan a replacement that destroys the data). The same holds when the version reaches the resource through a module: the input of a local module whose resource reads `var.<input>`, or the version input of a registry module that passes it straight through (terraform-aws-modules/eks `cluster_version`, renamed `kubernetes_version` in v21; terraform-aws-modules/rds and rds-aurora `engine_version`). The typed table in version-attributes.ts names the attribute and the reason for each type. An expression whose value is not in the configuration (a variable without a literal value here) is not followed.',
    fix: 'Take and verify a snapshot right before the apply (or, for Kubernetes, be ready to move workloads to a new cluster); rehearse the upgrade on a restored copy; declare the change forward-only, and upgrade one version step per change.',
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html',
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html',
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_UpgradeDBInstance.PostgreSQL.html',
      'https://registry.terraform.io/modules/terraform-aws-modules/eks/aws/latest',
      'https://cloud.google.com/sql/docs/postgres/upgrade-major-db-version-inplace',
      'https://learn.microsoft.com/azure/aks/upgrade-cluster',
    ],
  },
  messages: {
    upgraded: '{{address}}: {{attribute}} {{from}} -> {{to}}{{via}}: {{why}}',
    downgraded: {
      text: '{{address}}: {{attribute}} {{from}} -> {{to}}{{via}} is a downgrade: {{why}}, so expect the apply to fail',
      severity: 'error',
    },
  },
  check({ units, report }) {
    for (const unit of units) {
      if (!unit.base || !unit.head || unit.broken) continue;
      const base = unit.base;
      const head = unit.head;
      /** Module inputs already reported (`module.a\0input`). */
      const seen = new Set<string>();
      const emit = (
        address: string,
        attribute: string,
        from: string,
        to: string,
        row: VersionAttribute,
        via: string,
        where: Located & { line: number },
      ) => {
        const cmp = compareVersions(from, to);
        if (cmp === 0) return;
        report(
          cmp > 0 ? 'downgraded' : 'upgraded',
          { address, attribute, from, to, why: row.why, via },
          { file: where.file, line: where.line },
          { object: address },
        );
      };
      const inputOf = (call: TfModuleCall | undefined, input: string) =>
        call === undefined ? undefined : literalVersion(call.args[input]);

      for (const after of head.resources.values()) {
        const row = versionAttribute(after.type);
        const before: TfResource | undefined = base.resources.get(after.address);
        if (!row || !before || before.type !== after.type || after.mode !== 'managed') continue;
        const a = literalVersion(before.args[row.attribute]);
        const b = literalVersion(after.args[row.attribute]);
        if (a !== undefined && b !== undefined) {
          if (a !== b)
            emit(after.address, row.attribute, a, b, row, '', {
              file: after.file,
              line: after.argLines.get(row.attribute) ?? after.line,
            });
          continue;
        }
        // `version = var.kubernetes_version` inside a local module: follow the input of its call.
        const variable = variableOf(after.args[row.attribute]);
        if (!variable || !after.modulePrefix || variable !== variableOf(before.args[row.attribute])) continue;
        const callAddress = after.modulePrefix.slice(0, -1);
        const call = head.modules.get(callAddress);
        const from = inputOf(base.modules.get(callAddress), variable);
        const to = inputOf(call, variable);
        if (!call || from === undefined || to === undefined || from === to || seen.has(`${callAddress}\0${variable}`))
          continue;
        seen.add(`${callAddress}\0${variable}`);
        emit(callAddress, variable, from, to, row, ` (feeds ${after.address}.${row.attribute})`, {
          file: call.file,
          line: call.argLines.get(variable) ?? call.line,
        });
      }

      // Registry modules known to pass a version input straight to the resource.
      for (const call of head.modules.values()) {
        if (call.dir !== undefined) continue;
        const known = versionInputs(call.source);
        const row = known && versionAttribute(known.type);
        if (!known || !row) continue;
        for (const input of known.inputs) {
          const from = inputOf(base.modules.get(call.address), input);
          const to = inputOf(call, input);
          if (from === undefined || to === undefined || from === to || seen.has(`${call.address}\0${input}`)) continue;
          seen.add(`${call.address}\0${input}`);
          emit(call.address, input, from, to, row, ` (${known.module} passes it to ${known.type}.${row.attribute})`, {
            file: call.file,
            line: call.argLines.get(input) ?? call.line,
          });
        }
      }
    }
  },
});
