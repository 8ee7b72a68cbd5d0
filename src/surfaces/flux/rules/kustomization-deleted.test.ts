import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import rule from './kustomization-deleted.js';

const ks = (name: string, path: string, prune: boolean, source = 'flux-system'): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: ${prune}
  sourceRef:
    kind: GitRepository
    name: ${source}
`;

const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: wiki-data
  namespace: wiki
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 10Gi
`;
const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: wiki
  namespace: wiki
spec:
  selector:
    matchLabels: {app: wiki}
  template:
    metadata:
      labels: {app: wiki}
    spec:
      containers:
        - name: wiki
          image: wiki@sha256:${'a'.repeat(64)}
`;
const wikiApp = {
  'apps/wiki/kustomization.yaml': 'resources:\n  - pvc.yaml\n  - deploy.yaml\n',
  'apps/wiki/pvc.yaml': pvc,
  'apps/wiki/deploy.yaml': deploy,
};
const statelessApp = {
  'apps/web/deploy.yaml': deploy,
};

ruleTable(flux, rule, {
  valid: [
    {
      name: 'deleted with prune: false (its objects stay, unmanaged)',
      before: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', false) },
      after: {},
      unchanged: wikiApp,
    },
    {
      name: 'pruning Kustomization kept, its interval changed',
      before: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true) },
      after: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true).replace('10m', '5m') },
      unchanged: wikiApp,
    },
    {
      name: 'moved to another file unchanged (same object)',
      before: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true) },
      after: { 'clusters/prod/apps/wiki.yaml': ks('wiki', './apps/wiki', true) },
      unchanged: wikiApp,
    },
  ],
  invalid: [
    {
      name: 'deleted: its path holds a PVC',
      before: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true) },
      after: {},
      unchanged: wikiApp,
      errors: [
        {
          messageId: 'destroys',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 9,
          message: /PersistentVolumeClaim wiki\/wiki-data \(apps\/wiki\/pvc\.yaml\)/,
        },
      ],
    },
    {
      name: 'renamed: a delete of the old name',
      before: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true) },
      after: { 'clusters/prod/wiki.yaml': ks('knowledge-base', './apps/wiki', true) },
      unchanged: wikiApp,
      errors: [{ messageId: 'destroys', class: 'non-recoverable-without-restore', message: /renamed to knowledge-base/ }],
    },
    {
      name: 'commented out',
      before: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true) },
      after: {
        'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true)
          .split('\n')
          .map((l) => (l ? `# ${l}` : l))
          .join('\n'),
      },
      unchanged: wikiApp,
      errors: [{ messageId: 'destroys', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'a plain directory without kustomization.yaml: every manifest below it is read',
      before: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true) },
      after: {},
      unchanged: { 'apps/wiki/data/pvc.yaml': pvc, 'apps/wiki/deploy.yaml': deploy },
      errors: [{ messageId: 'destroys', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'a nested pruning Kustomization is followed to its own path',
      before: { 'clusters/prod/apps.yaml': ks('apps', './clusters/prod/apps', true) },
      after: {},
      unchanged: { 'clusters/prod/apps/wiki.yaml': ks('wiki', './apps/wiki', true), ...wikiApp },
      errors: [{ messageId: 'destroys', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'only stateless objects: the revert re-applies them',
      before: { 'clusters/prod/web.yaml': ks('web', './apps/web', true) },
      after: {},
      unchanged: statelessApp,
      errors: [{ messageId: 'stateless', class: 'fully-reversible', severity: 'warning', message: /1 objects/ }],
    },
    {
      name: 'a PVC protected by prune: disabled is kept',
      before: { 'clusters/prod/wiki.yaml': ks('wiki', './apps/wiki', true) },
      after: {},
      unchanged: {
        'apps/wiki/pvc.yaml': pvc.replace(
          '  namespace: wiki\n',
          '  namespace: wiki\n  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n',
        ),
      },
      errors: [{ messageId: 'stateless', class: 'fully-reversible' }],
    },
    {
      name: 'its path is not in this repository: held, not assessed',
      before: { 'clusters/prod/tenant.yaml': ks('tenant', './deploy/prod', true, 'tenant-repo') },
      after: {},
      errors: [
        {
          messageId: 'unread',
          class: 'non-recoverable-without-restore',
          severity: 'warning',
          message: /could not be assessed \(its path: path \.\/deploy\/prod is not in this repository\)/,
        },
      ],
    },
    {
      name: 'a remote base is not read: held, not assessed',
      before: { 'clusters/prod/kyverno.yaml': ks('kyverno', './infra/kyverno', true) },
      after: {},
      unchanged: {
        'infra/kyverno/kustomization.yaml':
          'resources:\n  - https://github.com/kyverno/kyverno/releases/download/v1.11.0/install.yaml\n',
      },
      errors: [{ messageId: 'unread', message: /remote resource/ }],
    },
  ],
});
