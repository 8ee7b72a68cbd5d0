import { defineRule } from '../../../core/rule.js';
import type { RevertContext } from '../model.js';

type MessageId = 'notEvaluated' | 'notEvaluatedDeny';

/** A policy expression rollwright could not evaluate: never a silent pass. */
export default defineRule<RevertContext, MessageId>({
  id: 'admission-not-evaluated',
  surface: 'revert',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'A ValidatingAdmissionPolicy expression that applies to an object the revert writes could not be evaluated (it does not compile, or it calls a Kubernetes CEL library function the evaluator lacks).',
    rationale:
      'Unknown is never safe: an expression that was not evaluated may deny the revert in the cluster. rollwright evaluates CEL with @marcbachmann/cel-js, which has the CEL standard library but not the Kubernetes extensions (quantity, url, ip, cidr, lists, regex, authorizer); such a policy is reported, not passed. Under a Deny binding it is held as an error.',
    fix: 'Check the object against the policy on a cluster (`kubectl apply --dry-run=server`) before applying the revert, or rewrite the expression with standard CEL.',
    references: ['https://kubernetes.io/docs/reference/using-api/cel/ (Kubernetes CEL libraries)'],
  },
  messages: {
    notEvaluated:
      '{{object}} ({{operation}}): ValidatingAdmissionPolicy {{policy}} (binding {{binding}}, {{actions}}) could not be evaluated: {{message}} [{{expression}}]',
    notEvaluatedDeny: {
      text: '{{object}} ({{operation}}): ValidatingAdmissionPolicy {{policy}} (binding {{binding}}, Deny) could not be evaluated, so it may deny the revert: {{message}} [{{expression}}]',
      severity: 'error',
    },
  },
  check({ admission, report }) {
    for (const r of admission.results) {
      if (r.verdict !== 'not-evaluated') continue;
      report(
        r.actions.includes('Deny') ? 'notEvaluatedDeny' : 'notEvaluated',
        {
          object: r.object,
          operation: r.operation,
          policy: r.policy,
          binding: r.binding,
          actions: r.actions.join(', ') || 'no actions',
          message: r.message ?? '',
          expression: r.expression ?? '',
        },
        { file: r.objectFile, line: r.objectLine },
        { object: r.object },
      );
    }
  },
});
