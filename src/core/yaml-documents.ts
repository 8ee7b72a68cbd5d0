/**
 * Where the documents of a YAML stream begin and end, without a YAML parser: this module imports
 * nothing, so code that only needs the pieces (a search hint read before the parser loads) does not
 * load js-yaml. core/yaml.ts parses the pieces.
 */

/** Document pieces split at `---` / `...` markers at column 0 (YAML spec: markers end block scalars too). */
export function splitDocuments(text: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let last = 0;
  // Line by line (indexOf of the newline: a multiline regular expression tries every position).
  for (let at = 0; at < text.length;) {
    const marker = markerAt(text, at);
    if (marker) {
      if (at > last || out.length === 0) out.push({ text: text.slice(last, at), offset: last });
      last = at;
      // Keep the marker with its document (`--- !tag` and `--- {a: 1}` are legal) but not `...`.
      if (marker === DOC_END) {
        const nl = text.indexOf('\n', at);
        last = nl < 0 ? text.length : nl + 1;
      }
    }
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  out.push({ text: text.slice(last), offset: last });
  return out.filter((p) => p.text.trim() !== '' && p.text.trim() !== '---');
}

/** Whether `piece` is a whole document piece of `text`: it starts a line, and a marker or the end follows it. */
export function hasDocument(text: string, piece: string): boolean {
  for (let i = text.indexOf(piece); i >= 0; i = text.indexOf(piece, i + 1)) {
    const end = i + piece.length;
    if ((i === 0 || text.charCodeAt(i - 1) === 0x0a) && (end === text.length || markerAt(text, end))) return true;
  }
  return false;
}

const DOC_START = 0x2d; // '-'
const DOC_END = 0x2e; // '.'

/** DOC_START or DOC_END when a `---` or `...` marker starts the line at `i` (followed by a blank or the line's end), else 0. */
function markerAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if ((c !== DOC_START && c !== DOC_END) || text.charCodeAt(i + 1) !== c || text.charCodeAt(i + 2) !== c) return 0;
  const next = text.charCodeAt(i + 3);
  // NaN past the end of the text: the marker ends it.
  return Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d ? c : 0;
}
