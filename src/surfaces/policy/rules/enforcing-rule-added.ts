import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { enforcements, kindsText } from '../model.js';

/** A finding's data: the policy rule (`unit`), its action, and the kinds it matches. */
export type EnforcingRuleAddedData = { unit: string; action: string; kinds: string };

export default defineRule<ObjectsContext, 'added', EnforcingRuleAddedData>({
  id: 'enforcing-rule-added',
  surface: 'policy',
  class: 'fully-reversible',
  decision: { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
  severity: 'warning',
  docs: {
    summary: 'A new enforcing policy rule (validate or verifyImages), constraint or Deny binding is added.',
    rationale:
      'A new rule in Enforce (Kyverno), a constraint with `enforcementAction: deny` (Gatekeeper, the default), or a binding with `Deny` (ValidatingAdmissionPolicy) denies violating writes from the moment it is active, including the re-apply of an older manifest by a rollback. Existing objects are not touched until they are next written (Kyverno and Gatekeeper only report them, in background scans and audits). The change itself deploys nothing and its revert removes the rule, so its class is fully-reversible; the warning is for the rollbacks of other changes, and the kinds it covers are recorded as a rollback blocker for the incident decision. A Kyverno `verifyImages` rule in Enforce (the `failureAction` of its entry, 1.13+, else the policy-wide `validationFailureAction`; Audit by default) is an enforcing rule too: it denies Pods whose matching images carry no valid signature or attestation, so a rollback to an older, unsigned image is rejected; an entry with `required: false` denies nothing unsigned. A Kyverno rule renamed with the same `validate` (or `verifyImages`) and no new kinds is the same check, not a new one.',
    fix: 'Add new rules in Audit (dryrun, Warn) first, clear the reported violations, then enforce in a separate change.',
    references: [
      'https://kyverno.io/docs/policy-types/cluster-policy/validate',
      'https://kyverno.io/docs/policy-types/cluster-policy/verify-images',
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
      const was = c.before ? enforcements(c.before, before) : [];
      const olds = new Set(was.map((e) => e.key));
      const now = enforcements(c.after, after);
      const keys = new Set(now.map((e) => e.key));
      // Enforcing rules gone at head: one renamed keeps its check and covers no new kind.
      const gone = was.filter((e) => e.enforce && !keys.has(e.key) && e.check !== undefined);
      for (const e of now) {
        if (!e.enforce || olds.has(e.key)) continue;
        const renamed = gone.findIndex(
          (g) => g.check === e.check && e.kinds.length > 0 && e.kinds.every((k) => g.kinds.includes(k)),
        );
        if (renamed >= 0) {
          gone.splice(renamed, 1);
          continue;
        }
        report('added', { unit: e.key, action: e.action, kinds: kindsText(e.kinds) }, at(c.after, e.path), {
          object: c.id,
        });
      }
    }
  },
});
