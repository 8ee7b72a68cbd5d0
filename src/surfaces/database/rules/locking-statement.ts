import { defineRule } from '../../../core/rule.js';
import { forEachUpOp, loc, target, type DbContext } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

/** Statements that block reads or writes while they run, or slow queries after. */
/** The operations this rule reports. */
const KINDS: ReadonlySet<Op['kind']> = new Set([
  'create-index',
  'add-column-volatile-default',
  'drop-index',
  'drop-index-concurrently',
]);

export default defineRule<DbContext, 'createIndex' | 'rewrite' | 'dropIndex' | 'dropIndexConcurrently'>({
  id: 'locking-statement',
  surface: 'database',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'CREATE INDEX without CONCURRENTLY, ADD COLUMN with a volatile default (table rewrite), DROP INDEX.',
    rationale:
      'These do not lose data, but they take locks that stop the running application: CREATE INDEX blocks writes for the whole build, a volatile default rewrites the table under an ACCESS EXCLUSIVE lock, DROP INDEX takes an ACCESS EXCLUSIVE lock on the table. A dropped index also makes the queries that used it slow, and re-creating it on rollback takes as long as the first build.',
    fix: 'CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY (outside a transaction); add the column without default, then set the default and backfill in batches.',
    references: [
      'https://www.postgresql.org/docs/15/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
      'https://www.postgresql.org/docs/15/explicit-locking.html',
      'https://www.postgresql.org/docs/15/sql-dropindex.html',
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
  },
  check({ migrations, newTables, report }) {
    forEachUpOp(migrations, KINDS, (o, m) => {
      if (o.table && newTables.has(o.table)) return;
      const data = { target: target(o), name: o.name ?? '(unnamed)' };
      const at = loc(m.file.path, o);
      if (o.kind === 'create-index') report('createIndex', data, at);
      else if (o.kind === 'add-column-volatile-default') report('rewrite', data, at);
      else if (o.kind === 'drop-index') report('dropIndex', data, at);
      else if (o.kind === 'drop-index-concurrently') report('dropIndexConcurrently', data, at);
    });
  },
});
