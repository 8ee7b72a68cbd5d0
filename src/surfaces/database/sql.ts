/**
 * SQL parsing and statement classification. PostgreSQL is parsed by the real PostgreSQL parser
 * (libpg-query, a WebAssembly build of the server's own grammar), loaded on first use only: a run
 * that touches no SQL never loads it. MySQL is parsed by node-sql-parser with reduced coverage.
 */
export type OpKind =
  // expand
  | 'create-table'
  | 'add-column'
  | 'add-column-default'
  | 'create-index-concurrently'
  | 'add-constraint-not-valid'
  | 'create-view'
  | 'create-function'
  | 'create-type'
  // contract
  | 'drop-column'
  | 'drop-table'
  | 'drop-constraint'
  | 'drop-type'
  | 'drop-view'
  // forward-only
  | 'rename-column'
  | 'rename-table'
  | 'enum-add-value'
  | 'enum-rename-value'
  // constraints and types
  | 'alter-column-type'
  | 'set-not-null'
  | 'add-column-required'
  | 'add-constraint'
  | 'validate-constraint'
  // data
  | 'update-all'
  | 'update-where'
  | 'delete'
  | 'truncate'
  | 'insert'
  // locking
  | 'create-index'
  | 'add-column-volatile-default'
  | 'drop-index'
  | 'drop-index-concurrently'
  // transactions
  | 'begin'
  | 'commit';

export interface Op {
  kind: OpKind;
  /** Table (or type, view, index) the operation touches, schema-qualified when the SQL qualifies it. */
  table?: string;
  column?: string;
  /** Constraint, index or type name, a new name, an enum value. */
  name?: string;
  /** A few words of detail: the new type, the USING expression, the WHERE clause present. */
  detail?: string;
  line: number;
  column0: number;
}

export interface Statement {
  line: number;
  column: number;
  /** The statement's text (without its semicolon). */
  text: string;
  ops: Op[];
}

export interface ParsedSql {
  dialect: 'postgres' | 'mysql';
  statements: Statement[];
  error?: { message: string; line: number; column: number };
}

export const PHASE_OF: Partial<Record<OpKind, 'expand' | 'contract' | 'migrate'>> = {
  'create-table': 'expand',
  'add-column': 'expand',
  'add-column-default': 'expand',
  'add-column-volatile-default': 'expand',
  'create-index-concurrently': 'expand',
  'create-index': 'expand',
  'add-constraint-not-valid': 'expand',
  'create-view': 'expand',
  'create-function': 'expand',
  'create-type': 'expand',
  'drop-column': 'contract',
  'drop-table': 'contract',
  'drop-constraint': 'contract',
  'drop-type': 'contract',
  'drop-view': 'contract',
  'update-all': 'migrate',
  'update-where': 'migrate',
  insert: 'migrate',
  delete: 'migrate',
};

/* ---------------- text positions ---------------- */

/** 1-based line and column of a UTF-8 byte offset into `text`. */
export function positionOf(
  text: string,
  byteOffset: number,
  buf = Buffer.from(text, 'utf8'),
): { line: number; column: number } {
  // Counts newlines in the bytes (no copy of the text before the offset), decodes only the last line.
  const end = Math.max(0, Math.min(byteOffset, buf.length));
  let line = 1;
  let lineStart = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: buf.toString('utf8', lineStart, end).length + 1 };
}

/** Skips whitespace and comments from a byte offset: where the statement itself starts. */
function skipTrivia(buf: Buffer, at: number): number {
  let i = at;
  for (;;) {
    while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
    if (buf[i] === 0x2d && buf[i + 1] === 0x2d) {
      while (i < buf.length && buf[i] !== 0x0a) i++;
    } else if (buf[i] === 0x2f && buf[i + 1] === 0x2a) {
      const end = buf.indexOf('*/', i + 2);
      i = end < 0 ? buf.length : end + 2;
    } else return i;
  }
}

/** Whether the text holds nothing but whitespace and comments (as skipTrivia reads them, on the string). */
export function isBlank(text: string): boolean {
  return skipTriviaText(text, 0) >= text.length;
}

/* ---------------- PostgreSQL ---------------- */

