/**
 * PostgreSQL, parsed by the real PostgreSQL parser (libpg-query, a WebAssembly build of the server's
 * own grammar), loaded on first use only: a run that touches no SQL never loads it. Many files are
 * parsed per parser call (parsePostgresMany); each statement is classified (classify.ts).
 */
import { setBodyParser } from './body.js';
import { classifyPg, type PgNode } from './classify.js';
import { byteToChar, isBlank, positionOf, skipTrivia, skipTriviaText } from './text.js';
import type { ParsedSql, Statement } from './vocabulary.js';

export interface PgModule {
  parseSync(sql: string): { stmts?: Array<{ stmt: PgNode; stmt_location?: number; stmt_len?: number }> };
}
let pgModule: Promise<PgModule> | undefined;

/**
 * Loads the WebAssembly parser once. Liftoff only (the baseline compiler): V8 would otherwise
 * recompile the module in the background and stall the exit (~100 ms). The flag is process-wide, so
 * the rehearsal, which runs PostgreSQL itself as WebAssembly (PGlite) and wants it optimised, asks
 * for the parser without it.
 */
export function loadPgParser(opts: { liftoffOnly?: boolean } = {}): Promise<PgModule> {
  pgModule ??= (async () => {
    if (opts.liftoffOnly !== false)
      try {
        (await import('node:v8')).setFlagsFromString('--liftoff-only');
      } catch {
        /* not fatal */
      }
    // The package's Emscripten module itself, not its wrapper (which instantiates it on require), and
    // by require: import() of this 60 kB CommonJS file first scans it for exports (~12 ms measured).
    // The CLI is a CommonJS bundle (require exists); tests run the ESM sources.
    const { createRequire } = await import('node:module');
    let factory: (typeof import('libpg-query/wasm/libpg-query.js'))['default'];
    try {
      const req = typeof require === 'function' ? require : createRequire(import.meta.url);
      factory = req('libpg-query/wasm/libpg-query.js') as typeof factory;
    } catch (e) {
      throw new Error(`cannot load the PostgreSQL parser (libpg-query): ${e instanceof Error ? e.message : String(e)}`);
    }
    const wasm = await factory();
    return setBodyParser({ parseSync: (sql: string) => parseRaw(wasm, sql) });
  })();
  return pgModule;
}

type PgQueryWasm = Awaited<ReturnType<typeof import('libpg-query/wasm/libpg-query.js').default>>;

/**
 * libpg-query's parseSync (wasm/index.cjs, same calls and errors), with the text copied into the
 * module's memory and the JSON read out of it by Buffer: the wrapper does both a byte at a time in
 * JavaScript, which costs more than the parse for large inputs. A syntax error throws an error with
 * `sqlDetails` { message, cursorPosition (0-based) } as the wrapper's SqlError does.
 */
function parseRaw(wasm: PgQueryWasm, sql: string): ReturnType<PgModule['parseSync']> {
  if (sql === '') throw new Error('Query cannot be empty');
  const bytes = Buffer.from(sql, 'utf8');
  const queryPtr = wasm._malloc(bytes.length + 1);
  if (!queryPtr) throw new Error('Failed to parse query: memory allocation failed');
  let resultPtr = 0;
  try {
    wasm.HEAPU8.set(bytes, queryPtr);
    wasm.HEAPU8[queryPtr + bytes.length] = 0;
    resultPtr = wasm._wasm_parse_query_raw(queryPtr);
    if (!resultPtr) throw new Error('Failed to parse query: memory allocation failed');
    // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error }
    const treePtr = wasm.getValue(resultPtr, 'i32');
    const errorPtr = wasm.getValue(resultPtr + 8, 'i32');
    if (errorPtr) {
      // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; ... }
      const messagePtr = wasm.getValue(errorPtr, 'i32');
      const cursorpos = wasm.getValue(errorPtr + 16, 'i32');
      const message = messagePtr ? wasm.UTF8ToString(messagePtr) : 'Unknown error';
      throw Object.assign(new Error(message), {
        name: 'SqlError',
        sqlDetails: { message, cursorPosition: cursorpos > 0 ? cursorpos - 1 : 0 },
      });
    }
    if (!treePtr) throw new Error('No parse tree generated');
    // The memory may have grown during the parse: its current view.
    const heap = wasm.HEAPU8;
    const end = heap.indexOf(0, treePtr);
    return JSON.parse(Buffer.from(heap.buffer, heap.byteOffset + treePtr, end - treePtr).toString('utf8'));
  } finally {
    wasm._free(queryPtr);
    if (resultPtr) wasm._wasm_free_parse_result(resultPtr);
  }
}

/** Byte offsets [start, end) of each statement, for the rehearsal to run them one at a time. */
export interface RawStatement {
  start: number;
  end: number;
  text: string;
  line: number;
  column: number;
  node: PgNode;
}

export function splitPg(pg: PgModule, text: string): RawStatement[] {
  const buf = Buffer.from(text, 'utf8');
  const r = pg.parseSync(text);
  return (r.stmts ?? []).map((s) => {
    const loc = s.stmt_location ?? 0;
    const end = s.stmt_len ? loc + s.stmt_len : buf.length;
    const start = skipTrivia(buf, loc);
    const pos = positionOf(text, start, buf);
    return { start, end, text: buf.subarray(start, end).toString('utf8').trim(), node: s.stmt, ...pos };
  });
}

