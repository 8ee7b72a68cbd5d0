import { ruleTable } from '../../../testing/rule-tester.js';
import { crd as surface } from '../index.js';
import { crd } from '../testing/fixtures.js';
import rule from './crd-without-versions.js';

ruleTable(surface, rule, {
  valid: [{ name: 'one storage version', after: crd([{ name: 'v1', storage: true }, { name: 'v2' }]) }],
  invalid: [
    {
      name: 'no versions',
      after: {
        'crds/w.yaml':
          'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n',
      },
      errors: [
        {
          messageId: 'missing',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          file: 'crds/w.yaml',
          line: 4,
        },
      ],
    },
    {
      name: 'two storage versions',
      after: crd([
        { name: 'v1', storage: true },
        { name: 'v2', storage: true },
      ]),
      errors: [{ messageId: 'noStorage', line: 9, message: /has 2 storage versions/ }],
    },
  ],
});
