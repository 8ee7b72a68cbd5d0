import { describe, expect, it } from 'vitest';
import { maskCommonDocuments, splitDocuments } from '../core/yaml.js';
import { configObjectNames } from './repository-index.js';

describe('configObjectNames (the search superset read before parsing)', () => {
  const names = (text: string) => configObjectNames(text, splitDocuments);

  it.each([
    [
      'a ConfigMap',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: shop\ndata: {}\n',
      ['web-config'],
    ],
    ['a quoted Secret name', 'apiVersion: v1\nkind: "Secret"\nmetadata:\n  name: "db-creds"\n', ['db-creds']],
    [
      'two documents, one not a config object',
      'kind: Deployment\nmetadata:\n  name: web\n---\nkind: ConfigMap\nmetadata:\n  name: env # comment\n',
      ['env'],
    ],
    [
      'a label called name (a superset is allowed)',
      'kind: ConfigMap\nmetadata:\n  labels:\n    name: x\n  name: y\n',
      ['x', 'y'],
    ],
    ['data keys are not names', 'kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  name: not-me\n', ['a']],
    ['no config objects', 'kind: Service\nmetadata:\n  name: web\n', []],
    ['a ConfigMapList is not a ConfigMap', 'kind: ConfigMapList\nitems: []\n', []],
  ])('%s', (_, text, expected) => {
    expect(names(text)).toEqual(expected);
  });
});

describe('maskCommonDocuments: which documents the diff left out', () => {
  it('names the blanked documents by their index in the full text', () => {
    const a = 'kind: A\nmetadata:\n  name: a\n---\nkind: B\nmetadata:\n  name: b\n---\nkind: C\nmetadata:\n  name: c\n';
    const b = a.replace('name: b', 'name: b2');
    const m = maskCommonDocuments(a, b);
    expect(m.blankedB).toEqual(new Set([0, 2]));
    expect(m.blankedA).toEqual(new Set([0, 2]));
    // A leading comment, an empty document and a changed first document.
    const c = '# head\nkind: A\n---\n---\nkind: B\n';
    const d = '# head\nkind: A2\n---\n---\nkind: B\n';
    expect(maskCommonDocuments(c, d).blankedB).toEqual(new Set([1]));
    // Each blanked index is a document of splitDocuments of the full text that the masked text no longer has.
    const pieces = splitDocuments(d);
    expect(pieces[1]!.text).toBe('---\nkind: B\n');
    expect(splitDocuments(maskCommonDocuments(c, d).b).map((p) => p.text)).toEqual(['# head\nkind: A2\n']);
  });
});
