/**
 * How a migration's history is read: what an edit of an applied migration makes different, operation by
 * operation, and whether a migration that runs again on a database where it already ran (a renamed
 * Prisma folder, a new version number) succeeds there.
 */
import { tableKey } from './schema.js';
import type { Op, Statement } from './sql/vocabulary.js';

/**
 * An operation without its position: two operations with the same key do the same thing. A CREATE TABLE
 * is keyed by its table only: an edited one whose columns changed still creates a table that every
 * database which applied the old text has (its columns are the edit's business, which the edit finding
 * reports), so it is not a new table.
 */
function opKey(o: Op): string {
  if (o.kind === 'create-table') return `create-table\0${o.table ?? ''}`;
  const { line: _l, column0: _c, ...rest } = o;
  return JSON.stringify(rest);
}

/**
 * The statements an edit added or changed, each keeping only the operations that the old text's
 * statements (those that ran, and that the edit changed) did not already do: `DROP COLUMN a, ADD COLUMN
 * b` edited to `DROP COLUMN a` drops nothing new. A database that applied the old text runs none of it;
 * one that runs the new text gets the same drop it got from the old one, so the drop is not the change's.
 */
export function withoutOpsThatRan(changed: readonly Statement[], ranBefore: readonly Statement[]): Statement[] {
  if (ranBefore.length === 0) return changed.slice();
  const left = new Map<string, number>();
  for (const st of ranBefore)
    for (const o of st.ops) {
      const k = opKey(o);
      left.set(k, (left.get(k) ?? 0) + 1);
    }
  return changed.map((st) => {
    const ops = st.ops.filter((o) => {
      const k = opKey(o);
      const n = left.get(k) ?? 0;
      if (n === 0) return true;
      left.set(k, n - 1);
      return false;
    });
    return ops.length === st.ops.length ? st : { ...st, ops };
  });
}

type Effect = { create: string } | { drop: string } | { use: string } | { rename: [string, string] } | 'ok' | 'unknown';

const TABLE_SCOPED = (o: Op, what: string) => `${what}:${(o.table ?? '').replace(/^public\./, '')}`;

/** What an operation needs and leaves, by object (table, column, constraint, index, type, view, enum value). */
function effectOf(o: Op): Effect {
  const t = TABLE_SCOPED(o, 't');
  switch (o.kind) {
    case 'create-table':
      return { create: t };
    case 'drop-table':
      return { drop: t };
    case 'add-column':
    case 'add-column-default':
    case 'add-column-volatile-default':
    case 'add-column-required':
      return o.column ? { create: `${t}.${o.column}` } : 'unknown';
    case 'drop-column':
      return o.column ? { drop: `${t}.${o.column}` } : 'unknown';
    case 'rename-column':
      return o.column && o.name ? { rename: [`${t}.${o.column}`, `${t}.${o.name}`] } : 'unknown';
    case 'rename-table':
      return o.name ? { rename: [t, `t:${o.name.replace(/^public\./, '')}`] } : 'unknown';
    case 'add-constraint':
    case 'add-constraint-not-valid':
      return o.name ? { create: `${t}#${o.name}` } : 'unknown';
    case 'drop-constraint':
      return o.name ? { drop: `${t}#${o.name}` } : 'unknown';
    case 'create-index':
    case 'create-index-concurrently':
      return o.name ? { create: `i:${o.name}` } : 'unknown';
    case 'drop-index':
    case 'drop-index-concurrently':
      return o.name ? { drop: `i:${o.name}` } : 'unknown';
    case 'create-type':
      return o.name || o.table ? { create: `y:${o.name ?? o.table}` } : 'unknown';
    case 'drop-type':
      return o.name || o.table ? { drop: `y:${o.name ?? o.table}` } : 'unknown';
    case 'create-view':
      return o.table || o.name ? { create: `v:${o.table ?? o.name}` } : 'unknown';
    case 'drop-view':
      return o.table || o.name ? { drop: `v:${o.table ?? o.name}` } : 'unknown';
    case 'enum-add-value':
      return o.name && o.detail ? { create: `e:${o.name}=${o.detail}` } : 'unknown';
    // Re-applied to a column that is already so: PostgreSQL and MySQL accept it and change nothing.
    case 'alter-column-type':
    case 'set-not-null':
    case 'drop-not-null':
    case 'drop-default':
      return o.column ? { use: `${t}.${o.column}` } : 'unknown';
    case 'validate-constraint':
      return o.name ? { use: `${t}#${o.name}` } : 'unknown';
    // An UPDATE that fills only the rows still empty, or recomputes a column from the same row: run again,
    // it writes what it wrote the first time (or nothing).
    case 'update-all':
    case 'update-where':
      return o.fillsEmpty || (o.derivedFrom && o.derivedFrom.length > 0) ? 'ok' : 'unknown';
    case 'begin':
    case 'commit':
      return 'ok';
    default:
      // INSERT (rows again, or a duplicate key), DELETE, TRUNCATE, a DO block, a function body, a rename of
      // an enum value or a schema, a partition detached: not known to be harmless when run again.
      return 'unknown';
  }
}

