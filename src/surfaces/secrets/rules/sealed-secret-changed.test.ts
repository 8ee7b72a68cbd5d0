import { ruleTable } from '../../../testing/rule-tester.js';
import { secrets } from '../index.js';
import rule from './sealed-secret-changed.js';

const sealed = (pw: string, extra = '') => `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  encryptedData:
    password: ${pw}
${extra}  template: {metadata: {name: db}}
`;

ruleTable(secrets, rule, {
  valid: [
    { name: 'added', after: sealed('AgBy3i4OJSWK') },
    { name: 'a key added', before: sealed('AgBy3i4OJSWK'), after: sealed('AgBy3i4OJSWK', '    user: AgCz0\n') },
  ],
  invalid: [
    {
      name: 'rotated',
      before: sealed('AgBy3i4OJSWK'),
      after: sealed('AgXXnewsealed'),
      errors: [
        { messageId: 'rotated', class: 'reversible-with-compatibility-window', line: 5, message: /for password;/ },
      ],
    },
    {
      name: 'removed',
      before: sealed('AgBy3i4OJSWK'),
      after: {},
      errors: [{ messageId: 'removed', class: 'reversible-with-manual-repair' }],
    },
  ],
});
