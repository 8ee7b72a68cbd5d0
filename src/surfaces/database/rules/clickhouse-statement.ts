import { defineRule, type Report } from '../../../core/rule.js';
import type { ClickHouseOp, ClickHouseStatement } from '../sql/clickhouse.js';

/** A ClickHouse migration read statement by statement (the file is not parsed by the PostgreSQL parser). */
export interface ClickHouseFile {
  path: string;
  statements: ClickHouseStatement[];
}

type M =
  | 'dropTable'
  | 'destroy'
  | 'overwrite'
  | 'swap'
  | 'renameTable'
  | 'renameColumn'
  | 'modifyColumn'
  | 'viewDropped'
  | 'viewRecreated'
  | 'backfill'
  | 'fillsEmpty'
  | 'derived';

/**
 * The statements of a ClickHouse migration that change what a rollback can do: data deleted (DROP
 * TABLE, DROP COLUMN, TRUNCATE, DELETE and TTL mutations), values overwritten (UPDATE mutations),
 * tables swapped for a copy (RENAME TABLE a TO a_old, a_new TO a; EXCHANGE TABLES), renames and
 * type changes. Expands (CREATE TABLE, CREATE MATERIALIZED VIEW, ADD COLUMN/INDEX/PROJECTION, an
 * INSERT into a table of the same migration) report nothing.
 */
