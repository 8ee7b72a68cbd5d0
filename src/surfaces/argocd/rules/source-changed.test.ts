import { ruleTable } from '../../../testing/rule-tester.js';
import { argocd } from '../index.js';
import { app } from '../testing/fixtures.js';
import rule from './source-changed.js';

const src = (path: string, rev = 'v1.2.0') =>
  `    repoURL: https://git.example.com/shop.git\n    path: ${path}\n    targetRevision: ${rev}`;
const prune = '  syncPolicy:\n    automated:\n      prune: true\n';

ruleTable(argocd, rule, {
  valid: [
    { name: 'Application added', after: app({}) },
    { name: 'Application removed', before: app({}), after: {} },
    { name: 'a change outside the source', before: app({}), after: app({ syncPolicy: prune }) },
  ],
  invalid: [
    {
      name: 'a new revision',
      before: app({ source: src('clusters/prod') }),
      after: app({ source: src('clusters/prod', 'v1.3.0') }),
      errors: [{ messageId: 'revision', class: 'fully-reversible', line: 11, message: /from v1.2.0 to v1.3.0/ }],
    },
    {
      name: 'a new path without prune',
      before: app({ source: src('clusters/prod') }),
      after: app({ source: src('clusters/prod-v2') }),
      errors: [{ messageId: 'replaced', class: 'fully-reversible', severity: 'warning', line: 8 }],
    },
    {
      name: 'a new path with automated prune',
      before: app({ source: src('clusters/prod'), syncPolicy: prune }),
      after: app({ source: src('clusters/prod-v2'), syncPolicy: prune }),
      errors: [
        {
          messageId: 'replacedPrune',
          class: 'reversible-with-manual-repair',
          line: 8,
          object: 'argoproj.io/Application/argocd/shop',
        },
      ],
    },
  ],
});
