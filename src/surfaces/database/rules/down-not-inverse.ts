import { defineRule } from '../../../core/rule.js';
import type { Op } from '../sql/vocabulary.js';
import { loc, type DbContext } from '../model.js';

export type DownNotInverseData = { effect: string; down: string; undo: string };

/** `public.Users` and `users` are one name (PostgreSQL folds unquoted names; public is the default schema). */
const norm = (s: string | undefined) =>
  (s ?? '')
    .replace(/"/g, '')
    .toLowerCase()
    .replace(/^public\./, '');

/**
 * What undoes an up operation, as a predicate on the down's operations, and how to say it. Only the
 * effects with one clear inverse are judged: a DO block, a function body or a data change is not.
 */
function inverseOf(
  o: Op,
  createdTables: ReadonlySet<string>,
): { effect: string; undo: string; by: (d: Op) => boolean } | undefined {
  const t = norm(o.table);
  const droppedTable = (d: Op) => d.kind === 'drop-table' && norm(d.table) === t;
  switch (o.kind) {
    case 'create-table':
      return { effect: `CREATE TABLE ${o.table}`, undo: `DROP TABLE ${o.table}`, by: droppedTable };
    case 'add-column':
    case 'add-column-default':
    case 'add-column-required':
    case 'add-column-volatile-default':
      if (createdTables.has(t)) return undefined;
      return {
        effect: `ADD COLUMN ${o.table}.${o.column}`,
        undo: `DROP COLUMN ${o.column}`,
        by: (d) =>
          droppedTable(d) || (d.kind === 'drop-column' && norm(d.table) === t && norm(d.column) === norm(o.column)),
      };
    case 'create-index':
    case 'create-index-concurrently':
      if (!o.name || createdTables.has(t)) return undefined;
      return {
        effect: `CREATE INDEX ${o.name}`,
        undo: `DROP INDEX ${o.name}`,
        by: (d) =>
          droppedTable(d) ||
          ((d.kind === 'drop-index' || d.kind === 'drop-index-concurrently') && norm(d.name) === norm(o.name)) ||
          (d.kind === 'drop-column' && norm(d.table) === t && (o.columns ?? []).map(norm).includes(norm(d.column))),
      };
    case 'add-constraint':
    case 'add-constraint-not-valid':
      if (!o.name || o.name === '(unnamed)' || createdTables.has(t) || o.column) return undefined;
      return {
        effect: `ADD CONSTRAINT ${o.name} on ${o.table}`,
        undo: `DROP CONSTRAINT ${o.name}`,
        by: (d) =>
          droppedTable(d) ||
          (d.kind === 'drop-constraint' && norm(d.name) === norm(o.name)) ||
          (d.kind === 'drop-column' && norm(d.table) === t && (o.columns ?? []).map(norm).includes(norm(d.column))),
      };
    case 'create-view':
      return {
        effect: `CREATE VIEW ${o.table}`,
        undo: `DROP VIEW ${o.table}`,
        by: (d) => d.kind === 'drop-view' && norm(d.table) === t,
      };
    case 'create-type':
      return {
        effect: `CREATE TYPE ${o.name}`,
        undo: `DROP TYPE ${o.name}`,
        by: (d) => d.kind === 'drop-type' && norm(d.name) === norm(o.name),
      };
    case 'rename-table':
      return {
        effect: `RENAME ${o.table} TO ${o.name}`,
        undo: `RENAME ${o.name} TO ${o.table}`,
        by: (d) =>
          d.kind === 'rename-table' &&
          norm(d.table).split('.').pop() === norm(o.name).split('.').pop() &&
          norm(d.name).split('.').pop() === t.split('.').pop(),
      };
    case 'rename-column':
      return {
        effect: `RENAME COLUMN ${o.table}.${o.column} TO ${o.name}`,
        undo: `RENAME COLUMN ${o.name} TO ${o.column}`,
        by: (d) => d.kind === 'rename-column' && norm(d.column) === norm(o.name) && norm(d.name) === norm(o.column),
      };
    case 'drop-table':
      return {
        effect: `DROP TABLE ${o.table}`,
        undo: `CREATE TABLE ${o.table}`,
        by: (d) => d.kind === 'create-table' && norm(d.table) === t,
      };
    case 'drop-column':
      return {
        effect: `DROP COLUMN ${o.table}.${o.column}`,
        undo: `ADD COLUMN ${o.column}`,
        by: (d) => d.kind.startsWith('add-column') && norm(d.table) === t && norm(d.column) === norm(o.column),
      };
    default:
      return undefined;
  }
}

/** A statement that changes nothing: `SELECT 1`, the placeholder some frameworks' generators write. */
const NO_OP = /^\s*(select\b|values\b|do\s+\$\$\s*begin\s+null\s*;\s*end\s*\$\$)/i;
/** Transaction control around the statements (sqitch scripts are written `BEGIN; ... COMMIT;`). */
const TX = /^\s*(begin|commit|start\s+transaction|end)\s*$/i;

/**
 * A down migration that does not invert its up, read statically: an object the up creates, alters or
 * renames that the down leaves in place (or leaves dropped), and a down made only of no-op statements.
 */
export default defineRule<DbContext, 'notUndone' | 'noOp', DownNotInverseData>({
  id: 'down-not-inverse',
  surface: 'database',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-database-migration', effects: ['data-surface'] },
  severity: 'warning',
  smell: true,
  docs: {
    summary:
      'A down migration does not undo what its up does: a table, column, index, constraint, view or type the up creates (or a rename, or a drop) that the down leaves as it is, or a down made only of no-op statements (`SELECT 1`).',
    rationale:
      "A rollback of the schema runs the down, and the framework records the migration as reverted whatever the down did (golang-migrate, dbmate, goose, Flyway undo and Sqitch revert all run the script as written and move their version table). A down that leaves the up's table in place makes the schema disagree with the version table: the next `up` fails on `relation already exists` (or `column ... already exists`), so the roll-forward after the rollback needs a hand repair; a down that does not rename back leaves the previous version reading a name that no longer exists. The check is static: each up operation with one clear inverse is paired with the down's (CREATE TABLE t with DROP TABLE t, ADD COLUMN c with DROP COLUMN c or the table's drop, CREATE INDEX i with DROP INDEX i, ADD CONSTRAINT k with DROP CONSTRAINT k, RENAME a TO b with RENAME b TO a, DROP COLUMN c with ADD COLUMN c); data changes, DO blocks and function bodies are not judged, and a down that runs code the parser cannot see into is not judged at all. A down with no statement is `database/down-migration`. `rollwright lint --rehearse` and `rollwright rehearse` run up, down and up again on PostgreSQL and compare the schemas, which catches what a static reading cannot.",
    fix: 'Make the down the exact inverse of the up, in reverse order (drop what the up created, rename back what it renamed, recreate what it dropped), and check it with `rollwright rehearse` (up, down, up on a real PostgreSQL).',
    references: [
      'https://github.com/golang-migrate/migrate/blob/master/MIGRATIONS.md',
      'https://github.com/amacneil/dbmate#creating-migrations',
      'https://pressly.github.io/goose/documentation/annotations/',
      'https://documentation.red-gate.com/fd/undo-migrations-184127627.html',
      'https://sqitch.org/docs/manual/sqitchtutorial/',
    ],
  },
  messages: {
    notUndone:
      'the up runs {{effect}} and its down ({{down}}) does not undo it ({{undo}} expected): after a rollback the schema keeps it while the version table says it is gone, and the next up fails or needs a hand repair',
    noOp: 'the down ({{down}}) only runs no-op statements while the up changes the schema: a rollback records success and changes nothing',
  },
  check({ migrations, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const down = m.down;
      if (!down || down.parsed.error || down.parsed.statements.length === 0 || m.mismatchedDown) continue;
      if (down.ops.some((o) => o.kind === 'opaque-body')) continue;
      const createdTables = new Set(m.upOps.filter((o) => o.kind === 'create-table').map((o) => norm(o.table)));
      const effects = m.upOps.flatMap((o) => {
        const inv = inverseOf(o, createdTables);
        return inv ? [{ o, ...inv }] : [];
      });
      if (!effects.length) continue;
      const stmts = down.parsed.statements.filter((s) => !TX.test(s.text));
      if (stmts.length && stmts.every((s) => NO_OP.test(s.text))) {
        report('noOp', { effect: '', down: down.path, undo: '' }, { file: down.path, line: stmts[0]!.line });
        continue;
      }
      for (const e of effects)
        if (!down.ops.some(e.by))
          report('notUndone', { effect: e.effect, down: down.path, undo: e.undo }, loc(m.file.path, e.o));
    }
  },
});
