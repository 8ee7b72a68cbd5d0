import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './stateful-object-deleted.js';

const pvc = (spec = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: db
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
${spec}`;

const pv = (policy?: string) => `apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-data
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
${policy ? `  persistentVolumeReclaimPolicy: ${policy}\n` : ''}  nfs: {server: nas, path: /data}
`;

const sts = (retention = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: pg
  namespace: db
spec:
  serviceName: pg
  selector: {matchLabels: {app: pg}}
${retention}  template:
    metadata: {labels: {app: pg}}
    spec:
      containers: [{name: pg, image: "postgres:16"}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}
`;

/** A StatefulSet with `replicas` and a retention policy, for the scale-down cases. */
const scaled = (replicas: number | undefined, policy = '{whenDeleted: Retain, whenScaled: Delete}') =>
  sts(`  persistentVolumeClaimRetentionPolicy: ${policy}\n`).replace(
    '  serviceName: pg\n',
    `  serviceName: pg\n${replicas === undefined ? '' : `  replicas: ${replicas}\n`}`,
  );

const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: db\n';

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'claim unchanged', before: pvc(), after: pvc() },
    { name: 'claim added', after: pvc() },
    { name: 'claim moved to another file', before: { 'a.yaml': pvc() }, after: { 'b.yaml': pvc() } },
    { name: 'claim resized (not deleted)', before: pvc(), after: pvc().replace('10Gi', '20Gi') },
    {
      name: 'scaled down with the default whenScaled (Retain)',
      before: scaled(3, '{whenDeleted: Delete}'),
      after: scaled(1, '{whenDeleted: Delete}'),
    },
    {
      name: 'scaled down with whenScaled: Retain',
      before: scaled(3, '{whenScaled: Retain}'),
      after: scaled(1, '{whenScaled: Retain}'),
    },
    { name: 'scaled up under whenScaled: Delete', before: scaled(1), after: scaled(3) },
    {
      name: 'whenScaled: Delete set at the base only: the after state retains',
      before: scaled(3),
      after: scaled(1, '{whenScaled: Retain}'),
    },
    {
      name: 'replicas unchanged under whenScaled: Delete (another field changed)',
      before: scaled(3),
      after: scaled(3).replace('postgres:16', 'postgres:16.4'),
    },
    {
      name: 'scaled down without volumeClaimTemplates',
      before: scaled(3).replace(/  volumeClaimTemplates:[\s\S]*$/, ''),
      after: scaled(1).replace(/  volumeClaimTemplates:[\s\S]*$/, ''),
    },
    {
      name: 'a catalogue kind whose deletion keeps data (cert-manager Certificate)',
      before: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web}\nspec: {secretName: web-tls}\n',
      after: {},
    },
    {
      name: 'stateless kinds are left to stateless-object-deleted',
      before: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
      after: {},
    },
  ],
  invalid: [
    {
      name: 'dynamically provisioned claim deleted',
      before: { 'db/pvc.yaml': pvc() },
      after: {},
      errors: [
        {
          messageId: 'pvc',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          file: 'db/pvc.yaml',
          line: 1,
          object: '/PersistentVolumeClaim/db/data',
          message: /PersistentVolumeClaim db\/data is deleted.*reclaim policy Delete/,
        },
      ],
    },
    {
      name: 'claim bound to a volume written with Retain',
      before: `${pvc('  volumeName: pv-data\n')}---\n${pv('Retain')}`,
      after: pv('Retain'),
      errors: [
        {
          messageId: 'pvcRetained',
          class: 'reversible-with-manual-repair',
          line: 9,
          object: '/PersistentVolumeClaim/db/data',
          message: /volume pv-data is written with Retain/,
        },
      ],
    },
    {
      name: 'claim of a StorageClass not in the change is assumed to be reclaimed with Delete',
      before: pvc('  storageClassName: keep\n'),
      after: {},
      errors: [{ messageId: 'pvc', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'claim of a StorageClass in the change that retains',
      before: {
        'pvc.yaml': pvc('  storageClassName: keep\n'),
        'sc.yaml':
          'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: keep}\nprovisioner: x\nreclaimPolicy: Retain\n',
      },
      after: {
        'sc.yaml':
          'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: keep}\nprovisioner: x\nreclaimPolicy: Retain\n# kept\n',
      },
      errors: [
        { messageId: 'pvcRetained', class: 'reversible-with-manual-repair', line: 9, message: /StorageClass keep/ },
      ],
    },
    {
      name: 'volume with reclaim policy Delete',
      before: pv('Delete'),
      after: {},
      errors: [
        {
          messageId: 'pv',
          class: 'non-recoverable-without-restore',
          line: 8,
          object: '/PersistentVolume//pv-data',
          message: /reclaim policy Delete/,
        },
      ],
    },
    {
      name: 'volume with Recycle is scrubbed',
      before: pv('Recycle'),
      after: {},
      errors: [{ messageId: 'pv', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'volume with Retain',
      before: pv('Retain'),
      after: {},
      errors: [{ messageId: 'pvRetained', class: 'reversible-with-manual-repair', severity: 'warning', line: 8 }],
    },
    {
      name: 'volume written without a policy defaults to Retain',
      before: pv(),
      after: {},
      errors: [
        {
          messageId: 'pvRetained',
          class: 'reversible-with-manual-repair',
          line: 5,
          message: /Retain \(the default for a volume written without one\)/,
        },
      ],
    },
    {
      name: 'namespace deleted',
      before: ns,
      after: {},
      errors: [{ messageId: 'namespace', class: 'non-recoverable-without-restore', line: 1, object: '/Namespace//db' }],
    },
    {
      name: 'StatefulSet whose claims are deleted with it',
      before: sts('  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Retain}\n'),
      after: {},
      errors: [
        {
          messageId: 'statefulSetClaimsDeleted',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 9,
          object: 'apps/StatefulSet/db/pg',
        },
      ],
    },
    {
      name: 'StatefulSet with the default retention keeps its claims',
      before: sts(),
      after: {},
      errors: [
        {
          messageId: 'statefulSetClaimsKept',
          class: 'fully-reversible',
          severity: 'warning',
          line: 1,
          message: /whenDeleted defaults to Retain.*re-binds its existing claims by name/,
        },
      ],
    },
    {
      name: 'StatefulSet with whenDeleted: Retain',
      before: sts('  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Retain\n'),
      after: {},
      errors: [{ messageId: 'statefulSetClaimsKept', class: 'fully-reversible', line: 10 }],
    },
    {
      name: 'prune disabled keeps the claim',
      before: pvc().replace('namespace: db', 'namespace: db\n  annotations:\n    helm.sh/resource-policy: keep'),
      after: {},
      errors: [{ messageId: 'kept', class: 'fully-reversible', line: 1, message: /helm\.sh\/resource-policy: keep/ }],
    },
    {
      name: 'StatefulSet scaled down under whenScaled: Delete deletes the claims of the removed ordinals',
      before: { 'db/sts.yaml': scaled(3) },
      after: { 'db/sts.yaml': scaled(1) },
      errors: [
        {
          messageId: 'statefulSetScaledDown',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          file: 'db/sts.yaml',
          line: 8,
          object: 'apps/StatefulSet/db/pg',
          message: /from 3 to 1 replicas.*ordinals 1 to 2 \(volumeClaimTemplates data\)/,
        },
      ],
    },
    {
      name: 'whenScaled: Delete turned on in the same change as the scale-down (the after state decides)',
      before: scaled(2, '{whenScaled: Retain}'),
      after: scaled(1),
      errors: [
        { messageId: 'statefulSetScaledDown', class: 'non-recoverable-without-restore', message: /ordinals 1 \(/ },
      ],
    },
    {
      name: 'replicas removed from the manifest defaults to 1',
      before: scaled(2),
      after: scaled(undefined),
      errors: [{ messageId: 'statefulSetScaledDown', line: 9, message: /from 2 to 1 replicas/ }],
    },
    {
      name: "a CloudNativePG Cluster deleted takes its instances' claims with it",
      before: {
        'db/pg.yaml':
          'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\nspec: {instances: 3, storage: {size: 10Gi}}\n',
      },
      after: {},
      errors: [
        {
          messageId: 'customResource',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          object: 'postgresql.cnpg.io/Cluster/db/pg',
          message: /Cluster db\/pg is deleted: the PersistentVolumeClaims .* \(CloudNativePG\)/,
        },
      ],
    },
    {
      name: 'namespace and claim deleted together',
      before: `${ns}---\n${pvc()}`,
      after: {},
      errors: [
        { messageId: 'namespace', line: 1 },
        { messageId: 'pvc', line: 6 },
      ],
    },
  ],
});
