import { defineRule } from '../../../core/rule.js';
import { forEachUpOp, loc, target, type DbContext } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

/** NOT NULL and validated constraints on existing tables: the old application may violate them. */
/** The operations this rule reports. */
const KINDS: ReadonlySet<Op['kind']> = new Set([
  'set-not-null',
  'add-constraint',
  'add-column-required',
  'validate-constraint',
]);

export default defineRule<DbContext, 'setNotNull' | 'addValidated' | 'requiredColumn' | 'validate'>({
  id: 'constraint-added',
  surface: 'database',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-database-migration', effects: ['data-expand'] },
  severity: 'warning',
  docs: {
    summary:
      'SET NOT NULL, a NOT NULL column without a default, or a constraint added without NOT VALID on an existing table.',
    rationale:
      "SET NOT NULL and a constraint added without NOT VALID scan the whole table under an ACCESS EXCLUSIVE lock (reads and writes wait). The running version may still write rows that violate the constraint (NULLs, values the check rejects) and fails when it does. A NOT NULL column without a default fails outright on a table with rows, and the old version's INSERTs do not name it. VALIDATE CONSTRAINT after NOT VALID takes a lighter lock and is the safe path.",
    fix: 'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration; for NOT NULL, add CHECK (col IS NOT NULL) NOT VALID, validate it, then SET NOT NULL (PostgreSQL 12+ uses the check and skips the scan).',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DESC-VALIDATE-CONSTRAINT',
      'https://squawkhq.com/docs/adding-not-nullable-field',
      'https://squawkhq.com/docs/constraint-missing-not-valid',
    ],
  },
  messages: {
    setNotNull:
      "SET NOT NULL on {{target}}: scans the table under an ACCESS EXCLUSIVE lock; the running version's INSERTs that leave {{column}} empty fail with 'violates not-null constraint'",
    addValidated:
      "constraint {{name}} ({{type}}) on {{target}} added without NOT VALID: validates every row under a lock that blocks writes; the running version's writes that violate it fail",
    requiredColumn: {
      text: "ADD COLUMN {{target}} NOT NULL without a default: fails on a table with rows, and the running version's INSERTs, which do not name it, fail with 'violates not-null constraint'",
      class: 'reversible-with-manual-repair',
      severity: 'error',
      decision: { effects: ['data-forward-only'] },
    },
    validate: {
      text: 'VALIDATE CONSTRAINT {{name}} on {{target}}: checks existing rows with a SHARE UPDATE EXCLUSIVE lock (writes go on)',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ migrations, newTables, report }) {
    forEachUpOp(migrations, KINDS, (o, m) => {
      if (o.table && newTables.has(o.table)) return;
      const data = { target: target(o), column: o.column ?? '', name: o.name ?? '', type: o.detail ?? '' };
      const at = loc(m.file.path, o);
      if (o.kind === 'set-not-null') report('setNotNull', data, at);
      else if (o.kind === 'add-constraint') report('addValidated', { ...data, type: o.detail ?? o.name ?? '' }, at);
      else if (o.kind === 'add-column-required') report('requiredColumn', data, at);
      else if (o.kind === 'validate-constraint') report('validate', data, at);
    });
  },
});
