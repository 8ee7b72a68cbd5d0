import { defineRule } from '../../../core/rule.js';
import type { DbContext } from '../model.js';

/**
 * A migration that existed at the base, with the same id, edited by the change. Migration frameworks
 * identify applied migrations by id (Prisma: the folder name in `_prisma_migrations`; golang-migrate,
 * Flyway, dbmate: the version) and never run them again, so the edit only reaches databases that have
 * not applied it yet; the other rules see only the statements the edit added or changed.
 */
export default defineRule<DbContext, 'edited' | 'editedNothingNew' | 'renamedId'>({
  id: 'migration-edited',
  surface: 'database',
  class: 'fully-reversible',
  decision: { playbook: 'bad-database-migration', effects: [] },
  severity: 'warning',
  docs: {
    summary: 'An already existing migration is edited (same framework id as at the base).',
    rationale:
      'Applied migrations are not run again: Prisma identifies them by folder name and `migrate deploy` only warns that an applied migration was modified (checksum mismatch; `migrate dev` asks to reset the database); golang-migrate, dbmate and Flyway record the version (Flyway fails validation on a changed checksum unless repaired). The edit therefore reaches only databases that have not applied the migration (a new environment, a test database), and environments drift apart. Only the statements the edit added or changed are assessed by the other rules; the statements the base already had are not reported again (compared by text, with whitespace and table options evened out and names compared as the server reads them: on PostgreSQL `"x"` is the unquoted `x` only when `x` is lower case; on MySQL a backticked name is the bare name, but a double-quoted one is a string literal unless the ANSI_QUOTES SQL mode is on, which is off by default; also when the old or the new text does not parse, where the statements of the new one before the syntax error are compared and the error is reported on its own). On MySQL the old text ran only up to its first statement that could not run (a double-quoted name, a syntax error): that statement and every one after it never ran on any database, so in the new text they are all new and assessed, even the ones whose text did not change. When the new text still holds that statement unchanged, it stops there as the old one did: what follows runs no more than before, and only what the edit added before it is new. A migration moved or renamed with its id unchanged and its text unchanged is listed as skipped: it runs nothing. One renamed to another id (a Prisma folder renamed, another version number) is a new migration to the framework: databases that applied the old one run it again, it fails on the objects that already exist, and the deploy is blocked until someone marks it applied by hand (reversible-with-manual-repair).',
    fix: 'Put the change in a new migration; leave applied migrations as they are (or, for a fix that must reach every database, add a new migration that applies it idempotently).',
    references: [
      'https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories',
      'https://documentation.red-gate.com/fd/validate-184127464.html',
      'https://github.com/golang-migrate/migrate/blob/master/MIGRATIONS.md',
      'https://dev.mysql.com/doc/refman/8.4/en/identifiers.html',
      'https://dev.mysql.com/doc/refman/8.4/en/sql-mode.html',
    ],
  },
  messages: {
    edited:
      '{{path}} existed before this change (as {{from}}) and is edited: databases that applied it do not run it again, so its {{count}} added or changed statement(s) reach only new databases; put the change in a new migration',
    renamedId: {
      text: '{{path}} is {{from}} renamed with the same text but another id: {{framework}} identifies a migration by {{id}}, so a database that applied {{from}} runs it again as a new migration, which fails on what already exists and blocks the deploy until it is marked applied by hand (prisma migrate resolve --applied, migrate force, flyway repair)',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    editedNothingNew: {
      text: '{{path}} existed before this change (as {{from}}) and is edited without a new statement (formatting, comments, table options): databases that applied it do not run it again',
      severity: 'info',
    },
  },
  check({ migrations, report }) {
    for (const m of migrations) {
      if (!m.edited) continue;
      const data = { path: m.file.path, from: m.edited.from, count: String(m.edited.statements) };
      report(m.edited.statements > 0 ? 'edited' : 'editedNothingNew', data, { file: m.file.path, line: 1 });
    }
  },
});
