import { tableKey } from '../schema.js';
import { defineRule } from '../../../core/rule.js';
import { forEachUpOp, loc, type DbContext } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

/** Statements that change rows: the down migration cannot bring old values back. */
/** The operations this rule reports. */
const KINDS: ReadonlySet<Op['kind']> = new Set(['update-all', 'update-where', 'delete', 'truncate', 'insert']);

/** A finding's data: the table, and the columns or scope the statement touches. */
export type DataMutationData = { table: string; columns?: string; scope?: string };

export default defineRule<
  DbContext,
  'updateAll' | 'updateWhere' | 'delete' | 'truncate' | 'insert' | 'insertSelect',
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
      'A schema change can be reverted by another schema change; overwritten or deleted rows cannot: only a backup (or a copy the migration kept) restores them. An UPDATE without WHERE overwrites every row. An UPDATE that only sets columns added by the same change (a backfill of a new column, or of a table created in the change) overwrites nothing that existed: no finding here (the lock it holds in the migration transaction is locking-statement\'s). INSERTed business records (VALUES: a default account, a setting) take effect at once and may already have had effects (a login, notifications, invoices) by the time they are deleted: compensatable, not reversible. INSERT ... SELECT copies rows that exist elsewhere: nothing is lost (info).',
    fix: 'Copy what is overwritten or deleted to a backup table in the same migration (and restore from it in the down), batch large updates, and keep backfills idempotent.',
    references: [
      'https://www.postgresql.org/docs/15/sql-update.html',
      'https://www.postgresql.org/docs/15/sql-truncate.html',
    ],
  },
  messages: {
    updateAll: {
      text: "UPDATE {{table}} without WHERE: every row's {{columns}} is overwritten; the old values are gone unless copied first",
      severity: 'error',
    },
    updateWhere:
      "UPDATE {{table}} ... WHERE: the matching rows' {{columns}} are overwritten; the old values are gone unless copied first",
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
    for (const m of migrations)
      for (const o of m.upOps)
        if (o.kind.startsWith('add-column') && o.table && o.column)
          added.set(`${tableKey(o.table)}.${o.column}`, { file: m.file.path, line: o.line });
    const backfill = (o: Op, file: string): boolean => {
      if (o.table && newTables.has(o.table)) return true;
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
      if ((o.kind === 'update-all' || o.kind === 'update-where') && backfill(o, m.file.path)) return;
      if (o.kind === 'update-all') report('updateAll', { table, columns: o.detail || 'columns' }, at);
      else if (o.kind === 'update-where') report('updateWhere', { table, columns: o.detail || 'columns' }, at);
      else if (o.kind === 'delete') report('delete', { table, scope: o.detail ?? '' }, at);
      else if (o.kind === 'truncate') report('truncate', { table }, at);
      else if (o.kind === 'insert' && o.fromSelect) report('insertSelect', { table }, at);
      else if (o.kind === 'insert' && !newTables.has(table)) report('insert', { table }, at);
    });
  },
});
