import { defineRule } from '../../../core/rule.js';
import { at, current } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { enforcements } from '../model.js';

/** A finding's data: the policy rule (`unit`) and the action it had. */
export type RuleRemovedData = { unit: string; action: string };

export default defineRule<ObjectsContext, 'enforcing' | 'auditing', RuleRemovedData>({
  id: 'rule-removed',
  surface: 'policy',
  class: 'fully-reversible',
  decision: { playbook: 'bad-policy-rule', effects: [] },
  severity: 'warning',
  docs: {
    summary: 'A policy rule, policy, constraint or binding is removed.',
    rationale:
      'Removing an enforcing rule is a loosening: writes it denied are admitted from now on. Re-adding it restores enforcement for new writes, but whatever was admitted in between stays in the cluster until fixed. A compliance gap that needs security approval; an auditing rule removed only loses reporting.',
    fix: 'Prefer a scoped exception with an expiry over removing a rule; keep the regression test for the denied input.',
    references: [
      'https://kyverno.io/docs/exceptions',
      'https://open-policy-agent.github.io/gatekeeper/website/docs/violations/',
    ],
  },
  messages: {
    enforcing:
      '{{unit}} ({{action}}) is removed: what it denied is admitted from now on; a compliance gap that needs security approval',
    auditing: { text: '{{unit}} ({{action}}) is removed: its violations are no longer reported', severity: 'info' },
  },
  check({ changes, before, after, report }) {
    for (const c of changes) {
      if (!c.before || !c.bodyChanged) continue;
      const now = new Set((c.after ? enforcements(c.after, after) : []).map((e) => e.key));
      const where = c.after ? at(c.after, ['spec']) : at(current(c));
      for (const e of enforcements(c.before, before)) {
        if (now.has(e.key)) continue;
        report(e.enforce ? 'enforcing' : 'auditing', { unit: e.key, action: e.action }, where, { object: c.id });
      }
    }
  },
});
