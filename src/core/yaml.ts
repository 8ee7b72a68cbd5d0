import { EVENT_ID, constructFromEvents, getScalarValue, parseEvents, type Event } from 'js-yaml';
import { splitDocuments } from './yaml-documents.js';

export { splitDocuments };

/**
 * Multi-document YAML with a line for every node: js-yaml's event parser gives source offsets, the
 * constructor builds values from the same events, and `locate` walks the events of one document to
 * the line of a path. The events `locate` reads are kept only when it is first called for a file (the
 * file's text is parsed to events again then, with the same parser): most files of a large run never
 * need a line beyond their documents' first, and a position map of every node of every file is what
 * the collector would otherwise copy for the whole run.
 *
 * Bad input never throws: a document that does not parse is returned with its error (line, column,
 * reason; never the source snippet, which may hold a secret), and the other documents still parse.
 */
export interface YamlError {
  reason: string;
  line: number;
  column: number;
}

export interface YamlDoc {
  /** 0-based position of the document in the file. */
  index: number;
  /** 1-based line of the document's first node. */
  line: number;
  /** The constructed value; undefined when `error` is set. Empty documents are left out. */
  value?: unknown;
  error?: YamlError;
}

export interface YamlFile {
  docs: YamlDoc[];
  /** The 1-based line of `path` in a document (the key line for mapping entries), or of the deepest part of it that exists. */
  locate(doc: YamlDoc, path: ReadonlyArray<string | number>): number;
}

export interface YamlOptions {
  /** Alias nodes allowed per document. */
  maxAliases?: number;
  /** Nesting depth allowed. */
  maxDepth?: number;
  /** Nodes a document may expand to through aliases (anchors used as a bomb). */
  maxExpandedNodes?: number;
  /**
   * Keep what `locate` reads from the events of this parse, instead of parsing the text again when a
   * line is first asked for: for texts whose lines are likely asked (a change's changed documents,
   * which findings point into), it saves a second parse; for texts that are rarely located (a whole
   * tree, unchanged documents) the default, lazy, keeps nothing.
   */
  eagerPositions?: boolean;
}

/**
 * One parsed event list: a whole file, or one document of a file parsed piece by piece. `ev` is what
 * `locate` reads of its events, made on first use (compactEvents) or with the parse (`eagerPositions`):
 * the few fields it needs, in one typed array (off the JavaScript heap) instead of an object per event.
 */
interface EventList {
  source: string;
  /** Offset of `source` in the file (non-zero when parsed piecewise). */
  base: number;
  maxDepth: number;
  ev?: Int32Array;
}

/** One document of a parsed event list: events `from` (its DOCUMENT event) to `to` (its POP), inclusive. */
interface DocSpan {
  index: number;
  events: Event[];
  list: EventList;
  from: number;
  to: number;
  /** Start of the document's first node, -1 when it has none. */
  start: number;
  hasAlias: boolean;
}

/** What `locate` keeps of a document once its value is built: its list and its events' range in it. */
interface Located {
  list: EventList;
  from: number;
  to: number;
}

/** Fields per event: type, start (collections) or valueStart (scalars), valueEnd, anchorStart, style, chomping, indent, fast. */
const F = 8;

/** The start of event `i`'s node (its anchor, when it has one), or -1 for events that are not nodes. */
function compactStart(ev: Int32Array, i: number): number {
  const o = i * F;
  const t = ev[o];
  if (t === EVENT_ID.SCALAR) return ev[o + 3]! >= 0 ? Math.min(ev[o + 3]!, ev[o + 1]!) : ev[o + 1]!;
  if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) return ev[o + 1]!;
  if (t === EVENT_ID.ALIAS) return ev[o + 3]!;
  return -1;
}

/** A scalar's decoded value, from its compact fields. */
function compactScalar(source: string, ev: Int32Array, i: number): string {
  const o = i * F;
  return getScalarValue(source, {
    type: EVENT_ID.SCALAR,
    valueStart: ev[o + 1]!,
    valueEnd: ev[o + 2]!,
    anchorStart: -1,
    anchorEnd: -1,
    tagStart: -1,
    tagEnd: -1,
    style: ev[o + 4]!,
    chomping: ev[o + 5]!,
    indent: ev[o + 6]!,
    fast: ev[o + 7] === 1,
  } as Extract<Event, { type: typeof EVENT_ID.SCALAR }>);
}

