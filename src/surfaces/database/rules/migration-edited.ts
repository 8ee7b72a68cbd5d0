import { defineRule } from '../../../core/rule.js';
import { editFinding } from '../edit-effect.js';
import type { DbContext } from '../model.js';

/**
 * A migration that existed at the base, with the same id, edited by the change. Migration frameworks
 * identify applied migrations by id (Prisma: the folder name in `_prisma_migrations`; golang-migrate,
 * Flyway, dbmate: the version) and never run them again, so the edit only reaches databases that have
 * not applied it yet; the other rules see only the statements the edit added or changed.
 */
export default defineRule<DbContext, 'edited' | 'editedSchema' | 'editedSameSchema' | 'squashed' | 'editedNothingNew' | 'editedNeverParsed' | 'editedNeverApplied' | 'editedRolledBack' | 'editedRanPartly' | 'editedStoppedBefore' | 'breaksLater' | 'collidesLater' | 'renamedId' | 'renamedRerunsCleanly'>({
  id: 'migration-edited',
  surface: 'database',
  class: 'fully-reversible',
  decision: { playbook: 'bad-database-migration', effects: [] },
  severity: 'warning',
  docs: {
    summary: 'An already existing migration is edited (same framework id as at the base).',
    rationale:
      'Applied migrations are not run again: Prisma identifies them by folder name and `migrate deploy` only warns that an applied migration was modified (checksum mismatch; `migrate dev` asks to reset the database); golang-migrate, dbmate and Flyway record the version (Flyway fails validation on a changed checksum unless repaired). The edit therefore reaches only databases that have not applied the migration (a new environment, a test database), and environments drift apart. Only the statements the edit added or changed are assessed by the other rules; the statements the base already had are not reported again (compared by text, with whitespace and table options evened out and names compared as the server reads them: on PostgreSQL `"x"` is the unquoted `x` only when `x` is lower case; on MySQL a backticked name is the bare name, but a double-quoted one is a string literal unless the ANSI_QUOTES SQL mode is on, which is off by default; also when the old or the new text does not parse, where the statements of the new one before the syntax error are compared and the error is reported on its own). On MySQL the old text ran only up to its first statement that could not run (a double-quoted name, a syntax error): that statement and every one after it never ran on any database, so in the new text they are all new and assessed, even the ones whose text did not change. When the new text still holds that statement unchanged, it stops there as the old one did: what follows runs no more than before, and only what the edit added before it is new. On PostgreSQL a syntax error anywhere in the old text ran none of it: the server parses a multi-statement query (Prisma sends a migration as one) whole before it executes any statement, so every statement of the new text is new, said at info. A statement that fails on every database reads the same on PostgreSQL: an `INSERT ... VALUES` into a table the migration itself created that leaves out a NOT NULL column without a default raises not_null_violation, and a multi-statement query runs as one transaction (the protocol\'s simple query: \"executed as a single transaction, unless explicit transaction control commands are included\"), so nothing of the old text stayed anywhere; Prisma recorded it as failed and refuses later deploys (P3009) until `prisma migrate resolve --rolled-back`, after which the new text runs (said at info). On MySQL the statements before the failure did run and stay (each DDL statement commits implicitly): the new text, run again after the resolve, fails at its first statement that creates what that partial run created (without IF NOT EXISTS) or repeats one of its statements not known to be harmless, and marking it applied instead leaves those databases without the edit; that is a repair by hand (reversible-with-manual-repair), reported where the new text fails. Such an edit is not the edit of an applied migration: no database completed the old text (the framework records it as failed and stops there until it is resolved), so the new text reaches every database that runs the migration, and it is said at info while the other rules assess its statements. Within a statement the edit changed, only the operations the old statement did not already do are the change\'s: `DROP COLUMN a, ADD COLUMN b` edited to `DROP COLUMN a` drops nothing new (a database that applied the old text runs nothing; one that runs the new text drops `a` as it did before), and a `CREATE TABLE` whose columns changed creates no new table (every database that applied the old text has it). A new database runs the whole history with the edited text: when the edited migration no longer creates what a later migration drops or alters without IF EXISTS (or now creates what a later one creates without IF NOT EXISTS), that later migration, which ran after the old text, fails there, and the deploy stops until someone resolves it by hand (reversible-with-manual-repair); the first such statement is reported where it stands. Databases that applied the old text keep the schema it left, and new databases get the new text\'s: where the edit changes that schema (a rename to another name, a column added, dropped, retyped or made nullable in a CREATE TABLE, an index or constraint changed; compared as schema facts, so re-formatting, re-quoting and comments change nothing, and data statements are not schema; a type is compared as the server stores it: on MySQL INTEGER is INT and BOOLEAN is TINYINT(1) (synonyms), TIMESTAMP(0), DATETIME(0) and TIME(0) are TIMESTAMP, DATETIME and TIME (the fractional seconds precision defaults to 0), an index declared inside CREATE TABLE is the index CREATE INDEX makes after it, and table options (ENGINE=InnoDB, the default engine) and a foreign key\'s referential actions (InnoDB: RESTRICT, NO ACTION and none given are the same) are not compared; on PostgreSQL `timestamp(6)` is `timestamp` (both keep microseconds), and `int4`/`integer`, `varchar`/`character varying` are one type as the parser reads them), the environments differ and the new version\'s reads and writes of what changed fail on the old ones until the schema is repaired by hand or a new migration brings them together (reversible-with-manual-repair, naming what differs). That difference is read only where every database that applied the migration ran all of the old text (not when it could not run or stopped at a statement). That difference is read over the whole folder: a database that applied every migration of the folder at the base has what their old texts left (in the framework\'s order), and then runs only the migrations whose ids it has not recorded; a new database runs the folder at head. Only where those two end states differ (a column with another type, nullability or default, a column, index, UNIQUE or other constraint, type or view one of them lacks; an index renamed with ALTER INDEX, a default set with ALTER COLUMN SET DEFAULT followed) do the environments drift, and the finding names what differs on the edited migration it comes from. An edit whose folder leaves the same schema on every database (statements moved from one migration to another, later migrations folded into an applied first one and deleted, an index created in one migration and dropped in a later one removed from both) is said at info, and its statements are not assessed as if they ran on the applied databases: those ran them in the migrations they came from, and a new database runs them on the tables its first migrations just created. An edit that adds or changes statements writing rows, or whose folder runs a statement the reader does not follow (a CALL, a CREATE EXTENSION) on one side and not the other, stays a warning: those reach only new databases, or do what is not known. A unique index on exactly a table\'s primary key columns that only one side has is no such difference either: the primary key\'s own unique index already refuses the same rows and serves the same lookups (PostgreSQL: a manual unique index on the primary key columns only duplicates the one it creates). Where the folder cannot be read whole (a text that does not parse, an old text that did not run whole, a later migration that now fails on a new database), a difference about an object that a later migration of the folder touches again (drops, alters, renames or creates it) is settled there, or breaks there on a new database (said below), and is not reported as a lasting one. A rename whose target only changed is not a new rename on the databases that run the new text: the old name went away there before too. An edited ClickHouse migration is read the same way: its unchanged statements ran before and are not the change\'s, nor are those of a migration of its folder that the change deletes (folded into it: they ran where the folder was applied), except after a statement where the old text failed on every database. Such a migration is a file run by hand, statement by statement, without a transaction (ClickHouse has none for DDL), stopping at the first error; the old text shows a certain failure when it alters a table it created just before (so with exactly the columns, indexes and projections it gave it) and names one the table does not have: a MATERIALIZE, CLEAR or DROP of a projection or index, a RENAME, DROP, CLEAR or MODIFY of a column, without IF EXISTS (ClickHouse refuses it: no such projection, index or column). When the edit changes or removes that statement, nothing after it ran anywhere: every statement of the new text that did not run before it is new and assessed, even the unchanged ones, and the edit is said at info. A table created with IF NOT EXISTS or AS another is not known in full, so no failure is certain there. Applied migrations squashed into a new one (their statements gathered in a new Prisma folder or a new version, the old ones deleted or renamed) are new to the framework as well: a database that applied them runs the new one, whose repeated statements already ran there, so it fails at the first one that cannot run twice (a rename of a column already renamed, a CREATE of what exists) and blocks every later deploy until it is marked applied by hand; that failure is reported (reversible-with-manual-repair) instead of reading its statements as new. A migration moved or renamed with its id unchanged and its text unchanged is listed as skipped: it runs nothing. One renamed to another id (a Prisma folder renamed, another version number) is a new migration to the framework: databases that applied the old one run it again (`prisma migrate deploy` ignores an applied migration that is gone from the folder and applies the renamed one as pending). Each statement is read for what running it again does on a database where it already ran: a CREATE of what exists fails unless it says IF NOT EXISTS or OR REPLACE, a DROP of what the first run dropped fails unless it says IF EXISTS (PostgreSQL then only issues a notice) or the migration created it again after the drop, a rename finds its old name gone, and an INSERT, DELETE or UPDATE that does not only fill empty rows is not known to be harmless. The first statement that fails is reported where it stands: the migration fails there and blocks the deploy until someone marks it applied by hand (reversible-with-manual-repair). When every statement re-runs cleanly (`DROP CONSTRAINT IF EXISTS` before the same `ADD CONSTRAINT`, `CREATE TABLE IF NOT EXISTS`), it is said at info.',
    fix: 'Put the change in a new migration; leave applied migrations as they are (or, for a fix that must reach every database, add a new migration that applies it idempotently).',
    references: [
      'https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories',
      'https://documentation.red-gate.com/fd/validate-184127464.html',
      'https://github.com/golang-migrate/migrate/blob/master/MIGRATIONS.md',
      'https://dev.mysql.com/doc/refman/8.4/en/identifiers.html',
      'https://dev.mysql.com/doc/refman/8.4/en/sql-mode.html',
      'https://github.com/prisma/prisma-engines/pull/2377',
      'https://www.postgresql.org/docs/15/sql-altertable.html',
      'https://www.postgresql.org/docs/15/indexes-unique.html',
      'https://www.prisma.io/docs/orm/v6/prisma-migrate/workflows/squashing-migrations',
      'https://clickhouse.com/docs/sql-reference/statements/alter/projection',
      'https://clickhouse.com/docs/sql-reference/statements/alter/skipping-index',
      'https://github.com/ClickHouse/ClickHouse/blob/master/tests/queries/0_stateless/02250_hints_for_projections.sh',
      'https://dev.mysql.com/doc/refman/8.4/en/alter-table.html',
      'https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT',
      'https://dev.mysql.com/doc/refman/8.4/en/implicit-commit.html',
      'https://www.prisma.io/docs/orm/prisma-migrate/workflows/patching-and-hotfixing',
      'https://dev.mysql.com/doc/refman/8.4/en/numeric-type-syntax.html',
      'https://dev.mysql.com/doc/refman/8.4/en/fractional-seconds.html',
      'https://dev.mysql.com/doc/refman/8.4/en/create-table-foreign-keys.html',
      'https://dev.mysql.com/doc/refman/8.4/en/create-table.html',
    ],
  },
  messages: {
    edited:
      '{{path}} existed before this change (as {{from}}) and is edited: databases that applied it do not run it again, so its {{count}} added or changed statement(s) reach only new databases; put the change in a new migration',
    editedSchema: {
      text: '{{path}} existed before this change (as {{from}}) and is edited so that it leaves another schema: databases that applied the old text do not run it again, so {{difference}}: the environments now differ, and what the new version expects of the new schema fails on the old one until it is repaired by hand or a new migration brings them together',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    squashed: {
      text: '{{path}} is new and holds statements of {{from}}, which the change deletes or renames: {{framework}} identifies a migration by {{id}}, so a database that applied {{from}} runs {{path}} as a new migration, which fails at line {{line}} (what it does there was done already) and blocks every later deploy until it is marked applied by hand (prisma migrate resolve --applied, migrate force, flyway repair)',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    renamedId: {
      text: '{{path}} is {{from}} renamed with the same text but another id: {{framework}} identifies a migration by {{id}}, so a database that applied {{from}} runs it again as a new migration, which fails on what already exists and blocks the deploy until it is marked applied by hand (prisma migrate resolve --applied, migrate force, flyway repair)',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    breaksLater: {
      text: '{{path}} is edited and no longer creates {{object}}, which {{later}} needs at line {{line}} (a DROP without IF EXISTS, an ALTER): on a new database, which runs the edited text, {{later}} fails there and the deploy stops until it is resolved by hand',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    collidesLater: {
      text: '{{path}} is edited and now creates {{object}}, which {{later}} creates again at line {{line}} (without IF NOT EXISTS): on a new database, which runs the edited text, {{later}} fails there and the deploy stops until it is resolved by hand',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    renamedRerunsCleanly: {
      text: '{{path}} is {{from}} renamed with the same text but another id: {{framework}} identifies a migration by {{id}}, so a database that applied {{from}} runs it again as a new migration; every statement re-runs cleanly there (IF EXISTS / IF NOT EXISTS, objects dropped before they are created again)',
      severity: 'info',
    },
    editedNeverParsed: {
      text: '{{path}} is edited, but its previous text did not parse (line {{line}}), and PostgreSQL parses a multi-statement query whole before it runs any of it: no database applied it, so the new text reaches every database that runs the migration, and its {{count}} statement(s) are assessed as new',
      severity: 'info',
    },
    editedNeverApplied: {
      text: '{{path}} is edited, but its previous text could not run past line {{line}} (MySQL: a double-quoted name, which is a string without ANSI_QUOTES, or a syntax error), so no database applied it: the new text reaches every database that runs the migration, and its {{count}} added or changed statement(s) are assessed as new',
      severity: 'info',
    },
    editedRolledBack: {
      text: '{{path}} is edited, but its previous text failed at line {{line}} on every database ({{why}}), and PostgreSQL runs a migration sent as one multi-statement query (as Prisma sends it) in one transaction: nothing of it was applied anywhere. The framework recorded it as failed (Prisma stops every later migrate deploy with P3009 until `prisma migrate resolve --rolled-back` marks it rolled back); then the new text reaches every database that runs the migration, and its {{count}} statement(s) are assessed as new',
      severity: 'info',
    },
    editedRanPartly: {
      text: '{{path}} is edited, but its previous text failed at line {{line}} on MySQL (a double-quoted name, which is a string without ANSI_QUOTES, or a syntax error) after the statements before that line ran and stayed (MySQL commits each DDL statement implicitly): the framework recorded the migration as failed and stops every later deploy there (Prisma: P3009). Run again after `prisma migrate resolve --rolled-back`, the new text fails at line {{failsAt}} on what that partial run left; marked applied instead, those databases never get the edit: they need a repair by hand (remove what the partial run made, or make the new text re-run cleanly with IF NOT EXISTS)',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    editedStoppedBefore: {
      text: '{{path}} is edited, but its previous text failed at line {{line}} on every database ({{why}}), and a ClickHouse migration runs statement by statement without a transaction, stopping at the first error: nothing after that line ran anywhere, so the edit that fixes it reaches every database that runs the file, and its {{count}} statement(s) that did not run before are assessed as new',
      severity: 'info',
    },
    editedSameSchema: {
      text: '{{path}} existed before this change (as {{from}}) and is edited, but its folder leaves the same schema on every database{{redundant}}: a database that applied the old texts has what the edit moves here from the folder\'s other migrations (statements moved between migrations, later migrations folded into an applied one, an object created and dropped again removed from both), and a new database gets it from the new text; what the edit changed runs only on new databases, on the tables their first migrations just created',
      severity: 'info',
    },
    editedNothingNew: {
      text: '{{path}} existed before this change (as {{from}}) and is edited without a new statement (formatting, comments, table options): databases that applied it do not run it again',
      severity: 'info',
    },
  },
  check({ migrations, report }) {
    for (const m of migrations) {
      if (!m.edited) continue;
      const base = { path: m.file.path, from: m.edited.from, count: String(m.edited.statements) };
      const { partlyRan, neverApplied } = m.edited;
      if (partlyRan) {
        report('editedRanPartly', { ...base, line: String(partlyRan.line), failsAt: String(partlyRan.failsAt) }, { file: m.file.path, line: partlyRan.failsAt });
        continue;
      }
      if (neverApplied) {
        const id = neverApplied.why ? 'editedRolledBack' : neverApplied.wholeFailed ? 'editedNeverParsed' : 'editedNeverApplied';
        report(id, { ...base, line: String(neverApplied.line), why: neverApplied.why ?? '' }, { file: m.file.path, line: 1 });
        continue;
      }
      const { id, data } = editFinding(m.file.path, m.edited.from, m.edited.statements, m.edited.schema);
      const folder = m.edited.folder;
      if (id === 'editedNothingNew' && folder && (folder.moved || folder.redundant.length > 0)) {
        const redundant = folder.redundant.length > 0 ? ` (but for ${folder.redundant.join('; ')}: it changes no query's result and no row the table accepts)` : '';
        report('editedSameSchema', { path: data.path!, from: data.from!, redundant }, { file: m.file.path, line: 1 });
      } else report(id, data, { file: m.file.path, line: 1 });
    }
  },
});
