import { describe, expect, it } from 'vitest';
import { defineRule } from '../core/rule.js';
import { runRule } from '../testing/rule-tester.js';
import type { ObjectsContext } from './objects.js';
import { kubeSurface, type KubeSurfaceSpec } from './surface.js';

/** Reports every object change it is given, and what else the context holds. */
const probe = defineRule<ObjectsContext & { extra?: string }, 'seen'>({
  id: 'probe',
  surface: 'test',
  class: 'fully-reversible',
  severity: 'info',
  docs: { summary: 'Reports every change.', rationale: 'A probe of what the factory hands its rules.' },
  messages: { seen: '{{id}} {{extra}}' },
  check({ changes, extra, report }) {
    for (const c of changes) report('seen', { id: c.id, extra: extra ?? '-' }, { file: 'x', line: 1 });
  },
});

const configMap = (name: string, value: string, note = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ns\n${note}data:\n  k: "${value}"\n`;
const marked = '  labels:\n    owner: marker\n';

function surface(spec: Partial<KubeSurfaceSpec<ObjectsContext & { extra?: string }>> = {}) {
  return kubeSurface<ObjectsContext & { extra?: string }>({
    id: 'test',
    name: 'Test',
    summary: 'A Kubernetes-shaped surface for the factory tests.',
    rules: [probe],
    mentions: 'marker',
    select: (o) => o.kind === 'ConfigMap',
    ...spec,
  });
}

const seen = async (s: ReturnType<typeof surface>, before: Record<string, string>, after: Record<string, string>) =>
  (await runRule(s, probe, { name: 'case', before, after })).map((f) => f.message);

describe('kubeSurface', () => {
  const before = { 'a.yaml': configMap('a', '1', marked), 'b.yaml': configMap('b', '1') };
  const after = { 'a.yaml': configMap('a', '2', marked), 'b.yaml': configMap('b', '2') };

  it('keeps the metadata and claims manifests by default', () => {
    const s = surface({ kinds: ['example.com/Thing'] });
    expect([s.id, s.name, s.kinds, s.rules]).toEqual(['test', 'Test', ['example.com/Thing'], [probe]]);
    // JSON manifests too (Argo CD applies a directory's .json files); package.json and the like are not.
    expect([s.claims('a.yaml'), s.claims('a.json'), s.claims('package.json'), s.claims('values.yaml')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('reads every claimed file once one mentions the surface, and nothing when none does', async () => {
    expect(await seen(surface(), before, after)).toEqual(['/ConfigMap/ns/a -', '/ConfigMap/ns/b -']);
    expect(await seen(surface({ mentions: /nowhere/ }), before, after)).toEqual([]);
  });

  it("reads only the files that mention it with read: 'mentioning', or those a path test keeps", async () => {
    expect(await seen(surface({ read: 'mentioning' }), before, after)).toEqual(['/ConfigMap/ns/a -']);
    expect(await seen(surface({ read: (p) => p === 'b.yaml' }), before, after)).toEqual(['/ConfigMap/ns/b -']);
  });

  it('runs the rules only when a selected object changed', async () => {
    const same = { 'a.yaml': configMap('a', '1', marked) };
    const s = surface({ select: (o) => o.kind === 'Secret' });
    expect(await seen(s, before, after)).toEqual([]);
    expect(await seen(surface(), same, { ...same, 'c.yaml': 'kind: Note\n' })).toEqual([]);
  });

  it('hands the objects (or undefined, without a mention) to `context`, and runs nothing when it says so', async () => {
    const calls: Array<number | undefined> = [];
    const s = surface({
      mentions: /marker|other/,
      context: async (ctx, objects) => {
        calls.push(objects?.changes.length);
        if (!objects) return undefined;
        return { ...objects, extra: `of ${ctx.files.length}` };
      },
    });
    expect(await seen(s, before, after)).toEqual(['/ConfigMap/ns/a of 2', '/ConfigMap/ns/b of 2']);
    expect(await seen(s, { 'b.yaml': configMap('b', '1') }, { 'b.yaml': configMap('b', '2') })).toEqual([]);
    expect(calls).toEqual([2, undefined]);
  });
});