/** Parses PostgreSQL text; a syntax error is returned with its line and column, never thrown. */
export function parsePostgres(pg: PgModule, text: string): ParsedSql {
  let raw: RawStatement[];
  // The parser reports an empty input as an error: nothing to parse is not a syntax error.
  if (isBlank(text)) return { dialect: 'postgres', statements: [] };
  try {
    raw = splitPg(pg, text);
  } catch (e) {
    const details = (e as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
    const message = details?.message ?? (e instanceof Error ? e.message : String(e));
    const pos = positionOf(text, details?.cursorPosition ?? 0);
    return { dialect: 'postgres', statements: [], error: { message, ...pos } };
  }
  return {
    dialect: 'postgres',
    statements: raw.map((s) => ({
      line: s.line,
      column: s.column,
      text: s.text,
      ops: classifyPg(s.node, s.line, s.column),
    })),
  };
}

/** Texts parsed per parser call by parsePostgresMany, and the most bytes per call. */
const BATCH_TEXTS = 64;
const BATCH_BYTES = 256 * 1024;
/** Between two texts of one parser call: ends a comment line and any statement, never starts one. */
const BATCH_SEP = '\n;\n';

/**
 * parsePostgres of each text, in few parser calls: texts are joined (a `;` between them) and parsed
 * together, each statement given back to the text it came from. The results are those of
 * parsePostgres text by text: a joined call that fails, or in which a statement runs from one text
 * into the next (an unterminated comment, quote or statement), is parsed again text by text.
 */
export function parsePostgresMany(pg: PgModule, texts: readonly string[]): ParsedSql[] {
  const out: ParsedSql[] = new Array(texts.length);
  let batch: number[] = [];
  let bytes = 0;
  const flush = () => {
    if (batch.length === 1) out[batch[0]!] = parsePostgres(pg, texts[batch[0]!]!);
    else if (batch.length) parseJoined(pg, texts, batch, out);
    batch = [];
    bytes = 0;
  };
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    if (isBlank(t)) {
      out[i] = { dialect: 'postgres', statements: [] };
      continue;
    }
    batch.push(i);
    bytes += t.length;
    if (batch.length >= BATCH_TEXTS || bytes >= BATCH_BYTES) flush();
  }
  flush();
  return out;
}

function parseJoined(pg: PgModule, texts: readonly string[], idx: readonly number[], out: ParsedSql[]): void {
  const n = idx.length;
  const parts: string[] = new Array(n);
  for (let j = 0; j < n; j++) parts[j] = texts[idx[j]!]!;
  const joined = parts.join(BATCH_SEP);
  let r: ReturnType<PgModule['parseSync']>;
  try {
    r = pg.parseSync(joined);
  } catch {
    for (const i of idx) out[i] = parsePostgres(pg, texts[i]!);
    return;
  }
  // The parser's offsets are bytes of the UTF-8 text; the statements are read from the string.
  // In pure ASCII (the usual migration) they are the same numbers.
  const charOf = Buffer.byteLength(joined, 'utf8') === joined.length ? undefined : byteToChar(joined);
  if (!readJoined(joined, parts, r.stmts ?? [], charOf, idx, out))
    for (const i of idx) out[i] = parsePostgres(pg, texts[i]!);
}

/**
 * The statements of a joined parse, given back to the texts they start in, with the lines and columns
 * of each text; false when a statement runs from one text into the next (then: text by text).
 */
function readJoined(
  joined: string,
  parts: readonly string[],
  stmts: NonNullable<ReturnType<PgModule['parseSync']>['stmts']>,
  charOf: ((byte: number) => number) | undefined,
  idx: readonly number[],
  out: ParsedSql[],
): boolean {
  const n = parts.length;
  const sepLen = BATCH_SEP.length;
  const total = joined.length;
  const perText: Statement[][] = new Array(n);
  for (let j = 0; j < n; j++) perText[j] = [];
  // The text reached (statements come in order): where it starts and ends, where the next one starts.
  let k = 0;
  let start0 = 0;
  let limit = parts[0]!.length;
  let nextStart = n > 1 ? limit + sepLen : total + 1;
  let line = 1;
  let lineStart = 0;
  for (let x = 0; x < stmts.length; x++) {
    const s = stmts[x]!;
    const locByte = s.stmt_location ?? 0;
    const loc = charOf ? charOf(locByte) : locByte;
    // A statement belongs to the text it starts in; the one after a separator starts at its newline.
    while (k + 1 < n && loc >= nextStart - 1) {
      k++;
      start0 = nextStart;
      limit = start0 + parts[k]!.length;
      nextStart = k + 1 < n ? limit + sepLen : total + 1;
      line = 1;
      lineStart = start0;
    }
    const end = s.stmt_len ? (charOf ? charOf(locByte + s.stmt_len) : locByte + s.stmt_len) : total;
    // The separator's `;` ends a text's last statement: up to it is the text's end (and a newline).
    if (loc < start0 - 1 || end > limit + 1) return false;
    const start = skipTriviaText(joined, loc > start0 ? loc : start0);
    for (let j = joined.indexOf('\n', lineStart); j >= 0 && j < start; j = joined.indexOf('\n', j + 1)) {
      line++;
      lineStart = j + 1;
    }
    const column = start - lineStart + 1;
    perText[k]!.push({
      line,
      column,
      text: joined.slice(start, end < limit ? end : limit).trim(),
      ops: classifyPg(s.stmt, line, column),
    });
  }
  for (let j = 0; j < n; j++) out[idx[j]!] = { dialect: 'postgres', statements: perText[j]! };
  return true;
}
