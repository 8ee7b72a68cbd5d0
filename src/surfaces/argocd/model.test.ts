import { describe, expect, it } from 'vitest';
import { autoSync, ignoreApplicationDifferences, sourcesOf, syncPolicyOf } from './model.js';

const app = (spec: unknown) => ({ kind: 'Application', body: { spec } as never });
const appSet = (spec: unknown) => ({ kind: 'ApplicationSet', body: { spec } as never });

describe('the Argo CD readers', () => {
  it('read the sync policy of an Application, or of an ApplicationSet template', () => {
    const policy = { automated: { selfHeal: true } };
    expect(syncPolicyOf(app({ syncPolicy: policy }))).toEqual(policy);
    expect(syncPolicyOf(app({}))).toBeUndefined();
    expect(syncPolicyOf(appSet({ template: { spec: { syncPolicy: policy } } }))).toEqual(policy);
    expect(syncPolicyOf(appSet({ syncPolicy: policy }))).toBeUndefined();
    expect(autoSync(appSet({ template: { spec: { syncPolicy: policy } } }))).toEqual({
      automated: true,
      selfHeal: true,
      prune: false,
    });
  });

  it("read an ApplicationSet's ignoreApplicationDifferences, and none on an Application", () => {
    const ignore = [{ jsonPointers: ['/spec/syncPolicy'] }];
    expect(ignoreApplicationDifferences(appSet({ ignoreApplicationDifferences: ignore }))).toEqual(ignore);
    expect(ignoreApplicationDifferences(appSet({}))).toBeUndefined();
    expect(ignoreApplicationDifferences(app({ ignoreApplicationDifferences: ignore }))).toBeUndefined();
  });

  it('read every source of an Application', () => {
    const sources = sourcesOf(app({ source: { path: 'a' }, sources: [{ path: 'b' }, 'junk', { chart: 'c' }] }));
    expect(sources.map((s) => s.path.join('.'))).toEqual(['spec.source', 'spec.sources.0', 'spec.sources.2']);
  });
});
