import { describe, expect, it } from 'vitest';
import { gitChartPath, gitRepositoryOf, gitRepositoryUrl, isSuspended, kustomizationPath, prunes } from './model.js';

const ks = (spec: unknown, namespace?: string) => ({
  kind: 'Kustomization',
  body: { metadata: { name: 'web', ...(namespace ? { namespace } : {}) }, spec } as never,
});
const hr = (chartSpec: unknown, namespace = 'apps') => ({
  kind: 'HelmRelease',
  body: { metadata: { name: 'web', namespace }, spec: { chart: { spec: chartSpec } } } as never,
});

describe('the Flux readers', () => {
  it('read a Kustomization: path (the root when empty), suspend, prune, its GitRepository', () => {
    expect(kustomizationPath(ks({ path: './apps/web' }))).toBe('./apps/web');
    expect(kustomizationPath(ks({ path: '' }))).toBe('./');
    expect(kustomizationPath(ks({}))).toBe('./');
    expect(isSuspended(ks({ suspend: true }))).toBe(true);
    expect(isSuspended(ks({ suspend: 'true' }))).toBe(false);
    expect(prunes(ks({ prune: true }))).toBe(true);
    expect(prunes(ks({}))).toBe(false);
    expect(gitRepositoryOf(ks({ sourceRef: { kind: 'GitRepository', name: 'shop' } }, 'apps'))).toBe('apps/shop');
    expect(gitRepositoryOf(ks({ sourceRef: { kind: 'GitRepository', name: 'shop', namespace: 'src' } }))).toBe(
      'src/shop',
    );
    expect(gitRepositoryOf(ks({ sourceRef: { kind: 'GitRepository', name: 'shop' } }))).toBe('flux-system/shop');
    expect(gitRepositoryOf(ks({ sourceRef: { kind: 'OCIRepository', name: 'shop' } }))).toBeUndefined();
    expect(gitRepositoryOf(ks({ sourceRef: { kind: 'GitRepository' } }))).toBeUndefined();
  });

  it("read a HelmRelease's chart: a path only when it comes from a GitRepository", () => {
    const fromGit = hr({ chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'shop' } });
    expect(gitChartPath(fromGit)).toBe('./charts/web');
    expect(gitRepositoryOf(fromGit)).toBe('apps/shop');
    expect(gitChartPath(hr({ sourceRef: { kind: 'GitRepository', name: 'shop' } }))).toBe('');
    const fromRepo = hr({ chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } });
    expect(gitChartPath(fromRepo)).toBeUndefined();
    expect(gitRepositoryOf(fromRepo)).toBeUndefined();
    expect(gitChartPath(ks({ sourceRef: { kind: 'GitRepository', name: 'shop' } }))).toBeUndefined();
  });

  it("read a GitRepository's URL", () => {
    expect(gitRepositoryUrl({ body: { spec: { url: 'https://github.com/example/shop' } } as never })).toBe(
      'https://github.com/example/shop',
    );
    expect(gitRepositoryUrl({ body: { spec: { url: '' } } as never })).toBeUndefined();
  });
});
