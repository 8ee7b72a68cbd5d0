import { ruleTable } from '../../../testing/rule-tester.js';
import { argocd } from '../index.js';
import { app } from '../testing/fixtures.js';
import rule from './application-deleted.js';

const appSet = (preserve: boolean) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: shops, namespace: argocd}
spec:
  generators: [{list: {elements: [{cluster: prod}]}}]
${preserve ? '  syncPolicy: {preserveResourcesOnDeletion: true}\n' : ''}  template:
    metadata: {name: 'shop-{{cluster}}'}
    spec: {project: default}
`;

ruleTable(argocd, rule, {
  valid: [
    { name: 'Application added', after: app({ finalizers: true }) },
    {
      name: 'Application changed',
      before: app({ finalizers: true }),
      after: app({ finalizers: true }).replace('v1.2.0', 'v2'),
    },
  ],
  invalid: [
    {
      name: 'cascading delete',
      before: { 'apps/shop.yaml': app({ finalizers: true }) },
      after: {},
      errors: [
        {
          messageId: 'cascade',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          file: 'apps/shop.yaml',
          line: 6,
        },
      ],
    },
    {
      name: 'delete without the finalizer',
      before: app({}),
      after: {},
      errors: [{ messageId: 'orphan', class: 'fully-reversible', line: 1 }],
    },
    {
      name: 'ApplicationSet deleted',
      before: appSet(false),
      after: {},
      errors: [{ messageId: 'appSet', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'ApplicationSet deleted, resources preserved',
      before: appSet(true),
      after: {},
      errors: [{ messageId: 'appSetPreserved', class: 'fully-reversible' }],
    },
  ],
});
