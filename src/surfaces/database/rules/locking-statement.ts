import { defineRule } from '../../../core/rule.js';
import { redundantIndex, tableKey } from '../schema.js';
import { describeOp, isNewTable, loc, NEW_DATABASE_ONLY, onNewDatabaseOnly, saidNewDatabaseOnly, target, type DbContext, type MigrationChange } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

/** Statements that take an ACCESS EXCLUSIVE lock on their table (PostgreSQL 15, explicit locking). */
const EXCLUSIVE: ReadonlySet<Op['kind']> = new Set([
  'add-column',
  'add-column-default',
  'add-column-volatile-default',
  'add-column-required',
  'drop-column',
  'alter-column-type',
  'set-not-null',
  'drop-not-null',
  'drop-default',
  'rename-column',
  'rename-table',
  'drop-constraint',
  'drop-index',
]);
/** Statements that read (or write) every row of their table while they run. */
const SCANS: ReadonlySet<Op['kind']> = new Set([
  'update-all',
  'update-where',
  'delete',
  'validate-constraint',
  'create-index',
  'add-constraint',
  'set-not-null',
]);

/** The statements this rule reports one by one. */
const LOCKS: ReadonlySet<Op['kind']> = new Set(['create-index', 'add-column-volatile-default', 'drop-index', 'drop-index-concurrently']);

/**
 * Statements that block reads or writes while they run, or slow queries after; and locks a migration's
 * transaction holds across a long statement.
 *
 * PostgreSQL only: InnoDB builds secondary indexes in place with concurrent DML (MySQL 8 online DDL),
 * so these lock rules are not applied to MySQL migrations.
 */
export default defineRule<
  DbContext,
  | 'createIndex'
  | 'rewrite'
  | 'dropIndex'
  | 'dropIndexConcurrently'
  | 'dropRedundantIndex'
  | 'dropIndexWithColumn'
  | 'dropIndexRebuilt'
  | 'heldLock'
  | 'newDatabaseOnly'
