/**
 * Whether a text contains any of many strings, in time linear in the text whatever their number.
 *
 * `strings.some((x) => text.includes(x))` costs a scan of the text per string: a change of thousands
 * of ConfigMaps looks their names up in thousands of files, and that product is what made such a change
 * run for hours. A few strings are still searched with `includes` (V8's search is fast, and nothing is
 * built); many are hashed by a window of their first characters (Rabin-Karp), and the text is scanned
 * once, comparing a string only where its window's hash matches.
 */
export type Contains = (text: string) => boolean;

/** From this many strings, one scan with a rolling hash instead of one `includes` per string. */
const MANY = 8;
/** The hash is kept modulo 2^32 (Math.imul and `| 0`): no division per character. */
const BASE = 257;

const matchers = new WeakMap<readonly string[], Contains>();

/** A test for "contains one of `strings`", built once per array (the same array gives the same test). */
export function containsAny(strings: readonly string[]): Contains {
  let m = matchers.get(strings);
  if (!m) matchers.set(strings, (m = build(strings)));
  return m;
}

function build(strings: readonly string[]): Contains {
  const list = [...new Set(strings)];
  if (list.includes('')) return () => true;
  const scan = scanner(list);
  if (!scan) return (text) => list.some((x) => text.includes(x));
  return (text) => {
    let found = false;
    scan(text, () => (found = true));
    return found;
  };
}

/**
 * Which of many strings a text contains (each once, in the order of `strings`), in one scan of the
 * text with the same rolling hash: what groups the files of a large change that name each other.
 */
export function foundIn(strings: readonly string[]): (text: string) => string[] {
  const list = [...new Set(strings)].filter((s) => s !== '');
  const scan = scanner(list);
  if (!scan) return (text) => list.filter((x) => text.includes(x));
  const order = new Map(list.map((s, i) => [s, i]));
  return (text) => {
    const found = new Set<string>();
    scan(text, (s) => {
      found.add(s);
      return false;
    });
    return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
  };
}

/**
 * One rolling-hash scan of a text that calls `hit` with each string found where it starts (until `hit`
 * returns true); undefined when the strings are too few or too short for hashing to pay.
 */
function scanner(list: readonly string[]): ((text: string, hit: (s: string) => boolean) => void) | undefined {
  const k = Math.min(16, ...list.map((s) => s.length));
  if (list.length < MANY || k < 3) return undefined;
  const byHash = new Map<number, string[]>();
  for (const s of list) {
    const h = hashOf(s, k);
    const bucket = byHash.get(h);
    if (bucket) bucket.push(s);
    else byHash.set(h, [s]);
  }
  // BASE^(k-1) mod 2^32: what the character leaving the window weighed.
  let top = 1;
  for (let i = 1; i < k; i++) top = Math.imul(top, BASE);
  return (text, hit) => {
    const n = text.length;
    if (n < k) return;
    let h = hashOf(text, k);
    for (let i = 0; ; i++) {
      const bucket = byHash.get(h);
      if (bucket) for (const s of bucket) if (text.startsWith(s, i) && hit(s)) return;
      if (i + k >= n) return;
      h = (Math.imul(h - Math.imul(text.charCodeAt(i), top), BASE) + text.charCodeAt(i + k)) | 0;
    }
  };
}

function hashOf(s: string, k: number): number {
  let h = 0;
  for (let i = 0; i < k; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}
