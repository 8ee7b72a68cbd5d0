import { ruleTable } from '../../../testing/rule-tester.js';
import { revert as surface } from '../index.js';
import { crd, deployment } from '../testing/fixtures.js';
import rule from './schema-invalid.js';

const widget = (spec: string) =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: shop}\nspec: ${spec}\n`;

ruleTable(surface, rule, {
  valid: [
    { name: 'a valid Deployment', before: deployment({ replicas: 2 }), after: deployment({ replicas: 3 }) },
    {
      name: 'a custom resource valid against its CRD in the repository',
      before: { 'apps/w.yaml': widget('{size: large}') },
      after: { 'apps/w.yaml': widget('{size: small}') },
      unchanged: { 'crds/widgets.yaml': crd([{ name: 'v1', storage: true }]) },
    },
  ],
  invalid: [
    {
      name: 'replicas written as a string (an old manifest)',
      before: deployment({ replicas: 2 }),
      after: deployment({ replicas: 'two' }),
      errors: [
        {
          messageId: 'invalid',
          class: 'forward-only',
          severity: 'error',
          message: /Kubernetes 1\.36, target 1\.34\): \/spec\/replicas must be integer/,
        },
      ],
    },
    {
      name: 'a custom resource outside its CRD enum',
      before: { 'apps/w.yaml': widget('{size: large}') },
      after: { 'apps/w.yaml': widget('{size: huge}') },
      unchanged: { 'crds/widgets.yaml': crd([{ name: 'v1', storage: true }]) },
      errors: [{ messageId: 'invalid', message: /\/spec\/size must be one of "small", "large"/ }],
    },
    {
      name: 'a custom resource without its CRD is skipped, and says so',
      before: { 'apps/w.yaml': widget('{size: large}') },
      after: { 'apps/w.yaml': widget('{size: small}') },
      errors: [
        { messageId: 'skipped', severity: 'info', message: /no CustomResourceDefinition for example\.com\/Widget/ },
      ],
    },
  ],
});
