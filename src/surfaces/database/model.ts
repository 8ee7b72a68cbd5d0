import type { Location } from '../../core/finding.js';
import type { RollwrightConfig } from '../../core/config.js';
import type { SchemaEdit } from './edit-effect.js';
import type { MigrationFile } from './frameworks.js';
import type { SchemaFailure } from './history.js';
import { foreignKeyName, tableKey, type ForeignKeySchema, type Schema } from './schema.js';
import { PHASE_OF, type Op, type ParsedSql, type Statement } from './sql/vocabulary.js';

export type Phase = 'expand' | 'migrate' | 'contract';

/** A dropped column the running version does not map (see unread-columns.ts). */
export interface UnreadColumn {
  /** The schema the running version is built from. */
  orm: string;
  /** `path:line` of the ADD COLUMN that left it NULL on every row, when nothing named it since. */
  onlyNulls?: string;
}

/** The down half of a migration, as found at head. */
export interface DownMigration {
  path: string;
  parsed: ParsedSql;
  /** opsOf(parsed), computed once. */
  ops: Op[];
}

/** One up migration the change adds or modifies, paired with its down. */
export interface MigrationChange {
  file: MigrationFile;
  status: 'added' | 'modified';
  up: ParsedSql;
  /** opsOf(up), computed once: every rule reads it. */
  upOps: Op[];
  /** undefined: the framework expects a down and none was found. null: the framework has no down files. */
  down: DownMigration | undefined | null;
  /** A down found with another version or name than the up's (golang-migrate pairs by both). */
  mismatchedDown?: string;
  /**
   * An edit to a migration that existed at the base with the same id: `up` holds only the statements
   * the edit added or changed (those that the base also had are dropped from it).
   */
  edited?: {
    from: string;
    statements: number;
    /** The old text stopped at this line on every database (MySQL): none applied it. */
    neverApplied?: { line: number; /** PostgreSQL: the old text did not parse, so none of it ran. */ wholeFailed?: boolean; /** Why it failed at `line` everywhere. */ why?: string };
    /** MySQL: the old text stopped at `line` after the statements before it ran; the new text fails at `failsAt` there. */
    partlyRan?: { line: number; failsAt: number };
    /** The old text's statements (when it parsed), for the history a new database runs. */
    old?: Statement[];
    /** The schema left by the old text (on databases that applied it) against the new text's. */
    schema?: SchemaEdit;
    /** Every statement of the new text (those `up` dropped as unchanged too), at their lines. */
    head?: readonly Statement[];
    /**
     * Read against the whole folder (see folder-edit.ts): whether statements or schema of the edit are found
     * in the folder's other migrations (a move, a squash), and the unique indexes that differ but only
     * duplicate a primary key. `schema` then holds what the folder's end states leave different.
     */
    folder?: { moved: boolean; redundant: string[] };
    /** Every database that applied the old text ran all of it, and both texts parsed: their schemas compare. */
    ranWhole?: boolean;
  };
  /**
   * The tables the migration's whole text creates (every statement, also those an edit left unchanged),
   * by table key, with the line of the CREATE TABLE.
   */
  creates?: ReadonlyMap<string, number>;
  /** The statement that fails on every database that ran the folder's history (see history.ts). */
  fails?: SchemaFailure;
  /** The schema before this migration ran, where some rule needs it (see schema.ts). */
  before?: Schema;
  /**
   * Columns it drops that the running version does not map (its Prisma schema at the base), by
   * `table.column`, and whether they hold only NULLs (see unread-columns.ts).
   */
  unread?: Map<string, UnreadColumn>;
  /** Why the framework runs this file in one transaction, if it does. */
  transaction?: string;
  phases: Phase[];
}

export interface DbContext {
  migrations: MigrationChange[];
  /**
   * Tables created by an up migration of this release, per migration folder (`newTableKey`): empty, so
   * locks and NOT NULL on them are harmless. Ask with `isNewTable`: a folder's tables are those of its
   * own database (a `mysql` and a `postgresql` folder of one repository are two databases).
   */
  newTables: ReadonlySet<string>;
  config: RollwrightConfig;
}

