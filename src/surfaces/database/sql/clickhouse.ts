/**
 * ClickHouse DDL read far enough to class each statement of a migration: the PostgreSQL and MySQL
 * parsers cannot read its dialect (engines, codecs, `ALTER TABLE ... UPDATE` mutations), and its
 * statements behave differently (no transactions, mutations run in the background, an Atomic
 * database renames and exchanges tables without moving data). A statement that is not recognised is
 * returned as `unknown`, so that the caller holds the class for it.
 */

import { clickhouseUpdateShape } from './update-shape.js';

export type ClickHouseOp =
  | { kind: 'createTable'; table: string }
  | { kind: 'createView'; view: string; materialized: boolean; to?: string }
  | { kind: 'expand'; table: string; what: string }
  | { kind: 'insert'; table: string }
  | { kind: 'dropTable'; table: string; view: boolean }
  | { kind: 'destroy'; table: string; what: string }
  | { kind: 'overwrite'; table: string; what: string; columns: string[]; derivedFrom?: string[]; fillsEmpty?: boolean }
  | { kind: 'renameColumn'; table: string; from: string; to: string }
  | { kind: 'modifyColumn'; table: string; column: string }
  | { kind: 'renameTables'; pairs: Array<[string, string]> }
  | { kind: 'exchange'; pairs: Array<[string, string]> }
  | { kind: 'harmless'; what: string }
  | { kind: 'unknown'; head: string };

export interface ClickHouseStatement {
  /** 1-based line where the statement starts. */
  line: number;
  text: string;
  ops: ClickHouseOp[];
  /** A second statement that starts in this one, with no `;` before it: a syntax error (see splitClickHouse). */
  runsInto?: RunsInto;
}

/** Where a statement runs into the next one: the line of the next statement, its first words and its text. */
export interface RunsInto {
  line: number;
  what: string;
  /** The next statement's text, up to the `;` (whitespace evened out, lower case): which `;` is missing. */
  next: string;
}

const NAME = String.raw`(?:[\`"]?[\w$]+[\`"]?\.)?[\`"]?([\w$]+)[\`"]?`;
/**
 * The words that start a statement and can continue none: no clause, expression or ALTER command of
 * ClickHouse's grammar goes on with them (ALTER's own commands are `DROP COLUMN`, `RENAME COLUMN`...).
 */
const NEXT_STATEMENT =
  /^[ \t]*(CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMPORARY\s+)?(?:TABLE|(?:MATERIALIZED\s+|LIVE\s+|WINDOW\s+)?VIEW|DICTIONARY|DATABASE|FUNCTION)|ALTER\s+TABLE|DROP\s+(?:TEMPORARY\s+)?(?:TABLE|VIEW|DICTIONARY|DATABASE)|RENAME\s+(?:TABLE|DICTIONARY|DATABASE)|EXCHANGE\s+(?:TABLES|DICTIONARIES)|INSERT\s+INTO|TRUNCATE\s+TABLE|OPTIMIZE\s+TABLE)\b/i;

/**
 * The file's statements as clickhouse-client splits a multi-query file: at `;` outside quotes and
 * comments, comments removed. The client parses one statement up to the next `;`, and a parsed
 * statement must end there or at the end of the input ("Expected ... end of query" otherwise;
 * `tryParseQuery`), so a statement whose `;` is missing runs into the next one and the two are one
 * syntax error. Such a statement is marked with where the next one starts: a line that begins with words
 * that start a statement and continue none (NEXT_STATEMENT), outside parentheses.
 */
export function splitClickHouse(text: string): Array<{ line: number; text: string; runsInto?: RunsInto }> {
  const out: Array<{ line: number; text: string; runsInto?: RunsInto }> = [];
  let cur = '';
  let start = -1;
  let line = 1;
  let depth = 0;
  let runsInto: Omit<RunsInto, 'next'> | undefined;
  let at = 0;
  const flush = () => {
    const t = cur.trim();
    const next = cur.slice(at).trim().replace(/\s+/g, ' ').toLowerCase();
    if (t) out.push({ line: start, text: t.replace(/\s+/g, ' '), ...(runsInto ? { runsInto: { ...runsInto, next } } : {}) });
    cur = '';
    start = -1;
    depth = 0;
    runsInto = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop - 1;
      cur += ' ';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const from = i;
      for (i++; i < text.length && text[i] !== c; i++) {
        if (text[i] === '\\') i++;
        if (text[i] === '\n') line++;
      }
      if (start < 0) start = line;
      cur += text.slice(from, i + 1);
      continue;
    }
    if (c === ';') {
      flush();
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === '\n') {
      line++;
      cur += c;
      if (start >= 0 && depth <= 0 && !runsInto) {
        const next = NEXT_STATEMENT.exec(text.slice(i + 1, i + 80));
        if (next) {
          runsInto = { line, what: next[1]!.replace(/\s+/g, ' ').toUpperCase() };
          at = cur.length;
        }
      }
      continue;
    }
    if (start < 0 && !/\s/.test(c)) start = line;
    cur += c;
  }
  flush();
  return out;
}

