import { ruleTable } from '../../../testing/rule-tester.js';
import { argocd } from '../index.js';
import { app } from '../testing/fixtures.js';
import rule from './auto-prune.js';

const prune = '  syncPolicy:\n    automated:\n      prune: true\n';
const noPrune = '  syncPolicy:\n    automated: {}\n';

ruleTable(argocd, rule, {
  valid: [
    { name: 'automated without prune', after: app({ syncPolicy: noPrune }) },
    {
      name: 'prune already on',
      before: app({ syncPolicy: prune }),
      after: app({ syncPolicy: prune }).replace('v1.2.0', 'v1.3.0'),
    },
    {
      name: 'prune with automation disabled',
      after: app({ syncPolicy: '  syncPolicy:\n    automated:\n      enabled: false\n      prune: true\n' }),
    },
  ],
  invalid: [
    {
      name: 'prune turned on',
      before: app({ syncPolicy: noPrune }),
      after: app({ syncPolicy: prune }),
      errors: [
        {
          messageId: 'turnedOn',
          class: 'fully-reversible',
          severity: 'warning',
          line: 17,
          object: 'argoproj.io/Application/argocd/shop',
        },
      ],
    },
    {
      name: 'Application added with prune',
      after: app({ syncPolicy: prune }),
      errors: [{ messageId: 'added', severity: 'info', line: 17 }],
    },
  ],
});
