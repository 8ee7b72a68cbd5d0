import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './statefulset-deletes-claims.js';

const sts = (policy = '', kind = 'StatefulSet', apiVersion = 'apps/v1') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: db
  namespace: data
spec:
  serviceName: db
  replicas: 3
${policy}  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: 'postgres:16@sha256:${'a'.repeat(64)}'}]}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}}]
`;
const policy = (whenDeleted: string, whenScaled: string) =>
  `  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: ${whenDeleted}\n    whenScaled: ${whenScaled}\n`;

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'no policy: Retain by default', after: sts() },
    { name: 'Retain for both', after: sts(policy('Retain', 'Retain')) },
    {
      name: 'already Delete at the base: not the change',
      before: sts(policy('Delete', 'Retain')),
      after: sts(policy('Delete', 'Retain').replace('replicas: 3', 'replicas: 4')),
    },
    { name: 'turned back to Retain', before: sts(policy('Delete', 'Delete')), after: sts(policy('Retain', 'Retain')) },
    {
      name: 'another kind with the same field',
      after: sts(policy('Delete', 'Delete'), 'CloneSet', 'apps.kruise.io/v1alpha1'),
    },
  ],
  invalid: [
    {
      name: 'added with whenDeleted: Delete',
      after: { 'data/db.yaml': sts(policy('Delete', 'Retain')) },
      errors: [
        {
          messageId: 'whenDeleted',
          class: 'non-recoverable-without-restore',
          severity: 'warning',
          file: 'data/db.yaml',
          line: 10,
          object: 'apps/StatefulSet/data/db',
          message: /StatefulSet data\/db deletes its PersistentVolumeClaims when it is deleted/,
        },
      ],
    },
    {
      name: 'switched on for scale-down',
      before: sts(policy('Retain', 'Retain')),
      after: sts(policy('Retain', 'Delete')),
      errors: [{ messageId: 'whenScaled', line: 11 }],
    },
    {
      name: 'both',
      after: sts(policy('Delete', 'Delete')),
      errors: [{ messageId: 'whenDeleted' }, { messageId: 'whenScaled' }],
    },
  ],
});
