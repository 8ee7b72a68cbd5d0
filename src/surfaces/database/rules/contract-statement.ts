import { foreignKeyName, tableKey } from '../schema.js';
import { defineRule } from '../../../core/rule.js';
import {
  describeOp,
  failingRequiredColumn,
  forEachUpOp,
  loc,
  NEW_DATABASE_ONLY,
  onNewDatabaseOnly,
  recreatedForeignKeys,
  recreatedKeys,
  target,
  type DbContext,
  type MigrationChange,
} from '../model.js';
import type { Op } from '../sql/vocabulary.js';

/**
 * The statement of this migration, before the drop, that copied the dropped content elsewhere: an
 * INSERT ... SELECT from the table, or an UPDATE of another table whose values read the column (FROM,
 * JOIN or a subquery), or of another column whose text reads it.
 */
function copiedBy(m: MigrationChange, drop: Op): string | undefined {
  const table = tableKey(drop.table);
  const bare = table.replace(/^.*\./, '');
  const word = (s: string, w: string) => new RegExp(`(^|[^\\w])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`, 'i').test(s);
  for (const st of m.up.statements) {
    if (st.line > drop.line || (st.line === drop.line && st.column >= drop.column0)) break;
    for (const o of st.ops) {
      const text = st.text.replace(/[`"]/g, '');
      if (o.kind === 'insert' && o.fromSelect && tableKey(o.table) !== table && word(text, bare)) {
        if (drop.kind === 'drop-table' || (drop.column && word(text, drop.column)))
          return `INSERT INTO ${o.table} ... SELECT at line ${st.line}`;
      }
      if ((o.kind === 'update-all' || o.kind === 'update-where') && drop.kind === 'drop-column' && drop.column) {
        // The assigned values read the dropped column through FROM / JOIN or a subquery (whatever the
        // written column is named: `UPDATE event SET hostname = s.hostname FROM session s`).
        if (tableKey(o.table) !== table && o.copiesFrom?.some((c) => tableKey(c) === `${table}.${drop.column}`))
          return `UPDATE ${o.table} SET ${o.detail ?? ''} at line ${st.line}`;
        const sets = o.columns ?? [];
        // Into another table only: a column copied within its own rows is the new version's live column,
        // which it overwrites from then on (and expand-and-contract-same-release reports the pair).
        const other = tableKey(o.table) !== table && !sets.includes(drop.column);
        const rhs = text.replace(/^[\s\S]*?\bSET\b/i, '');
        if (other && word(rhs, drop.column)) return `UPDATE ${o.table} SET ${o.detail ?? ''} at line ${st.line}`;
      }
    }
  }
  return undefined;
}

/**
 * A constraint this migration replaces (losing nothing): another foreign key, primary key or unique
 * constraint added on the same table and columns, or the CHECK (col IS NOT NULL) of the NOT NULL recipe
 * once the column is NOT NULL.
 */
function replacedBy(m: MigrationChange, drop: Op): string | undefined {
  // A foreign key added again after its drop (same name, or same columns and referenced table).
  const keys = recreatedForeignKeys(m);
  const again = keys.find((r) => r.drop === drop)?.add;
  if (again) return `added again as ADD CONSTRAINT ${foreignKeyName(again) ?? again.name} at line ${again.line}`;
  // A primary key or unique constraint added again on the same columns (to retype them, say).
  const key = recreatedKeys(m).find((r) => r.drop === drop)?.add;
  if (key) return `added again as ADD CONSTRAINT ${key.name} (${key.detail}) on the same columns at line ${key.line}`;
  const table = tableKey(drop.table);
  const check = m.before?.checks.get(drop.name ?? '');
  let checkColumn = check?.column;
  for (const o of m.upOps)
    if ((o.kind === 'add-constraint' || o.kind === 'add-constraint-not-valid') && o.name === drop.name && o.notNullCheck)
      checkColumn = o.notNullCheck;
  const dropped = m.before?.indexes.get(drop.name ?? '');
  for (const o of m.upOps) {
    if (tableKey(o.table) !== table || o === drop) continue;
    if (
      (o.kind === 'add-constraint' || o.kind === 'add-constraint-not-valid') &&
      o.name !== drop.name &&
      !keys.some((r) => r.add === o)
    ) {
      // A foreign key or key replaced by another of the same kind (on the same columns when they are known).
      const droppedColumns = dropped?.columns ?? m.before?.foreignKeys.get(drop.name ?? '')?.columns;
      const same = !droppedColumns || !o.columns || droppedColumns.join() === o.columns.join();
      // The dropped constraint's kind: from the schema, else from PostgreSQL's naming (`_fkey`, `_pkey`, `_key`)
      // or InnoDB's for a foreign key created without a name (`<table>_ibfk_<n>`).
      const kind = dropped
        ? dropped.unique && drop.name?.endsWith('_pkey')
          ? 'primary key'
          : 'unique'
        : /_(fkey\d*|fk|ibfk_\d+)$/i.test(drop.name ?? '')
          ? 'foreign key'
          : /_pkey$/i.test(drop.name ?? '')
            ? 'primary key'
            : /_key$/i.test(drop.name ?? '')
              ? 'unique'
              : undefined;
      const swap = kind === o.detail || (kind === 'unique' && o.detail === 'primary key');
      if (same && swap && (o.detail === 'foreign key' || o.detail === 'primary key' || o.detail === 'unique'))
        return `ADD CONSTRAINT ${o.name} (${o.detail}) at line ${o.line}`;
    }
    if (o.kind === 'set-not-null' && checkColumn !== undefined && checkColumn === o.column)
      return `SET NOT NULL on ${target(o)} at line ${o.line}, which the check only prepared`;
  }
  return undefined;
}

/**
 * The drop of this migration that takes the constraint with it: its table dropped, one of its columns
 * dropped (PostgreSQL drops the table constraints that involve a dropped column), or the table its
 * foreign key references dropped (which PostgreSQL refuses while the key exists, hence the explicit
 * drop). The constraint's table and columns come from the schema before the migration, else from the
 * default names PostgreSQL and Prisma give a one-column constraint (`<table>_<column>_fkey`, `_key`, `_check`).
 */
function droppedWith(m: MigrationChange, drop: Op): string | undefined {
  const table = tableKey(drop.table);
  const name = drop.name ?? '';
  const fk = m.before?.foreignKeys.get(name);
  const columns = fk?.columns ?? m.before?.indexes.get(name)?.columns;
  const check = m.before?.checks.get(name)?.column;
  const bare = table.replace(/^.*\./, '');
  const involves = (column: string) =>
    columns?.includes(column) ||
    check === column ||
    (!columns && name.toLowerCase().replace(/\d+$/, '').replace(/_(fkey|key|check)$/, '') === `${bare}_${column}`.toLowerCase());
  for (const o of m.upOps) {
    if (o.kind === 'drop-table' && tableKey(o.table) === table) return `DROP TABLE ${o.table} at line ${o.line}`;
    if (o.kind === 'drop-column' && tableKey(o.table) === table && o.column && involves(o.column))
      return `DROP COLUMN ${o.table}.${o.column} at line ${o.line}`;
    if (o.kind === 'drop-table' && fk?.references && tableKey(o.table) === fk.references)
      return `DROP TABLE ${o.table} at line ${o.line}, the table it references`;
  }
  return undefined;
}

/** Contract: the schema loses something the old application may still use, or data with it. */
/** The operations this rule reports. */
const KINDS: ReadonlySet<Op['kind']> = new Set([
  'drop-column',
  'drop-table',
  'drop-constraint',
  'drop-type',
  'drop-view',
  'drop-database',
  'detach-partition',
  'drop-not-null',
]);

/** A finding's data: what is dropped (`table` or `table.column`), and its column or object name. */
export type ContractStatementData = {
  target: string;
  column: string;
  name: string;
  what?: string;
  table?: string;
  line?: string;
  copy?: string;
  created?: string;
  orm?: string;
};

type Id =
  | 'newDatabaseOnly'
  | 'dropColumn'
  | 'dropTable'
  | 'dropConstraint'
  | 'dropType'
  | 'dropView'
  | 'dropDatabase'
  | 'detachPartition'
  | 'dropNotNull'
  | 'dropCopied'
  | 'dropUnmapped'
  | 'dropOnlyNulls'
  | 'dropUnreleased'
  | 'dropInFailingStatement'
  | 'constraintReplaced'
  | 'constraintDroppedWith';

export default defineRule<DbContext, Id, ContractStatementData>({
  id: 'contract-statement',
  surface: 'database',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  severity: 'error',
  docs: {
    summary:
      'A contract statement: drop database, column, table, constraint, type, view or function; DROP NOT NULL; DETACH PARTITION.',
    rationale:
      "Dropping a column, a table or a database destroys its data: a down migration can re-create the column but not its values, so only a restore brings them back, unless the same migration first copied the content elsewhere (INSERT ... SELECT, an UPDATE of another table whose SET reads the column through FROM, a MySQL multi-table UPDATE ... JOIN, or a subquery), in which case it is recovered from the copy by hand. A column or table created by a migration of the same change was never used by a released version: dropping it loses nothing. A Prisma folder's application reads and writes the columns its schema's models map (`@@map` names a model's table, `@map` a field's column; Prisma Client selects every scalar field by default): a column of a modelled table that no field of the base's schema maps is not selected by the running version, which does not fail on its drop (its data is still destroyed); and when the folder's history added it nullable without a default (no sequence, identity or generated value) and no later statement names it (no UPDATE, INSERT, SET DEFAULT, rename or code), every row holds NULL: dropping it loses nothing, and re-adding it nullable restores it exactly. The running (old) version of the application still reads and writes what is dropped and fails until it is replaced; rolling the application back after the drop fails the same way. DROP NOT NULL lets the new version write NULLs: a rolled-back version that assumes values breaks on them, and SET NOT NULL back fails until they are repaired (a compatibility window). DETACH PARTITION keeps the rows in the detached table but removes them from every query of the parent; ATTACH PARTITION (with its validation scan) brings them back. A constraint dropped on a table or column that the same migration drops (or a foreign key to a table it drops) is part of that drop: PostgreSQL's DROP TABLE removes the table's constraints, and DROP COLUMN the constraints that involve the column, so the explicit drop loses nothing the table or column drop does not already report. DROP COLUMN in the same ALTER TABLE as an ADD COLUMN ... NOT NULL without a default on a table that existed before the release destroys nothing: on a table with rows PostgreSQL refuses the statement (\"column ... contains null values\") and none of its clauses takes effect; on an empty table there is no row to lose (constraint-added reports the failing ADD COLUMN). Replacing a constraint (a new foreign key or primary key added on the same columns, a foreign key added again later in the same migration under its name or on the same columns and referenced table, a primary key or unique constraint added again later in the same migration, the same ALTER TABLE included, on the same columns, or the redundant CHECK of the NOT NULL recipe dropped after SET NOT NULL) loses nothing: in the migration's transaction no row is written without it, and what the re-added key changes is constraint-added's. In an edited migration that databases already applied, a statement on a table that the same file creates earlier is said at info: a database that applied the old text never runs the file again (Prisma records an applied migration by its folder name in `_prisma_migrations`, and `migrate deploy` applies only the pending ones; golang-migrate, Flyway and dbmate record the version), and a new database runs the statement right after that CREATE TABLE, on an empty table that no running version uses. What the edit leaves different between the two is reported by `database/migration-edited`.",
    fix: 'Contract only after every running version has stopped using the object (a release later than the expand), with a backup or a copy of the data taken first.',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html',
      'https://www.postgresql.org/docs/15/sql-droptable.html',
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DESC-DROP-COLUMN',
      'https://www.postgresql.org/docs/15/sql-dropdatabase.html',
      'https://www.postgresql.org/docs/15/sql-update.html',
      'https://dev.mysql.com/doc/refman/8.4/en/update.html',
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION',
      'https://squawkhq.com/docs/ban-drop-column',
      'https://www.prisma.io/docs/orm/prisma-schema/data-model/database-mapping',
      'https://www.prisma.io/docs/v6/orm/prisma-client/queries/select-fields',
      'https://www.postgresql.org/docs/15/ddl-alter.html#DDL-ALTER-ADDING-A-COLUMN',
      'https://www.prisma.io/docs/cli/migrate/deploy',
    ],
  },
  messages: {
    newDatabaseOnly: NEW_DATABASE_ONLY,
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
    dropDatabase:
      'DROP DATABASE {{name}}: the database and every row in it are destroyed; only a restore brings them back',
    detachPartition: {
      text: 'DETACH PARTITION {{name}} from {{target}}: its rows stay in {{name}} but vanish from every query of {{target}}; ATTACH PARTITION (with a validation scan) brings them back',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-forward-only'] },
    },
    dropNotNull: {
      text: 'DROP NOT NULL on {{target}}: the new version may write NULLs; a rolled-back version that assumes {{column}} is set breaks on them, and SET NOT NULL back fails until they are filled',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
      decision: { effects: ['data-expand'] },
    },
    dropCopied: {
      text: '{{what}}: its content was copied by this migration ({{copy}}); a rollback restores it from that copy by hand, and the running version still using it fails until it is replaced',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-forward-only'] },
    },
    dropUnmapped:
      'DROP COLUMN {{target}}: its data is destroyed; the running version does not select {{column}} (no field of its schema {{orm}} maps it), so only a restore brings the values back',
    dropOnlyNulls: {
      text: '{{what}}: added nullable without a default by {{created}} and named by no statement since, and no field of the running version\'s schema {{orm}} maps it: every row holds NULL, so nothing is lost and re-adding it restores it',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    dropUnreleased: {
      text: '{{what}}: created by {{created}} in this same change, so no released version used it and no data of theirs is lost',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    dropInFailingStatement: {
      text: '{{what}}: in the same ALTER TABLE as ADD COLUMN {{created}} NOT NULL without a default, which fails on a table with rows and takes the whole statement with it; on an empty table there is no data to lose (the failing ADD COLUMN is reported on its own)',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    constraintReplaced: {
      text: 'DROP CONSTRAINT {{name}} on {{target}}: replaced in this migration ({{copy}}); nothing is lost',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    constraintDroppedWith: {
      text: 'DROP CONSTRAINT {{name}} on {{target}}: part of {{copy}} in this migration, which is reported on its own; nothing survives for the constraint to hold',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
    dropView: {
      text: 'DROP of view or function {{target}}: the running version that uses it fails until it is replaced; re-creating it restores it',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-forward-only'] },
    },
  },
  check({ migrations, newTables, report }) {
    // What the change's migrations create, in order: a drop of one of them drops nothing released.
    const created = new Map<string, string>();
    for (const m of migrations)
      for (const o of m.upOps)
        if (o.kind === 'create-table' && o.table) {
          created.set(tableKey(o.table), `${m.file.path}:${o.line}`);
          for (const d of o.defs ?? []) created.set(`${tableKey(o.table)}.${d.name}`, `${m.file.path}:${o.line}`);
        }
        else if (o.kind.startsWith('add-column') && o.table && o.column)
          created.set(`${tableKey(o.table)}.${o.column}`, `${m.file.path}:${o.line}`);
        else if ((o.kind === 'create-function' || o.kind === 'create-view') && (o.name ?? o.table))
          created.set(`()${tableKey(o.name ?? o.table)}`, `${m.file.path}:${o.line}`);
    forEachUpOp(migrations, KINDS, (o, m) => {
      const at = loc(m.file.path, o);
      const data = { target: target(o), column: o.column ?? '', name: o.name ?? '' };
      const made = onNewDatabaseOnly(m, o);
      if (made) return report('newDatabaseOnly', { ...data, what: describeOp(o), table: o.table!, line: made }, at);
      if (o.kind === 'drop-column' || o.kind === 'drop-table') {
        const key = o.kind === 'drop-column' ? `${tableKey(o.table)}.${o.column}` : tableKey(o.table);
        const what = o.kind === 'drop-column' ? `DROP COLUMN ${data.target}` : `DROP TABLE ${data.target}`;
        const made = created.get(key);
        if (made && made.split(':')[0] !== m.file.path) {
          report('dropUnreleased', { ...data, what, created: made }, at);
          return;
        }
        // PostgreSQL runs an ALTER TABLE's clauses as one statement: with a NOT NULL column added
        // without a default it fails on any row, so its drops never destroy data.
        const fails = o.kind === 'drop-column' ? failingRequiredColumn(m, o, newTables) : undefined;
        if (fails) {
          report('dropInFailingStatement', { ...data, what, created: target(fails) }, at);
          return;
        }
        // A column the running version's ORM schema does not map: it does not select it; one the history
        // left NULL on every row (added nullable without a default, never named since) holds nothing.
        const unread = o.kind === 'drop-column' ? m.unread?.get(key) : undefined;
        if (unread?.onlyNulls) {
          report('dropOnlyNulls', { ...data, what, created: unread.onlyNulls, orm: unread.orm }, at);
          return;
        }
        const copy = copiedBy(m, o);
        if (copy) report('dropCopied', { ...data, what, copy }, at);
        else if (unread) report('dropUnmapped', { ...data, orm: unread.orm }, at);
        else if (o.kind === 'drop-column') report('dropColumn', data, at);
        else report('dropTable', data, at);
      } else if (o.kind === 'drop-database') report('dropDatabase', data, at);
      else if (o.kind === 'detach-partition') report('detachPartition', data, at);
      else if (o.kind === 'drop-not-null') report('dropNotNull', data, at);
      else if (o.kind === 'drop-constraint') {
        const by = replacedBy(m, o);
        const with_ = by ? undefined : droppedWith(m, o);
        if (by) report('constraintReplaced', { ...data, copy: by }, at);
        else if (with_) report('constraintDroppedWith', { ...data, copy: with_ }, at);
        else report('dropConstraint', data, at);
      }
      else if (o.kind === 'drop-type') report('dropType', data, at);
      else if (o.kind === 'drop-view') {
        // A helper function or view that this change created (a procedure created, called and dropped).
        const made = created.get(`()${tableKey(o.table)}`);
        if (made) report('dropUnreleased', { ...data, what: `DROP of ${data.target}`, created: made }, at);
        else report('dropView', data, at);
      }
    });
  },
});