const unq = (s: string) => s.replace(/[`"]/g, '');

/** The operations of one statement (an `ALTER TABLE` may hold several comma-separated commands). */
export function classifyClickHouse(text: string): ClickHouseOp[] {
  const s = text.trim();
  let m: RegExpExecArray | null;
  if (
    (m = new RegExp(
      String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}`,
      'i',
    ).exec(s))
  )
    return [{ kind: 'createTable', table: m[1]! }];
  if (
    (m = new RegExp(
      String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?(MATERIALIZED\s+|LIVE\s+|WINDOW\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}`,
      'i',
    ).exec(s))
  ) {
    const to = new RegExp(String.raw`\bTO\s+${NAME}`, 'i').exec(s.slice(m[0].length).split(/\bAS\b/i)[0] ?? '');
    return [{ kind: 'createView', view: m[2]!, materialized: !!m[1], ...(to ? { to: to[1]! } : {}) }];
  }
  if (
    /^CREATE\s+(?:OR\s+REPLACE\s+)?(DICTIONARY|FUNCTION|DATABASE|ROLE|USER|ROW\s+POLICY|QUOTA|SETTINGS\s+PROFILE|NAMED\s+COLLECTION)\b/i.test(
      s,
    )
  )
    return [{ kind: 'harmless', what: s.split(/\s+/).slice(0, 2).join(' ') }];
  if ((m = new RegExp(String.raw`^INSERT\s+INTO\s+(?:TABLE\s+)?${NAME}`, 'i').exec(s)))
    return [{ kind: 'insert', table: m[1]! }];
  if ((m = new RegExp(String.raw`^DROP\s+(TABLE|VIEW|DICTIONARY)\s+(?:IF\s+EXISTS\s+)?${NAME}`, 'i').exec(s)))
    return m[1]!.toUpperCase() === 'DICTIONARY'
      ? [{ kind: 'harmless', what: 'DROP DICTIONARY' }]
      : [{ kind: 'dropTable', table: m[2]!, view: m[1]!.toUpperCase() === 'VIEW' }];
  if ((m = new RegExp(String.raw`^TRUNCATE\s+(?:TABLE\s+)?(?:IF\s+EXISTS\s+)?${NAME}`, 'i').exec(s)))
    return [{ kind: 'destroy', table: m[1]!, what: 'TRUNCATE' }];
  if (/^RENAME\s+(TABLE|DICTIONARY)\s+/i.test(s)) {
    const pairs = pairsOf(
      s.replace(/^RENAME\s+(TABLE|DICTIONARY)\s+/i, '').replace(/\s+ON\s+CLUSTER\s+.*$/i, ''),
      'TO',
    );
    return pairs ? [{ kind: 'renameTables', pairs }] : [{ kind: 'unknown', head: head(s) }];
  }
  if (/^EXCHANGE\s+(TABLES|DICTIONARIES)\s+/i.test(s)) {
    const pairs = pairsOf(
      s.replace(/^EXCHANGE\s+(TABLES|DICTIONARIES)\s+/i, '').replace(/\s+ON\s+CLUSTER\s+.*$/i, ''),
      'AND',
    );
    return pairs ? [{ kind: 'exchange', pairs }] : [{ kind: 'unknown', head: head(s) }];
  }
  if (/^(OPTIMIZE|SYSTEM|SET|GRANT|REVOKE)\b/i.test(s))
    return [{ kind: 'harmless', what: s.split(/\s+/)[0]!.toUpperCase() }];
  if ((m = new RegExp(String.raw`^ALTER\s+TABLE\s+${NAME}(?:\s+ON\s+CLUSTER\s+\S+)?\s+`, 'i').exec(s))) {
    const table = m[1]!;
    return commands(s.slice(m[0].length)).map((c) => alterOp(table, c));
  }
  return [{ kind: 'unknown', head: head(s) }];
}

function head(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}...` : s;
}

/** `a TO b, c TO d` -> [[a, b], [c, d]]; undefined when it does not read. */
function pairsOf(s: string, word: 'TO' | 'AND'): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const part of s.split(',')) {
    const m = new RegExp(String.raw`^\s*${NAME}\s+${word}\s+${NAME}\s*$`, 'i').exec(part);
    if (!m) return undefined;
    pairs.push([unq(m[1]!), unq(m[2]!)]);
  }
  return pairs.length ? pairs : undefined;
}