type Node = Record<string, any>;
interface PgModule {
  parseSync(sql: string): { stmts?: Array<{ stmt: Node; stmt_location?: number; stmt_len?: number }> };
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
    return { parseSync: (sql: string) => parseRaw(wasm, sql) };
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
  node: Node;
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

/**
 * String offsets of the UTF-8 byte offsets of a text, for offsets asked in increasing order (each
 * answer decodes only the bytes since the last one; a smaller offset starts again from the start).
 */
export function byteToChar(text: string): (byte: number) => number {
  const buf = Buffer.from(text, 'utf8');
  let byte0 = 0;
  let char0 = 0;
  return (byte) => {
    if (byte < byte0) byte0 = char0 = 0;
    char0 += buf.toString('utf8', byte0, byte).length;
    byte0 = byte;
    return char0;
  };
}

/** skipTrivia on a string (offsets are characters). */
function skipTriviaText(text: string, at: number): number {
  let i = at;
  const n = text.length;
  for (;;) {
    let c = text.charCodeAt(i);
    while (i < n && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) c = text.charCodeAt(++i);
    if (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else return i;
  }
}

const str = (n: Node | undefined): string | undefined => n?.String?.sval ?? n?.sval;
const rel = (r: Node | undefined): string | undefined =>
  r?.relname ? (r.schemaname ? `${r.schemaname}.${r.relname}` : r.relname) : undefined;
function nameList(items: Node[] | undefined): string {
  let out = '';
  let first = true;
  if (items)
    for (let i = 0; i < items.length; i++) {
      const x = str(items[i]);
      if (x === undefined || x === 'pg_catalog') continue;
      out = first ? x : `${out}.${x}`;
      first = false;
    }
  return out;
}

function typeName(t: Node | undefined): string {
  if (!t) return '?';
  const base = nameList(t.names);
  const typmods: Node[] | undefined = t.typmods;
  if (!typmods || typmods.length === 0) return base;
  const mods = typmods.map((m: Node) => m.A_Const?.ival?.ival ?? m.A_Const?.ival ?? '?');
  return `${base}(${mods.join(',')})`;
}

const STABLE_DEFAULTS = ['now', 'current_timestamp', 'current_date', 'statement_timestamp', 'transaction_timestamp'];

/** A default the server evaluates once (PostgreSQL 11+: no table rewrite): constants and casts of constants. */
function isConstant(e: Node | undefined): boolean {
  if (!e) return true;
  if (e.A_Const) return true;
  if (e.TypeCast) return isConstant(e.TypeCast.arg);
  if (e.FuncCall) {
    const fn = nameList(e.FuncCall.funcname);
    // Stable functions are evaluated once when the column is added; volatile ones force a rewrite.
    return STABLE_DEFAULTS.includes(fn);
  }
  if (e.SQLValueFunction) return true;
  return false;
}

const DROP_VIEWS = ['OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FUNCTION', 'OBJECT_PROCEDURE'];

/** The one key of a node ({ CreateStmt: {...} }), without an array of keys. */
function nodeKind(node: Node): string | undefined {
  for (const k in node) return k;
  return undefined;
}

function classifyPg(node: Node, line: number, column0: number): Op[] {
  const kind = nodeKind(node);
  const n = node[kind!] as Node;
  switch (kind) {
    case 'CreateStmt':
      return [{ kind: 'create-table', table: rel(n.relation), line, column0 }];
    case 'CreateTableAsStmt':
      return [{ kind: 'create-table', table: rel(n.into?.rel), line, column0 }];
    case 'ViewStmt':
      return [{ kind: 'create-view', table: rel(n.view), line, column0 }];
    case 'CreateFunctionStmt':
      return [{ kind: 'create-function', name: nameList(n.funcname), line, column0 }];
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
      return [{ kind: 'create-type', name: nameList(n.typeName) || rel(n.typevar), line, column0 }];
    case 'IndexStmt': {
      const k = n.concurrent ? 'create-index-concurrently' : 'create-index';
      return [
        n.idxname
          ? { kind: k, table: rel(n.relation), name: n.idxname, line, column0 }
          : { kind: k, table: rel(n.relation), line, column0 },
      ];
    }
    case 'AlterEnumStmt':
      return n.oldVal
        ? [
            {
              kind: 'enum-rename-value',
              name: nameList(n.typeName),
              detail: `${n.oldVal} -> ${n.newVal}`,
              line,
              column0,
            },
          ]
        : [{ kind: 'enum-add-value', name: nameList(n.typeName), detail: n.newVal, line, column0 }];
    case 'RenameStmt':
      if (n.renameType === 'OBJECT_COLUMN')
        return [{ kind: 'rename-column', table: rel(n.relation), column: n.subname, name: n.newname, line, column0 }];
      if (n.renameType === 'OBJECT_TABLE' || n.renameType === 'OBJECT_VIEW')
        return [{ kind: 'rename-table', table: rel(n.relation), name: n.newname, line, column0 }];
      return [];
    case 'DropStmt': {
      const removeType = n.removeType;
      const k: OpKind | undefined =
        removeType === 'OBJECT_TABLE'
          ? 'drop-table'
          : removeType === 'OBJECT_INDEX'
            ? n.concurrent
              ? 'drop-index-concurrently'
              : 'drop-index'
            : removeType === 'OBJECT_TYPE' || removeType === 'OBJECT_DOMAIN'
              ? 'drop-type'
              : DROP_VIEWS.includes(removeType)
                ? 'drop-view'
                : undefined;
      if (!k) return [];
      const objects: Node[] = n.objects ?? [];
      const out: Op[] = [];
      for (let i = 0; i < objects.length; i++) {
        const o = objects[i]!;
        const name: string = o.List ? nameList(o.List.items) : (str(o) ?? nameList(o.TypeName?.names));
        out.push(
          k === 'drop-table' || k === 'drop-view'
            ? { kind: k, table: name, line, column0 }
            : { kind: k, name, line, column0 },
        );
      }
      return out;
    }
    case 'AlterTableStmt': {
      const table = rel(n.relation);
      const cmds: Node[] | undefined = n.cmds;
      if (!cmds) return [];
      if (cmds.length === 1) return alterCmd(table, cmds[0]!.AlterTableCmd ?? {}, line, column0);
      const out: Op[] = [];
      for (let i = 0; i < cmds.length; i++) {
        const ops = alterCmd(table, cmds[i]!.AlterTableCmd ?? {}, line, column0);
        for (let j = 0; j < ops.length; j++) out.push(ops[j]!);
      }
      return out;
    }
    case 'UpdateStmt': {
      const table = rel(n.relation);
      const targets: Node[] = n.targetList ?? [];
      let cols = '';
      for (let i = 0; i < targets.length; i++) {
        const name = targets[i]!.ResTarget?.name;
        if (name) cols = cols ? `${cols}, ${name}` : name;
      }
      return [{ kind: n.whereClause ? 'update-where' : 'update-all', table, detail: cols, line, column0 }];
    }
    case 'DeleteStmt':
      return [{ kind: 'delete', table: rel(n.relation), detail: n.whereClause ? 'WHERE' : 'all rows', line, column0 }];
    case 'TruncateStmt':
      return (n.relations ?? []).map((r: Node) => ({
        kind: 'truncate' as const,
        table: rel(r.RangeVar),
        line,
        column0,
      }));
    case 'InsertStmt':
      return [{ kind: 'insert', table: rel(n.relation), line, column0 }];
    case 'TransactionStmt':
      if (n.kind === 'TRANS_STMT_BEGIN' || n.kind === 'TRANS_STMT_START') return [{ kind: 'begin', line, column0 }];
      if (n.kind === 'TRANS_STMT_COMMIT' || n.kind === 'TRANS_STMT_ROLLBACK')
        return [{ kind: 'commit', line, column0 }];
      return [];
    default:
      return [];
  }
}

const CONSTRAINT_TYPES: Record<string, string> = {
  CONSTR_FOREIGN: 'foreign key',
  CONSTR_CHECK: 'check',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary key',
  CONSTR_EXCLUSION: 'exclusion',
};

function alterCmd(table: string | undefined, c: Node, line: number, column0: number): Op[] {
  switch (c.subtype) {
    case 'AT_AddColumn': {
      const def = c.def?.ColumnDef ?? {};
      const raw: Node[] = def.constraints ?? [];
      let notNull = false;
      let dflt: Node | undefined;
      let generated = false;
      let checked = false;
      for (let i = 0; i < raw.length; i++) {
        const t = (raw[i]!.Constraint ?? {}).contype;
        if (t === 'CONSTR_NOTNULL' || t === 'CONSTR_PRIMARY') notNull = true;
        else if (t === 'CONSTR_DEFAULT') dflt ??= raw[i]!.Constraint;
        else if (t === 'CONSTR_IDENTITY' || t === 'CONSTR_GENERATED') generated = true;
        else if (t === 'CONSTR_FOREIGN' || t === 'CONSTR_CHECK' || t === 'CONSTR_UNIQUE') checked = true;
      }
      const column = def.colname as string;
      const detail = typeName(def.typeName);
      const kind: OpKind =
        generated || (dflt && !isConstant(dflt.raw_expr))
          ? 'add-column-volatile-default'
          : dflt
            ? 'add-column-default'
            : notNull
              ? 'add-column-required'
              : 'add-column';
      const out: Op[] = [{ kind, table, column, detail, line, column0 }];
      if (checked)
        for (let i = 0; i < raw.length; i++) {
          const x = raw[i]!.Constraint ?? {};
          if (x.contype === 'CONSTR_FOREIGN' || x.contype === 'CONSTR_CHECK' || x.contype === 'CONSTR_UNIQUE')
            out.push({
              kind: x.skip_validation ? 'add-constraint-not-valid' : 'add-constraint',
              table,
              column: def.colname,
              name: x.conname ?? '(unnamed)',
              detail: CONSTRAINT_TYPES[x.contype] ?? x.contype,
              line,
              column0,
            });
        }
      return out;
    }
    case 'AT_DropColumn':
      return [{ kind: 'drop-column', table, column: c.name, line, column0 }];
    case 'AT_AlterColumnType': {
      const def = c.def?.ColumnDef ?? {};
      const detail = typeName(def.typeName);
      return [
        def.raw_default
          ? { kind: 'alter-column-type', table, column: c.name, detail, name: 'USING', line, column0 }
          : { kind: 'alter-column-type', table, column: c.name, detail, line, column0 },
      ];
    }
    case 'AT_SetNotNull':
      return [{ kind: 'set-not-null', table, column: c.name, line, column0 }];
    case 'AT_AddConstraint': {
      const x = c.def?.Constraint ?? {};
      if (x.contype === 'CONSTR_PRIMARY' || x.contype === 'CONSTR_UNIQUE') {
        if (x.indexname) return []; // USING INDEX: built concurrently beforehand
      }
      return [
        {
          kind: x.skip_validation ? 'add-constraint-not-valid' : 'add-constraint',
          table,
          name: x.conname ?? '(unnamed)',
          detail:
            CONSTRAINT_TYPES[x.contype] ??
            String(x.contype ?? '')
              .replace('CONSTR_', '')
              .toLowerCase(),
          line,
          column0,
        },
      ];
    }
    case 'AT_ValidateConstraint':
      return [{ kind: 'validate-constraint', table, name: c.name, line, column0 }];
    case 'AT_DropConstraint':
      return [{ kind: 'drop-constraint', table, name: c.name, line, column0 }];
    default:
      return [];
  }
}

/* ---------------- MySQL (reduced coverage) ---------------- */

let mysqlParser: Promise<{ astify(sql: string, opt: { database: string }): unknown }> | undefined;

export function loadMysqlParser() {
  mysqlParser ??= import('node-sql-parser').then((m: any) => {
    const P = m.Parser ?? m.default?.Parser;
    return new P();
  });
  return mysqlParser;
}

/** Splits on semicolons outside quotes and comments, keeping 1-based lines. */
export function splitStatements(text: string): Array<{ text: string; line: number; column: number }> {
  const out: Array<{ text: string; line: number; column: number }> = [];
  let start = 0;
  let q: string | undefined;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === q) q = undefined;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') q = ch;
    else if (ch === '-' && text[i + 1] === '-') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? text.length - 1 : e;
    } else if (ch === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length - 1 : e + 1;
    } else if (ch === ';' || i === text.length) {
      const buf = Buffer.from(text.slice(0, i), 'utf8');
      const s = skipTrivia(buf, Buffer.byteLength(text.slice(0, start)));
      const body = buf.subarray(s).toString('utf8').trim();
      if (body) out.push({ text: body, ...positionOf(text, s) });
      start = i + 1;
    }
  }
  return out;
}

