import { defineRule } from '../../../core/rule.js';
import { argumentValue, instancesOf } from '../count.js';
import {
  oneWaySettings,
  ROLLED_BACK,
  rollbackWindow,
  versionAttribute,
  versionInputs,
  type OneWaySetting,
  type VersionAttribute,
} from '../data/version-attributes.js';
import { replacedResources } from '../replaced.js';
import { compareVersions } from '../versions.js';
import { callerPrefix, resolveArgument, type ResolvedArgument, type ResolveStep } from '../space.js';
import type { Located, TfContext, TfModuleCall, TfResource } from '../model.js';

export { compareVersions };

/** A finding's data: the resource or module call, the attribute or input, both versions and the reason. */
export type VersionUpgradedData = {
  address: string;
  attribute: string;
  from: string;
  to: string;
  why: string;
  via: string;
  /** A one-minor upgrade the service can roll back itself: its window (`7d`), in days, the command and what it leaves to the user. */
  window?: string;
  windowDays?: number;
  command?: string;
  leaves?: string;
};

/** A literal version as written (`"15.4"`, `1.30`); undefined for an expression (`var.x`, `"${local.v}"`). */
export function literalVersion(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string' || v.includes('${') || v.trim() === '') return undefined;
  return v.trim();
}

type M = 'upgraded' | 'downgraded' | 'windowed' | 'rolledBack' | 'oneWay' | 'oneWayBack';

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
      'The configuration raises the engine or control-plane version of a managed database, cache, broker, search or Kubernetes service, directly or through a module input, or moves a one-way setting forward (an EKS authentication mode).',
    rationale:
      "These services upgrade in place and have no in-place downgrade, with one exception. Amazon EKS version rollback takes an in-place control-plane upgrade back to the previous minor version within 7 days of the upgrade: the API server, control-plane components and platform version go back, etcd data, workloads and persistent volumes are kept; managed node groups (UpdateNodegroupVersion), self-managed and hybrid nodes and add-ons are the user's to roll back. It is the same UpdateClusterVersion request as an upgrade, given the previous version (`aws eks update-cluster-version --name <cluster> --kubernetes-version <previous>`; the AWS provider sends it when `version` is lowered and applied), and it requires a cluster upgraded in place, an ACTIVE cluster with no update in progress, a supported target version, and passing rollback readiness checks (version skew: nodes no newer than the target). So a one-minor EKS upgrade is reversible-with-compatibility-window, its window (`7d`) in the finding and the rollback command in the message; a jump of more than one minor version, and any upgrade once its 7 days have passed, stays forward-only. RDS and Aurora upgrade the engine in place, and Aurora cannot go back even a minor version: the way back is restoring a snapshot taken before the upgrade into a new instance or cluster, which loses every write since. Reverting the commit makes the next apply fail (or, for some types, plan a replacement that destroys the data). The same holds when the version reaches the resource through a module: the input of a local module whose resource reads `var.<input>`, or the version input of a registry module that passes it straight through (terraform-aws-modules/eks `cluster_version`, renamed `kubernetes_version` in v21; terraform-aws-modules/rds and rds-aurora `engine_version`). The typed table in version-attributes.ts names the attribute and the reason for each type. The value is followed the way Terraform evaluates it as far as the configuration says: a `local.x` to its expression (locals are evaluated in the module that declares them), a local module's `var.x` to what its call passes, and a variable that nothing sets to its literal `default` (Terraform uses the default when no value is assigned); test and example configurations often set the version once in `locals` and pass `cluster_version = local.cluster_version`. The finding sits on the line where the literal changed. A variable with no default, or set from a `.tfvars` file, the command line or the environment, is not followed. Some settings move in one direction only, and are one-way for the same reason (one-way-settings in version-attributes.ts): an EKS cluster's `access_config.authentication_mode` goes from `CONFIG_MAP` to `API_AND_CONFIG_MAP` to `API` and never back (Amazon EKS: \"you can't change the authentication mode back to a mode that removes the EKS API and access entries\"); a cluster whose configuration had no `access_config` block has the mode EKS gives a cluster created without one, `CONFIG_MAP`, so a block (or a variable default) that sets `API_AND_CONFIG_MAP` is the one-way step. The value is evaluated the way `count` is (locals, module inputs, variable defaults, conditionals and common functions); a resource that has no instance at base (count 0) is not compared. A resource the same change replaces (force-new-changed: its name, role or subnets change) is created afresh at the new version, so a version lowered or raised on it is neither a downgrade nor an upgrade: the replacement finding carries the class.",
    fix: 'Take and verify a snapshot right before the apply (or, for Kubernetes, be ready to move workloads to a new cluster); rehearse the upgrade on a restored copy; declare the change forward-only, and upgrade one version step per change. For an EKS one-minor upgrade, declare the 7-day window, keep node groups and add-ons able to go back, and roll back with `aws eks update-cluster-version --name <cluster> --kubernetes-version <previous>` (or the reverted `version`, applied) after rolling back the node groups (`aws eks update-nodegroup-version`).',
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/rollback-cluster.html',
      'https://docs.aws.amazon.com/eks/latest/best-practices/rollback-cluster-upgrades.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html',
      'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html (a new cluster is created at the version given)',
      'https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html (the authentication mode cannot go back to one without the EKS API)',
      'https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateAccessConfigRequest.html',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/eks/cluster.go (resourceClusterUpdate: a `version` change calls UpdateClusterVersion)',
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html',
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_UpgradeDBInstance.PostgreSQL.html',
      'https://registry.terraform.io/modules/terraform-aws-modules/eks/aws/latest',
      'https://developer.hashicorp.com/terraform/language/values/locals',
      'https://developer.hashicorp.com/terraform/language/values/variables#default-values',
      'https://cloud.google.com/sql/docs/postgres/upgrade-major-db-version-inplace',
      'https://learn.microsoft.com/azure/aks/upgrade-cluster',
    ],
  },
  messages: {
    upgraded: '{{address}}: {{attribute}} {{from}} -> {{to}}{{via}}: {{why}}',
    oneWay: '{{address}}: {{attribute}} {{from}} -> {{to}}{{via}}: {{why}}',
    oneWayBack: {
      text: '{{address}}: {{attribute}} {{from}} -> {{to}}{{via}} goes back: {{why}}, so expect the apply to fail',
      severity: 'error',
    },
    downgraded: {
      text: '{{address}}: {{attribute}} {{from}} -> {{to}}{{via}} is a downgrade: {{why}}, so expect the apply to fail',
      severity: 'error',
    },
    rolledBack: ROLLED_BACK,
    windowed: {
      text: '{{address}}: {{attribute}} {{from}} -> {{to}}{{via}}: one minor version, reversible for {{window}} after the upgrade: `{{command}}` ({{leaves}}); after {{window}} it is forward-only',
      class: 'reversible-with-compatibility-window',
      decision: { effects: ['data-surface'] },
    },
  },
  check({ units, report }) {
    /** One-way steps by what they say and where: the root configurations that take each. */
    const steps = new Map<string, { id: M; data: VersionUpgradedData; where: Located; roots: string[] }>();
    for (const unit of units) {
      if (!unit.base || !unit.head || unit.broken) continue;
      const base = unit.base;
      const head = unit.head;
      /** Where a change was reported from (`module.a\0input`, a resource's address): each once. */
      const seen = new Set<string>();
      /** Follows a written value on both sides to a literal; undefined unless both sides end at one. */
      const both = (
        prefixes: [string, string],
        values: [unknown, unknown],
        wheres: [Located, Located],
      ): [ResolvedArgument, string, ResolvedArgument, string] | undefined => {
        const a = resolveArgument(base, prefixes[0], values[0], wheres[0], { defaults: true });
        const b = resolveArgument(head, prefixes[1], values[1], wheres[1], { defaults: true });
        const va = a && literalVersion(a.value);
        const vb = b && literalVersion(b.value);
        return a && b && va !== undefined && vb !== undefined ? [a, va, b, vb] : undefined;
      };
      const emit = (
        address: string,
        attribute: string,
        from: string,
        to: string,
        row: VersionAttribute,
        via: string,
        where: Located,
      ) => {
        const cmp = compareVersions(from, to);
        if (cmp === 0) return;
        const back = cmp < 0 ? rollbackWindow(row, from, to) : rollbackWindow(row, to, from);
        const data: VersionUpgradedData = { address, attribute, from, to, why: row.why, via };
        if (back)
          Object.assign(data, {
            window: back.window,
            windowDays: back.days,
            command: back.command,
            leaves: back.leaves,
          });
        report(
          back ? (cmp > 0 ? 'rolledBack' : 'windowed') : cmp > 0 ? 'downgraded' : 'upgraded',
          data,
          { file: where.file, line: where.line },
          { object: address },
        );
      };

      // A resource the same change replaces is created at the new version: no upgrade or downgrade of it.
      const replaced = replacedResources(unit);
      for (const after of head.resources.values()) {
        const row = versionAttribute(after.type);
        const before: TfResource | undefined = base.resources.get(after.address);
        if (!row || !before || before.type !== after.type || after.mode !== 'managed') continue;
        if (replaced.has(after.address)) continue;
        const at = (r: TfResource) => ({ file: r.file, line: r.argLines.get(row.attribute) ?? r.line });
        const r = both(
          [before.modulePrefix, after.modulePrefix],
          [before.args[row.attribute], after.args[row.attribute]],
          [at(before), at(after)],
        );
        if (!r) continue;
        const [, from, vb, to] = r;
        // Named after the outermost module input the value went through (what a caller edits), else the resource.
        const input = [...vb.steps].reverse().find((s) => s.kind === 'input');
        const address = input?.kind === 'input' ? input.call : after.address;
        const attribute = input?.kind === 'input' ? input.name : row.attribute;
        const key = `${address}\0${attribute}`;
        if (from === to || seen.has(key)) continue;
        seen.add(key);
        const outer = input ? vb.steps.slice(vb.steps.indexOf(input) + 1) : vb.steps;
        const parts = [
          ...(outer.length ? [`through ${outer.map(stepText).join(' -> ')}`] : []),
          ...(input ? [`feeds ${after.address}.${row.attribute}`] : []),
        ];
        emit(address, attribute, from, to, row, parts.length ? ` (${parts.join('; ')})` : '', vb);
      }

      // Settings that move one way.
      for (const after of head.resources.values()) {
        const before = base.resources.get(after.address);
        if (!before || before.type !== after.type || after.mode !== 'managed') continue;
        for (const row of oneWaySettings(after.type)) {
          if (instancesOf(base, before).state === 'off') continue;
          const b = settingOf(after, row);
          if (!b) continue; // not set at head: nothing is sent, the cluster keeps its mode
          const a = settingOf(before, row);
          const from = a ? argumentValue(base, before.modulePrefix, a.value, a.where) : row.unset;
          const to = argumentValue(head, after.modulePrefix, b.value, b.where);
          if (typeof from !== 'string' || typeof to !== 'string' || from === to) continue;
          const [i, j] = [row.order.indexOf(from), row.order.indexOf(to)];
          if (i < 0 || j < 0) continue;
          const key = `${after.address}\0${row.attribute}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const chain = resolveArgument(head, after.modulePrefix, b.value, b.where, { defaults: true });
          const via = [
            ...(a ? [] : [`${row.block ?? row.attribute} was not set: ${row.unset}`]),
            ...(chain?.steps.length ? [`through ${chain.steps.map(stepText).join(' -> ')}`] : []),
          ];
          const data = {
            address: after.address,
            attribute: row.block ? `${row.block}.${row.attribute}` : row.attribute,
            from,
            to,
            why: row.why,
            via: via.length ? ` (${via.join('; ')})` : '',
          };
          const where = chain?.steps.length ? { file: chain.file, line: chain.line } : b.where;
          // Several root configurations (examples calling the module) take the same step: one finding.
          const id = `${data.address}\0${data.attribute}\0${from}\0${to}\0${where.file}:${where.line}`;
          const seenStep = steps.get(id);
          if (seenStep) seenStep.roots.push(unit.dir || '.');
          else steps.set(id, { id: j > i ? 'oneWay' : 'oneWayBack', data, where, roots: [unit.dir || '.'] });
        }
      }

      // Registry modules known to pass a version input straight to the resource.
      for (const call of head.modules.values()) {
        if (call.dir !== undefined) continue;
        const known = versionInputs(call.source);
        const row = known && versionAttribute(known.type);
        const was = base.modules.get(call.address);
        if (!known || !row || !was) continue;
        for (const input of known.inputs) {
          if (seen.has(`${call.address}\0${input}`)) continue;
          const at = (c: TfModuleCall) => ({ file: c.file, line: c.argLines.get(input) ?? c.line });
          const r = both(
            [callerPrefix(was), callerPrefix(call)],
            [was.args[input], call.args[input]],
            [at(was), at(call)],
          );
          if (!r || r[1] === r[3]) continue;
          seen.add(`${call.address}\0${input}`);
          const through = r[2].steps.length ? `through ${r[2].steps.map(stepText).join(' -> ')}, ` : '';
          emit(
            call.address,
            input,
            r[1],
            r[3],
            row,
            ` (${through}${known.module} passes it to ${known.type}.${row.attribute})`,
            r[2],
          );
        }
      }
    }
    for (const { id, data, where, roots } of steps.values()) {
      const many = roots.length > 1 ? `; in ${roots.length} root configurations: ${roots.join(', ')}` : '';
      const via = many ? (data.via ? `${data.via.slice(0, -1)}${many})` : ` (${many.slice(2)})`) : data.via;
      report(id, { ...data, via }, { file: where.file, line: where.line }, { object: data.address });
    }
  },
});

/** The written value of a one-way setting on a resource and where it is; undefined when not set. */
function settingOf(r: TfResource, row: OneWaySetting): { value: unknown; where: Located } | undefined {
  const line = r.argLines.get(row.block ?? row.attribute) ?? r.line;
  let holder: unknown = r.args;
  if (row.block) {
    const b = r.args[row.block];
    holder = Array.isArray(b) ? b[0] : b;
  }
  if (typeof holder !== 'object' || holder === null) return undefined;
  const value = (holder as Record<string, unknown>)[row.attribute];
  return value === undefined ? undefined : { value, where: { file: r.file, line } };
}

function stepText(s: ResolveStep): string {
  return s.kind === 'local'
    ? `local.${s.name}`
    : s.kind === 'input'
      ? `${s.call}.${s.name}`
      : `var.${s.name} (default)`;
}
