import { describe, expect, it } from 'vitest';
import { maskCommonDocuments, parseYaml, splitDocuments } from './yaml.js';

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

  it('splits documents at column-0 markers only', () => {
    const pieces = splitDocuments('a: |\n  ---\n  x\n---\nb: 1\n');
    expect(pieces).toHaveLength(2);
    expect(pieces[1]!.offset).toBe(15);
  });

  // The splitter scans line starts by hand; it must cut exactly where the YAML grammar's marker rule
  // (a multiline regular expression, the reference here) cuts.
  const reference = (text: string): Array<{ text: string; offset: number }> => {
    const out: Array<{ text: string; offset: number }> = [];
    const re = /^(?:---|\.\.\.)(?=[ \t]|\r?$)/gm;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (m.index > last || out.length === 0) out.push({ text: text.slice(last, m.index), offset: last });
      last = m.index;
      if (m[0] === '...') {
        const nl = text.indexOf('\n', m.index);
        last = nl < 0 ? text.length : nl + 1;
      }
      re.lastIndex = m.index + 3;
    }
    out.push({ text: text.slice(last), offset: last });
    return out.filter((p) => p.text.trim() !== '' && p.text.trim() !== '---');
  };
  it.each([
    ['no marker', 'a: 1\nb: 2\n'],
    ['leading marker', '---\na: 1\n'],
    ['marker with a tag and a flow value', '--- !tag\na: 1\n--- {b: 2}\n'],
    ['end marker then a document', 'a: 1\n...\n---\nb: 2\n'],
    ['end marker at the end without a newline', 'a: 1\n...'],
    ['start marker at the end without a newline', 'a: 1\n---'],
    ['CRLF line ends', 'a: 1\r\n---\r\nb: 2\r\n'],
    ['indented markers are content', 'a: |\n  ---\n  ...\nb: 1\n'],
    ['four dashes are not a marker', '----\na: 1\n---x\n...y\n'],
    ['a marker followed by a tab', 'a: 1\n---\tb: 2\n'],
    ['empty documents between markers', '---\n---\n\n---\na: 1\n---\n'],
    ['only a marker', '---\n'],
    ['empty text', ''],
  ])('splits like the grammar: %s', (_name, text) => {
    expect(splitDocuments(text)).toEqual(reference(text));
  });

  it('splits like the grammar on generated texts', () => {
    const parts = ['---', '...', '--', '----', '--- x', '...\t', 'a: 1', '  ---', '', 'k: ...', '-- -'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 500; i++) {
      const lines = Array.from({ length: next() % 8 }, () => parts[next() % parts.length]!);
      const text = lines.join(next() % 3 === 0 ? '\r\n' : '\n') + (next() % 2 ? '\n' : '');
      expect(splitDocuments(text), JSON.stringify(text)).toEqual(reference(text));
    }
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
    expect(maskCommonDocuments('a: 1\n', 'a: 2\n')).toEqual({ a: 'a: 1\n', b: 'a: 2\n', masked: 0 });
  });
});