/** The comma-separated commands of an ALTER, split outside parentheses and quotes. */
function commands(s: string): string[] {
  const out: string[] = [];
  let d = 0;
  let cur = '';
  let q = '';
  for (const c of s) {
    if (q) {
      if (c === q) q = '';
    } else if (c === "'" || c === '"' || c === '`') q = c;
    else if (c === '(') d++;
    else if (c === ')') d--;
    else if (c === ',' && d === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function alterOp(table: string, c: string): ClickHouseOp {
  let m: RegExpExecArray | null;
  if (/^ADD\s+(COLUMN|INDEX|PROJECTION|CONSTRAINT|STATISTICS)\b/i.test(c))
    return { kind: 'expand', table, what: c.split(/\s+/).slice(0, 2).join(' ').toUpperCase() };
  if (
    /^(MATERIALIZE|COMMENT|MODIFY\s+(COMMENT|SETTING|ORDER\s+BY|SAMPLE\s+BY|QUERY)|RESET\s+SETTING|FREEZE|UNFREEZE|DROP\s+(INDEX|PROJECTION|CONSTRAINT|STATISTICS)|CLEAR\s+(INDEX|PROJECTION)|ATTACH\s+PARTITION|FETCH\s+PARTITION|MOVE\s+PARTITION\s+\S+\s+TO\s+(DISK|VOLUME))\b/i.test(
      c,
    )
  )
    return { kind: 'harmless', what: c.split(/\s+/).slice(0, 2).join(' ').toUpperCase() };
  if ((m = new RegExp(String.raw`^RENAME\s+COLUMN\s+(?:IF\s+EXISTS\s+)?${NAME}\s+TO\s+${NAME}`, 'i').exec(c)))
    return { kind: 'renameColumn', table, from: m[1]!, to: m[2]! };
  if (
    /^(DROP\s+COLUMN|CLEAR\s+COLUMN|DELETE\s+WHERE|DROP\s+PARTITION|DROP\s+PART|DROP\s+DETACHED|REPLACE\s+PARTITION|MODIFY\s+TTL|MATERIALIZE\s+TTL)\b/i.test(
      c,
    )
  )
    return {
      kind: 'destroy',
      table,
      what: c
        .split(/\s+/)
        .slice(0, c.match(/^(DELETE|DROP\s+PART\b)/i) ? 1 : 2)
        .join(' ')
        .toUpperCase(),
    };
  if (/^DETACH\s+PARTITION\b/i.test(c)) return { kind: 'harmless', what: 'DETACH PARTITION' };
  if (/^UPDATE\s+/i.test(c))
    return { kind: 'overwrite', table, what: `UPDATE ${c.slice(7, 67).trim()}`, ...clickhouseUpdateShape(c) };
  if ((m = new RegExp(String.raw`^MODIFY\s+COLUMN\s+(?:IF\s+EXISTS\s+)?${NAME}`, 'i').exec(c)))
    return { kind: 'modifyColumn', table, column: m[1]! };
  return { kind: 'unknown', head: head(`ALTER TABLE ${table} ${c}`) };
}

/** Every statement of a ClickHouse migration with its operations. */
export function readClickHouse(text: string): ClickHouseStatement[] {
  // A statement that runs into the next is a syntax error: nothing of it runs.
  return splitClickHouse(text).map((s) => ({ ...s, ops: s.runsInto ? [] : classifyClickHouse(s.text) }));
}

/** What a table created in the file has: its columns, indexes and projections, by lower-case name. */
interface Shape {
  column: Set<string>;
  index: Set<string>;
  projection: Set<string>;
}

const bare = (s: string) => unq(s.replace(/^.*\./, '')).toLowerCase();

/** The shape a `CREATE TABLE name (...)` gives its table; undefined when the file does not show all of it. */
function createdShape(text: string): Shape | undefined {
  // IF NOT EXISTS keeps a table that was there (of any shape); AS copies another's shape.
  if (/^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMPORARY\s+)?TABLE\s+IF\s+NOT\s+EXISTS\b/i.test(text)) return undefined;
  const open = text.indexOf('(');
  if (open < 0 || /\bAS\b/i.test(text.slice(0, open))) return undefined;
  let d = 0;
  let close = -1;
  for (let i = open; i < text.length && close < 0; i++) {
    if (text[i] === '(') d++;
    else if (text[i] === ')' && --d === 0) close = i;
  }
  if (close < 0) return undefined;
  const shape: Shape = { column: new Set(), index: new Set(), projection: new Set() };
  for (const part of commands(text.slice(open + 1, close))) {
    const m = /^(?:(INDEX|PROJECTION|CONSTRAINT|STATISTICS)\s+)?([`"]?[\w$.]+[`"]?)/i.exec(part);
    if (!m) return undefined;
    const what = (m[1] ?? 'column').toLowerCase();
    if (what === 'column' || what === 'index' || what === 'projection') shape[what].add(bare(m[2]!));
  }
  return shape;
}

/**
 * The first statement of a file that fails on every database, as the file itself shows it: one that runs
 * into the next with no `;` between them (a syntax error, see splitClickHouse), or an ALTER of a
 * table the file created just before (so with exactly the columns, indexes and projections it gave it)
 * that names a column, index or projection the table does not have (MATERIALIZE, CLEAR or DROP of an
 * index or projection; RENAME, DROP, CLEAR or MODIFY of a column; without IF EXISTS). ClickHouse refuses
 * such a command (no such projection, index or column). Undefined when no failure is certain.
 */
export function firstCertainFailure(
  statements: readonly ClickHouseStatement[],
): { index: number; why: string } | undefined {
  const shapes = new Map<string, Shape>();
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i]!;
    if (st.runsInto) return { index: i, why: `no ; before the ${st.runsInto.what} at line ${st.runsInto.line}, a syntax error` };
    for (const o of st.ops) {
      if (o.kind === 'createTable') {
        const shape = createdShape(st.text);
        if (shape) shapes.set(o.table.toLowerCase(), shape);
        else shapes.delete(o.table.toLowerCase());
      } else if (o.kind === 'dropTable') shapes.delete(o.table.toLowerCase());
      else if (o.kind === 'renameTables' || o.kind === 'exchange') {
        const moved = o.pairs.map(([a, b]) => [a.toLowerCase(), b.toLowerCase(), shapes.get(a.toLowerCase())] as const);
        const back = o.pairs.map(([, b]) => shapes.get(b.toLowerCase()));
        for (const [a, b, s] of moved) {
          shapes.delete(a);
          shapes.delete(b);
          if (s) shapes.set(b, s);
        }
        if (o.kind === 'exchange')
          moved.forEach(([a], k) => {
            if (back[k]) shapes.set(a, back[k]!);
          });
      }
    }
    const m = new RegExp(String.raw`^ALTER\s+TABLE\s+${NAME}(?:\s+ON\s+CLUSTER\s+\S+)?\s+`, 'i').exec(st.text);
    const shape = m ? shapes.get(m[1]!.toLowerCase()) : undefined;
    if (!m || !shape) continue;
    for (const c of commands(st.text.slice(m[0].length))) {
      const cmd =
        /^(ADD|DROP|CLEAR|MATERIALIZE|RENAME|MODIFY)\s+(COLUMN|INDEX|PROJECTION)\s+(IF\s+(?:NOT\s+)?EXISTS\s+)?([`"]?[\w$]+[`"]?)(?:\s+TO\s+([`"]?[\w$]+[`"]?))?/i.exec(
          c,
        );
      if (!cmd) continue;
      const verb = cmd[1]!.toUpperCase();
      const what = cmd[2]!.toLowerCase() as keyof Shape;
      const name = bare(cmd[4]!);
      if (verb === 'ADD') {
        shape[what].add(name);
        continue;
      }
      if (!shape[what].has(name)) {
        if (cmd[3]) continue;
        const table = unq(m[1]!);
        return { index: i, why: `${table} has no ${what} ${name}` };
      }
      if (verb === 'DROP') shape[what].delete(name);
      if (verb === 'RENAME' && cmd[5]) {
        shape[what].delete(name);
        shape[what].add(bare(cmd[5]));
      }
    }
  }
  return undefined;
}
