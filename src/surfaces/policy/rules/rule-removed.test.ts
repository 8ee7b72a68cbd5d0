import { ruleTable } from '../../../testing/rule-tester.js';
import { policy } from '../index.js';
import { constraint, kyverno } from '../testing/fixtures.js';
import rule from './rule-removed.js';

ruleTable(policy, rule, {
  valid: [
    { name: 'a rule added', before: kyverno({ rule: 'Audit' }), after: kyverno({ rule: 'Audit', extraRule: true }) },
  ],
  invalid: [
    {
      name: 'an enforcing rule removed',
      before: kyverno({ rule: 'Audit', extraRule: true }),
      after: kyverno({ rule: 'Audit' }),
      errors: [
        {
          messageId: 'enforcing',
          class: 'fully-reversible',
          severity: 'warning',
          line: 5,
          message: /check-owner \(Enforce\)/,
        },
      ],
    },
    {
      name: 'a policy deleted',
      before: kyverno({ rule: 'Audit' }),
      after: {},
      errors: [{ messageId: 'auditing', severity: 'info', line: 1 }],
    },
    {
      name: 'a constraint deleted',
      before: constraint(),
      after: {},
      errors: [{ messageId: 'enforcing', message: /K8sRequiredLabels ns-must-have-owner \(deny\)/ }],
    },
  ],
});
