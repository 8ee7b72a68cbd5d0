/**
 * Words of `text` filled into lines of at most `width` characters: the first line has `first`
 * characters before it already, the others are indented by `indent` spaces. Lines break only at
 * spaces: a word (a path, a ref, an image) longer than the room is never cut and overflows its line
 * instead, and with `keepCode` a backtick-quoted span (`kubectl rollout undo deploy/web`) is one
 * word, so a command is never split across lines.
 */
export function wrap(text: string, width: number, indent: number, first = indent, keepCode = false): string[] {
  const words = (keepCode ? text.match(CODE_WORDS) : text.split(/\s+/))?.filter(Boolean) ?? [];
  const lines: string[] = [];
  let line = '';
  let room = width - first;
  for (const word of words) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = width - indent;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

/** A run of non-spaces in which a backtick opens a span that runs, spaces and all, to the next backtick. */
const CODE_WORDS = /(?:[^\s`]|`[^`]*`?)+/g;