export function parseYaml(text: string, opts: YamlOptions = {}): YamlFile {
  let starts: number[] | undefined;
  const lines = () => (starts ??= lineStarts(text));
  const lineAt = lineCounter(text);
  const spans: DocSpan[] = [];
  const errors: YamlDoc[] = [];
  const maxDepth = opts.maxDepth ?? 128;
  const maxAliases = opts.maxAliases ?? 100;
  /** Values of every span, when the whole text parsed and constructed in one go. */
  let values: unknown[] | undefined;
  let events: Event[] | undefined;
  try {
    events = parseEvents(text, { maxDepth });
  } catch {
    // Parse piece by piece so that one bad document does not hide the others.
    for (const piece of splitDocuments(text)) {
      try {
        const pieceEvents = parseEvents(piece.text, { maxDepth });
        splitEvents(
          pieceEvents,
          {
            source: piece.text,
            base: piece.offset,
            maxDepth,
            ...(opts.eagerPositions ? { ev: compact(pieceEvents) } : {}),
          },
          spans,
          spans.length + errors.length,
        );
      } catch (e) {
        errors.push({ index: spans.length + errors.length, line: 0, error: toYamlError(e, piece.offset, lines(), text) });
      }
    }
  }
  if (events) {
    splitEvents(
      events,
      { source: text, base: 0, maxDepth, ...(opts.eagerPositions ? { ev: compact(events) } : {}) },
      spans,
    );
    // One constructor run for the whole file (anchors and alias counts are per document in it); when
    // some document fails, each is built alone below so that the others still get their values.
    try {
      const all = constructFromEvents(events, { source: text, maxAliases });
      if (all.length === spans.length) values = all;
    } catch {
      values = undefined;
    }
  }
  const docs: YamlDoc[] = errors;
  const spanOf = new Map<YamlDoc, Located>();
  for (let k = 0; k < spans.length; k++) {
    const span = spans[k]!;
    const start = span.start;
    const line = start >= 0 ? lineAt(span.list.base + start) : 0;
    let value: unknown;
    try {
      value = values
        ? values[k]
        : constructFromEvents(span.events.slice(span.from, span.to + 1), { source: span.list.source, maxAliases })[0];
      if (span.hasAlias && expandedSize(value, opts.maxExpandedNodes ?? 100_000) < 0)
        throw Object.assign(new Error('aliases expand to too many nodes (YAML anchors used as a bomb?)'), {
          mark: { position: start },
        });
    } catch (e) {
      docs.push({ index: span.index, line, error: toYamlError(e, span.list.base, lines(), text) });
      continue;
    }
    if (value === null || value === undefined) continue; // an empty document, as `---` at the end
    const doc: YamlDoc = { index: span.index, line, value };
    spanOf.set(doc, { list: span.list, from: span.from, to: span.to });
    docs.push(doc);
  }
  if (errors.length) docs.sort((a, b) => a.index - b.index);
  return {
    docs,
    locate(doc, path) {
      const span = spanOf.get(doc);
      if (!span) return doc.line || 1;
      const off = locateOffset(span, path);
      return off < 0 ? doc.line || 1 : lineOf(lines(), span.list.base + off);
    },
  };
}

/** Splits a flat event list into one span per document (the list's events are compacted only for `locate`). */
function splitEvents(events: Event[], list: EventList, out: DocSpan[], firstIndex = out.length): void {
  const n = events.length;
  let depth = 0;
  let from = -1;
  let start = -1;
  let hasAlias = false;
  let index = firstIndex;
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    const t = e.type;
    if (t === EVENT_ID.SCALAR) {
      if (i === from + 1) start = e.anchorStart >= 0 ? Math.min(e.anchorStart, e.valueStart) : e.valueStart;
    } else if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) {
      if (depth === 0) from = i;
      if (depth === 0 || i === from + 1) start = e.start;
      depth++;
    } else if (t === EVENT_ID.DOCUMENT) {
      if (depth === 0) from = i;
      depth++;
    } else if (t === EVENT_ID.ALIAS) {
      hasAlias = true;
      if (i === from + 1) start = e.anchorStart;
    } else if (t === EVENT_ID.POP) {
      depth--;
      if (depth === 0) {
        out.push({ index: index++, events, list, from, to: i, start, hasAlias });
        start = -1;
        hasAlias = false;
      }
    }
  }
}

