import { ruleTable } from '../../../testing/rule-tester.js';
import { argocd } from '../index.js';
import { app } from '../testing/fixtures.js';
import rule from './self-heal.js';

const heal = '  syncPolicy:\n    automated:\n      prune: true\n      selfHeal: true\n';
const noHeal = '  syncPolicy:\n    automated:\n      prune: true\n';

ruleTable(argocd, rule, {
  valid: [
    { name: 'manual sync', after: app({}) },
    { name: 'automated without selfHeal', after: app({ syncPolicy: noHeal }) },
    { name: 'unchanged application', before: app({ syncPolicy: heal }), after: app({ syncPolicy: heal }) },
    {
      name: 'automation turned off with enabled: false (Argo CD 3.x)',
      after: app({ syncPolicy: '  syncPolicy:\n    automated:\n      enabled: false\n      selfHeal: true\n' }),
    },
    { name: 'an Application deleted', before: app({ syncPolicy: heal }), after: {} },
  ],
  invalid: [
    {
      name: 'an Application added with selfHeal',
      after: { 'apps/shop.yaml': app({ syncPolicy: heal }) },
      errors: [
        {
          messageId: 'selfHeal',
          class: 'fully-reversible',
          severity: 'info',
          file: 'apps/shop.yaml',
          line: 18,
          object: 'argoproj.io/Application/argocd/shop',
          message: /argocd app set shop --sync-policy none/,
        },
      ],
    },
    {
      name: 'selfHeal turned on',
      before: app({ syncPolicy: noHeal }),
      after: app({ syncPolicy: heal }),
      errors: [{ messageId: 'turnedOn', severity: 'info', class: 'fully-reversible', line: 18 }],
    },
    {
      name: 'another field of a self-healing Application changes',
      before: app({ syncPolicy: heal }),
      after: app({ syncPolicy: heal }).replace('v1.2.0', 'v1.3.0'),
      errors: [{ messageId: 'selfHeal', line: 18 }],
    },
    {
      name: 'an ApplicationSet template with selfHeal',
      after: `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: shops, namespace: argocd}
spec:
  generators: [{list: {elements: [{cluster: prod}]}}]
  template:
    metadata: {name: 'shop-{{cluster}}'}
    spec:
      project: default
      source: {repoURL: https://git.example.com/shop.git, path: clusters/prod, targetRevision: v1}
      destination: {server: https://kubernetes.default.svc, namespace: shop}
      syncPolicy:
        automated: {selfHeal: true}
`,
      errors: [{ messageId: 'selfHeal', line: 13, object: 'argoproj.io/ApplicationSet/argocd/shops' }],
    },
  ],
});
