import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../core/config-schema.js';
import type { SurfaceContext } from '../core/surface.js';
import { changeSetOf, memoryRepo } from '../testing/rule-tester.js';
import { objectsContext } from './objects.js';

const file = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: app
  namespace: flux-system
spec:
  ref:
    branch: main
`;
const gitRepositories = (o: { group: string; kind: string }) =>
  o.group === 'source.toolkit.fluxcd.io' && o.kind === 'GitRepository';

/** A surface context over a change, with a memo whose keys the test reads. */
function contextOf(before: Record<string, string>, after: Record<string, string>) {
  const memo = new Map<string, unknown>();
  const ctx = {
    files: changeSetOf(before, after).files,
    repo: memoryRepo(before, after),
    config: ConfigSchema.parse({}),
    memo<T>(key: string, make: () => T): T {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as T;
    },
  } as unknown as SurfaceContext;
  const parses = () => [...memo.keys()].filter((k) => /^kubernetes:(?!documents:|mask:|text:)/.test(k));
  return { ctx, parses };
}

describe('objectsContext', () => {
  it('reads an added file from the whole-file parse the kubernetes surface makes (one parse per file), not from a partial text', async () => {
    const { ctx, parses } = contextOf({}, { 'apps/sources.yaml': file });
    const o = await objectsContext(ctx, gitRepositories);
    expect(o.after.map((x) => [x.id, x.yaml.locate(x.doc, ['spec', 'ref', 'branch'])])).toEqual([
      ['source.toolkit.fluxcd.io/GitRepository/flux-system/app', 15],
    ]);
    expect(o.changes.map((c) => c.status)).toEqual(['added']);
    // The key is the kubernetes surface's own for the whole head text.
    expect(parses()).toEqual(['kubernetes:new:apps/sources.yaml:apps/sources.yaml']);
  });

  it('parses no side of a file whose documents all name kinds it does not read, added files included', async () => {
    const other = '# owned by team a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n';
    const { ctx, parses } = contextOf(
      { 'apps/gone.yaml': other, 'apps/kept.yaml': other },
      { 'apps/new.yaml': other, 'apps/kept.yaml': other.replace('name: b', 'name: c') },
    );
    const o = await objectsContext(ctx, gitRepositories);
    expect(o.changes).toEqual([]);
    expect(parses()).toEqual([]);
    // A document without a readable header (flow style) may be of its kinds: the added file is parsed whole.
    const flow = contextOf({}, { 'apps/flow.yaml': `# owned by team a\n---\n{kind: ConfigMap}\n---\n${file}` });
    await objectsContext(flow.ctx, gitRepositories);
    expect(flow.parses()).toEqual(['kubernetes:new:apps/flow.yaml:apps/flow.yaml']);
  });

  it('reads a deleted file from its whole-file parse too', async () => {
    const { ctx, parses } = contextOf({ 'apps/sources.yaml': file }, {});
    const o = await objectsContext(ctx, gitRepositories);
    expect(o.changes.map((c) => [c.status, c.id])).toEqual([
      ['removed', 'source.toolkit.fluxcd.io/GitRepository/flux-system/app'],
    ]);
    expect(parses()).toEqual(['kubernetes:old:apps/sources.yaml:apps/sources.yaml']);
  });

  it('parses only the documents of its kinds on both sides of a modified file (lines kept)', async () => {
    const changed = file.replace('branch: main', 'tag: v1.2.0');
    const { ctx, parses } = contextOf({ 'apps/sources.yaml': file }, { 'apps/sources.yaml': changed });
    const o = await objectsContext(ctx, gitRepositories);
    expect(o.changes.map((c) => [c.status, c.after!.yaml.locate(c.after!.doc, ['spec', 'ref', 'tag'])])).toEqual([
      ['modified', 15],
    ]);
    expect(parses().every((k) => k.includes(':docs:1:'))).toBe(true);
    expect(parses()).toHaveLength(2);
  });
});
