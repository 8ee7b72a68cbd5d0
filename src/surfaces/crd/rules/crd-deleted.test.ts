import { ruleTable } from '../../../testing/rule-tester.js';
import { crd as surface } from '../index.js';
import { crd } from '../testing/fixtures.js';
import rule from './crd-deleted.js';

const one = crd([{ name: 'v1', storage: true }]);

ruleTable(surface, rule, {
  valid: [{ name: 'added', after: one }],
  invalid: [
    {
      name: 'deleted',
      before: one,
      after: {},
      errors: [
        {
          messageId: 'deleted',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 1,
          message: /every example.com\/Widget object/,
        },
      ],
    },
    {
      name: 'deleted from Git but kept',
      before: one.replace(
        '  name: widgets.example.com',
        '  name: widgets.example.com\n  annotations: {helm.sh/resource-policy: keep}',
      ),
      after: {},
      errors: [{ messageId: 'kept', class: 'fully-reversible' }],
    },
  ],
});