const Q = '[`"\']?';
const NAME = (n: string) => `(?:${Q}[\\w$]+${Q}\\.)?${Q}${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${Q}(?![\\w$])`;
const guarded = (st: Statement, clause: 'EXISTS' | 'NOT\\s+EXISTS', name: string) =>
  new RegExp(`\\bIF\\s+${clause}\\s+(?:ONLY\\s+)?${NAME(name)}`, 'i').test(st.text);
const nameOf = (key: string) => key.slice(Math.max(key.lastIndexOf('.'), key.lastIndexOf('#'), key.indexOf(':')) + 1).replace(/^.*=/, '');

/** Statements without an operation of the vocabulary that run again without error or effect. */
export const HARMLESS =
  /^\s*(?:CREATE\s+(?:EXTENSION|SCHEMA|SEQUENCE)\s+IF\s+NOT\s+EXISTS\b|CREATE\s+OR\s+REPLACE\b|COMMENT\s+ON\b|SET\s|GRANT\s|REVOKE\s|SELECT\s|ALTER\s+TABLE\s+(?:ONLY\s+)?\S+\s+ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+DEFAULT\s[^,]*$)/i;

/** The objects a run of migrations leaves, followed operation by operation. */
class Replay {
  readonly state = new Map<string, boolean>();
  constructor(private readonly otherwise: (key: string) => boolean) {}

