import { ruleTable } from '../../../testing/rule-tester.js';
import { crd as surface } from '../index.js';
import { crd } from '../testing/fixtures.js';
import rule from './served-version-removed.js';

const two = crd([{ name: 'v1alpha1' }, { name: 'v1', storage: true }]);

ruleTable(surface, rule, {
  valid: [
    {
      name: 'unchanged versions',
      before: two,
      after: two.replace('scope: Namespaced', 'scope: Namespaced\n  preserveUnknownFields: false'),
    },
    {
      name: 'a version already unserved removed',
      before: crd([
        { name: 'v1alpha1', served: false },
        { name: 'v1', storage: true },
      ]),
      after: crd([{ name: 'v1', storage: true }]),
    },
  ],
  invalid: [
    {
      name: 'served: false',
      before: { 'crds/widgets.yaml': two },
      after: {
        'crds/widgets.yaml': crd([
          { name: 'v1alpha1', served: false },
          { name: 'v1', storage: true },
        ]),
      },
      errors: [
        {
          messageId: 'unserved',
          class: 'reversible-with-compatibility-window',
          severity: 'error',
          file: 'crds/widgets.yaml',
          line: 11,
          object: 'apiextensions.k8s.io/CustomResourceDefinition//widgets.example.com',
          message: /example.com\/Widget: version v1alpha1/,
        },
      ],
    },
    {
      name: 'version removed',
      before: two,
      after: crd([{ name: 'v1', storage: true }]),
      errors: [{ messageId: 'removed', class: 'reversible-with-compatibility-window', line: 9 }],
    },
  ],
});
