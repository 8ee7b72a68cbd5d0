import { describe, expect, it } from 'vitest';
import { JsonStreamError, JsonStreamScanner, type ObjectSelector, type Selector } from './json-stream.js';

/** Feeds `text` in chunks of `size` bytes (the last one shorter). */
function feed(root: Selector, text: string | Buffer, size: number): JsonStreamScanner {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const s = new JsonStreamScanner(root);
  for (let i = 0; i < buf.length; i += size) s.push(buf.subarray(i, i + size));
  s.end();
  return s;
}

interface Collected {
  items: unknown[];
  positions: Array<[number, number, number]>;
  meta: Record<string, unknown>;
  keys: string[];
}

function planSelector(out: Collected): ObjectSelector {
  return {
    kind: 'object',
    onKey: (k) => out.keys.push(k),
    keys: {
      format_version: { kind: 'capture', emit: (v) => (out.meta.format_version = v) },
      items: {
        kind: 'array',
        items: {
          kind: 'capture',
          emit: (v, at) => {
            out.items.push(v);
            out.positions.push([at.position.offset, at.position.line, at.position.column]);
          },
        },
      },
      nested: {
        kind: 'object',
        any: {
          kind: 'object',
          record: true,
          keys: { id: { kind: 'capture' }, deps: { kind: 'capture' } },
          end: (r, at) => (out.meta[`nested:${String(at.path[1])}`] = r),
        },
      },
    },
  };
}

const collected = (): Collected => ({ items: [], positions: [], meta: {}, keys: [] });

const DOC = {
  format_version: '1.2',
  skipped: { a: [1, 2, { b: 'x}]"\\' }], c: 'tricky "quoted" ]}[{ \\\\' },
  items: [
    { address: 'a.b', s: 'line\nbreak \u00e9\u4e2d\ud83d\ude00', n: -1.5e3, t: true, f: false, z: null },
    [],
    'plain "string" with \\ backslash',
    12345,
    { deep: [[[{ k: '\\"' }]]] },
  ],
  nested: { x: { id: 'X', deps: ['a', 'b'], other: { big: [1, 2, 3] } }, y: { id: 'Y' } },
  tail: [true, false, null, 0],
};

describe('JsonStreamScanner', () => {
  const text = JSON.stringify(DOC);
  const pretty = JSON.stringify(DOC, null, 2);

  it.each([1, 2, 3, 5, 7, 16, 64, 1 << 20])('captures exactly what JSON.parse sees, in chunks of %i bytes', (size) => {
    for (const t of [text, pretty]) {
      const out = collected();
      const s = feed(planSelector(out), t, size);
      expect(out.items).toEqual(DOC.items);
      expect(out.meta.format_version).toBe('1.2');
      expect(out.meta['nested:x']).toEqual({ id: 'X', deps: ['a', 'b'] });
      expect(out.meta['nested:y']).toEqual({ id: 'Y' });
      expect(out.keys).toEqual(['format_version', 'skipped', 'items', 'nested', 'tail']);
      expect(s.stats.bytes).toBe(Buffer.byteLength(t));
    }
  });

  it('gives the byte offset, line and column of each captured value', () => {
    const out = collected();
    feed(planSelector(out), pretty, 7);
    const buf = Buffer.from(pretty);
    for (const [offset, line, column] of out.positions) {
      const before = buf.subarray(0, offset).toString('utf8');
      expect(line).toBe(before.split('\n').length);
      expect(column).toBe(offset - (buf.lastIndexOf(0x0a, offset - 1) + 1) + 1);
      expect(['{', '[', '"', '1']).toContain(String.fromCharCode(buf[offset]!));
    }
    const one = collected();
    feed(planSelector(one), text, 3);
    expect(one.positions[0]).toEqual([text.indexOf('{"address"'), 1, text.indexOf('{"address"') + 1]);
  });

  it('reports a document cut at any byte as truncated, with the offset and the path', () => {
    const buf = Buffer.from(text);
    for (let cut = 1; cut < buf.length; cut++) {
      const s = new JsonStreamScanner(planSelector(collected()));
      let err: unknown;
      try {
        s.push(buf.subarray(0, cut));
        s.end();
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(JsonStreamError);
      const e = err as JsonStreamError;
      // A cut inside a multi-byte character or a number may also surface as invalid JSON of the captured value.
      if (e.truncated) expect(e.message).toContain(`ends at byte ${cut}`);
    }
    const s = new JsonStreamScanner(planSelector(collected()));
    s.push(buf.subarray(0, buf.indexOf('"deep"') + 3));
    expect(() => s.end()).toThrow(/truncated: it ends at byte \d+ inside items\[4\]/);
  });

  it('rejects what is not JSON, with the byte and the line', () => {
    const sel = planSelector(collected());
    expect(() => feed(sel, '{"a": 1,\n "b" 2}', 4)).toThrow(
      /expected ':' after property name, found '2' at byte 14 \(line 2, column 6\)/,
    );
    expect(() => feed(sel, '{"skipped": [1, 2}', 4)).toThrow(/mismatched '}'/);
    expect(() => feed(sel, '{"items": [01x]}', 4)).toThrow(/invalid JSON at byte 12/);
    expect(() => feed(sel, '{} {}', 4)).toThrow(/unexpected data after the end of the JSON document at byte 3/);
    expect(() => feed(sel, '', 4)).toThrow(/the input is empty/);
    expect(() => feed(sel, 'PK\u0003\u0004', 4)).toThrow(/expected a value, found 'P'/);
  });

  it('skips a UTF-8 byte order mark', () => {
    const out = collected();
    feed(planSelector(out), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 5);
    expect(out.items).toHaveLength(5);
  });

  it('never materialises more than one selected value at a time', () => {
    const big = {
      format_version: '1.2',
      skipped: 'x'.repeat(200_000),
      items: Array.from({ length: 500 }, (_, i) => ({ i, pad: 'y'.repeat(100) })),
    };
    const out = collected();
    const s = feed(planSelector(out), JSON.stringify(big), 4096);
    expect(out.items).toHaveLength(500);
    expect(s.stats.captures).toBe(501);
    expect(s.stats.maxCaptureBytes).toBeLessThan(200);
  });

  it('matches JSON.parse on random documents split at random places', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const strings = ['', 'a', '"', '\\', '\\"', 'é', '中', '😀', '}', ']', '{[', 'x\ny', '\t'];
    const gen = (d: number): unknown => {
      const r = rnd();
      if (d > 4 || r < 0.3) {
        const k = Math.floor(rnd() * 5);
        return [null, true, 1.25, strings[Math.floor(rnd() * strings.length)]!.repeat(1 + Math.floor(rnd() * 3)), -7][
          k
        ];
      }
      if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(d + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [`${strings[i % strings.length]}k${i}`, gen(d + 1)]),
      );
    };
    for (let n = 0; n < 200; n++) {
      const items = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => gen(0));
      const doc = { format_version: '1.0', skipped: gen(0), items };
      const out = collected();
      feed(planSelector(out), JSON.stringify(doc, null, n % 2 ? 1 : 0), 1 + Math.floor(rnd() * 9));
      expect(out.items).toEqual(items);
    }
  });
});
