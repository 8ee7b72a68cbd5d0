import type { Op } from '../sql/vocabulary.js';
import { defineRule } from '../../../core/rule.js';
import { columnOf, validNotNullCheck } from '../schema.js';
import { loc, target, type DbContext, type MigrationChange } from '../model.js';

/** The operations this rule reports. */
const KINDS: ReadonlySet<Op['kind']> = new Set([
  'set-not-null',
  'add-constraint',
  'add-column-required',
  'validate-constraint',
  'domain-constraint',
  'alter-column-type',
]);

/**
 * NOT NULL and validated constraints on existing tables: the old application may violate them.
 *
 * Checked against PostgreSQL 15 (ALTER TABLE notes): SET NOT NULL scans the table under ACCESS
 * EXCLUSIVE unless a valid `CHECK (col IS NOT NULL)` proves it (PostgreSQL 12+ then skips the scan);
 * ALTER DOMAIN ADD CONSTRAINT checks every column of the domain. MySQL's `MODIFY col ... NOT NULL`
 * restates the column: in strict mode the running version's INSERTs that leave it NULL fail, unless the
 * new definition gives it a default.
 */
export default defineRule<
  DbContext,
  'setNotNull' | 'setNotNullNoDown' | 'setNotNullChecked' | 'modifyNotNullDefault' | 'addValidated' | 'requiredColumn' | 'validate' | 'domain'
>({
  id: 'constraint-added',
  surface: 'database',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-database-migration', effects: ['data-expand'] },
  severity: 'warning',
  docs: {
    summary:
      'SET NOT NULL (or MySQL MODIFY ... NOT NULL), a NOT NULL column without a default, a constraint added without NOT VALID on an existing table, or a constraint added to a domain.',
    rationale:
      "SET NOT NULL and a constraint added without NOT VALID scan the whole table under an ACCESS EXCLUSIVE lock (reads and writes wait). The running version may still write rows that violate the constraint (NULLs, values the check rejects) and fails when it does: the rollback works while someone can drop the constraint again. With a down migration that drops it, that is a compatibility window; with none (Prisma has no downs, a missing down), someone must drop it by hand for a rolled-back application to work: reversible-with-manual-repair. A NOT NULL column without a default fails outright on a table with rows, and the old version's INSERTs do not name it. The safe NOT NULL recipe (CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL, then drop the check) is recognised: with a valid check already in place, SET NOT NULL skips the scan (PostgreSQL 12+) and the old version was already held to it by the check, so nothing changes for it. ALTER DOMAIN ADD CONSTRAINT checks every column of the domain and rejects the running version's writes that violate it. MySQL MODIFY ... NOT NULL: in strict mode the running version's INSERTs that leave the column NULL fail; with a DEFAULT in the new definition, INSERTs that omit it get the default.",
    fix: 'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration; for NOT NULL, add CHECK (col IS NOT NULL) NOT VALID, validate it, then SET NOT NULL (PostgreSQL 12+ uses the check and skips the scan) and drop the check; ship a down that drops the constraint.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-NOT-NULL',
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DESC-VALIDATE-CONSTRAINT',
      'https://www.postgresql.org/docs/15/sql-alterdomain.html',
      'https://dev.mysql.com/doc/refman/8.4/en/alter-table.html',
      'https://squawkhq.com/docs/adding-not-nullable-field',
      'https://squawkhq.com/docs/constraint-missing-not-valid',
    ],
  },
  messages: {
    setNotNull:
      "SET NOT NULL on {{target}}: scans the table under an ACCESS EXCLUSIVE lock; the running version's INSERTs that leave {{column}} empty fail with 'violates not-null constraint'",
    setNotNullNoDown: {
      text: "SET NOT NULL on {{target}}: scans the table under an ACCESS EXCLUSIVE lock; the running version's INSERTs that leave {{column}} empty fail with 'violates not-null constraint', and with no down migration someone must run DROP NOT NULL by hand for a rolled-back version to work",
      class: 'reversible-with-manual-repair',
      decision: { effects: ['data-forward-only'] },
    },
    setNotNullChecked: {
      text: 'SET NOT NULL on {{target}} over the valid check {{name}}: no scan (PostgreSQL 12+ uses the check), and the running version was already held to it',
      class: 'fully-reversible',
      severity: 'info',
    },
    modifyNotNullDefault:
      "MODIFY {{target}} NOT NULL with a default: the running version's INSERTs that omit {{column}} get the default, those that write NULL fail (strict mode); MODIFY back to NULL undoes it",
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
    domain:
      "constraint {{name}} added to domain {{target}}: every column of the domain is checked, and the running version's writes that violate it fail until it is dropped",
  },
  check({ migrations, newTables, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (!KINDS.has(o.kind)) continue;
        if (o.kind !== 'domain-constraint' && o.table && newTables.has(o.table)) continue;
        const data = { target: target(o), column: o.column ?? '', name: o.name ?? '', type: o.detail ?? '' };
        const at = loc(m.file.path, o);
        if (o.kind === 'set-not-null') setNotNull(m, ops, j, data, at, report);
        else if (o.kind === 'alter-column-type') {
          // MySQL's MODIFY/CHANGE restates nullability: NOT NULL where the column allowed NULL (or is unknown).
          if (!o.notNull || m.up.dialect !== 'mysql') continue;
          if (columnOf(m.before, o.table, o.column)?.notNull) continue;
          if (o.hasDefault) report('modifyNotNullDefault', data, at);
          else setNotNull(m, ops, j, data, at, report);
        } else if (o.kind === 'add-constraint') report('addValidated', { ...data, type: o.detail ?? o.name ?? '' }, at);
        else if (o.kind === 'add-column-required') report('requiredColumn', data, at);
        else if (o.kind === 'validate-constraint') report('validate', data, at);
        else if (o.kind === 'domain-constraint') report('domain', data, at);
      }
    }
  },
});

function setNotNull(
  m: MigrationChange,
  ops: readonly Op[],
  j: number,
  data: { target: string; column: string; name: string; type: string },
  at: ReturnType<typeof loc>,
  report: (id: 'setNotNull' | 'setNotNullNoDown' | 'setNotNullChecked', d: typeof data, at: ReturnType<typeof loc>) => void,
): void {
  const o = ops[j]!;
  // The recipe: a valid CHECK (col IS NOT NULL), from an earlier migration or validated earlier in this file.
  let check = validNotNullCheck(m.before, o.table, o.column);
  if (!check) {
    const notValid = new Set<string>();
    for (let k = 0; k < j; k++) {
      const p = ops[k]!;
      if (p.table !== o.table) continue;
      if (p.notNullCheck === o.column && p.kind === 'add-constraint') check = p.name;
      else if (p.notNullCheck === o.column && p.kind === 'add-constraint-not-valid' && p.name) notValid.add(p.name);
      else if (p.kind === 'validate-constraint' && p.name && notValid.has(p.name)) check = p.name;
    }
  }
  if (check) report('setNotNullChecked', { ...data, name: check }, at);
  else if (m.down === null || m.down === undefined) report('setNotNullNoDown', data, at);
  else report('setNotNull', data, at);
}
