import type { Op } from '../sql/vocabulary.js';
import { defineRule } from '../../../core/rule.js';
import { columnOf, tableKey, validNotNullCheck, type ForeignKeySchema } from '../schema.js';
import { isNewTable, loc, NEW_DATABASE_ONLY, onNewDatabaseOnly, saidNewDatabaseOnly, recreatedForeignKeys, recreatedKeys, target, type DbContext, type MigrationChange } from '../model.js';

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
 * restates the column: InnoDB rebuilds the table (online, in place, when only the nullability changes;
 * a changed type copies it), strict mode makes it fail on a NULL (without strict mode NULLs become the
 * implicit default), and the running version's INSERTs that leave it out fail, unless the new definition
 * gives it a default. No PostgreSQL lock or CHECK recipe applies there.
 */
export default defineRule<
  DbContext,
  | 'setNotNull'
  | 'newDatabaseOnly'
  | 'setNotNullNoDown'
  | 'setNotNullChecked'
  | 'modifyNotNullDefault'
  | 'modifyNotNull'
  | 'modifyNotNullNoDown'
  | 'addValidated'
  | 'addForeignKeyMysql'
  | 'foreignKeyRecreated'
  | 'keyRecreated'
  | 'foreignKeyRecreatedDeletes'
  | 'foreignKeyRecreatedRefuses'
  | 'foreignKeyRecreatedRefusesNoDown'
  | 'requiredColumn'
  | 'requiredColumnMysql'
  | 'requiredColumnMysqlNoDown'
  | 'validate'
  | 'domain'
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
      "SET NOT NULL and a constraint added without NOT VALID scan the whole table under an ACCESS EXCLUSIVE lock (reads and writes wait). The running version may still write rows that violate the constraint (NULLs, values the check rejects) and fails when it does: the rollback works while someone can drop the constraint again. With a down migration that drops it, that is a compatibility window; with none (Prisma has no downs, a missing down), someone must drop it by hand for a rolled-back application to work: reversible-with-manual-repair. A NOT NULL column without a default fails outright on a table with rows (PostgreSQL: 'column ... contains null values', and the whole ALTER TABLE with it), and the old version's INSERTs do not name it. MySQL fills existing rows with the type's implicit default instead (strict mode does not apply to ALTER TABLE ... ADD), so only the old version's INSERTs fail there (a warning). The safe NOT NULL recipe (CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL, then drop the check) is recognised: with a valid check already in place, SET NOT NULL skips the scan (PostgreSQL 12+) and the old version was already held to it by the check, so nothing changes for it. ALTER DOMAIN ADD CONSTRAINT checks every column of the domain and rejects the running version's writes that violate it. A foreign key dropped and added again in the same migration on the same columns, referenced table and columns, over a key that was valid, is no new constraint: the rows already satisfied it, so the validation (a scan that holds SHARE ROW EXCLUSIVE on both tables, which blocks their writes; locking-statement reports a lock held through the migration transaction) refuses none. What changed is its definition, said as such. ON UPDATE CASCADE (SET NULL, SET DEFAULT) -> NO ACTION or RESTRICT makes the running version's UPDATE of a referenced key fail while rows point to it (info: referenced keys, primary keys mostly, are rarely updated). ON DELETE CASCADE (SET NULL, SET DEFAULT) -> NO ACTION or RESTRICT makes its DELETE of a referenced row fail while rows point to it (both refuse it: RESTRICT at once, NO ACTION at the end of the statement, or at commit when the key is deferred; MySQL's InnoDB checks both at once), and applications delete such rows routinely (warning); the rollback of the application leaves the stricter key in place, so someone must restore the old action by hand (reversible-with-manual-repair), unless the down migration adds the key again with it (a compatibility window). A new ON DELETE CASCADE, SET NULL or SET DEFAULT makes deleting a referenced row change the rows that point to it (warning). Otherwise adding it again with the old definition undoes it (fully-reversible). A primary key or unique constraint dropped and added again in the same migration (the same ALTER TABLE included, as when its columns are retyped) on the same columns is no new constraint either: the rows satisfied it, so none is refused and no write of the running version fails; what it costs is its index built again under the ACCESS EXCLUSIVE lock that ADD PRIMARY KEY and ADD UNIQUE take (info). A key dropped and added on other columns or to another table, over a NOT VALID key, or whose earlier definition the migrations do not show, is validated as a new constraint. MySQL reads the same: ALTER TABLE ... DROP FOREIGN KEY and ADD [CONSTRAINT] FOREIGN KEY are the drop and the add of a foreign key (the drop paired with the add on the same columns and referenced table, whatever the names), so a cascade made RESTRICT or NO ACTION there refuses the running version's deletes the same way (InnoDB checks NO ACTION at once, as RESTRICT); a new foreign key has no NOT VALID there: with foreign_key_checks on (the default) InnoDB checks every row by copying the table with writes blocked (ALGORITHM=COPY), the ALTER fails on a violating row, and the running version's violating writes fail. MySQL MODIFY ... NOT NULL takes none of PostgreSQL's locks: InnoDB rebuilds the table, in place with concurrent writes when only the nullability changes (ALGORITHM=INPLACE), by a copy that blocks writes when the type changes as well (ALGORITHM=COPY); in strict mode (STRICT_TRANS_TABLES, in MySQL's default sql_mode) the statement fails if a row holds NULL, and without it the NULLs are replaced by the type's implicit default. Either way the running version's INSERTs that leave the column out then fail ('Field ... doesn't have a default value'); with no down migration someone must MODIFY it back to NULL by hand (reversible-with-manual-repair). With a DEFAULT in the new definition, INSERTs that omit it get the default. In an edited migration that databases already applied, a statement on a table that the same file creates earlier is said at info: a database that applied the old text never runs the file again (Prisma records an applied migration by its folder name in `_prisma_migrations`, and `migrate deploy` applies only the pending ones; golang-migrate, Flyway and dbmate record the version), and a new database runs the statement right after that CREATE TABLE, on an empty table that no running version uses. What the edit leaves different between the two is reported by `database/migration-edited`.",
    fix: 'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration; for NOT NULL, add CHECK (col IS NOT NULL) NOT VALID, validate it, then SET NOT NULL (PostgreSQL 12+ uses the check and skips the scan) and drop the check; ship a down that drops the constraint. To make the ON DELETE action of a foreign key stricter, first release an application that deletes or detaches the referencing rows itself, and ship a down that adds the key again with its old action.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-NOT-NULL',
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DESC-VALIDATE-CONSTRAINT',
      'https://www.postgresql.org/docs/15/sql-alterdomain.html',
      'https://www.postgresql.org/docs/15/sql-createtable.html#SQL-CREATETABLE-PARMS-REFERENCES',
      'https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK',
      'https://dev.mysql.com/doc/refman/8.4/en/alter-table.html',
      'https://dev.mysql.com/doc/refman/8.4/en/data-type-defaults.html',
      'https://dev.mysql.com/doc/refman/8.4/en/innodb-online-ddl-operations.html#online-ddl-column-operations',
      'https://bugs.mysql.com/bug.php?id=76498',
      'https://dev.mysql.com/doc/refman/8.4/en/create-table-foreign-keys.html',
      'https://dev.mysql.com/doc/refman/8.4/en/innodb-online-ddl-operations.html#online-ddl-foreign-key-operations',
      'https://squawkhq.com/docs/adding-not-nullable-field',
      'https://squawkhq.com/docs/constraint-missing-not-valid',
      'https://www.prisma.io/docs/cli/migrate/deploy',
    ],
  },
  messages: {
    newDatabaseOnly: NEW_DATABASE_ONLY,
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
    modifyNotNull:
      "MODIFY {{target}} NOT NULL (MySQL): InnoDB rebuilds the table (in place with writes going on when only the nullability changes, by a copy that blocks writes when the type changes too); in strict mode the statement fails if a row holds NULL, and the running version's INSERTs that leave {{column}} out fail with 'Field doesn't have a default value'; MODIFY back to NULL undoes it",
    modifyNotNullNoDown: {
      text: "MODIFY {{target}} NOT NULL (MySQL): InnoDB rebuilds the table (in place with writes going on when only the nullability changes, by a copy that blocks writes when the type changes too); in strict mode the statement fails if a row holds NULL, and the running version's INSERTs that leave {{column}} out fail with 'Field doesn't have a default value', and with no down migration someone must MODIFY it back to NULL by hand for a rolled-back version to work",
      class: 'reversible-with-manual-repair',
      decision: { effects: ['data-forward-only'] },
    },
    modifyNotNullDefault:
      "MODIFY {{target}} NOT NULL with a default: the running version's INSERTs that omit {{column}} get the default, those that write NULL fail (strict mode); MODIFY back to NULL undoes it",
    addValidated:
      "constraint {{name}} ({{type}}) on {{target}} added without NOT VALID: validates every row under a lock that blocks writes; the running version's writes that violate it fail",
    addForeignKeyMysql:
      "foreign key {{name}} on {{target}} added (MySQL): InnoDB checks every row, copying the table with writes blocked (ALGORITHM=COPY while foreign_key_checks is on), and the ALTER fails on a row that violates it; the running version's writes that violate it fail",
    foreignKeyRecreated: {
      text: "foreign key {{name}} on {{target}} added again after its drop in this migration, on the same columns and referenced table ({{type}}): the rows already satisfied it, so its validation scan ({{lock}}) refuses none{{note}}",
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    foreignKeyRecreatedDeletes: {
      text: "foreign key {{name}} on {{target}} added again after its drop in this migration, on the same columns and referenced table ({{type}}): no row is refused, but from now on deleting a referenced row {{effect}} the rows of {{target}} that point to it, which the running version does not expect",
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
    },
    foreignKeyRecreatedRefuses: {
      text: "foreign key {{name}} on {{target}} added again after its drop in this migration, on the same columns and referenced table ({{type}}): no row is refused, but {{what}} of a referenced row that used to change the rows of {{target}} pointing to it now fails while they exist: the running version's deletes that relied on ON DELETE {{was}} fail; the down migration restores it",
      severity: 'warning',
    },
    foreignKeyRecreatedRefusesNoDown: {
      text: "foreign key {{name}} on {{target}} added again after its drop in this migration, on the same columns and referenced table ({{type}}): no row is refused, but {{what}} of a referenced row that used to change the rows of {{target}} pointing to it now fails while they exist: the running version's deletes that relied on ON DELETE {{was}} fail, and with no down migration that restores it a rolled-back version's deletes keep failing until someone restores it by hand",
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-forward-only'] },
    },
    keyRecreated: {
      text: '{{type}} {{name}} on {{target}} added again after its drop in this migration, on the same columns ({{column}}): the rows already satisfied it, so it refuses none and the running version\'s writes are refused no more than before; the cost is building its index again under an ACCESS EXCLUSIVE lock',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    requiredColumn: {
      text: "ADD COLUMN {{target}} NOT NULL without a default: fails on a table with rows, and the running version's INSERTs, which do not name it, fail with 'violates not-null constraint'",
      class: 'reversible-with-manual-repair',
      severity: 'error',
      decision: { effects: ['data-forward-only'] },
    },
    requiredColumnMysql:
      "ADD COLUMN {{target}} NOT NULL without a default (MySQL): existing rows get the type's implicit default (0, '', the zero date), strict mode or not; the running version's INSERTs that leave {{column}} out fail with 'Field doesn't have a default value' (strict mode) until the down migration drops it",
    requiredColumnMysqlNoDown: {
      text: "ADD COLUMN {{target}} NOT NULL without a default (MySQL): existing rows get the type's implicit default (0, '', the zero date), strict mode or not; the running version's INSERTs that leave {{column}} out fail with 'Field doesn't have a default value' (strict mode), and with no down migration someone must drop it or give it a default by hand for a rolled-back version to work",
      class: 'reversible-with-manual-repair',
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
        if (o.kind !== 'domain-constraint' && isNewTable(newTables, m, o.table)) continue;
        // (An ALTER COLUMN TYPE there is column-type-changed's to say.)
        if (o.kind === 'alter-column-type' ? onNewDatabaseOnly(m, o) : saidNewDatabaseOnly(m, o, report)) continue;
        const data = { target: target(o), column: o.column ?? '', name: o.name ?? '', type: o.detail ?? '' };
        const at = loc(m.file.path, o);
        if (o.kind === 'set-not-null') setNotNull(m, ops, j, data, at, report);
        else if (o.kind === 'alter-column-type') {
          // MySQL's MODIFY/CHANGE restates nullability: NOT NULL where the column allowed NULL (or is unknown).
          if (!o.notNull || m.up.dialect !== 'mysql') continue;
          if (columnOf(m.before, o.table, o.column)?.notNull) continue;
          if (o.hasDefault) report('modifyNotNullDefault', data, at);
          else report(m.down === null || m.down === undefined ? 'modifyNotNullNoDown' : 'modifyNotNull', data, at);
        } else if (o.kind === 'add-constraint') {
          const again = o.detail === 'foreign key' ? recreatedForeignKeys(m).find((r) => r.add === o) : undefined;
          if (again?.same && again.old?.valid) recreated(m, again.old, o, data, at, report);
          else if (o.unique && recreatedKeys(m).some((r) => r.add === o))
            report('keyRecreated', { ...data, type: o.detail ?? '', column: o.columns?.join(', ') ?? '' }, at);
          else if (o.detail === 'foreign key' && m.up.dialect === 'mysql') report('addForeignKeyMysql', data, at);
          else report('addValidated', { ...data, type: o.detail ?? o.name ?? '' }, at);
        }
        else if (o.kind === 'add-column-required' && m.up.dialect === 'mysql')
          report(m.down === null || m.down === undefined ? 'requiredColumnMysqlNoDown' : 'requiredColumnMysql', data, at);
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

/** Actions that change the referencing rows when a referenced row is deleted. */
const STRICT = { 'no action': 1, restrict: 1 };
const DELETE_EFFECT: Record<string, string> = {
  cascade: 'deletes',
  'set null': 'sets NULL in',
  'set default': 'sets the default in',
};

/**
 * A foreign key added again as it was (same columns, same referenced table and columns) over a valid
 * one: what changed is its definition only, said as such (`ON UPDATE cascade -> no action`).
 */
function recreated(
  m: MigrationChange,
  old: ForeignKeySchema,
  o: Op,
  data: { target: string; column: string; name: string; type: string },
  at: ReturnType<typeof loc>,
  report: (
    id: 'foreignKeyRecreated' | 'foreignKeyRecreatedDeletes' | 'foreignKeyRecreatedRefuses' | 'foreignKeyRecreatedRefusesNoDown',
    d: typeof data & { effect?: string; note?: string; what?: string; was?: string; lock?: string },
    at: ReturnType<typeof loc>,
  ) => void,
): void {
  const changes: string[] = [];
  const was = { update: old.onUpdate ?? 'no action', del: old.onDelete ?? 'no action' };
  if ((o.onUpdate ?? 'no action') !== was.update) changes.push(`ON UPDATE ${was.update} -> ${o.onUpdate ?? 'no action'}`);
  if ((o.onDelete ?? 'no action') !== was.del) changes.push(`ON DELETE ${was.del} -> ${o.onDelete ?? 'no action'}`);
  const type = changes.length > 0 ? changes.join(', ') : 'its definition unchanged';
  const effect = o.onDelete && o.onDelete !== was.del ? DELETE_EFFECT[o.onDelete] : undefined;
  if (effect) return report('foreignKeyRecreatedDeletes', { ...data, type, effect }, at);
  // An action that changed referencing rows and now refuses (RESTRICT at once, NO ACTION at the end of the
  // statement or, deferred, at commit): the running version's UPDATE or DELETE of a referenced key fails.
  const stricter = (a: string, b: string | undefined) => !!DELETE_EFFECT[a] && (b ?? 'no action') in STRICT;
  const what = [
    stricter(was.update, o.onUpdate) ? 'an UPDATE' : '',
    stricter(was.del, o.onDelete) ? 'a DELETE' : '',
  ].filter(Boolean);
  // Applications delete referenced rows routinely: a stricter ON DELETE is a warning, and the rollback of the
  // application leaves it in place unless the down adds the key again with its old action.
  if (stricter(was.del, o.onDelete)) {
    const d = { ...data, type, what: what.join(' or '), was: was.del };
    return report(restoredByDown(m, o, was.del) ? 'foreignKeyRecreatedRefuses' : 'foreignKeyRecreatedRefusesNoDown', d, at);
  }
  // Referenced keys (primary keys, mostly) are rarely updated: a stricter ON UPDATE only is info.
  const note = what.length
    ? `; ${what.join(' or ')} of a referenced key that used to change the rows pointing to it now fails while they exist`
    : ", and the running version's writes are refused no more than before";
  const lock =
    m.up.dialect === 'mysql'
      ? 'InnoDB copies the table, writes blocked, while foreign_key_checks is on'
      : 'SHARE ROW EXCLUSIVE on both tables';
  report('foreignKeyRecreated', { ...data, type, note, lock }, at);
}

/** Whether the migration's down adds the key again (same table and columns) with its old ON DELETE action. */
function restoredByDown(m: MigrationChange, o: Op, del: string): boolean {
  if (!m.down) return false;
  return m.down.ops.some(
    (d) =>
      (d.kind === 'add-constraint' || d.kind === 'add-constraint-not-valid') &&
      d.detail === 'foreign key' &&
      tableKey(d.table) === tableKey(o.table) &&
      d.columns?.join() === o.columns?.join() &&
      (d.onDelete ?? 'no action') === del,
  );
}
