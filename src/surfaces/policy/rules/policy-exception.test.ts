import { ruleTable } from '../../../testing/rule-tester.js';
import { policy } from '../index.js';
import rule from './policy-exception.js';

const exception = (labels = '') => `apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: legacy-batch
  namespace: batch
${labels}spec:
  exceptions:
    - policyName: require-team-label
      ruleNames: [check-team]
  match:
    any:
      - resources: {kinds: [Deployment], names: [legacy-*]}
`;
const ttl = '  labels:\n    cleanup.kyverno.io/ttl: 168h\n';

ruleTable(policy, rule, {
  valid: [
    {
      name: 'unchanged exception',
      before: exception(ttl),
      after: exception(ttl).replace('legacy-batch\n', 'legacy-batch\n  annotations: {note: x}\n'),
    },
  ],
  invalid: [
    {
      name: 'an exception without expiry',
      after: { 'policies/exception.yaml': exception() },
      errors: [
        { messageId: 'noExpiry', line: 3 },
        {
          messageId: 'added',
          class: 'fully-reversible',
          severity: 'warning',
          line: 7,
          message: /bypass require-team-label \(check-team\)/,
        },
      ],
    },
    { name: 'an exception with a TTL', after: exception(ttl), errors: [{ messageId: 'added' }] },
  ],
});