>({
  id: 'locking-statement',
  surface: 'database',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary:
      'CREATE INDEX without CONCURRENTLY, ADD COLUMN with a volatile default (table rewrite), DROP INDEX, and a lock held by one migration transaction through a long statement (PostgreSQL).',
    rationale:
      'These do not lose data, but they take locks that stop the running application: CREATE INDEX blocks writes for the whole build (SHARE lock), a volatile default, an identity or a stored generated column rewrites the table under an ACCESS EXCLUSIVE lock (a constant or stable default such as now() does not, since PostgreSQL 11), DROP INDEX takes an ACCESS EXCLUSIVE lock on the table. A dropped index also makes the queries that used it slow, and re-creating it on rollback takes as long as the first build, unless another unique index or the primary key on the same columns serves the same lookups (a redundant index: info), the same migration builds it again on the same columns (a column renamed in between keeps its place: RENAME COLUMN carries the index with it in PostgreSQL), or the same migration drops one of its columns, before or after the DROP INDEX (PostgreSQL drops every index that involves a dropped column, whichever of its columns it is, so the explicit drop changes nothing the column drop does not): all info. Locks are held until the transaction ends, and golang-migrate, Prisma and plain folders send a file as one multi-statement query, which PostgreSQL runs as one implicit transaction (Flyway and dbmate open one per migration): an ADD COLUMN followed by a backfill UPDATE keeps the ACCESS EXCLUSIVE lock (reads and writes wait) through the whole backfill, and ADD FOREIGN KEY ... NOT VALID followed by VALIDATE in the same file keeps SHARE ROW EXCLUSIVE on both tables through the validation scan. MySQL is not covered by this rule: InnoDB builds secondary indexes in place while DML goes on. In an edited migration that databases already applied, a statement on a table that the same file creates earlier is said at info: a database that applied the old text never runs the file again (Prisma records an applied migration by its folder name in `_prisma_migrations`, and `migrate deploy` applies only the pending ones; golang-migrate, Flyway and dbmate record the version), and a new database runs the statement right after that CREATE TABLE, on an empty table that no running version uses. What the edit leaves different between the two is reported by `database/migration-edited`.',
    fix: 'CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY (outside a transaction); add the column without default, then set the default and backfill in batches; put the backfill or the VALIDATE in a migration of its own so that the lock of the ALTER is released first.',
    references: [
      'https://www.postgresql.org/docs/15/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
      'https://www.postgresql.org/docs/15/explicit-locking.html',
      'https://www.postgresql.org/docs/15/sql-dropindex.html',
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES',
      'https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT',
      'https://dev.mysql.com/doc/refman/8.4/en/innodb-online-ddl-operations.html',
      'https://www.prisma.io/docs/cli/migrate/deploy',
    ],
  },
  messages: {
    createIndex:
      'CREATE INDEX {{name}} on {{target}} without CONCURRENTLY: writes to {{target}} wait until the index is built',
    rewrite:
      'ADD COLUMN {{target}} with a volatile default (or generated/identity): the table is rewritten under an ACCESS EXCLUSIVE lock; the running version waits',
    dropIndex:
      'DROP INDEX {{name}} without CONCURRENTLY: locks its table; queries that used it slow down, and re-creating it on rollback takes a full build',
    dropIndexConcurrently: {
      text: 'DROP INDEX CONCURRENTLY {{name}}: queries that used it slow down, and re-creating it on rollback takes a full build',
      severity: 'info',
    },
    dropRedundantIndex: {
      text: 'DROP INDEX {{name}}: redundant with {{other}} on the same columns, so no query slows down',
      severity: 'info',
    },
    dropIndexWithColumn: {
      text: 'DROP INDEX {{name}}: one of its columns goes in this migration ({{other}}), and PostgreSQL drops every index that involves a dropped column, so this statement changes nothing the column drop does not (reported on its own)',
      severity: 'info',
    },
    dropIndexRebuilt: {
      text: 'DROP INDEX {{name}}: built again on the same columns in this migration ({{other}}), so no query loses it (the build is reported on its own)',
      severity: 'info',
    },
    newDatabaseOnly: NEW_DATABASE_ONLY,
    heldLock:
      '{{what}} runs in the same transaction as {{first}} ({{lock}} on {{target}}, line {{firstLine}}): the lock is held until the migration commits, so {{blocked}} on {{target}} wait through the whole of it',
  },
  check({ migrations, newTables, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      if (m.up.dialect !== 'postgres') continue;
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (isNewTable(newTables, m, o.table)) continue;
        const data = { target: target(o), name: o.name ?? '(unnamed)' };
        const at = loc(m.file.path, o);
        if (LOCKS.has(o.kind) && saidNewDatabaseOnly(m, o, report)) continue;
        if (o.kind === 'create-index') report('createIndex', data, at);
        else if (o.kind === 'add-column-volatile-default') report('rewrite', data, at);
        else if (o.kind === 'drop-index' || o.kind === 'drop-index-concurrently') {
          const withColumn = droppedColumnOf(m, o);
          const rebuilt = withColumn ? undefined : rebuiltAs(m, o);
          const other = withColumn || rebuilt ? undefined : redundantIndex(m.before, o.name);
          if (withColumn) report('dropIndexWithColumn', { ...data, other: withColumn }, at);
          else if (rebuilt) report('dropIndexRebuilt', { ...data, other: rebuilt }, at);
          else if (other) report('dropRedundantIndex', { ...data, other }, at);
          else report(o.kind === 'drop-index' ? 'dropIndex' : 'dropIndexConcurrently', data, at);
        }
      }
      if (m.transaction) heldLocks(m, newTables, report);
    }
  },
});

/**
 * The columns of a dropped index: from the schema before the migration, else read from the name
 * PostgreSQL and Prisma give an index (`<table>_<columns joined by _>_idx`, `_key`), split on the
 * column names that this migration or the schema gives the table (a name is never guessed apart).
 */
function indexColumns(m: MigrationChange, drop: Op): { table: string; columns: string[] } | undefined {
  const idx = m.before?.indexes.get(drop.name ?? '');
  if (idx?.columns && idx.table) return { table: idx.table, columns: idx.columns };
  const name = (drop.name ?? '').replace(/^.*\./, '');
  const known = new Map<string, Set<string>>();
  const add = (t: string | undefined, c: string | undefined) => {
    if (!t || !c) return;
    const k = tableKey(t);
    if (!known.has(k)) known.set(k, new Set());
    known.get(k)!.add(c);
  };
  for (const o of m.upOps) {
    add(o.table, o.column);
    if (o.kind === 'rename-column') add(o.table, o.name);
    for (const c of o.columns ?? []) add(o.table, c);
  }
  for (const [t, s] of m.before?.tables ?? []) for (const c of s.columns.keys()) add(t, c);
  for (const [table, cols] of known) {
    const bare = table.replace(/^.*\./, '');
    const m2 = new RegExp(`^${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(.+)_(idx|key)$`).exec(name);
    if (!m2) continue;
    const split = splitNames(m2[1]!, cols);
    if (split) return { table, columns: split };
  }
  return undefined;
}

