import { loadSemver } from '../../../core/semver.js';
import { defineRule } from '../../../core/rule.js';
import { attributeReader } from '../plan/describe.js';
import type { PlanContext } from '../plan/model.js';
import { ROLLED_BACK, rollbackWindow, versionAttribute } from '../data/version-attributes.js';

/** An in-place engine or control-plane version change of a managed service that has no way back. */
export default defineRule<PlanContext, 'upgraded' | 'downgraded' | 'windowed' | 'rolledBack'>({
  id: 'plan-version-upgraded',
  surface: 'terraform',
  class: 'forward-only',
  decision: { playbook: 'bad-iac-module', effects: ['previous-invalid', 'data-surface'] },
  severity: 'warning',
  docs: {
    summary:
      'The plan changes the engine or control-plane version of a managed database, cache, broker, search or Kubernetes service in place.',
    rationale:
      "These services upgrade in place and do not downgrade: reverting the version in the configuration makes the next apply fail (or, for some, plan a replacement, which destroys the data). The way back is a restore of a backup taken before the upgrade, into a new instance. Amazon EKS is the exception: an in-place control-plane upgrade of one minor version can be rolled back to the previous minor version within 7 days (`aws eks update-cluster-version --name <cluster> --kubernetes-version <previous>`, the same UpdateClusterVersion request the AWS provider sends when `version` is lowered), keeping etcd data and workloads; managed node groups, self-managed nodes and add-ons are the user's to roll back, first. That update is reversible-with-compatibility-window with its window (`7d`) in the finding; more than one minor version, or past the 7 days, stays forward-only. The typed table in version-attributes.ts names the attribute and the reason for each type.",
    fix: 'Take and verify a snapshot right before the apply; rehearse the upgrade on a restored copy; treat the change as forward-only in its declaration.',
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/rollback-cluster.html',
      'https://docs.aws.amazon.com/eks/latest/best-practices/rollback-cluster-upgrades.html',
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html',
      'https://cloud.google.com/sql/docs/postgres/upgrade-major-db-version-inplace',
      'https://learn.microsoft.com/azure/aks/upgrade-cluster',
    ],
  },
  messages: {
    upgraded: '{{address}}: {{attribute}} {{from}} -> {{to}} in place: {{why}}',
    downgraded: {
      text: '{{address}}: {{attribute}} {{from}} -> {{to}} is a downgrade: {{why}}, so expect the apply to fail',
      severity: 'error',
    },
    rolledBack: ROLLED_BACK,
    windowed: {
      text: '{{address}}: {{attribute}} {{from}} -> {{to}} in place, one minor version: reversible for {{window}} after the upgrade: `{{command}}` ({{leaves}}); after {{window}} it is forward-only',
      class: 'reversible-with-compatibility-window',
      decision: { effects: ['data-surface'] },
    },
  },
  async check({ plan, at, report }) {
    const semver = await loadSemver();
    for (const c of plan.changes) {
      if (c.actions.length !== 1 || c.actions[0] !== 'update') continue;
      const row = versionAttribute(c.type);
      if (!row) continue;
      const from = attributeReader(c.values, 'before')(row.attribute);
      const to = attributeReader(c.values, 'after')(row.attribute);
      if (typeof from !== 'string' || typeof to !== 'string' || from === to || to === '') continue;
      const a = semver.coerce(from);
      const b = semver.coerce(to);
      const down = a && b ? semver.lt(b, a) : false;
      const back = down ? rollbackWindow(row, to, from) : rollbackWindow(row, from, to);
      report(
        back ? (down ? 'rolledBack' : 'windowed') : down ? 'downgraded' : 'upgraded',
        {
          address: c.address,
          attribute: row.attribute,
          from,
          to,
          why: row.why,
          ...(back ? { window: back.window, windowDays: back.days, command: back.command, leaves: back.leaves } : {}),
        },
        at(c),
        {
          object: c.address,
        },
      );
    }
  },
});
