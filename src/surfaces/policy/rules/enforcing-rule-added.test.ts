import { ruleTable } from '../../../testing/rule-tester.js';
import { policy } from '../index.js';
import { constraint, kyverno } from '../testing/fixtures.js';
import rule from './enforcing-rule-added.js';

ruleTable(policy, rule, {
  valid: [
    { name: 'a new policy in Audit', after: kyverno({}) },
    { name: 'a new dryrun constraint', after: constraint('dryrun') },
    {
      name: 'unchanged enforcing rule',
      before: kyverno({ rule: 'Enforce' }),
      after: kyverno({ rule: 'Enforce' }).replace('background: true', 'background: false'),
    },
  ],
  invalid: [
    {
      name: 'a new enforcing policy',
      after: kyverno({ rule: 'Enforce' }),
      errors: [{ messageId: 'added', class: 'reversible-with-compatibility-window', line: 14 }],
    },
    {
      name: 'a rule added to an existing policy',
      before: kyverno({ rule: 'Audit' }),
      after: kyverno({ rule: 'Audit', extraRule: true }),
      errors: [{ messageId: 'added', line: 26, message: /check-owner.*writes of Service/ }],
    },
    { name: 'a new constraint (deny by default)', after: constraint(), errors: [{ messageId: 'added', line: 5 }] },
  ],
});
