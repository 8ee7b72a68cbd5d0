import { defineRule } from '../../../core/rule.js';
import { loc, NEW_DATABASE_ONLY, saidNewDatabaseOnly, tableSwapAfter, type DbContext } from '../model.js';

/** A rename breaks the running version at once; expand/contract replaces it. */
export default defineRule<DbContext, 'column' | 'table' | 'schema' | 'swap' | 'newDatabaseOnly'>({
  id: 'rename',
  surface: 'database',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  severity: 'warning',
  docs: {
    summary: 'A column, a table or a schema is renamed (ALTER TABLE ... SET SCHEMA moves a table too).',
    rationale:
      'A rename is catalog-only (no rewrite, no data touched) and exactly invertible: renaming back restores the schema. But it is atomic: from the moment it commits, the running version, which still uses the old name, fails, and so does an application rollback after it, until the name is renamed back. The class is reversible-with-compatibility-window: the schema can be put back, the applications on the wrong side of the rename fail meanwhile. MySQL\'s CHANGE old_name new_name <definition> restates the whole definition of the column with its new name: when the definition restated is the one the column already has (type, UNSIGNED, NULL or NOT NULL, a default, as the earlier migrations of the folder define it), only the name changes, and it is this rename (InnoDB renames a column in place, metadata only, with concurrent DML permitted; the same as RENAME COLUMN); what the restated definition changes besides is reported as what it is (a type change, a NOT NULL added). The safe sequence is expand (add the new name), migrate (write both, backfill), switch reads, and contract (drop the old name) in a later release. A table renamed away and a new table created under its old name in the same migration is a swap, not a rename (checked on PostgreSQL 15): the running version does not fail, it reads and writes the new table (empty, or with the rows the migration copied into it, and of the new shape), while the old rows stay in the renamed table with its constraints and indexes. Going back is no rename back: the naive down (drop the new table, rename the old one back) loses every row written to the new table since, so the tables are swapped back and those rows merged by hand (reversible-with-manual-repair). In an edited migration that databases already applied, a statement on a table that the same file creates earlier is said at info: a database that applied the old text never runs the file again (Prisma records an applied migration by its folder name in `_prisma_migrations`, and `migrate deploy` applies only the pending ones; golang-migrate, Flyway and dbmate record the version), and a new database runs the statement right after that CREATE TABLE, on an empty table that no running version uses. What the edit leaves different between the two is reported by `database/migration-edited`.',
    fix: 'Replace the rename by expand/contract across releases, or, for a table, rename it and leave an updatable view under the old name for one release.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html',
      'https://www.postgresql.org/docs/15/sql-alterschema.html',
      'https://dev.mysql.com/doc/refman/8.4/en/alter-table.html#alter-table-redefine-column',
      'https://dev.mysql.com/doc/refman/8.4/en/innodb-online-ddl-operations.html#online-ddl-column-operations',
      'https://squawkhq.com/docs/renaming-column',
      'https://www.prisma.io/docs/cli/migrate/deploy',
    ],
  },
  messages: {
    newDatabaseOnly: NEW_DATABASE_ONLY,
    column:
      "RENAME COLUMN {{table}}.{{from}} TO {{to}}: the running version still uses {{from}} and fails with 'column does not exist'; instead: add {{to}} (expand), write both and backfill (migrate), read {{to}}, drop {{from}} in a later release (contract)",
    table:
      "RENAME TABLE {{table}} TO {{to}}: the running version still queries {{table}} and fails with 'relation does not exist'; instead: create {{to}} (expand), write both and copy (migrate), read {{to}}, drop {{table}} in a later release (contract), or leave a view named {{table}} for one release",
    swap: {
      text: "RENAME TABLE {{table}} TO {{to}}, then CREATE TABLE {{table}} (line {{line}}): a table swap, not a rename; the running version does not fail with 'relation does not exist', it reads and writes the new {{table}}, {{copied}}, while the old rows stay in {{to}}; going back is no rename back: dropping the new {{table}} and renaming {{to}} back loses every row written to it since, so swap the tables back and merge those rows by hand",
      class: 'reversible-with-manual-repair',
    },
    schema:
      "RENAME SCHEMA {{table}} TO {{to}}: every query that names {{table}} fails with 'schema does not exist' until it is renamed back or the application follows",
  },
  check({ migrations, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if ((o.kind === 'rename-column' || o.kind === 'rename-table') && saidNewDatabaseOnly(m, o, report)) continue;
        if (o.kind === 'rename-column')
          report('column', { table: o.table ?? '?', from: o.column ?? '?', to: o.name ?? '?' }, loc(m.file.path, o));
        else if (o.kind === 'rename-table') {
          const swap = tableSwapAfter(ops, j);
          if (swap)
            report(
              'swap',
              {
                table: o.table ?? '?',
                to: o.name ?? '?',
                line: String(swap.create.line),
                copied: swap.copy
                  ? `which holds the rows copied at line ${swap.copy.line}`
                  : 'which starts empty and may have another shape',
              },
              loc(m.file.path, o),
            );
          else report('table', { table: o.table ?? '?', to: o.name ?? '?' }, loc(m.file.path, o));
        }
        else if (o.kind === 'rename-schema')
          report('schema', { table: o.table ?? '?', to: o.name ?? '?' }, loc(m.file.path, o));
      }
    }
  },
});