/** The key of a table in `DbContext.newTables`: the migration folder and the table. */
export function newTableKey(m: MigrationChange | { file: MigrationFile }, table: string): string {
  return `${m.file.framework}\0${m.file.dir}\0${tableKey(table)}`;
}

/** Whether `table` was created by an up migration of this release in the same folder as `m`. */
export function isNewTable(newTables: ReadonlySet<string>, m: MigrationChange, table: string | undefined): boolean {
  return !!table && newTables.has(newTableKey(m, table));
}

/**
 * The ADD COLUMN ... NOT NULL without a default of the same ALTER TABLE statement as `o`, on a table
 * that existed before the release (PostgreSQL). On a table with rows that statement fails ("column ...
 * contains null values") and, being one statement, changes nothing; on an empty table there is no row
 * for it to lose. What else the statement does (a column dropped) destroys no data either way.
 */
export function failingRequiredColumn(m: MigrationChange, o: Op, newTables: ReadonlySet<string>): Op | undefined {
  if (m.up.dialect !== 'postgres' || !o.table || isNewTable(newTables, m, o.table)) return undefined;
  const st = m.up.statements.find((s) => s.ops.includes(o));
  if (!st) return undefined;
  const add = st.ops.find((a) => a.kind === 'add-column-required' && a !== o && tableKey(a.table) === tableKey(o.table));
  if (!add) return undefined;
  // Another clause on the new column (a default set in the same statement) may fill it: not modelled.
  if (st.ops.some((x) => x !== add && x.column === add.column && tableKey(x.table) === tableKey(add.table))) return undefined;
  return add;
}

const PHASE_BIT = { expand: 1, migrate: 2, contract: 4 } as const;
/** phasesOf's answers, by the bits of the phases present: one array per set (never modified). */
const PHASE_SETS: Phase[][] = [0, 1, 2, 3, 4, 5, 6, 7].map((b) =>
  (['expand', 'migrate', 'contract'] as const).filter((p) => b & PHASE_BIT[p]),
);

/** The phases the operations touch, in expand, migrate, contract order. */
export function phasesOf(ops: readonly Op[]): Phase[] {
  let bits = 0;
  for (let i = 0; i < ops.length; i++) {
    const p = PHASE_OF[ops[i]!.kind];
    if (p) bits |= PHASE_BIT[p];
  }
  return PHASE_SETS[bits]!.slice();
}

/** Every operation of a parsed file, in order (MigrationChange and DownMigration carry it computed). */
export function opsOf(p: ParsedSql): Op[] {
  const st = p.statements;
  if (st.length === 1) return st[0]!.ops.slice();
  const ops: Op[] = [];
  for (let i = 0; i < st.length; i++) {
    const so = st[i]!.ops;
    for (let j = 0; j < so.length; j++) ops.push(so[j]!);
  }
  return ops;
}

/**
 * Each operation of the change's up migrations whose kind is one of `kinds`, with its migration: the
 * loop the statement rules share (indexed loops: it runs cold, over thousands of operations in a
 * large change).
 */
export function forEachUpOp(
  migrations: readonly MigrationChange[],
  kinds: ReadonlySet<Op['kind']>,
  fn: (o: Op, m: MigrationChange) => void,
): void {
  for (let i = 0; i < migrations.length; i++) {
    const m = migrations[i]!;
    const ops = m.upOps;
    for (let j = 0; j < ops.length; j++) if (kinds.has(ops[j]!.kind)) fn(ops[j]!, m);
  }
}

export function loc(file: string, o: { line: number; column0: number }): Location {
  return { file, line: o.line, column: o.column0 };
}

/**
 * In an edited migration that databases applied: the line of the CREATE TABLE of `o`'s table earlier in
 * the same file. Frameworks identify applied migrations by id (Prisma: the folder name recorded in
 * `_prisma_migrations`; `migrate deploy` applies only the pending ones), so a database that applied the
 * old text never runs the statement; a new database runs it in the migration that has just created the
 * table, which is empty and used by no running version. What the edit leaves different between the two
 * is `migration-edited`'s (said there).
 */