  exists(key: string): boolean {
    const cut = key.search(/[.#]/);
    if (key.startsWith('t:') && cut > 0 && !this.exists(key.slice(0, cut))) return false;
    return this.state.get(key) ?? this.otherwise(key);
  }

  /**
   * Runs one operation of `st`: false when it fails (a CREATE of what exists without IF NOT EXISTS or OR
   * REPLACE, a DROP of what is not there without IF EXISTS, an ALTER or rename of what is not there),
   * undefined when what it does is not modelled.
   */
  run(st: Statement, o: Op): boolean | undefined {
    const e = effectOf(o);
    if (e === 'unknown') return undefined;
    if (e === 'ok') return true;
    let ok = true;
    if ('create' in e)
      ok = !this.exists(e.create) || guarded(st, 'NOT\\s+EXISTS', nameOf(e.create)) || /^\s*CREATE\s+OR\s+REPLACE\b/i.test(st.text);
    else if ('drop' in e) ok = this.exists(e.drop) || guarded(st, 'EXISTS', nameOf(e.drop));
    else if ('use' in e) ok = this.exists(e.use);
    else ok = this.exists(e.rename[0]) && !this.exists(e.rename[1]);
    leave(this.state, o, e);
    return ok;
  }
}

/** What an operation leaves: a CREATE TABLE also its columns; a table's columns and constraints go and move with it. */
function leave(m: Map<string, boolean>, o: Op, e: Effect): void {
  if (typeof e !== 'object') return;
  const parts = (t: string) => [...m.keys()].filter((k) => k.startsWith(`${t}.`) || k.startsWith(`${t}#`));
  if ('create' in e) {
    if (o.kind === 'create-table') for (const k of parts(e.create)) m.set(k, false);
    m.set(e.create, true);
    if (o.kind === 'create-table') for (const d of o.defs ?? []) m.set(`${e.create}.${d.name}`, true);
  } else if ('drop' in e) m.set(e.drop, false);
  else if ('rename' in e) {
    if (o.kind === 'rename-table')
      for (const k of parts(e.rename[0])) {
        if (m.get(k)) m.set(`${e.rename[1]}${k.slice(e.rename[0].length)}`, true);
        m.set(k, false);
      }
    m.set(e.rename[0], false);
    m.set(e.rename[1], true);
  }
}

/**
 * Whether a migration that already ran on a database succeeds when it runs there again, statement by
 * statement: an object it creates is there already (so the CREATE fails unless it says IF NOT EXISTS or
 * OR REPLACE, or an earlier statement of the re-run dropped it), an object it dropped is gone (so the
 * DROP fails unless it says IF EXISTS, or the migration created it again after the drop). Returns the
 * first statement that fails or is not known to be harmless, or undefined when every one re-runs cleanly.
 */
export function firstRerunFailure(statements: readonly Statement[]): Statement | undefined {
  // The state the first run left: the last thing the migration did to each object it names (objects it
  // does not name were there, as the first run needed them).
  const after = new Map<string, boolean>();
  for (const st of statements) for (const o of st.ops) leave(after, o, effectOf(o));
  const rerun = new Replay((key) => after.get(key) ?? true);
  for (const st of statements) {
    if (st.ops.length === 0) {
      if (!HARMLESS.test(st.text)) return st;
      continue;
    }
    for (const o of st.ops) if (rerun.run(st, o) !== true) return st;
  }
  return undefined;
}

/**
 * Where a migration whose earlier text stopped part-way, after `ran` had run and committed (MySQL commits
 * each DDL statement implicitly), fails when its new text `next` runs on that database: the first statement
 * that creates what the partial run created (without IF NOT EXISTS), drops what it dropped, or repeats a
 * statement of it that is not known to be harmless. Objects the partial run did not touch are as the new
 * text expects them on its first run. Undefined when the new text runs there cleanly.
 */
export function firstFailureAfter(ran: readonly Statement[], next: readonly Statement[], key: (st: Statement) => string): Statement | undefined {
  const after = new Map<string, boolean>();
  for (const st of ran) for (const o of st.ops) leave(after, o, effectOf(o));
  const first = new Map<string, boolean>();
  for (const st of next)
    for (const o of st.ops) {
      const e = effectOf(o);
      if (typeof e !== 'object') continue;
      const k = 'create' in e ? e.create : 'drop' in e ? e.drop : 'use' in e ? e.use : e.rename[0];
      if (!first.has(k)) first.set(k, !('create' in e));
    }
  const replay = new Replay((k) => after.get(k) ?? first.get(k) ?? true);
  const repeated = new Set(ran.map(key));
  for (const st of next) {
    const again = repeated.has(key(st));
    if (st.ops.length === 0 && again && !HARMLESS.test(st.text)) return st;
    for (const o of st.ops) {
      const ok = replay.run(st, o);
      if (ok === false || (ok === undefined && again)) return st;
    }
  }
  return undefined;
}

/** One migration of a folder's history, in the framework's order. */
export interface HistoryStep {
  path: string;
  /** Its statements at head. */
  head: readonly Statement[];
  /** Its statements before the change, when the change edited it (same id). */
  edited?: readonly Statement[];
}

export interface BrokenLater {
  /** The edited migration and the later one that now fails on a new database. */
  edited: string;
  path: string;
  statement: Statement;
  /** The object: `website_event.event_data`, an index or constraint name. */
  object: string;
  /** gone: the later statement needs it and the edited migration no longer makes it; there: it now collides. */
  how: 'gone' | 'there';
}

/**
 * A new database runs the whole history at head. Where an edited migration no longer creates what a later
 * migration drops or alters (or now creates what a later one creates again), the later migration, which
 * ran cleanly after the old text, fails there on a new database: the first such statement, or undefined.
 * Databases that applied the edited migration are not affected (they do not run it again).
 */
export function brokenByEdit(steps: readonly HistoryStep[]): BrokenLater | undefined {
  const first = steps.findIndex((s) => s.edited !== undefined);
  if (first < 0) return undefined;
  const before = new Replay(() => false);
  const now = new Replay(() => false);
  let edited = steps[first]!.path;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.edited) {
      edited = s.path;
      for (const st of s.edited) for (const o of st.ops) before.run(st, o);
      for (const st of s.head) for (const o of st.ops) now.run(st, o);
      continue;
    }
    for (const st of s.head)
      for (const o of st.ops) {
        const was = before.run(st, o);
        const is = now.run(st, o);
        if (i > first && was === true && is === false) {
          const e = effectOf(o) as Exclude<Effect, 'ok' | 'unknown'>;
          const key = 'create' in e ? e.create : 'drop' in e ? e.drop : 'use' in e ? e.use : e.rename[0];
          return { edited, path: s.path, statement: st, object: key.replace(/^\w:/, '').replace('#', '.'), how: 'create' in e ? 'there' : 'gone' };
        }
      }
  }
  return undefined;
}

