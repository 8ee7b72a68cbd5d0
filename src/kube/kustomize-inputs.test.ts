import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../core/config-schema.js';
import { flux } from '../surfaces/flux/index.js';
import { kubernetes } from '../surfaces/kubernetes/index.js';
import { assessChangeSet } from '../testing/engine.js';
import { changeSetOf, memoryRepo } from '../testing/rule-tester.js';
import { kustomizePatchFiles } from './kustomize-inputs.js';

const release = (extra = '') => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  values:
    replicaCount: ${extra || '2'}
`;
const overlay = (patches: string) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base/podinfo]\n${patches}`;

const memo = () => {
  const m = new Map<string, unknown>();
  return <T>(k: string, f: () => T): T => {
    if (!m.has(k)) m.set(k, f());
    return m.get(k) as T;
  };
};

describe('kustomizePatchFiles', () => {
  it.each([
    ['patches[].path', 'patches:\n  - path: podinfo-values.yaml\n'],
    ['patchesStrategicMerge', 'patchesStrategicMerge:\n  - podinfo-values.yaml\n'],
    ['patches as a list of paths (kustomize 2.0 and older)', 'patches:\n  - podinfo-values.yaml\n'],
    [
      'patchesJson6902[].path',
      'patchesJson6902:\n  - target: {kind: HelmRelease, name: podinfo}\n    path: ./podinfo-values.yaml\n',
    ],
  ])('finds a file listed under %s of the same folder', async (_n, patches) => {
    const files = { 'apps/prod/kustomization.yaml': overlay(patches), 'apps/prod/podinfo-values.yaml': release() };
    const ctx = {
      files: changeSetOf({}, { 'apps/prod/podinfo-values.yaml': release() }).files,
      repo: memoryRepo({}, files),
      memo: memo(),
    };
    expect(await kustomizePatchFiles(ctx)).toEqual(
      new Map([['apps/prod/podinfo-values.yaml', 'apps/prod/kustomization.yaml']]),
    );
  });

  it('finds a patch in a sub-folder listed by a parent kustomization, and ignores inline patches and resources', async () => {
    const k = overlay(
      'patches:\n  - path: patches/a.yaml\n  - patch: |-\n      - op: replace\n        path: /spec/x\n        value: 1\n',
    );
    const files = {
      'apps/prod/kustomization.yaml': k,
      'apps/prod/patches/a.yaml': release(),
      'apps/prod/b.yaml': release(),
    };
    const ctx = {
      files: changeSetOf({}, { 'apps/prod/patches/a.yaml': release(), 'apps/prod/b.yaml': release() }).files,
      repo: memoryRepo({}, files),
      memo: memo(),
    };
    expect([...(await kustomizePatchFiles(ctx)).keys()]).toEqual(['apps/prod/patches/a.yaml']);
  });

  it('a patch file is read by neither the kubernetes nor the flux surface, and is skipped with the reason', async () => {
    const base = {
      'apps/prod/kustomization.yaml': overlay('patches:\n  - path: podinfo-values.yaml\n'),
      'apps/prod/podinfo-values.yaml': release(),
    };
    const head = { ...base, 'apps/prod/podinfo-values.yaml': release('3') };
    const a = await assessChangeSet(changeSetOf(base, head), memoryRepo(base, head), ConfigSchema.parse({}), {
      surfaces: [flux, kubernetes],
    });
    expect(a.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(a.skipped).toContainEqual({
      file: 'apps/prod/podinfo-values.yaml',
      reason:
        'a Kustomize patch (listed in apps/prod/kustomization.yaml): applied to its target when the overlay renders, not an object',
    });
  });

  it('the same HelmRelease as a resource (not a patch) is still read', async () => {
    const base = {
      'apps/prod/kustomization.yaml': overlay('resources: [podinfo-values.yaml]\n'),
      'apps/prod/podinfo-values.yaml': release(),
    };
    const head = { ...base, 'apps/prod/podinfo-values.yaml': release('3') };
    const a = await assessChangeSet(changeSetOf(base, head), memoryRepo(base, head), ConfigSchema.parse({}), {
      surfaces: [flux, kubernetes],
    });
    expect(a.findings.map((f) => f.rule)).toContain('flux/helmrelease-without-chart');
  });
});
