import { tableKey } from '../schema.js';
import { defineRule } from '../../../core/rule.js';
import { forEachUpOp, isNewTable, loc, NEW_DATABASE_ONLY, saidNewDatabaseOnly, type DbContext, type MigrationChange } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

/** Statements that change rows: the down migration cannot bring old values back. */
const KINDS: ReadonlySet<Op['kind']> = new Set(['update-all', 'update-where', 'delete', 'truncate', 'insert']);

/** A finding's data: the table, and the columns or scope the statement touches. */
export type DataMutationData = { table: string; columns?: string; scope?: string; from?: string; line?: string; what?: string };

export default defineRule<
  DbContext,
  | 'updateAll'
  | 'newDatabaseOnly'
  | 'updateWhere'
  | 'updateFillsEmpty'
  | 'updateDerived'
  | 'delete'
  | 'truncate'
  | 'insert'
  | 'insertSelect'
  | 'insertSeed',
  DataMutationData
>({
  id: 'data-mutation',
  surface: 'database',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  severity: 'warning',
  docs: {
    summary: 'UPDATE, DELETE, TRUNCATE or INSERT in a migration.',
    rationale:
      "A schema change can be reverted by another schema change; overwritten or deleted rows cannot: only a backup (or a copy the migration kept) restores them. An UPDATE without WHERE overwrites every row. An UPDATE that only sets columns added by the same change (a backfill of a new column, or of a table created in the change) overwrites nothing that existed: no finding here (the lock it holds in the migration transaction is locking-statement's). That holds whatever the values come from (another table through `UPDATE ... FROM`, a correlated subquery): a column just added holds only NULL or its default on every row. An edit of an applied migration reaches only the new databases, which run it whole: a column that its unchanged statements add before the edited UPDATE is just as new there. INSERTed business records (VALUES: a default account, a setting) take effect at once and may already have had effects (a login, notifications, invoices) by the time they are deleted: compensatable, not reversible. INSERT ... SELECT copies rows that exist elsewhere: nothing is lost (info). Seed rows INSERTed into a table that the same migration creates before them (a lookup table and its values) exist only where that migration creates the table; undoing the migration's effect drops the table with them, and no row a user wrote is touched: said at info, also when the migration is an edited one whose CREATE TABLE is unchanged. An UPDATE whose WHERE holds every column it sets empty (`col IS NULL`, `col = ''`) fills only rows that had no value: nothing is overwritten (info). An UPDATE that computes every value it sets from other columns of the same row, on the rows a WHERE picks by columns it does not set (`SET string_value = number_value WHERE data_type = 2`; no subquery, no other table, not the column itself, as PostgreSQL's UPDATE computes each SET expression from the row's old values) is a backfill: the values it writes can be computed again from the columns it reads, and it loses data only where the rows held values of their own in the columns it sets, which the SQL cannot tell; said at info with that condition, never as data destroyed. A transform of the column itself (`SET email = lower(email)`), a constant, values from another table, the same computation over every row (no WHERE: `SET total = price * quantity` replaces every total) or a WHERE that picks rows by the values it replaces (`WHERE nickname IS NOT NULL`) are overwrites. In an edited migration that databases already applied, a statement on a table that the same file creates earlier is said at info: a database that applied the old text never runs the file again (Prisma records an applied migration by its folder name in `_prisma_migrations`, and `migrate deploy` applies only the pending ones; golang-migrate, Flyway and dbmate record the version), and a new database runs the statement right after that CREATE TABLE, on an empty table that no running version uses (an UPDATE or DELETE there reaches at most the seed rows the same file inserted). What the edit leaves different between the two is reported by `database/migration-edited`.",
    fix: 'Copy what is overwritten or deleted to a backup table in the same migration (and restore from it in the down), batch large updates, and keep backfills idempotent.',
    references: [
      'https://www.postgresql.org/docs/15/sql-update.html',
      'https://www.postgresql.org/docs/15/sql-truncate.html',
      'https://dev.mysql.com/doc/refman/8.0/en/ansi-diff-update.html',
      'https://www.prisma.io/docs/cli/migrate/deploy',
    ],
  },
  messages: {
    newDatabaseOnly: NEW_DATABASE_ONLY,
    updateAll: {
      text: "UPDATE {{table}} without WHERE: every row's {{columns}} is overwritten; the old values are gone unless copied first",
      severity: 'error',
    },
    updateWhere:
      "UPDATE {{table}} ... WHERE: the matching rows' {{columns}} are overwritten; the old values are gone unless copied first",
    updateFillsEmpty: {
      text: 'UPDATE {{table}} ... WHERE {{columns}} is empty: fills only rows that have no value; nothing is overwritten',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    updateDerived: {
      text: 'UPDATE {{table}} sets {{columns}} from {{from}} of the same rows: a backfill that can be computed again from the columns it reads; it replaces what {{columns}} held on the matching rows, which loses data only if those rows held values of their own there (copy them first if they can)',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    delete: {
      text: 'DELETE FROM {{table}} ({{scope}}): the rows are gone; only a restore brings them back',
      severity: 'error',
    },
    truncate: { text: 'TRUNCATE {{table}}: every row is gone; only a restore brings them back', severity: 'error' },
    insert: {
      text: 'INSERT INTO {{table}}: records the application may act on; deleting them later does not undo their effects',
      class: 'compensatable',
      severity: 'warning',
      decision: { effects: ['external-effects'] },
    },
    insertSeed: {
      text: 'INSERT INTO {{table}}: seed rows of a table this migration creates (line {{line}}); they exist only where the table is created, and dropping the table removes them with it',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    insertSelect: {
      text: 'INSERT INTO {{table}} ... SELECT: copies rows that exist elsewhere; nothing is overwritten',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
  },
  check({ migrations, newTables, report }) {
    // Columns the change adds, with where: an UPDATE after them that sets only them is a backfill.
    const added = new Map<string, { file: string; line: number }>();
    // An edited migration runs whole on the new databases its changed statements reach: a column its
    // unchanged statements add before them is just as new there.
    for (const m of migrations)
      for (const o of m.edited?.head ? m.edited.head.flatMap((st) => st.ops) : m.upOps)
        if (o.kind.startsWith('add-column') && o.table && o.column)
          added.set(`${tableKey(o.table)}.${o.column}`, { file: m.file.path, line: o.line });
    const backfill = (o: Op, m: MigrationChange): boolean => {
      const file = m.file.path;
      if (isNewTable(newTables, m, o.table)) return true;
      const cols = o.columns ?? [];
      if (cols.length === 0) return false;
      for (const c of cols) {
        const a = added.get(`${tableKey(o.table)}.${c}`);
        if (!a || (a.file === file && a.line > o.line)) return false;
      }
      return true;
    };
    forEachUpOp(migrations, KINDS, (o, m) => {
      const table = o.table ?? '?';
      const at = loc(m.file.path, o);
      if ((o.kind === 'update-all' || o.kind === 'update-where') && backfill(o, m)) return;
      if (o.kind !== 'insert' && saidNewDatabaseOnly(m, o, report)) return;
      if (o.kind === 'update-where' && o.fillsEmpty) report('updateFillsEmpty', { table, columns: o.detail || 'columns' }, at);
      else if (o.derivedFrom)
        report('updateDerived', { table, columns: o.detail || 'columns', from: o.derivedFrom.join(', ') }, at);
      else if (o.kind === 'update-all') report('updateAll', { table, columns: o.detail || 'columns' }, at);
      else if (o.kind === 'update-where') report('updateWhere', { table, columns: o.detail || 'columns' }, at);
      else if (o.kind === 'delete') report('delete', { table, scope: o.detail ?? '' }, at);
      else if (o.kind === 'truncate') report('truncate', { table }, at);
      else if (o.kind === 'insert' && o.fromSelect) report('insertSelect', { table }, at);
      else if (o.kind === 'insert' && !isNewTable(newTables, m, table)) {
        // The CREATE TABLE is the migration's own but not new to the change (an edited migration kept it).
        const created = m.creates?.get(tableKey(table));
        if (created !== undefined && created < o.line) report('insertSeed', { table, line: String(created) }, at);
        else report('insert', { table }, at);
      }
    });
  },
});
