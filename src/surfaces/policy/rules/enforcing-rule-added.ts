import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { enforcements, kindsText } from '../model.js';

/** A finding's data: the policy rule (`unit`), its action, and the kinds it matches. */
export type EnforcingRuleAddedData = { unit: string; action: string; kinds: string };

export default defineRule<ObjectsContext, 'added', EnforcingRuleAddedData>({
  id: 'enforcing-rule-added',
  surface: 'policy',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
  severity: 'warning',
  docs: {
    summary: 'A new enforcing policy rule, constraint or Deny binding is added.',
    rationale:
      'A new rule in Enforce (Kyverno), a constraint with `enforcementAction: deny` (Gatekeeper, the default), or a binding with `Deny` (ValidatingAdmissionPolicy) denies violating writes from the moment it is active, including the re-apply of an older manifest by a rollback. Existing objects are not touched until they are next written. Recorded as a rollback blocker for the kinds it covers.',
    fix: 'Add new rules in Audit (dryrun, Warn) first, clear the reported violations, then enforce in a separate change.',
    references: [
      'https://kyverno.io/docs/policy-types/cluster-policy/validate',
      'https://open-policy-agent.github.io/gatekeeper/website/docs/violations/',
      'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/',
    ],
  },
  messages: {
    added:
      '{{unit}} is added and enforces ({{action}}): writes of {{kinds}} that violate it are denied, rollbacks to older manifests included',
  },
  check({ changes, before, after, report }) {
    for (const c of changes) {
      if (!c.after || !c.bodyChanged) continue;
      const olds = new Set((c.before ? enforcements(c.before, before) : []).map((e) => e.key));
      for (const e of enforcements(c.after, after)) {
        if (!e.enforce || olds.has(e.key)) continue;
        report('added', { unit: e.key, action: e.action, kinds: kindsText(e.kinds) }, at(c.after, e.path), {
          object: c.id,
        });
      }
    }
  },
});
