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

const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
`;

const templatedApp = (name: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: default
  source:
    repoURL: {{ .Values.repoURL }}
    path: workloads/wiki
    targetRevision: HEAD
  destination:
    server: {{ .Values.spec.destination.server }}
    namespace: wiki
  syncPolicy:
    automated:
      prune: true
`;

ruleTable(argocd, rule, {
  valid: [
    {
      name: 'templated Application whose name is an expression: not read statically',
      before: { 'apps/templates/wiki.yaml': templatedApp('{{ .Values.name }}') },
      after: { 'apps/templates/wiki.yaml': templatedApp('{{ .Values.name }}-x') },
    },
    {
      name: 'templated Application inside a range: not read statically',
      before: { 'apps/templates/wiki.yaml': `{{- range .Values.apps }}\n${templatedApp('wiki')}{{- end }}\n` },
      after: {},
    },
    {
      name: 'templated Application changed in place (same literal name)',
      before: { 'apps/templates/wiki.yaml': templatedApp('wiki') },
      after: { 'apps/templates/wiki.yaml': templatedApp('wiki').replace('prune: true', 'prune: false') },
    },
    { name: 'Application added', after: app({ finalizers: true }) },
    {
      name: 'Application changed',
      before: app({ finalizers: true }),
      after: app({ finalizers: true }).replace('v1.2.0', 'v2'),
    },
  ],
  invalid: [
    {
      name: 'cascading delete, its path not in this repository: held, not assessed',
      before: { 'apps/shop.yaml': app({ finalizers: true }) },
      after: {},
      errors: [
        {
          messageId: 'cascadeUnread',
          class: 'non-recoverable-without-restore',
          severity: 'warning',
          file: 'apps/shop.yaml',
          line: 6,
          message: /clusters\/prod \(https:\/\/git\.example\.com\/shop\.git\) is not in this repository/,
        },
      ],
    },
    {
      name: 'cascading delete of an app whose path holds a PVC',
      before: { 'apps/shop.yaml': app({ finalizers: true }) },
      after: {},
      unchanged: { 'clusters/prod/kustomization.yaml': 'resources: [pvc.yaml]\n', 'clusters/prod/pvc.yaml': pvc },
      errors: [
        {
          messageId: 'cascade',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          message: /PersistentVolumeClaim shop\/data \(clusters\/prod\/pvc\.yaml\)/,
        },
      ],
    },
    {
      name: 'cascading delete of a stateless app',
      before: { 'apps/shop.yaml': app({ finalizers: true }) },
      after: {},
      unchanged: { 'clusters/prod/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop, namespace: shop}\n' },
      errors: [{ messageId: 'cascadeStateless', class: 'fully-reversible', severity: 'warning' }],
    },
    {
      name: 'cascading delete of a Helm chart source',
      before: {
        'apps/shop.yaml': app({
          finalizers: true,
          source: '    repoURL: https://charts.bitnami.com/bitnami\n    chart: wordpress\n    targetRevision: 5.0.2',
        }),
      },
      after: {},
      errors: [{ messageId: 'cascadeUnread', class: 'non-recoverable-without-restore', message: /chart wordpress/ }],
    },
    {
      name: 'renamed in an app-of-apps Helm chart (literal kind and name, templated fields)',
      before: {
        'apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 0.1.0\n',
        'apps/templates/wiki.yaml': templatedApp('wiki'),
      },
      after: {
        'apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 0.1.0\n',
        'apps/templates/wiki.yaml': templatedApp('knowledge-base'),
      },
      unchanged: { 'workloads/wiki/pvc.yaml': pvc },
      errors: [
        {
          messageId: 'cascade',
          class: 'non-recoverable-without-restore',
          file: 'apps/templates/wiki.yaml',
          line: 6,
          message: /renamed to knowledge-base/,
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
