import { ruleTable } from '../../../testing/rule-tester.js';
import { revert as surface } from '../index.js';
import { crd } from '../testing/fixtures.js';
import rule from './crd-version-reverted.js';

const widget = (v: string) =>
  `apiVersion: example.com/${v}\nkind: Widget\nmetadata: {name: w1, namespace: shop}\nspec: {size: small}\n`;

ruleTable(surface, rule, {
  valid: [
    {
      name: 'the revert adds a version back',
      before: crd([{ name: 'v1', storage: true }]),
      after: crd([{ name: 'v1', storage: true }, { name: 'v2' }]),
    },
    {
      name: 'an unserved version is removed',
      before: crd([
        { name: 'v1', storage: true },
        { name: 'v2', served: false },
      ]),
      after: crd([{ name: 'v1', storage: true }]),
    },
  ],
  invalid: [
    {
      name: 'v2 was the storage version: objects are stored at it',
      before: crd([{ name: 'v1' }, { name: 'v2', storage: true }]),
      after: crd([{ name: 'v1', storage: true }]),
      errors: [
        {
          messageId: 'storedVersion',
          class: 'forward-only',
          severity: 'error',
          message: /removes v2, the storage version.*status\.storedVersions.*migrated to v1/,
        },
      ],
    },
    {
      name: 'v2 was only served, and nothing uses it',
      before: crd([{ name: 'v1', storage: true }, { name: 'v2' }]),
      after: crd([{ name: 'v1', storage: true }]),
      errors: [{ messageId: 'notStored', class: 'reversible-with-compatibility-window', severity: 'warning' }],
    },
    {
      name: 'v2 was only served, and a manifest in the repository still uses it',
      before: crd([{ name: 'v1', storage: true }, { name: 'v2' }]),
      after: crd([{ name: 'v1', storage: true }]),
      unchanged: { 'apps/widget.yaml': widget('v2') },
      errors: [{ messageId: 'stillUsed', class: 'forward-only', message: /apps\/widget\.yaml/ }],
    },
    {
      name: 'v2 stays listed but is no longer served',
      before: crd([{ name: 'v1' }, { name: 'v2', storage: true }]),
      after: crd([
        { name: 'v1', storage: true },
        { name: 'v2', served: false },
      ]),
      errors: [{ messageId: 'storedVersion' }],
    },
  ],
});