/** Operations that change rows or code, never the objects a history follows. */
const ROWS_ONLY = new Set<Op['kind']>(['update-all', 'update-where', 'delete', 'truncate', 'insert', 'create-function']);

/** A CREATE TABLE whose columns its text does not list (inherited, copied, typed, or from a query). */
const COLUMNS_ELSEWHERE = /\bINHERITS\b|\bPARTITION\s+OF\b|[(,]\s*LIKE\b|\bAS\s*\(?\s*(?:SELECT|TABLE|VALUES|WITH)\b|\bTABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+OF\b/i;

/** A statement that fails on every database that ran a folder's history: what it needs or collides with. */
export interface SchemaFailure {
  statement: Statement;
  /** `column website_event.session_id`, `index users_email_key`, ... */
  object: string;
  /** there: it creates what exists; gone: it needs what does not. */
  how: 'there' | 'gone';
  /** The migration that created (there) or dropped (gone) the object; undefined: none of the folder's made it. */
  from?: string;
}

const KIND_WORD: Record<string, string> = { t: 'table', i: 'index', y: 'type', v: 'view', e: 'enum value' };
function describe(key: string): string {
  const [, kind, rest] = /^(\w):(.*)$/.exec(key) ?? [undefined, 't', key];
  if (kind === 't' && rest!.includes('#')) return `constraint ${rest!.split('#')[1]} on ${rest!.split('#')[0]}`;
  if (kind === 't' && rest!.includes('.')) return `column ${rest}`;
  if (kind === 'e') return `enum value ${rest!.split('=')[1]} of ${rest!.split('=')[0]}`;
  return `${KIND_WORD[kind!] ?? 'object'} ${rest}`;
}

/**
 * A migration folder's history followed from an empty database, migration by migration: where the
 * objects it names are for sure, a statement that fails on every database that ran the history (a CREATE
 * of what exists, an ADD COLUMN of a column that exists, a DROP, ALTER or rename of a table or column that
 * is not there, each without IF [NOT] EXISTS). The schema stops being known for sure at the first
 * statement the model does not follow (a DO block, a statement without a modelled operation, a CREATE TABLE
 * whose columns come from elsewhere) or that fails itself: unknown is never a failure.
 */
export class FolderHistory {
  /** Whether an operation names an object the history follows (else reading the history is not needed). */
  static follows(o: Op): boolean {
    return typeof effectOf(o) === 'object';
  }

  private readonly replay = new Replay(() => false);
  /** The migration that last created or dropped each object. */
  private readonly origin = new Map<string, string>();
  /** Each index's table: dropping a table drops its indexes. */
  private readonly indexTable = new Map<string, string>();
  known = true;

  /** The history stops being known (a migration that could not be read or parsed). */
  lose(): void {
    this.known = false;
  }

  /**
   * Runs one migration's statements: the first that fails for sure, or undefined (it runs, or what it
   * finds is not known). After a failure, or anything not followed, the history is no longer known.
   */
  run(path: string, statements: readonly Statement[]): SchemaFailure | undefined {
    for (const st of statements) {
      if (!this.known) return undefined;
      if (st.ops.length === 0) {
        if (!HARMLESS.test(st.text) && !/^\s*CREATE\s+EXTENSION\b/i.test(st.text)) this.known = false;
        continue;
      }
      for (const o of st.ops) {
        const e = effectOf(o);
        if (e === 'ok' || (o.name === '(unnamed)' && o.kind.startsWith('add-constraint'))) continue;
        if (e === 'unknown' || (o.kind === 'create-table' && COLUMNS_ELSEWHERE.test(st.text))) {
          // An index or constraint without a name gets one PostgreSQL makes up: it collides with nothing.
          const unnamed = (!o.name || o.name === '(unnamed)') && /^(create-index|add-constraint)/.test(o.kind);
          if (!ROWS_ONLY.has(o.kind) && !unnamed) this.known = false;
          continue;
        }
        const ok = this.replay.run(st, o);
        if (ok === false) {
          this.known = false;
          return this.failure(st, e);
        }
        this.follow(path, o, e);
      }
    }
    return undefined;
  }

  /** The failure of an operation that did not run, when it is certain: a table or column the history made or never had. */
  private failure(st: Statement, e: Exclude<Effect, 'ok' | 'unknown'>): SchemaFailure | undefined {
    let key: string;
    let how: SchemaFailure['how'];
    if ('create' in e) [key, how] = [e.create, 'there'];
    else if ('drop' in e) [key, how] = [e.drop, 'gone'];
    else if ('use' in e) [key, how] = [e.use, 'gone'];
    else if (this.replay.exists(e.rename[0])) [key, how] = [e.rename[1], 'there'];
    else [key, how] = [e.rename[0], 'gone'];
    // What exists was made by the history, for sure; what is missing is certain only for the tables the
    // history itself created and their columns (an index may come from a constraint, a constraint may have
    // a name PostgreSQL made up, a type or table may come from an extension).
    if (how === 'gone') {
      const table = /^t:[^.#]+/.exec(key)?.[0];
      if (!table || key.includes('#') || !this.origin.has(table)) return undefined;
    }
    const from = this.origin.get(key) ?? (how === 'gone' ? undefined : this.origin.get(key.replace(/[.#].*$/, '')));
    return { statement: st, object: describe(key), how, ...(from ? { from } : {}) };
  }

  private follow(path: string, o: Op, e: Exclude<Effect, 'ok' | 'unknown'>): void {
    const keys = 'create' in e ? [e.create] : 'drop' in e ? [e.drop] : 'rename' in e ? [...e.rename] : [];
    for (const k of keys) this.origin.set(k, path);
    if (o.kind === 'create-table' && 'create' in e) for (const d of o.defs ?? []) this.origin.set(`${e.create}.${d.name}`, path);
    if ((o.kind === 'create-index' || o.kind === 'create-index-concurrently') && 'create' in e)
      this.indexTable.set(e.create, TABLE_SCOPED(o, 't'));
    if (o.kind === 'drop-table' && 'drop' in e)
      for (const [i, t] of this.indexTable)
        if (t === e.drop) {
          this.replay.state.set(i, false);
          this.origin.set(i, path);
        }
    if (o.kind === 'rename-table' && 'rename' in e)
      for (const [i, t] of this.indexTable) if (t === e.rename[0]) this.indexTable.set(i, e.rename[1]);
  }
}

/** Operations on a table that leave the NOT NULL columns an INSERT must fill as they were. */
const KEEPS_REQUIRED = new Set(['insert', 'create-index', 'create-index-concurrently', 'add-constraint', 'add-constraint-not-valid']);

/**
 * The first statement that fails on every database (PostgreSQL): an `INSERT ... VALUES` into a table the
 * migration itself created, whose column list leaves out a NOT NULL column without a default (PostgreSQL
 * fills it with NULL and raises not_null_violation). The table is followed only while nothing but INSERTs,
 * indexes and constraints touch it, and not past a statement the reader does not follow.
 */
export function failsEverywhere(statements: readonly Statement[]): { index: number; why: string } | undefined {
  const required = new Map<string, string[]>();
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i]!;
    if (st.ops.length === 0) required.clear();
    for (const o of st.ops) {
      const t = tableKey(o.table);
      if (o.kind === 'create-table') {
        const pk = new Set(o.primaryKey ?? []);
        required.set(t, (o.defs ?? []).filter((d) => (d.notNull || pk.has(d.name)) && !d.hasDefault).map((d) => d.name));
      } else if (o.kind === 'insert' && !o.fromSelect && o.columns && /^\s*INSERT\b/i.test(st.text)) {
        const missing = required.get(t)?.find((c) => !o.columns!.includes(c));
        if (missing) return { index: i, why: `an INSERT into ${t} without a value for its NOT NULL column ${missing}, which has no default` };
      } else if (!KEEPS_REQUIRED.has(o.kind)) required.delete(t);
    }
  }
  return undefined;
}
