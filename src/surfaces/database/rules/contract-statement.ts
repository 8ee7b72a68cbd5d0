import { defineRule } from '../../../core/rule.js';
import { forEachUpOp, loc, target, type DbContext } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

/** Contract: the schema loses something the old application may still use, or data with it. */
/** The operations this rule reports. */
const KINDS: ReadonlySet<Op['kind']> = new Set([
  'drop-column',
  'drop-table',
  'drop-constraint',
  'drop-type',
  'drop-view',
]);

/** A finding's data: what is dropped (`table` or `table.column`), and its column or object name. */
export type ContractStatementData = { target: string; column: string; name: string };

export default defineRule<DbContext, 'dropColumn' | 'dropTable' | 'dropConstraint' | 'dropType' | 'dropView', ContractStatementData>({
  id: 'contract-statement',
  surface: 'database',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  severity: 'error',
  docs: {
    summary: 'A contract statement: drop column, table, constraint, type, view or function.',
    rationale:
      'Dropping a column or a table destroys its data: a down migration can re-create the column but not its values, so only a restore brings them back. The running (old) version of the application still reads and writes what is dropped and fails until it is replaced; rolling the application back after the drop fails the same way.',
    fix: 'Contract only after every running version has stopped using the object (a release later than the expand), with a backup or a copy of the data taken first.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html',
      'https://www.postgresql.org/docs/15/sql-droptable.html',
      'https://squawkhq.com/docs/ban-drop-column',
    ],
  },
  messages: {
    dropColumn:
      "DROP COLUMN {{target}}: its data is destroyed; the running version still selects {{column}} and fails with 'column does not exist' until it is replaced",
    dropTable:
      "DROP TABLE {{target}}: its rows are destroyed; the running version still queries it and fails with 'relation does not exist' until it is replaced",
    dropConstraint: {
      text: 'DROP CONSTRAINT {{name}} on {{target}}: rows written without it may violate it, so re-adding it on rollback can fail',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-forward-only'] },
    },
    dropType: {
      text: 'DROP TYPE {{target}}: the running version that casts to it fails; re-creating it loses nothing but the columns that used it are gone',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-forward-only'] },
    },
    dropView: {
      text: 'DROP of view or function {{target}}: the running version that uses it fails until it is replaced; re-creating it restores it',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-forward-only'] },
    },
  },
  check({ migrations, report }) {
    forEachUpOp(migrations, KINDS, (o, m) => {
      const at = loc(m.file.path, o);
      const data = { target: target(o), column: o.column ?? '', name: o.name ?? '' };
      if (o.kind === 'drop-column') report('dropColumn', data, at);
      else if (o.kind === 'drop-table') report('dropTable', data, at);
      else if (o.kind === 'drop-constraint') report('dropConstraint', data, at);
      else if (o.kind === 'drop-type') report('dropType', data, at);
      else if (o.kind === 'drop-view') report('dropView', data, at);
    });
  },
});
