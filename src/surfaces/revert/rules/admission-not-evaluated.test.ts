import { ruleTable } from '../../../testing/rule-tester.js';
import { revert as surface } from '../index.js';
import { deployment, replicaPolicy } from '../testing/fixtures.js';
import rule from './admission-not-evaluated.js';

ruleTable(surface, rule, {
  valid: [
    {
      name: 'an expression in standard CEL is evaluated',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 9 }),
      unchanged: { 'policy/cap.yaml': replicaPolicy(5) },
    },
  ],
  invalid: [
    {
      name: 'a Kubernetes CEL library function under Deny',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 2 }),
      unchanged: {
        'policy/cap.yaml': replicaPolicy(5, ['Deny'], "quantity('1Gi').isGreaterThan(quantity('1Mi'))"),
      },
      errors: [
        {
          messageId: 'notEvaluatedDeny',
          severity: 'error',
          class: 'reversible-with-manual-repair',
          message: /could not be evaluated, so it may deny the revert: uses a function this evaluator does not have/,
        },
      ],
    },
    {
      name: 'an expression that does not compile, under Warn',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 2 }),
      unchanged: { 'policy/cap.yaml': replicaPolicy(5, ['Warn'], 'object.spec.replicas <=') },
      errors: [{ messageId: 'notEvaluated', severity: 'warning', message: /does not compile/ }],
    },
  ],
});
