import { ruleTable } from '../../../testing/rule-tester.js';
import { crd as surface } from '../index.js';
import { crd } from '../testing/fixtures.js';
import rule from './storage-version-changed.js';

ruleTable(surface, rule, {
  valid: [
    {
      name: 'same storage',
      before: crd([{ name: 'v1', storage: true }]),
      after: crd([{ name: 'v1', storage: true }, { name: 'v2' }]),
    },
  ],
  invalid: [
    {
      name: 'storage moved',
      before: crd([{ name: 'v1', storage: true }, { name: 'v2' }]),
      after: crd([{ name: 'v1' }, { name: 'v2', storage: true }]),
      errors: [{ messageId: 'changed', class: 'reversible-with-manual-repair', line: 23, message: /from v1 to v2/ }],
    },
  ],
});
