import { defineRule } from '../../../core/rule.js';
import { columnOf } from '../schema.js';
import { isNewTable, loc, NEW_DATABASE_ONLY, saidNewDatabaseOnly, target, type DbContext } from '../model.js';

/**
 * ALTER COLUMN ... DROP DEFAULT. Catalog-only in PostgreSQL (no rewrite: existing rows keep their
 * values), but INSERTs that omit the column get NULL from then on; on a NOT NULL column they fail.
 */
export default defineRule<DbContext, 'notNull' | 'nullable' | 'newDatabaseOnly'>({
  id: 'default-dropped',
  surface: 'database',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-database-migration', effects: ['data-expand'] },
  severity: 'warning',
  docs: {
    summary: 'A column loses its default (ALTER COLUMN ... DROP DEFAULT).',
    rationale:
      "Dropping a default is catalog-only: existing rows keep their values. But the running version's INSERTs that omit the column relied on the default: on a NOT NULL column they now fail with 'violates not-null constraint', until the default is set back (SET DEFAULT, also catalog-only): a compatibility window for the old version. On a nullable column the rows it inserts get NULL instead of the default (info). Whether the column is NOT NULL is read from the earlier migrations. In an edited migration that databases already applied, a statement on a table that the same file creates earlier is said at info: a database that applied the old text never runs the file again (Prisma records an applied migration by its folder name in `_prisma_migrations`, and `migrate deploy` applies only the pending ones; golang-migrate, Flyway and dbmate record the version), and a new database runs the statement right after that CREATE TABLE, on an empty table that no running version uses. What the edit leaves different between the two is reported by `database/migration-edited`.",
    fix: 'Drop the default only once no running version inserts without the column; or keep the default.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-DEFAULT',
      'https://www.prisma.io/docs/cli/migrate/deploy',
    ],
  },
  messages: {
    newDatabaseOnly: NEW_DATABASE_ONLY,
    notNull:
      "DROP DEFAULT on the NOT NULL column {{target}}: the running version's INSERTs that omit {{column}} fail with 'violates not-null constraint' until the default is set back",
    nullable: {
      text: "DROP DEFAULT on {{target}}: the running version's INSERTs that omit {{column}} now store NULL instead of the default",
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ migrations, newTables, report }) {
    for (const m of migrations) {
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (o.kind !== 'drop-default' || isNewTable(newTables, m, o.table)) continue;
        if (saidNewDatabaseOnly(m, o, report)) continue;
        // NOT NULL: set earlier in this file, or by the earlier migrations.
        let notNull = columnOf(m.before, o.table, o.column)?.notNull ?? false;
        for (let k = 0; k < j; k++) {
          const p = ops[k]!;
          if (p.table !== o.table || p.column !== o.column) continue;
          if (p.kind === 'set-not-null' || p.kind === 'add-column-required') notNull = true;
          else if (p.kind === 'drop-not-null') notNull = false;
        }
        const data = { target: target(o), column: o.column ?? '' };
        report(notNull ? 'notNull' : 'nullable', data, loc(m.file.path, o));
      }
    }
  },
});