/**
 * The compact events of a list, made the first time `locate` needs them: its source is parsed to
 * events again (it parsed before, with the same limits, so it parses the same way now) and the fields
 * `locate` reads are copied into one typed array, kept with the list for the next call.
 */
function compactEvents(list: EventList): Int32Array {
  return (list.ev ??= compact(parseEvents(list.source, { maxDepth: list.maxDepth })));
}

/** The fields `locate` reads of each event, in one typed array. */
function compact(events: Event[]): Int32Array {
  const n = events.length;
  const ev = new Int32Array(n * F);
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    const o = i * F;
    const t = e.type;
    ev[o] = t;
    if (t === EVENT_ID.SCALAR) {
      ev[o + 1] = e.valueStart;
      ev[o + 2] = e.valueEnd;
      ev[o + 3] = e.anchorStart;
      ev[o + 4] = e.style;
      ev[o + 5] = e.chomping;
      ev[o + 6] = e.indent;
      ev[o + 7] = e.fast ? 1 : 0;
    } else if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) {
      ev[o + 1] = e.start;
      ev[o + 3] = e.anchorStart;
    } else if (t === EVENT_ID.ALIAS) ev[o + 3] = e.anchorStart;
  }
  return ev;
}

/** Walks one document's events to the offset of a path; -1 when not even the root exists. */
function locateOffset(span: Located, path: ReadonlyArray<string | number>): number {
  const ev = compactEvents(span.list);
  const { source } = span.list;
  const n = span.to + 1;
  const type = (i: number) => ev[i * F];
  let i = span.from + 1; // skip the DOCUMENT event
  let best = i < n ? compactStart(ev, i) : -1;
  for (const key of path) {
    if (i >= n) return best;
    if (type(i) === EVENT_ID.MAPPING && typeof key === 'string') {
      let j = i + 1;
      let found = -1;
      while (j < n && type(j) !== EVENT_ID.POP) {
        const keyText = type(j) === EVENT_ID.SCALAR ? compactScalar(source, ev, j) : undefined;
        const valueIndex = skip(ev, n, j);
        if (keyText === key) {
          found = valueIndex;
          best = compactStart(ev, j);
          break;
        }
        j = skip(ev, n, valueIndex);
      }
      if (found < 0) return best;
      i = found;
    } else if (type(i) === EVENT_ID.SEQUENCE && typeof key === 'number') {
      let j = i + 1;
      let k = 0;
      while (j < n && type(j) !== EVENT_ID.POP && k < key) {
        j = skip(ev, n, j);
        k++;
      }
      if (j >= n || type(j) === EVENT_ID.POP) return best;
      best = compactStart(ev, j);
      i = j;
    } else return best;
  }
  return best;
}

/** Index just past the node that starts at `i`. */
function skip(ev: Int32Array, n: number, i: number): number {
  if (i >= n) return i;
  const t0 = ev[i * F];
  if (t0 !== EVENT_ID.MAPPING && t0 !== EVENT_ID.SEQUENCE) return i + 1;
  let depth = 0;
  for (let j = i; j < n; j++) {
    const t = ev[j * F];
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) depth++;
    else if (t === EVENT_ID.POP && --depth === 0) return j + 1;
  }
  return n;
}

/** Counts nodes as if aliases were expanded; -1 as soon as the count passes `limit`. */
function expandedSize(value: unknown, limit: number): number {
  const memo = new Map<object, number>();
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const m = memo.get(v);
    if (m !== undefined) return m;
    memo.set(v, limit + 1); // a cycle counts as too large
    let n = 1;
    for (const c of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      n += size(c);
      if (n > limit) break;
    }
    memo.set(v, n);
    return n;
  };
  return size(value) > limit ? -1 : 1;
}

