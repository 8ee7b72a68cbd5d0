import { describe, expect, it } from 'vitest';
import { maskCommonDocuments, parseYaml } from './yaml.js';

describe('parseYaml', () => {
  it('parses documents with their lines and locates paths', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n---\n# comment\nkind: Secret\nitems:\n  - x\n  - y\n';
    const f = parseYaml(text);
    expect(f.docs.map((d) => d.line)).toEqual([1, 9]);
    expect(f.locate(f.docs[0]!, ['metadata', 'name'])).toBe(4);
    expect(f.locate(f.docs[0]!, ['data', 'k'])).toBe(6);
    expect(f.locate(f.docs[0]!, ['data', 'missing'])).toBe(5);
    expect(f.locate(f.docs[1]!, ['items', 1])).toBe(12);
  });

  it.each([
    ['a double-quoted key with an escape', 'a: 1\n"b\\"c": 2\n', ['b"c'], 2],
    ['a single-quoted key', "a: 1\n'it''s': 2\n", ["it's"], 2],
    ['a flow mapping inside a sequence', 'items:\n  - {name: x}\n  - {name: y, port: 80}\n', ['items', 1, 'port'], 3],
    ['an anchored value (the anchor line)', 'base: &b\n  x: 1\nother: *b\nlast:\n  y: 2\n', ['last', 'y'], 5],
    ['a key after a block scalar', 'script: |\n  line one\n  line two\nafter: yes\n', ['after'], 4],
    ['a key after a nested mapping it must skip', 'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n', ['e'], 5],
    ['a missing index: the deepest part that exists', 'list:\n  - a\n', ['list', 5], 1],
  ])('locates %s', (_, text, path, line) => {
    const f = parseYaml(text);
    expect(f.locate(f.docs[0]!, path as Array<string | number>)).toBe(line);
  });

  it('reports a bad document with its line and still parses the others', () => {
    const text = 'a: 1\n---\nb: [1\nc: 2\n---\nd: 4\n';
    const f = parseYaml(text);
    expect(f.docs).toHaveLength(3);
    expect(f.docs[0]!.value).toEqual({ a: 1 });
    expect(f.docs[1]!.error?.line).toBeGreaterThanOrEqual(3);
    expect(f.docs[2]!.value).toEqual({ d: 4 });
  });

  it('locates paths in any order, in a file parsed whole and in one parsed piece by piece', () => {
    const good = 'a: 1\n---\nb:\n  c: 2\n  d:\n    - x\n    - y\n---\ne: 3\n';
    const whole = parseYaml(good);
    expect(whole.docs.map((d) => d.line)).toEqual([1, 3, 9]);
    // Asked last document first: the position map is made on the first call, for every document.
    expect(whole.locate(whole.docs[2]!, ['e'])).toBe(9);
    expect(whole.locate(whole.docs[1]!, ['b', 'd', 1])).toBe(7);
    expect(whole.locate(whole.docs[0]!, ['a'])).toBe(1);
    // A document that does not parse: the others are parsed alone, each with its own offset.
    const pieces = parseYaml('a: [1\n---\nb:\n  c: 2\n---\n\nd:\n  - e: 1\n    f: 2\n');
    expect(pieces.docs.map((d) => [d.line, d.error === undefined])).toEqual([
      [0, false],
      [3, true],
      [7, true],
    ]);
    expect(pieces.locate(pieces.docs[2]!, ['d', 0, 'f'])).toBe(9);
    expect(pieces.locate(pieces.docs[1]!, ['b', 'c'])).toBe(4);
    expect(pieces.locate(pieces.docs[2]!, ['d', 'nope'])).toBe(7);
  });

  it('builds each document alone when one of a file that parses cannot be constructed', () => {
    // The file parses as a whole; the constructor fails on the second document only.
    const text = 'a: &x 1\nb: *x\n---\nk: 1\nk: 2\n---\nc: *y\n---\nd:\n  e: 4\n';
    const f = parseYaml(text);
    expect(f.docs.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    expect(f.docs[0]!.value).toEqual({ a: 1, b: 1 });
    expect(f.docs[1]!.error).toMatchObject({ line: 5 });
    expect(f.docs[1]!.error?.reason).toMatch(/duplicated mapping key/);
    expect(f.docs[2]!.error?.reason).toMatch(/unidentified alias/);
    expect(f.docs[3]!.value).toEqual({ d: { e: 4 } });
    expect(f.locate(f.docs[3]!, ['d', 'e'])).toBe(10);
    expect(f.locate(f.docs[0]!, ['b'])).toBe(2);
  });

  it('rejects duplicate keys with the line of the duplicate', () => {
    const f = parseYaml('metadata:\n  name: a\n  name: b\n');
    expect(f.docs[0]!.error?.reason).toMatch(/duplicated mapping key/);
    expect(f.docs[0]!.error?.line).toBe(3);
  });

  it('rejects an alias bomb without expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const f = parseYaml(lines.join('\n') + '\n');
    expect(f.docs[0]!.error?.reason).toMatch(/alias/);
  });

  it('never echoes the source in an error', () => {
    const f = parseYaml('password: "hunter2\n');
    expect(JSON.stringify(f.docs)).not.toContain('hunter2');
  });
});

describe('maskCommonDocuments', () => {
  it('blanks documents both sides share, keeping lines', () => {
    const x = 'kind: A\nname: x\n';
    const y1 = 'kind: B\nname: y\n';
    const y2 = 'kind: B\nname: z\n';
    const a = `${x}---\n${y1}`;
    const b = `${x}---\n${y2}---\nkind: C\n`;
    const m = maskCommonDocuments(a, b);
    expect(m.masked).toBe(1);
    expect(m.a).toBe(`\n\n---\n${y1}`);
    expect(m.b).toBe(`\n\n---\n${y2}---\nkind: C\n`);
    const f = parseYaml(m.b);
    expect(f.docs.map((d) => [d.line, (d.value as { kind: string }).kind])).toEqual([
      [4, 'B'],
      [7, 'C'],
    ]);
  });

  it('counts repeated documents', () => {
    const d = 'kind: A\n';
    const m = maskCommonDocuments(`${d}---\n${d}`, `${d}`);
    expect(m.masked).toBe(1);
    expect(parseYaml(m.a).docs).toHaveLength(1);
    expect(parseYaml(m.b).docs).toHaveLength(0);
  });

  it('leaves files without common documents alone', () => {
    expect(maskCommonDocuments('a: 1\n', 'a: 2\n')).toEqual({
      a: 'a: 1\n',
      b: 'a: 2\n',
      masked: 0,
      blankedA: new Set(),
      blankedB: new Set(),
    });
  });
});
