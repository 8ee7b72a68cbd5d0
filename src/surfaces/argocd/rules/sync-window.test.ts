import { ruleTable } from '../../../testing/rule-tester.js';
import { argocd } from '../index.js';
import rule from './sync-window.js';

const project = (windows: string) => `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: prod
  namespace: argocd
spec:
  sourceRepos: ['*']
${windows}`;
const deny = `  syncWindows:
    - kind: deny
      schedule: '0 22 * * *'
      duration: 8h
      applications: ['*']
`;

ruleTable(argocd, rule, {
  valid: [
    { name: 'no windows', after: project('') },
    {
      name: 'unchanged window',
      before: project(deny),
      after: project(deny).replace("['*']\n", "['*']\n  description: x\n"),
    },
  ],
  invalid: [
    {
      name: 'a deny window without manual sync',
      before: project(''),
      after: project(deny),
      errors: [
        {
          messageId: 'blocking',
          class: 'fully-reversible',
          severity: 'warning',
          line: 9,
          object: 'argoproj.io/AppProject/argocd/prod',
        },
      ],
    },
    {
      name: 'a deny window with manual sync',
      after: project(deny.replace('duration: 8h', 'duration: 8h\n      manualSync: true')),
      errors: [{ messageId: 'manual', severity: 'info', line: 9 }],
    },
    {
      name: 'a window removed',
      before: project(deny),
      after: project('  syncWindows: []\n'),
      errors: [{ messageId: 'removed', line: 8 }],
    },
  ],
});
