import { defineRule } from '../../../core/rule.js';
import { columnOf } from '../schema.js';
import { isNewTable, loc, target, type DbContext } from '../model.js';

/**
 * ALTER COLUMN ... DROP DEFAULT. Catalog-only in PostgreSQL (no rewrite: existing rows keep their
 * values), but INSERTs that omit the column get NULL from then on; on a NOT NULL column they fail.
 */
export default defineRule<DbContext, 'notNull' | 'nullable'>({
  id: 'default-dropped',
  surface: 'database',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-database-migration', effects: ['data-expand'] },
  severity: 'warning',
  docs: {
    summary: 'A column loses its default (ALTER COLUMN ... DROP DEFAULT).',
    rationale:
      "Dropping a default is catalog-only: existing rows keep their values. But the running version's INSERTs that omit the column relied on the default: on a NOT NULL column they now fail with 'violates not-null constraint', until the default is set back (SET DEFAULT, also catalog-only): a compatibility window for the old version. On a nullable column the rows it inserts get NULL instead of the default (info). Whether the column is NOT NULL is read from the earlier migrations.",
    fix: 'Drop the default only once no running version inserts without the column; or keep the default.',
    references: ['https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-DEFAULT'],
  },
  messages: {
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
