import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../testing/rule-tester.js';
import immutableFieldChanged from '../kubernetes/rules/immutable-field-changed.js';
import { flux } from './index.js';
import { substitute } from './substitution.js';

describe('substitute (Flux post-build substitution)', () => {
  it('replaces known variables, applies defaults, leaves unknown ones as written', () => {
    expect(substitute('a: ${A}\nb: ${B:=x}\nc: ${C}\nd: ${D:-y}\ne: $A', { A: '1', B: '2' })).toBe(
      'a: 1\nb: 2\nc: ${C}\nd: y\ne: $A',
    );
    expect(substitute('a: ${A:=dflt}', { A: '' })).toBe('a: dflt');
  });
});

const ks = (vars: string, path = './apps/media') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substitute: {${vars}}
`;
const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: media, namespace: media}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: \${STORAGE_CLASS}
  resources: {requests: {storage: 10Gi}}
`;
const deploy = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: media}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: \${TIER}}}
    spec: {containers: [{name: web, image: "nginx@sha256:${'a'.repeat(64)}"}]}
`;

ruleTable(flux, immutableFieldChanged, {
  valid: [
    {
      name: 'a substitution variable no manifest of the path uses',
      before: { 'clusters/apps.yaml': ks('STORAGE_CLASS: standard, REGION: eu') },
      after: { 'clusters/apps.yaml': ks('STORAGE_CLASS: standard, REGION: us') },
      unchanged: { 'apps/media/pvc.yaml': pvc },
    },
    {
      name: 'a variable that lands in a mutable field (a pod template label)',
      before: { 'clusters/apps.yaml': ks('TIER: a') },
      after: { 'clusters/apps.yaml': ks('TIER: b') },
      unchanged: { 'apps/media/deploy.yaml': deploy },
    },
    {
      name: 'a variable used only outside the Kustomization path',
      before: { 'clusters/apps.yaml': ks('STORAGE_CLASS: standard') },
      after: { 'clusters/apps.yaml': ks('STORAGE_CLASS: fast-ssd') },
      unchanged: { 'apps/other/pvc.yaml': pvc },
    },
  ],
  invalid: [
    {
      name: 'a substitution variable changes the storage class of a claim under the path',
      before: { 'clusters/apps.yaml': ks('STORAGE_CLASS: standard') },
      after: { 'clusters/apps.yaml': ks('STORAGE_CLASS: fast-ssd') },
      unchanged: { 'apps/media/pvc.yaml': pvc },
      errors: [
        {
          messageId: 'changed',
          class: 'reversible-with-manual-repair',
          file: 'apps/media/pvc.yaml (substituted by Kustomization flux-system/apps)',
          line: 6,
          message: /storageClassName/,
        },
      ],
    },
  ],
});
