import { describe, expect, it } from 'vitest';
import { hasDocument, splitDocuments } from './yaml-documents.js';

describe('splitDocuments', () => {
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

describe('hasDocument', () => {
  it.each([
    ['the whole text', 'a: 1\n', 'a: 1\n', true],
    ['a document between markers', 'a: 1\n---\nb: 2\n---\nc: 3\n', '---\nb: 2\n', true],
    ['the last document', 'a: 1\n---\nb: 2\n', '---\nb: 2\n', true],
    ['a document followed by an end marker', 'b: 2\n...\n', 'b: 2\n', true],
    ['not at a line start', 'xa: 1\n', 'a: 1\n', false],
    ['a prefix of a longer document', 'a: 1\nb: 2\n', 'a: 1\n', false],
    ['absent', 'a: 1\n', 'b: 2\n', false],
    ['found again after a false start', 'xa: 1\n---\na: 1\n', 'a: 1\n', true],
  ])('%s', (_name, text, piece, found) => {
    expect(hasDocument(text, piece)).toBe(found);
  });
});
