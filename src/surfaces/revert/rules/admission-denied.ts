import { defineRule } from '../../../core/rule.js';
import type { RevertContext } from '../model.js';

type MessageId = 'denied' | 'warned' | 'audited';

/** A ValidatingAdmissionPolicy of the repository rejects (or warns about) an object the revert writes. */
export default defineRule<RevertContext, MessageId>({
  id: 'admission-denied',
  surface: 'revert',
  class: 'forward-only',
  severity: 'error',
  docs: {
    summary:
      'A ValidatingAdmissionPolicy of the repository, through a binding, fails on an object the revert writes: Deny rejects it, Warn and Audit report it.',
    rationale:
      "Policy is state too: a rule added after the reverted change may deny the old manifests. A validation that evaluates to false is enforced by the binding's validationActions: Deny rejects the request (the revert does not apply), Warn returns a warning to the client, Audit records it in the audit log. If policy blocks the rollback, find out why before overriding it.",
    fix: 'Read the denied expression: fix the reverted object in the revert commit, or roll forward. Do not disable the policy to let a rollback through; a scoped exception with an expiry, approved, if anything.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/',
      'https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/validating-admission-policy-binding-v1/ (validationActions)',
    ],
  },
  messages: {
    denied: {
      text: '{{object}} ({{operation}}) is denied by ValidatingAdmissionPolicy {{policy}} through binding {{binding}} (Deny): {{message}} [{{expression}}]',
      decision: { effects: ['previous-invalid'] },
    },
    warned: {
      text: '{{object}} ({{operation}}) fails ValidatingAdmissionPolicy {{policy}} through binding {{binding}} (Warn: admitted with a warning): {{message}} [{{expression}}]',
      class: 'fully-reversible',
      severity: 'warning',
    },
    audited: {
      text: '{{object}} ({{operation}}) fails ValidatingAdmissionPolicy {{policy}} through binding {{binding}} (Audit: admitted, recorded in the audit log): {{message}} [{{expression}}]',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ admission, report }) {
    for (const r of admission.results) {
      if (r.verdict !== 'denied' && r.verdict !== 'warned' && r.verdict !== 'audited') continue;
      report(
        r.verdict,
        {
          object: r.object,
          operation: r.operation,
          policy: r.policy,
          binding: r.binding,
          message: r.message ?? '',
          expression: r.expression ?? '',
        },
        { file: r.objectFile, line: r.objectLine },
        { object: r.object },
      );
    }
  },
});
