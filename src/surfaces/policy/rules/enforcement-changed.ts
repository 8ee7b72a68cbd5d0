import { defineToggleRule } from '../../../core/toggle.js';
import { at } from '../../../kube/model.js';
import { changedObjects, type ChangedObject, type ObjectsContext } from '../../../kube/objects.js';
import { enforcements, kindsText, type Enforcement } from '../model.js';

/** A finding's data: the policy rule (`unit`), its actions before and after, and the kinds it matches. */
export type EnforcementChangedData = { unit: string; from: string; to: string; kinds: string };

/** One enforcing unit (a Kyverno rule, a constraint, a binding) of a policy at both sides. */
interface Unit {
  before: Enforcement;
  after: Enforcement;
  change: ChangedObject;
}

/** The units of the policies the change modifies that exist at both sides. */
function units({ changes, before, after }: ObjectsContext): Unit[] {
  const out: Unit[] = [];
  for (const change of changedObjects(changes, { paired: true })) {
    const olds = new Map(enforcements(change.before!, before).map((e) => [e.key, e]));
    for (const e of enforcements(change.after, after)) {
      const o = olds.get(e.key);
      if (o) out.push({ before: o, after: e, change });
    }
  }
  return out;
}

export default defineToggleRule<ObjectsContext, 'tightened' | 'loosened', Unit, EnforcementChangedData>({
  id: 'enforcement-changed',
  surface: 'policy',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary:
      'A policy rule moves between enforcing and auditing (Kyverno failureAction, Gatekeeper enforcementAction, VAP binding validationActions).',
    rationale:
      "Tightening (Audit to Enforce, dryrun/warn to deny, Deny added to a binding) is reversible itself, but from then on the admission controller rejects any write that violates the rule, and that includes the rollback of other changes: an old manifest that predates the rule is denied when a revert re-applies it. rollwright records the kinds the rule covers as a rollback blocker for the incident decision (is the previous state still valid against today's admission policy?), and warns: other rollbacks work only while their old state still passes. The toggle itself is a guard rail: it deploys nothing and its revert turns it back, so its class is fully-reversible. Loosening (Enforce to Audit) is reversible but opens a compliance gap that needs security approval. Kyverno reads the per-rule `validate.failureAction` (1.13+) before the deprecated policy-wide `spec.validationFailureAction`; both default to Audit.",
    fix: 'Tighten after auditing: check the policy reports for existing violations first, and remember the rule when planning rollbacks of the kinds it covers. Loosen only with an approval and an expiry.',
    references: [
      'https://kyverno.io/docs/policy-types/cluster-policy/validate (failureAction)',
      'https://open-policy-agent.github.io/gatekeeper/website/docs/violations/ (enforcementAction)',
      'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#validation-actions',
    ],
  },
  messages: {
    tightened: {
      text: '{{unit}} now enforces ({{from}} → {{to}}): writes that violate it are denied, including rollbacks of {{kinds}} to a state that predates it',
      decision: { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
    },
    loosened: {
      text: '{{unit}} no longer enforces ({{from}} → {{to}}): violations are admitted; a compliance gap that needs security approval',
      class: 'fully-reversible',
    },
  },
  pairs: units,
  object: ({ change }) => change.id,
  switches: [
    {
      read: (e) => e.enforce,
      moves: { on: 'tightened', off: 'loosened' },
      data: ({ before, after }) => ({
        unit: after.key,
        from: before.action,
        to: after.action,
        kinds: kindsText(after.kinds),
      }),
      at: ({ change, after }) => at(change.after, after.path),
    },
  ],
});
