import { defineRule } from '../../../core/rule.js';
import { at, deepEqual, describeObject, get, isObject } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { expiryOf } from '../model.js';

/** A finding's data: the exception object, and the rules it exempts from. */
export type PolicyExceptionData = { object: string; rules?: string };

export default defineRule<ObjectsContext, 'added' | 'noExpiry', PolicyExceptionData>({
  id: 'policy-exception',
  surface: 'policy',
  class: 'fully-reversible',
  decision: { playbook: 'bad-policy-rule', effects: [] },
  severity: 'warning',
  smell: ['noExpiry'],
  docs: {
    summary: 'A Kyverno PolicyException is added or widened; flagged again when it has no expiry.',
    rationale:
      "A PolicyException lets matching resources bypass named policy rules: a loosening, reversible by deleting it, but a compliance gap that needs security approval while it exists. Kyverno has no expiry field on exceptions: without a `cleanup.kyverno.io/ttl` label (deleted by Kyverno's cleanup controller) or an agreed expiry annotation, a temporary exception becomes permanent (a policy exception without expiry is a rollback smell).",
    fix: 'Scope the exception to named resources, and give it `cleanup.kyverno.io/ttl: <duration>` or an expiry annotation your process enforces.',
    references: [
      'https://kyverno.io/docs/exceptions',
      'https://kyverno.io/docs/policy-types/cleanup-policy/ (cleanup.kyverno.io/ttl)',
    ],
  },
  messages: {
    added: '{{object}} lets matching resources bypass {{rules}}: a compliance gap that needs security approval',
    noExpiry:
      '{{object}} has no expiry (no cleanup.kyverno.io/ttl label or expiry annotation): the bypass stays until someone removes it',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (c.kind !== 'PolicyException' || !c.after || !c.bodyChanged) continue;
      const ex = get(c.after.body, ['spec', 'exceptions']);
      if (
        c.before &&
        deepEqual(ex, get(c.before.body, ['spec', 'exceptions'])) &&
        deepEqual(get(c.after.body, ['spec', 'match']), get(c.before.body, ['spec', 'match'])) &&
        expiryOf(c.before) === expiryOf(c.after)
      )
        continue;
      const rules = Array.isArray(ex)
        ? ex
            .flatMap((e) =>
              isObject(e)
                ? [`${String(e.policyName)} (${Array.isArray(e.ruleNames) ? e.ruleNames.join(', ') : 'all rules'})`]
                : [],
            )
            .join('; ')
        : 'its policies';
      const object = describeObject(c.after);
      report('added', { object, rules }, at(c.after, ['spec', 'exceptions']), { object: c.id });
      if (!expiryOf(c.after)) report('noExpiry', { object }, at(c.after, ['metadata']), { object: c.id });
    }
  },
});
