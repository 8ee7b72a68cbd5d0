import { defineRule } from '../../../core/rule.js';
import { loc, swappedInTables, target, type DbContext } from '../model.js';

const KINDS = {
  'create-table': 'createTable',
  'add-column': 'addColumn',
  'add-column-default': 'addColumnDefault',
  'create-index-concurrently': 'createIndexConcurrently',
  'add-constraint-not-valid': 'addConstraintNotValid',
  'create-view': 'createView',
  'create-function': 'createFunction',
  'create-type': 'createType',
} as const;

/** Expand: the schema grows in a way the running (old) application does not notice. */
export default defineRule<DbContext, (typeof KINDS)[keyof typeof KINDS]>({
  id: 'expand-statement',
  surface: 'database',
  class: 'fully-reversible',
  decision: { playbook: 'bad-database-migration', effects: ['data-expand'] },
  severity: 'info',
  docs: {
    summary:
      'An expand statement: create table, add a nullable column or one with a constant default, create index concurrently, add a constraint NOT VALID, create a view, function or type.',
    rationale:
      'The old application keeps working against the expanded schema: it does not select a new table or column, its INSERTs leave a new nullable column NULL or give it its default, and a NOT VALID constraint checks only new rows. So the application rolls back freely and the up itself is fully-reversible. Since PostgreSQL 11 a column with a non-volatile default is added without a table rewrite (the default is stored in the catalog); a volatile default, an identity or a stored generated column rewrites the table (locking-statement says so). What a schema rollback would lose is said by down-migration (a down that drops what the new version writes sets the compatibility window), not here.',
    fix: 'Nothing to do. Keep the contract (dropping what the old version used) for a later release.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES',
      'https://www.postgresql.org/docs/15/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
    ],
  },
  messages: {
    createTable: 'CREATE TABLE {{target}}: new; the old application does not use it',
    addColumn:
      'ADD COLUMN {{target}} ({{type}}, nullable): the old application does not select it and its INSERTs leave it NULL',
    addColumnDefault:
      "ADD COLUMN {{target}} ({{type}}) with a constant default: no table rewrite since PostgreSQL 11; the old application's INSERTs get the default",
    createIndexConcurrently: 'CREATE INDEX CONCURRENTLY {{name}} on {{target}}: built without blocking writes',
    addConstraintNotValid:
      "constraint {{name}} on {{target}} added NOT VALID: checked for new rows only; the old application's writes must satisfy it from now on",
    createView: 'CREATE VIEW {{target}}: new; the old application does not use it',
    createFunction: 'CREATE FUNCTION {{target}}: new; the old application does not call it',
    createType: 'CREATE TYPE {{target}}: new; the old application does not use it',
  },
  check({ migrations, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const ops = m.upOps;
      // A table created in place of one the migration renamed away is no expand: the old application
      // uses it under that name (database/rename reports the swap).
      const swapped = ops.some((o) => o.kind === 'rename-table') ? swappedInTables(ops) : undefined;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        const id = KINDS[o.kind as keyof typeof KINDS];
        if (id && !swapped?.has(o))
          report(id, { target: target(o), type: o.detail ?? '', name: o.name ?? '(unnamed)' }, loc(m.file.path, o));
      }
    }
  },
});
