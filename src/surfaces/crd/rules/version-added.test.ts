import { ruleTable } from '../../../testing/rule-tester.js';
import { crd as surface } from '../index.js';
import { crd } from '../testing/fixtures.js';
import rule from './version-added.js';

ruleTable(surface, rule, {
  valid: [
    {
      name: 'unchanged',
      before: crd([{ name: 'v1', storage: true }]),
      after: crd([{ name: 'v1', storage: true }]).replace('scope', 'preserveUnknownFields: false\n  scope'),
    },
    {
      name: 'a new unserved version',
      before: crd([{ name: 'v1', storage: true }]),
      after: crd([
        { name: 'v1', storage: true },
        { name: 'v2', served: false },
      ]),
    },
  ],
  invalid: [
    {
      name: 'v2 added beside v1',
      before: crd([{ name: 'v1', storage: true }]),
      after: crd([{ name: 'v1', storage: true }, { name: 'v2' }]),
      errors: [
        {
          messageId: 'added',
          class: 'fully-reversible',
          severity: 'info',
          line: 21,
          message: /v1 stay served and storage stays v1/,
        },
      ],
    },
    {
      name: 'v2 added as the storage version',
      before: crd([{ name: 'v1', storage: true }]),
      after: crd([{ name: 'v1' }, { name: 'v2', storage: true }]),
      errors: [{ messageId: 'addedWithStorage', class: 'reversible-with-manual-repair', line: 21 }],
    },
  ],
});
