import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import { diffRow, rowsFor } from '../data/immutable-fields.js';
import rule from './immutable-field-changed.js';

const sts = (
  opts: { size?: string; serviceName?: string; replicas?: number; extra?: string } = {},
) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
  serviceName: ${opts.serviceName ?? 'db'}
  replicas: ${opts.replicas ?? 3}
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers: [{name: pg, image: "postgres:16.4"}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: ${opts.size ?? '10Gi'}
${opts.extra ?? ''}`;

const deployment = (app: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels: {app: ${app}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`;

const service = (spec: string) => `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  ports: [{port: 80}]
${spec}`;

const pvc = (spec: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 10Gi
${spec}`;

const binding = (role: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: readers
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${role}
subjects: [{kind: ServiceAccount, name: app}]
`;

const storageClass = (params: string, extra = '') => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: ebs.csi.aws.com
parameters:
  type: ${params}
${extra}`;

const job = (image: string, extra = '') => `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
${extra}  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: "${image}"}]
`;

/** The Job above as a hook (annotations under metadata) or under a generated name. */
const hookJob = (image: string, annotations: string) =>
  job(image).replace('  name: migrate\n', `  name: migrate\n  annotations:\n${annotations}`);
const generatedJob = (image: string) => job(image).replace('  name: migrate\n', '  generateName: migrate-\n');

ruleTable(kubernetes, rule, {
  valid: [
    {
      name: 'a generateName Job is created anew, never updated',
      before: generatedJob('migrate:1'),
      after: generatedJob('migrate:2'),
    },
    {
      name: 'an Argo CD PreSync hook Job is re-created per sync',
      before: hookJob('migrate:1', '    argocd.argoproj.io/hook: PreSync\n'),
      after: hookJob('migrate:2', '    argocd.argoproj.io/hook: PreSync\n'),
    },
    {
      name: 'a Helm pre-upgrade hook Job is re-created per release operation',
      before: hookJob('migrate:1', '    helm.sh/hook: pre-upgrade\n'),
      after: hookJob('migrate:2', '    helm.sh/hook: pre-upgrade\n'),
    },
    {
      name: 'StatefulSet replicas and template change',
      before: sts(),
      after: sts({ replicas: 5 }).replace('16.4', '16.5'),
    },
    {
      name: 'StatefulSet revisionHistoryLimit added (mutable on the default 1.34 target)',
      before: sts(),
      after: sts({ extra: '  revisionHistoryLimit: 5\n' }),
    },
    {
      name: 'StatefulSet retention policy and minReadySeconds change',
      before: sts(),
      after: sts({ extra: '  minReadySeconds: 10\n  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}\n' }),
    },
    {
      name: 'podManagementPolicy written out with its default value',
      before: sts(),
      after: sts({ extra: '  podManagementPolicy: OrderedReady\n' }),
    },
    { name: 'same quantity in other units is no change', before: sts(), after: sts({ size: '10240Mi' }) },
    { name: 'Deployment template change', before: deployment('web'), after: deployment('web').replace('1.27', '1.28') },
    { name: 'Service without clusterIP on either side', before: service(''), after: service('  type: NodePort\n') },
    {
      name: 'clusterIP left out at head keeps the allocated address',
      before: service('  clusterIP: 10.0.0.12\n'),
      after: service(''),
    },
    {
      name: 'an empty clusterIP means "allocate": same as leaving it out',
      before: service('  clusterIP: 10.0.0.12\n'),
      after: service('  clusterIP: ""\n'),
    },
    {
      name: 'ExternalName services have no cluster IP to protect',
      before: service('  type: ExternalName\n  externalName: a.example.com\n'),
      after: service('  clusterIP: 10.0.0.12\n'),
    },
    { name: 'PVC size change is left to pvc-storage-changed', before: pvc(''), after: pvc('').replace('10Gi', '20Gi') },
    { name: 'PVC volumeMode written out with its default', before: pvc(''), after: pvc('  volumeMode: Filesystem\n') },
    {
      name: 'RoleBinding subjects change',
      before: binding('reader'),
      after: binding('reader').replace('name: app', 'name: other'),
    },
    {
      name: 'StorageClass allowVolumeExpansion is mutable',
      before: storageClass('gp3'),
      after: storageClass('gp3', 'allowVolumeExpansion: true\n'),
    },
    {
      name: 'suspended Job may change scheduling directives',
      before: job('busybox', '  suspend: true\n'),
      after: job('busybox', '  suspend: true\n').replace(
        'restartPolicy: Never',
        'restartPolicy: Never\n      nodeSelector: {pool: batch}',
      ),
    },
    { name: 'object added', after: sts() },
    { name: 'object removed', before: sts(), after: {} },
    {
      name: 'Secret type written out as Opaque',
      before: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n',
      after: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\n',
    },
  ],
  invalid: [
    {
      name: 'StatefulSet volumeClaimTemplates size change',
      before: { 'db/sts.yaml': sts() },
      after: { 'db/sts.yaml': sts({ size: '20Gi' }) },
      errors: [
        {
          messageId: 'changed',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'db/sts.yaml',
          line: 16,
          object: 'apps/StatefulSet/data/db',
          message:
            /StatefulSet data\/db: spec\.volumeClaimTemplates changed.*rejects.*deleted and re-created.*`kubectl delete statefulset db -n data --cascade=orphan`/,
        },
      ],
    },
    {
      name: 'StatefulSet serviceName and podManagementPolicy',
      before: sts(),
      after: sts({ serviceName: 'db-headless', extra: '  podManagementPolicy: Parallel\n' }),
      errors: [
        { messageId: 'changed', line: 7, message: /spec\.serviceName/ },
        { messageId: 'changed', line: 23, message: /spec\.podManagementPolicy/ },
      ],
    },
    {
      name: 'StatefulSet revisionHistoryLimit on a 1.32 target',
      before: sts(),
      after: sts({ extra: '  revisionHistoryLimit: 5\n' }),
      config: { kubernetes: { version: '1.32' } },
      errors: [{ messageId: 'changed', line: 23, message: /spec\.revisionHistoryLimit/ }],
    },
    {
      name: 'Deployment selector change',
      before: deployment('web'),
      after: deployment('web2'),
      errors: [
        {
          messageId: 'changed',
          class: 'reversible-with-manual-repair',
          line: 6,
          object: 'apps/Deployment/default/web',
          message: /Deployment default\/web: spec\.selector changed/,
        },
      ],
    },
    {
      name: 'Service clusterIP changed',
      before: service('  clusterIP: 10.0.0.12\n'),
      after: service('  clusterIP: 10.0.0.13\n'),
      errors: [{ messageId: 'changed', line: 7, object: '/Service/default/api', message: /spec\.clusterIP changed/ }],
    },
    {
      name: 'Service clusterIP pinned where it was allocated',
      before: service(''),
      after: service('  clusterIP: None\n'),
      errors: [{ messageId: 'pinned', class: 'reversible-with-manual-repair', line: 7 }],
    },
    {
      name: 'clusterIP and clusterIPs changed together are reported once',
      before: service('  clusterIP: 10.0.0.12\n  clusterIPs: [10.0.0.12]\n'),
      after: service('  clusterIP: 10.0.0.13\n  clusterIPs: [10.0.0.13]\n'),
      errors: [{ messageId: 'changed', line: 7, message: /spec\.clusterIP changed/ }],
    },
    {
      name: 'PVC storageClassName and accessModes',
      before: pvc('  storageClassName: standard\n'),
      after: pvc('  storageClassName: fast\n').replace('[ReadWriteOnce]', '[ReadWriteMany]'),
      errors: [
        { messageId: 'changed', line: 6, message: /spec\.accessModes/ },
        { messageId: 'changed', line: 10, message: /spec\.storageClassName/ },
      ],
    },
    {
      name: 'PVC volumeName removed from the manifest clears it',
      before: pvc('  volumeName: pv-1\n'),
      after: pvc(''),
      errors: [{ messageId: 'changed', line: 5, message: /spec\.volumeName/ }],
    },
    {
      name: 'RoleBinding roleRef',
      before: binding('reader'),
      after: binding('admin'),
      errors: [
        {
          messageId: 'changed',
          line: 6,
          object: 'rbac.authorization.k8s.io/RoleBinding/shop/readers',
          message: /roleRef/,
        },
      ],
    },
    {
      name: 'StorageClass parameters and reclaimPolicy',
      before: storageClass('gp2'),
      after: storageClass('gp3', 'reclaimPolicy: Retain\n'),
      errors: [
        { messageId: 'changed', line: 6, message: /parameters/ },
        { messageId: 'changed', line: 8, message: /reclaimPolicy/ },
      ],
    },
    {
      name: 'Job template change',
      before: job('migrate:1'),
      after: job('migrate:2'),
      errors: [{ messageId: 'changed', line: 6, object: 'batch/Job/default/migrate', message: /spec\.template/ }],
    },
    {
      name: 'a Job with an unrelated annotation is still updated in place',
      before: hookJob('migrate:1', '    team: data\n'),
      after: hookJob('migrate:2', '    team: data\n'),
      errors: [{ messageId: 'changed', message: /spec\.template/ }],
    },
    {
      name: 'PriorityClass value',
      before: 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n',
      after: 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 2000\n',
      errors: [{ messageId: 'changed', line: 4, object: 'scheduling.k8s.io/PriorityClass//high' }],
    },
    {
      name: 'IngressClass controller',
      before:
        'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: web}\nspec:\n  controller: k8s.io/ingress-nginx\n',
      after:
        'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: web}\nspec:\n  controller: traefik.io/ingress-controller\n',
      errors: [{ messageId: 'changed', line: 5, message: /spec\.controller/ }],
    },
    {
      name: 'Secret type',
      before: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n',
      after: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\n',
      errors: [{ messageId: 'changed', line: 4, message: /Secret default\/s: type changed/ }],
    },
    {
      name: 'PersistentVolume source',
      before: 'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n  nfs: {server: a, path: /x}\n',
      after: 'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n  nfs: {server: b, path: /x}\n',
      errors: [{ messageId: 'changed', line: 5, object: '/PersistentVolume//pv', message: /spec\.nfs/ }],
    },
  ],
});

describe('immutable-fields table', () => {
  it('compares the primary cluster IP only: adding a secondary address is allowed', () => {
    const [, ips] = rowsFor('', 'Service');
    const before = { spec: { clusterIPs: ['10.0.0.1'] } };
    expect(diffRow(ips!, before, { spec: { clusterIPs: ['10.0.0.1', 'fd00::1'] } }, 34)).toEqual([]);
    expect(diffRow(ips!, before, { spec: { clusterIPs: ['10.0.0.2'] } }, 34).map((d) => d.type)).toEqual(['changed']);
  });

  it('reports a Pod spec change but not an image change', () => {
    const [row] = rowsFor('', 'Pod');
    const pod = (image: string, port: number) => ({
      spec: { containers: [{ name: 'a', image, ports: [{ containerPort: port }] }] },
    });
    expect(diffRow(row!, pod('a:1', 80), pod('a:2', 80), 34)).toEqual([]);
    expect(diffRow(row!, pod('a:1', 80), pod('a:1', 81), 34).map((d) => d.path)).toEqual([
      ['spec', 'containers', 0, 'ports'],
    ]);
  });

  it('lets a PersistentVolume gain nodeAffinity once', () => {
    const [row] = rowsFor('', 'PersistentVolume');
    const aff = { required: { nodeSelectorTerms: [] } };
    expect(diffRow(row!, { spec: {} }, { spec: { nodeAffinity: aff } }, 34)).toEqual([]);
    expect(
      diffRow(row!, { spec: { nodeAffinity: aff } }, { spec: { nodeAffinity: { required: {} } } }, 34),
    ).toHaveLength(1);
  });
});
