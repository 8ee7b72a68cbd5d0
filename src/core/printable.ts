/**
 * Text from a repository (file names, object names, values quoted in messages) printed for a person:
 * characters that move the cursor, change colour, end a line or reorder what follows are shown as
 * escapes, so a file named `x\ngate: PASSED` prints on one line and a name with `ESC[2K` erases
 * nothing. Escaped: C0 controls (tab and newline included), DEL, C1 controls, the Unicode line and
 * paragraph separators, the bidirectional embeddings, overrides and isolates ("Trojan Source",
 * CVE-2021-42574), and the byte order mark.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** Whether `s` holds a character printable() would escape. */
export function hasUnprintable(s: string): boolean {
  UNPRINTABLE.lastIndex = 0;
  const found = UNPRINTABLE.test(s);
  UNPRINTABLE.lastIndex = 0;
  return found;
}
