import { defineRule } from '../../../core/rule.js';
import { loc, type DbContext } from '../model.js';

/** A rename breaks the running version at once; expand/contract replaces it. */
export default defineRule<DbContext, 'column' | 'table' | 'schema'>({
  id: 'rename',
  surface: 'database',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  severity: 'warning',
  docs: {
    summary: 'A column, a table or a schema is renamed (ALTER TABLE ... SET SCHEMA moves a table too).',
    rationale:
      'A rename is catalog-only (no rewrite, no data touched) and exactly invertible: renaming back restores the schema. But it is atomic: from the moment it commits, the running version, which still uses the old name, fails, and so does an application rollback after it, until the name is renamed back. The class is reversible-with-compatibility-window: the schema can be put back, the applications on the wrong side of the rename fail meanwhile. The safe sequence is expand (add the new name), migrate (write both, backfill), switch reads, and contract (drop the old name) in a later release.',
    fix: 'Replace the rename by expand/contract across releases, or, for a table, rename it and leave an updatable view under the old name for one release.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html',
      'https://www.postgresql.org/docs/15/sql-alterschema.html',
      'https://squawkhq.com/docs/renaming-column',
    ],
  },
  messages: {
    column:
      "RENAME COLUMN {{table}}.{{from}} TO {{to}}: the running version still uses {{from}} and fails with 'column does not exist'; instead: add {{to}} (expand), write both and backfill (migrate), read {{to}}, drop {{from}} in a later release (contract)",
    table:
      "RENAME TABLE {{table}} TO {{to}}: the running version still queries {{table}} and fails with 'relation does not exist'; instead: create {{to}} (expand), write both and copy (migrate), read {{to}}, drop {{table}} in a later release (contract), or leave a view named {{table}} for one release",
    schema:
      "RENAME SCHEMA {{table}} TO {{to}}: every query that names {{table}} fails with 'schema does not exist' until it is renamed back or the application follows",
  },
  check({ migrations, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (o.kind === 'rename-column')
          report('column', { table: o.table ?? '?', from: o.column ?? '?', to: o.name ?? '?' }, loc(m.file.path, o));
        else if (o.kind === 'rename-table')
          report('table', { table: o.table ?? '?', to: o.name ?? '?' }, loc(m.file.path, o));
        else if (o.kind === 'rename-schema')
          report('schema', { table: o.table ?? '?', to: o.name ?? '?' }, loc(m.file.path, o));
      }
    }
  },
});