export function onNewDatabaseOnly(m: MigrationChange, o: Op): string | undefined {
  if (!m.edited || m.edited.neverApplied || !o.table) return undefined;
  const line = m.creates?.get(tableKey(o.table));
  return line !== undefined && line < o.line ? String(line) : undefined;
}

/**
 * Reports `o` with NEW_DATABASE_ONLY (the rule's `newDatabaseOnly` message) when `onNewDatabaseOnly` finds
 * it: whether it did, so the rule says nothing else about it.
 */
export function saidNewDatabaseOnly(
  m: MigrationChange,
  o: Op,
  report: (id: 'newDatabaseOnly', d: { what: string; table: string; line: string }, at: Location) => void,
): boolean {
  const line = onNewDatabaseOnly(m, o);
  if (line) report('newDatabaseOnly', { what: describeOp(o), table: o.table!, line }, loc(m.file.path, o));
  return !!line;
}

/** The message a rule gives a statement `onNewDatabaseOnly` finds (data: what, table, line). */
export const NEW_DATABASE_ONLY = {
  text: '{{what}}: runs only on a new database, on {{table}}, a table this file creates (line {{line}}): databases that applied this edited migration do not run it again, and a new one has no rows there and no running version',
  class: 'fully-reversible',
  severity: 'info',
} as const;

/** `users.email`, `users`, or the object's name. */
export function target(o: Op): string {
  if (o.table && o.column) return `${o.table}.${o.column}`;
  return o.table ?? o.name ?? '?';
}

/**
 * A table swap in one migration: the table renamed away at `renamed`, then a new table created under
 * its old name (the create), with the INSERT ... SELECT that copied rows into the new table, if any.
 */
export function tableSwapAfter(ops: readonly Op[], renamed: number): { create: Op; copy?: Op } | undefined {
  const r = ops[renamed]!;
  if (r.kind !== 'rename-table' || !r.table) return undefined;
  const name = r.table.replace(/^public\./, '');
  let create: Op | undefined;
  for (let k = renamed + 1; k < ops.length; k++) {
    const o = ops[k]!;
    if (!create && o.kind === 'create-table' && o.table?.replace(/^public\./, '') === name) create = o;
    else if (create && o.kind === 'insert' && o.fromSelect && o.table?.replace(/^public\./, '') === name)
      return { create, copy: o };
  }
  return create ? { create } : undefined;
}

/** The CREATE TABLE operations of a migration that put a new table in place of one it renamed away. */
export function swappedInTables(ops: readonly Op[]): Set<Op> {
  const out = new Set<Op>();
  for (let j = 0; j < ops.length; j++)
    if (ops[j]!.kind === 'rename-table') {
      const s = tableSwapAfter(ops, j);
      if (s) out.add(s.create);
    }
  return out;
}

/**
 * A foreign key dropped and added again later in the same migration: under the same name (PostgreSQL's
 * default name for an unnamed one), or on the same columns and referenced table as the dropped key.
 * `old` is the dropped key as the earlier migrations defined it (when they say); `same` when the new
 * one holds the same columns to the same table and columns, so the rows that satisfied it still do.
 */
export interface RecreatedForeignKey {
  drop: Op;
  add: Op;
  old?: ForeignKeySchema;
  same: boolean;
}

const recreatedCache = new WeakMap<MigrationChange, RecreatedForeignKey[]>();

