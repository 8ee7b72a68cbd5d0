import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import { compareQuantities, parseQuantity } from '../../../kube/model.js';
import rule from './pvc-storage-changed.js';

const pvc = (size: string | number, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: db
spec:
  accessModes: [ReadWriteOnce]
${extra}  resources:
    requests:
      storage: ${size}
`;

const sc = (expand: boolean) =>
  `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: ebs.csi.aws.com\n${expand ? 'allowVolumeExpansion: true\n' : ''}`;

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'size unchanged', before: pvc('10Gi'), after: pvc('10Gi', '  volumeMode: Filesystem\n') },
    { name: 'same size in other units', before: pvc('1Gi'), after: pvc('1024Mi') },
    { name: 'same size, decimal exponent', before: pvc('1G'), after: pvc('1e9') },
    { name: 'claim added', after: pvc('10Gi') },
    { name: 'claim removed', before: pvc('10Gi'), after: {} },
    {
      name: 'StatefulSet claim templates are left to immutable-field-changed',
      before:
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  volumeClaimTemplates: [{metadata: {name: d}, spec: {resources: {requests: {storage: 1Gi}}}}]\n',
      after:
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  volumeClaimTemplates: [{metadata: {name: d}, spec: {resources: {requests: {storage: 2Gi}}}}]\n',
    },
  ],
  invalid: [
    {
      name: 'size increased',
      before: { 'db/pvc.yaml': pvc('10Gi') },
      after: { 'db/pvc.yaml': pvc('20Gi') },
      errors: [
        {
          messageId: 'increase',
          class: 'forward-only',
          severity: 'warning',
          file: 'db/pvc.yaml',
          line: 10,
          object: '/PersistentVolumeClaim/db/data',
          message: 'raised from 10Gi to 20Gi; once the volume has grown, the revert asks for 10Gi and is rejected',
        },
      ],
    },
    {
      name: 'size decreased',
      before: pvc('20Gi'),
      after: pvc('10Gi'),
      errors: [
        {
          messageId: 'decrease',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          line: 10,
          object: '/PersistentVolumeClaim/db/data',
          message: /lowered from 20Gi to 10Gi; the API server rejects it/,
        },
      ],
    },
    {
      name: 'decrease hidden by units (1.5Gi to 1500Mi)',
      before: pvc('1.5Gi'),
      after: pvc('1500Mi'),
      errors: [{ messageId: 'decrease', class: 'reversible-with-manual-repair' }],
    },
    {
      name: '1G to 1Gi is an increase',
      before: pvc('1G'),
      after: pvc('1Gi'),
      errors: [{ messageId: 'increase', class: 'forward-only' }],
    },
    {
      name: 'increase on a StorageClass that does not allow expansion',
      before: pvc('10Gi', '  storageClassName: fast\n'),
      after: pvc('20Gi', '  storageClassName: fast\n'),
      unchanged: { 'storage/classes.yaml': sc(false) },
      errors: [
        {
          messageId: 'expansionNotAllowed',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          line: 11,
          message: /StorageClass fast does not set allowVolumeExpansion: true/,
        },
      ],
    },
    {
      name: 'increase on a StorageClass changed in the same change to allow expansion',
      before: { 'pvc.yaml': pvc('10Gi', '  storageClassName: fast\n'), 'sc.yaml': sc(false) },
      after: { 'pvc.yaml': pvc('20Gi', '  storageClassName: fast\n'), 'sc.yaml': sc(true) },
      errors: [{ messageId: 'increase', class: 'forward-only', line: 11 }],
    },
    {
      name: 'a size rollwright cannot read',
      before: pvc('10Gi'),
      after: pvc('${SIZE}'),
      errors: [{ messageId: 'unparsable', class: 'forward-only', line: 10 }],
    },
  ],
});

describe('parseQuantity', () => {
  const bytes = (q: string) => {
    const v = parseQuantity(q)!;
    return Number(v.num) / Number(v.den);
  };
  it.each([
    ['1Ki', 1024],
    ['1Mi', 1024 ** 2],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['2Ti', 2 * 1024 ** 4],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1e3', 1000],
    ['1E3', 1000],
    ['12e-1', 1.2],
    ['500m', 0.5],
    ['.5', 0.5],
    ['+3', 3],
    ['100', 100],
  ])('%s', (q, v) => expect(bytes(q)).toBeCloseTo(v, 9));

  it('accepts numbers as YAML gives them', () =>
    expect(compareQuantities(parseQuantity(10)!, parseQuantity('10')!)).toBe(0));

  it.each(['', 'Gi', '10GB', '10 Gi', '1.2.3', '${X}', '10Gii'])('rejects %j', (q) =>
    expect(parseQuantity(q)).toBeUndefined(),
  );

  it('compares exactly', () => {
    expect(compareQuantities(parseQuantity('1Gi')!, parseQuantity('1073741824')!)).toBe(0);
    expect(compareQuantities(parseQuantity('1Gi')!, parseQuantity('1G')!)).toBe(1);
    expect(compareQuantities(parseQuantity('999Mi')!, parseQuantity('1Gi')!)).toBe(-1);
  });
});
