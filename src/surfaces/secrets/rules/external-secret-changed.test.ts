import { ruleTable } from '../../../testing/rule-tester.js';
import { secrets } from '../index.js';
import { externalSecret } from '../testing/fixtures.js';
import rule from './external-secret-changed.js';

ruleTable(secrets, rule, {
  valid: [
    { name: 'added', after: externalSecret('3') },
    { name: 'refresh interval changes', before: externalSecret('3'), after: externalSecret('3').replace('1h', '30m') },
    { name: 'removed but orphaned', before: externalSecret('3', '    creationPolicy: Orphan\n'), after: {} },
  ],
  invalid: [
    {
      name: 'version rotated',
      before: externalSecret('3'),
      after: externalSecret('4'),
      errors: [
        {
          messageId: 'rotated',
          class: 'reversible-with-compatibility-window',
          line: 13,
          object: 'external-secrets.io/ExternalSecret/shop/db',
          message: /password reads version 4 of shop\/db instead of 3/,
        },
      ],
    },
    {
      name: 'remote key changed',
      before: externalSecret('3'),
      after: externalSecret('3').replace('shop/db', 'shop/db-v2'),
      errors: [{ messageId: 'repointed', line: 14 }],
    },
    {
      name: 'deletionPolicy Delete',
      before: externalSecret('3'),
      after: externalSecret('3', '    deletionPolicy: Delete\n'),
      errors: [{ messageId: 'deletionPolicy', line: 11 }],
    },
    {
      name: 'removed with its Secret',
      before: externalSecret('3'),
      after: {},
      errors: [
        {
          messageId: 'removed',
          class: 'fully-reversible',
          severity: 'warning',
          message: /\(db-credentials\).*syncs the Secret again/,
        },
      ],
    },
  ],
});