/** `a_b_c` split into the given names (`a_b` + `c`), when exactly one way does it. */
function splitNames(s: string, names: ReadonlySet<string>): string[] | undefined {
  const ways: string[][] = [];
  const go = (rest: string, acc: string[]) => {
    if (ways.length > 1) return;
    if (rest === '') return void ways.push(acc);
    for (const n of names) if (rest === n || rest.startsWith(`${n}_`)) go(rest.slice(n.length + 1), [...acc, n]);
  };
  go(s, []);
  return ways.length === 1 ? ways[0] : undefined;
}

/**
 * The DROP COLUMN of this migration (before or after the DROP INDEX) of one of the index's columns:
 * PostgreSQL drops every index that involves a dropped column (its leading column or a later one), so
 * the explicit drop changes nothing the column drop does not; what the lookups lose comes with the
 * column (the leading column's first, when the migration drops several).
 */
function droppedColumnOf(m: MigrationChange, drop: Op): string | undefined {
  const idx = indexColumns(m, drop);
  if (!idx) return undefined;
  const drops = m.upOps.filter((o) => o.kind === 'drop-column' && tableKey(o.table) === idx.table && !!o.column && idx.columns.includes(o.column));
  drops.sort((a, b) => idx.columns.indexOf(a.column!) - idx.columns.indexOf(b.column!));
  const c = drops[0];
  return c ? `DROP COLUMN ${c.table}.${c.column} at line ${c.line}` : undefined;
}

/**
 * A CREATE INDEX of this migration, after the drop, on the same table and the same columns in the same
 * order (followed through the columns renamed in the migration), as unique as the dropped one.
 */
function rebuiltAs(m: MigrationChange, drop: Op): string | undefined {
  const idx = indexColumns(m, drop);
  if (!idx) return undefined;
  const unique = m.before?.indexes.get(drop.name ?? '')?.unique ?? /_key$/.test(drop.name ?? '');
  let cols = idx.columns;
  for (const o of m.upOps) {
    if (o.line < drop.line) continue;
    if (o.kind === 'rename-column' && tableKey(o.table) === idx.table && o.name)
      cols = cols.map((c) => (c === o.column ? o.name! : c));
    if (
      (o.kind === 'create-index' || o.kind === 'create-index-concurrently') &&
      tableKey(o.table) === idx.table &&
      o.detail !== 'partial' &&
      !!o.unique === unique &&
      o.columns?.join() === cols.join()
    )
      return `CREATE INDEX ${o.name ?? ''} at line ${o.line}`.replace('  ', ' ');
  }
  return undefined;
}

/** Within one transactional file: the first long statement that runs under a lock an earlier statement took. */
function heldLocks(
  m: MigrationChange,
  newTables: ReadonlySet<string>,
  report: (id: 'heldLock', d: Record<string, string>, at: ReturnType<typeof loc>) => void,
): void {
  const held = new Map<string, { o: Op; lock: string; blocked: string }>();
  const reported = new Set<string>();
  const ops = m.upOps;
  for (let j = 0; j < ops.length; j++) {
    const o = ops[j]!;
    if (!o.table || isNewTable(newTables, m, o.table) || onNewDatabaseOnly(m, o)) continue;
    const t = tableKey(o.table);
    if (SCANS.has(o.kind) && !reported.has(t)) {
      const h = held.get(t);
      if (h && h.o.line !== o.line) {
        reported.add(t);
        report(
          'heldLock',
          {
            what: describeOp(o),
            first: describeOp(h.o),
            lock: h.lock,
            target: o.table,
            firstLine: String(h.o.line),
            blocked: h.blocked,
          },
          loc(m.file.path, o),
        );
      }
    }
    if (EXCLUSIVE.has(o.kind) && !held.has(t) || (EXCLUSIVE.has(o.kind) && held.get(t)!.lock !== 'ACCESS EXCLUSIVE'))
      held.set(t, { o, lock: 'ACCESS EXCLUSIVE', blocked: 'reads and writes' });
    else if ((o.kind === 'add-constraint' || o.kind === 'add-constraint-not-valid') && !held.has(t)) {
      const fk = o.detail === 'foreign key';
      held.set(t, fk ? { o, lock: 'SHARE ROW EXCLUSIVE', blocked: 'writes' } : { o, lock: 'ACCESS EXCLUSIVE', blocked: 'reads and writes' });
      if (fk && o.references && !held.has(tableKey(o.references)))
        held.set(tableKey(o.references), { o, lock: 'SHARE ROW EXCLUSIVE', blocked: 'writes' });
    }
  }
}