export function recreatedForeignKeys(m: MigrationChange): RecreatedForeignKey[] {
  const hit = recreatedCache.get(m);
  if (hit) return hit;
  const out: RecreatedForeignKey[] = [];
  const ops = m.upOps;
  const paired = new Set<Op>();
  const adds = ops.filter(
    (o) => (o.kind === 'add-constraint' || o.kind === 'add-constraint-not-valid') && o.detail === 'foreign key',
  );
  if (adds.length > 0)
    for (let i = 0; i < ops.length; i++) {
      const drop = ops[i]!;
      if (drop.kind !== 'drop-constraint' || !drop.name) continue;
      const old = m.before?.foreignKeys.get(drop.name);
      const later = adds.filter(
        (a) => a.line > drop.line && !paired.has(a) && tableKey(a.table) === tableKey(drop.table),
      );
      const add =
        later.find((a) => foreignKeyName(a) === drop.name) ??
        later.find(
          (a) =>
            !!old?.columns && a.columns?.join() === old.columns.join() && tableKey(a.references) === old.references,
        );
      if (!add) continue;
      paired.add(add);
      const same =
        !!old &&
        old.columns?.join() === add.columns?.join() &&
        old.references === tableKey(add.references) &&
        (!old.refColumns || !add.refColumns || old.refColumns.join() === add.refColumns.join());
      out.push({ drop, add, ...(old ? { old } : {}), same });
    }
  recreatedCache.set(m, out);
  return out;
}

/** The tables a migration's statements create, by table key, with the line of the CREATE TABLE. */
export function tablesCreated(p: ParsedSql): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of opsOf(p))
    if (o.kind === 'create-table' && o.table && !out.has(tableKey(o.table))) out.set(tableKey(o.table), o.line);
  return out;
}

/**
 * A primary key or unique constraint dropped and added again later in the same migration (the same
 * ALTER TABLE included), of the same kind on the same columns as the earlier migrations defined it: the
 * rows that satisfied it still do, so no row is refused and nothing is left to add back. Its index is
 * built again (ACCESS EXCLUSIVE on the table for ADD PRIMARY KEY / UNIQUE in PostgreSQL).
 */
const recreatedKeysCache = new WeakMap<MigrationChange, Array<{ drop: Op; add: Op }>>();

export function recreatedKeys(m: MigrationChange): Array<{ drop: Op; add: Op }> {
  const hit = recreatedKeysCache.get(m);
  if (hit) return hit;
  const out: Array<{ drop: Op; add: Op }> = [];
  const ops = m.upOps;
  const paired = new Set<Op>();
  for (let i = 0; i < ops.length; i++) {
    const drop = ops[i]!;
    if (drop.kind !== 'drop-constraint' || !drop.name) continue;
    const old = m.before?.indexes.get(drop.name);
    if (!old?.unique || old.partial || !old.columns || old.table !== tableKey(drop.table)) continue;
    const primary = m.before?.tables.get(old.table)?.primaryKey?.join() === old.columns.join();
    for (let k = i + 1; k < ops.length; k++) {
      const add = ops[k]!;
      if (add.kind !== 'add-constraint' || paired.has(add) || tableKey(add.table) !== old.table) continue;
      if (add.detail !== (primary ? 'primary key' : 'unique') || add.columns?.join() !== old.columns.join()) continue;
      paired.add(add);
      out.push({ drop, add });
      break;
    }
  }
  recreatedKeysCache.set(m, out);
  return out;
}

/** A statement as a message names it: `CREATE INDEX i`, `UPDATE t`, `ADD COLUMN t.c`. */
export function describeOp(o: Op): string {
  switch (o.kind) {
    case 'update-all':
    case 'update-where':
      return `UPDATE ${o.table}`;
    case 'delete':
      return `DELETE FROM ${o.table}`;
    case 'validate-constraint':
      return `VALIDATE CONSTRAINT ${o.name}`;
    case 'create-index':
      return `CREATE INDEX ${o.name ?? ''}`.trim();
    case 'add-constraint':
    case 'add-constraint-not-valid':
      return `ADD CONSTRAINT ${o.name}`;
    case 'set-not-null':
      return `SET NOT NULL on ${target(o)}`;
    default:
      if (o.kind.startsWith('add-column')) return `ADD COLUMN ${target(o)}`;
      return `${o.kind.replace(/-/g, ' ').toUpperCase()} ${target(o)}`;
  }
}
