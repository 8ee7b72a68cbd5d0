import { describe, expect, it } from 'vitest';
import { documentsOf, mayBeKind } from './documents.js';

const memo = () => {
  const m = new Map<string, unknown>();
  return {
    memo<T>(key: string, make: () => T): T {
      if (!m.has(key)) m.set(key, make());
      return m.get(key) as T;
    },
  };
};

describe('documentsOf', () => {
  it('splits a text once per key and reads each header from its own lines', () => {
    const ctx = memo();
    const text =
      'apiVersion: v1\nkind: ConfigMap\n---\napiVersion: "storage.k8s.io/v1"\nkind: StorageClass # x\n---\n{kind: Pod}\n';
    const d = documentsOf(ctx, 'blob', text);
    expect(d.pieces).toHaveLength(3);
    expect(documentsOf(ctx, 'blob', text)).toBe(d);
    expect(d.header(0)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(d.header(1)).toEqual({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' });
    expect(d.header(2)).toEqual({});
  });

  it('tells a piece with no node (comments, blank lines, directives, markers) from a document', () => {
    const text = '# owned by team a\n\n---\n# nothing yet\n...\n%YAML 1.2\n--- # c\nkind: Pod\n---\n  # x\n--- !!map\n';
    const d = documentsOf(memo(), 'blob', text);
    expect(d.pieces.map((_, i) => d.empty(i))).toEqual(d.pieces.map((p) => !/kind|!!map/.test(p.text)));
    expect(d.pieces.filter((_, i) => !d.empty(i)).map((p) => p.text.trim())).toEqual(['--- # c\nkind: Pod', '--- !!map']);
  });
});

describe('mayBeKind', () => {
  it.each([
    [undefined, true],
    ['StorageClass', true],
    ['ConfigMap', false],
    ['ConfigMapList', true],
    ['!!str', true],
    ['*alias', true],
  ])('%s may be a StorageClass: %s', (kind, expected) => {
    expect(mayBeKind(kind, ['StorageClass'])).toBe(expected);
  });
});