function toYamlError(e: unknown, base: number, lines: number[], text: string): YamlError {
  const err = e as { reason?: string; message?: string; mark?: { position?: number } };
  const reason =
    err.reason ??
    String(err.message ?? e)
      .split('\n')[0]!
      .replace(/\s*\(\d+:\d+\)$/, '');
  let pos = base + (err.mark?.position ?? 0);
  // An error found at the end of the input (an unclosed bracket or quote) points at the last line with text.
  while (pos > 0 && (pos >= text.length || /\s/.test(text[pos]!)) && /\s/.test(text[pos - 1] ?? '')) pos--;
  const line = lineOf(lines, Math.min(pos, Math.max(0, text.length - 1)));
  return { reason, line, column: pos - lines[line - 1]! + 1 };
}

/**
 * The line of offsets asked in increasing order (the documents of a file), counting line breaks from
 * the last offset asked instead of keeping every line's start; an offset before the last starts over.
 */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    if (offset < at) {
      at = 0;
      line = 1;
    }
    for (let j = text.indexOf('\n', at); j >= 0 && j < offset; j = text.indexOf('\n', j + 1)) line++;
    at = offset;
    return line;
  };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** One YAML document from a small file (config, declaration); throws a plain error with line on failure. */
export function parseSingleYaml(text: string): { value: unknown; error?: YamlError } {
  const f = parseYaml(text);
  const bad = f.docs.find((d) => d.error);
  if (bad) return { value: undefined, error: bad.error! };
  return { value: f.docs[0]?.value ?? null };
}

/**
 * Blanks the documents `keep` rejects, keeping every line where it was, so that parsing what is left
 * costs only what is kept and its lines stay exact. A document marker stays to keep documents apart.
 */
export function keepDocuments(
  text: string,
  keep: (doc: string, index: number) => boolean,
  pieces = splitDocuments(text),
): string {
  let out = '';
  let last = 0;
  pieces.forEach((p, i) => {
    if (keep(p.text, i)) return;
    const marker = p.text.startsWith('---') ? '---' : '';
    let lines = 0;
    for (let j = p.text.indexOf('\n'); j >= 0; j = p.text.indexOf('\n', j + 1)) lines++;
    out += text.slice(last, p.offset) + marker + '\n'.repeat(lines);
    last = p.offset + p.text.length;
  });
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Blanks the documents that two revisions of one file have in common, keeping every line where it
 * was: a document that did not change cannot change anything, so only the others need parsing.
 * Returns the masked texts, how many documents were blanked, and which (`blankedA`/`blankedB`: indexes
 * into splitDocuments of each side's full text).
 */
export function maskCommonDocuments(
  a: string,
  b: string,
): { a: string; b: string; masked: number; blankedA: ReadonlySet<number>; blankedB: ReadonlySet<number> } {
  const pa = splitDocuments(a);
  const pb = splitDocuments(b);
  const count = new Map<string, number>();
  for (const p of pa) count.set(p.text, (count.get(p.text) ?? 0) + 1);
  const common = new Map<string, number>();
  for (const p of pb) {
    const n = count.get(p.text) ?? 0;
    if (n > (common.get(p.text) ?? 0)) common.set(p.text, (common.get(p.text) ?? 0) + 1);
  }
  if (common.size === 0) return { a, b, masked: 0, blankedA: new Set(), blankedB: new Set() };
  const blank = (text: string, pieces: Array<{ text: string; offset: number }>, blanked: Set<number>) => {
    const left = new Map(common);
    return keepDocuments(
      text,
      (doc, i) => {
        const n = left.get(doc) ?? 0;
        if (n === 0) return true;
        left.set(doc, n - 1);
        blanked.add(i);
        return false;
      },
      pieces,
    );
  };
  let masked = 0;
  for (const n of common.values()) masked += n;
  const blankedA = new Set<number>();
  const blankedB = new Set<number>();
  return { a: blank(a, pa, blankedA), b: blank(b, pb, blankedB), masked, blankedA, blankedB };
}