export default defineRule<{ files: ClickHouseFile[] }, M>({
  id: 'clickhouse-statement',
  surface: 'database',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  severity: 'error',
  docs: {
    summary:
      'A ClickHouse migration statement that deletes or overwrites data, swaps a table for a copy, renames, or changes a column type; expands report nothing.',
    rationale:
      "ClickHouse has no transactions around DDL and no down migrations: each statement takes effect on its own. DROP TABLE deletes the data (an Atomic database only delays the deletion, by database_atomic_delay_before_drop_table_sec, 8 minutes by default, for UNDROP); ALTER TABLE ... DROP COLUMN, CLEAR COLUMN, DELETE, DROP PARTITION, TRUNCATE and a TTL delete rows or values, and ALTER TABLE ... UPDATE is a mutation that overwrites the values in place: only a backup brings them back, unless it fills only rows where the WHERE holds the column empty, or computes every value from other columns of the same row (a backfill that can be computed again, which loses data only where those rows held values of their own: info). Dropping a materialized view that writes TO another table deletes only the view: the target table keeps its rows, and a view created again at once only misses the rows inserted in between. A table rebuilt as a copy (CREATE TABLE x_new, INSERT INTO x_new SELECT ... FROM x) and swapped in by RENAME TABLE x TO x_old, x_new TO x (not atomic) or EXCHANGE TABLES (atomic in an Atomic database) keeps the old table: the rows written to x between the copy and the swap stay in x_old and are moved by hand (reversible-with-manual-repair); swapping back restores the old table. A rename is exactly invertible but breaks the running version's queries until renamed back (a compatibility window), and MODIFY COLUMN rewrites the column in every part through a mutation that fails on values that do not convert. CREATE TABLE, CREATE [MATERIALIZED] VIEW, ADD COLUMN, ADD INDEX, ADD PROJECTION and MATERIALIZE are expands and report nothing. A statement not recognised here is reported as not assessed by `database/invalid-sql`, with the class held.",
    fix: 'Keep the old table (or the dropped column) until the release is proven, copy the rows written during a table copy before the swap (or write to both), and recreate a materialized view in the statement right after its drop.',
    references: [
      'https://clickhouse.com/docs/en/sql-reference/statements/rename',
      'https://clickhouse.com/docs/en/sql-reference/statements/exchange',
      'https://clickhouse.com/docs/en/engines/database-engines/atomic',
      'https://clickhouse.com/docs/en/sql-reference/statements/alter',
      'https://clickhouse.com/docs/en/sql-reference/statements/alter/update',
      'https://clickhouse.com/docs/en/sql-reference/statements/create/view#materialized-view',
    ],
  },
  messages: {
    dropTable: 'DROP TABLE {{table}}: ClickHouse deletes the table and its rows; only a backup brings them back',
    destroy: 'ALTER TABLE {{table}} {{what}}: deletes data in {{table}}; only a backup brings it back',
    overwrite: {
      text: 'ALTER TABLE {{table}} {{what}}: a mutation that overwrites the values in place; the old values come back only from a backup',
      severity: 'warning',
    },
    swap: {
      text: 'table {{table}} is swapped for the copy {{copy}} ({{how}}); the old table is kept as {{old}}: rows written to {{table}} between the copy and the swap stay in {{old}} and must be moved by hand, and swapping back restores the old table',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
    },
    renameTable: {
      text: 'RENAME TABLE {{table}} TO {{to}}: the running version still queries {{table}} and fails until it is renamed back',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
      decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
    },
    renameColumn: {
      text: 'ALTER TABLE {{table}} RENAME COLUMN {{from}} TO {{to}}: the running version still uses {{from}} and fails until it is renamed back',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
      decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
    },
    modifyColumn: {
      text: 'ALTER TABLE {{table}} MODIFY COLUMN {{column}}: a mutation rewrites the column in every part and fails on values that do not convert; the running version reads the new type meanwhile',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
      decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
    },
    viewDropped: {
      text: 'DROP {{what}} {{table}} (a view): its target table keeps its rows, but nothing is aggregated into it until the view is created again',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { playbook: 'bad-database-migration', effects: [] },
    },
    viewRecreated: {
      text: 'materialized view {{table}} is dropped and created again: rows inserted into its source between the two statements are not aggregated',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    fillsEmpty: {
      text: 'ALTER TABLE {{table}} {{what}}: fills {{column}} only where the WHERE holds it empty; nothing is overwritten',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    derived: {
      text: 'ALTER TABLE {{table}} {{what}}: sets {{column}} from {{from}} of the same rows, a backfill that can be computed again; it replaces what {{column}} held on the matching rows, which loses data only if they held values of their own there',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    backfill: {
      text: 'ALTER TABLE {{table}} {{what}}: fills {{column}}, which this migration adds',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
  },
  check({ files, report }) {
    for (const file of files) check(file, report);
  },
});

function check(file: ClickHouseFile, report: Report<M>): void {
  const ops: Array<{ line: number; op: ClickHouseOp }> = file.statements.flatMap((s) =>
    s.ops.map((op) => ({ line: s.line, op })),
  );
  const created = new Set<string>();
  const views = new Set<string>();
  const added = new Set<string>();
  for (const { op } of ops) {
    if (op.kind === 'createTable') created.add(op.table);
    if (op.kind === 'createView') views.add(op.view);
  }
  // Swaps: a table renamed away (x -> x_old) and another renamed into its name (x_new -> x).
  const renames = ops.flatMap(({ line, op }) =>
    op.kind === 'renameTables' || op.kind === 'exchange'
      ? op.pairs.map(([from, to]) => ({ line, from, to, exchange: op.kind === 'exchange' }))
      : [],
  );
  const swapped = new Set<string>();
  for (const r of renames) {
    if (r.exchange) {
      const [a, b] = created.has(r.from) ? [r.to, r.from] : [r.from, r.to];
      if (views.has(a) || views.has(b)) continue;
      report('swap', { table: a, copy: b, old: b, how: 'EXCHANGE TABLES' }, { file: file.path, line: r.line });
      swapped.add(`${r.line}\0${r.from}`);
      continue;
    }
    const into = renames.find((s) => !s.exchange && s.to === r.from && s !== r);
    if (!into) continue;
    swapped.add(`${r.line}\0${r.from}`).add(`${into.line}\0${into.from}`);
    if (views.has(r.from) || views.has(into.from)) continue; // a view swapped with its copy: no rows of its own
    report(
      'swap',
      { table: r.from, copy: into.from, old: r.to, how: 'RENAME TABLE, not atomic' },
      { file: file.path, line: Math.max(r.line, into.line) },
    );
  }
  for (const { line, op } of ops) {
    const at = { file: file.path, line };
    switch (op.kind) {
      case 'expand': {
        if (op.what === 'ADD COLUMN') {
          const col = /ADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?[`"]?([\w$]+)/i.exec(
            file.statements.find((s) => s.line === line)?.text ?? '',
          );
          if (col) added.add(`${op.table}.${col[1]}`);
        }
        break;
      }
      case 'dropTable': {
        if (created.has(op.table) && !views.has(op.table)) break; // a table of this migration
        const recreated = views.has(op.table);
        if (recreated) report('viewRecreated', { table: op.table }, at);
        else if (op.view) report('viewDropped', { table: op.table, what: 'VIEW' }, at);
        else if (/_mv(_|$)/i.test(op.table)) report('viewDropped', { table: op.table, what: 'TABLE' }, at);
        else report('dropTable', { table: op.table }, at);
        break;
      }
      case 'destroy':
        if (!created.has(op.table)) report('destroy', { table: op.table, what: op.what }, at);
        break;
      case 'overwrite': {
        const col = /^UPDATE\s+[`"]?([\w$]+)/i.exec(op.what)?.[1];
        if (created.has(op.table)) break;
        if (col && added.has(`${op.table}.${col}`))
          report('backfill', { table: op.table, what: op.what, column: col }, at);
        else if (op.fillsEmpty) report('fillsEmpty', { table: op.table, what: op.what, column: op.columns.join(', ') }, at);
        else if (op.derivedFrom)
          report(
            'derived',
            { table: op.table, what: op.what, column: op.columns.join(', '), from: op.derivedFrom.join(', ') },
            at,
          );
        else report('overwrite', { table: op.table, what: op.what }, at);
        break;
      }
      case 'renameTables':
        for (const [from, to] of op.pairs)
          if (!swapped.has(`${line}\0${from}`) && !created.has(from) && !views.has(from))
            report('renameTable', { table: from, to }, at);
        break;
      case 'renameColumn':
        if (!created.has(op.table)) report('renameColumn', { table: op.table, from: op.from, to: op.to }, at);
        break;
      case 'modifyColumn':
        if (!created.has(op.table)) report('modifyColumn', { table: op.table, column: op.column }, at);
        break;
      default:
        break;
    }
  }
}