export async function parseMysql(text: string): Promise<ParsedSql> {
  const parser = await loadMysqlParser();
  const statements: Statement[] = [];
  for (const s of splitStatements(text)) {
    let ast: any;
    try {
      ast = parser.astify(s.text, { database: 'MySQL' });
    } catch (e) {
      const m = /line (\d+), column (\d+)/i.exec((e as Error).message);
      return {
        dialect: 'mysql',
        statements,
        error: {
          message: (e as Error).message.split('\n')[0]!,
          line: s.line + (m ? Number(m[1]) - 1 : 0),
          column: m ? Number(m[2]) : s.column,
        },
      };
    }
    const node = Array.isArray(ast) ? ast[0] : ast;
    statements.push({ ...s, ops: classifyMysql(node, s.line, s.column) });
  }
  return { dialect: 'mysql', statements };
}

function classifyMysql(n: any, line: number, column0: number): Op[] {
  const at = { line, column0 };
  const t = (x: any) => (x?.table ? String(x.table) : undefined);
  const table = t(Array.isArray(n?.table) ? n.table[0] : n?.table);
  switch (n?.type) {
    case 'create':
      if (n.keyword === 'table') return [{ kind: 'create-table', table, ...at }];
      if (n.keyword === 'index') return [{ kind: 'create-index', table: t(n.table), ...at }];
      if (n.keyword === 'view') return [{ kind: 'create-view', table, ...at }];
      return [];
    case 'drop':
      return n.keyword === 'table'
        ? (n.name ?? []).map((x: any) => ({ kind: 'drop-table' as const, table: t(x), ...at }))
        : [];
    case 'rename':
      return (n.table ?? []).map((p: any[]) => ({
        kind: 'rename-table' as const,
        table: t(p[0]),
        name: t(p[1]),
        ...at,
      }));
    case 'alter':
      return (n.expr ?? []).flatMap((e: any): Op[] => {
        const col = e.column?.column as string | undefined;
        if (e.resource === 'column' && e.action === 'drop') return [{ kind: 'drop-column', table, column: col, ...at }];
        if (e.resource === 'column' && e.action === 'add')
          return [
            {
              kind:
                e.nullable?.type === 'not null' && !e.default_val
                  ? 'add-column-required'
                  : e.default_val
                    ? 'add-column-default'
                    : 'add-column',
              table,
              column: col,
              ...at,
            },
          ];
        if (e.resource === 'column' && e.action === 'rename')
          return [{ kind: 'rename-column', table, column: e.old_column?.column, name: col, ...at }];
        if (e.resource === 'column' && (e.action === 'modify' || e.action === 'change'))
          return [
            {
              kind: 'alter-column-type',
              table,
              column: col,
              detail: String(e.definition?.dataType ?? '?').toLowerCase(),
              ...at,
            },
          ];
        return [];
      });
    case 'update':
      return [{ kind: n.where ? 'update-where' : 'update-all', table, ...at }];
    case 'delete':
      return [{ kind: 'delete', table, detail: n.where ? 'WHERE' : 'all rows', ...at }];
    case 'truncate':
      return [{ kind: 'truncate', table, ...at }];
    case 'insert':
    case 'replace':
      return [{ kind: 'insert', table, ...at }];
    default:
      return [];
  }
}

/** Signs of MySQL's dialect in a file PostgreSQL cannot parse. */
export function looksLikeMysql(text: string): boolean {
  return /`\w+`|\bENGINE\s*=|\bAUTO_INCREMENT\b|\bUNSIGNED\b|\bMODIFY\s+COLUMN\b|\bDEFAULT CHARSET\b/i.test(text);
}
