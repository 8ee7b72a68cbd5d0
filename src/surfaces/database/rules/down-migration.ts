import { defineRule } from '../../../core/rule.js';
import { loc, type DbContext } from '../model.js';

/** The down half of a migration: missing, mismatched, empty, or dropping what the up created. */
export default defineRule<DbContext, 'missing' | 'noDownFramework' | 'mismatched' | 'empty' | 'dropsCreated'>({
  id: 'down-migration',
  surface: 'database',
  class: 'forward-only',
  decision: { playbook: 'bad-database-migration', effects: ['data-surface'] },
  severity: 'warning',
  smell: ['missing', 'mismatched', 'empty'],
  docs: {
    summary:
      'A migration has no down, a down that does not pair with it, an empty down, or a down that drops what the up created.',
    rationale:
      'Prisma Migrate has no down migrations by design (a successful migration is reverted by a new one; its history in `_prisma_migrations` only moves forward), so for Prisma "no down" is the framework\'s constant, not a property of the change: it is info and never sets the class; what each statement does without a down is said by the statement rules (a SET NOT NULL that nobody can undo is manual repair). A rollback of the schema runs the down migration. Without one, the only way back is a new forward migration written under pressure. A down that drops a column or a table the up created loses every value the new version wrote since: the rollback works only inside that window. Whether the down restores the schema exactly is checked by `rollwright rehearse` (assess --rehearse), which runs up, down and up again on PostgreSQL.',
    fix: 'Write the down next to the up (golang-migrate: N_name.down.sql; sqitch: revert/; dbmate: -- migrate:down), and copy data the down would drop if it matters.',
    references: [
      'https://github.com/golang-migrate/migrate/blob/master/MIGRATIONS.md',
      'https://documentation.red-gate.com/fd/undo-migrations-184127627.html',
      'https://sqitch.org/docs/manual/sqitchtutorial/',
      'https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories',
    ],
  },
  messages: {
    missing:
      'no down migration for {{path}} (expected {{expected}}): rolling the schema back needs a new forward migration',
    noDownFramework: {
      text: '{{framework}} has no down migration for {{path}}: a rollback of the schema is a new forward migration',
      class: 'fully-reversible',
      severity: 'info',
    },
    mismatched: {
      text: 'the down {{down}} does not pair with {{path}} (version and name must both match): the framework will not run it for this migration',
      class: 'reversible-with-manual-repair',
    },
    empty:
      'the down migration of {{path}} has no statement while the up changes the schema: running it records a rollback that did nothing',
    dropsCreated: {
      text: 'the down drops {{object}}, which this migration creates: every value the new version writes to it is lost on rollback',
      class: 'reversible-with-compatibility-window',
    },
  },
  check({ migrations, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      if (m.file.direction === 'repeatable') continue;
      const upOps = m.upOps;
      if (upOps.length === 0 && m.up.statements.length === 0) continue;
      const at = { file: m.file.path, line: 1 };
      if (m.mismatchedDown) {
        report('mismatched', { down: m.mismatchedDown, path: m.file.path }, at);
        continue;
      }
      if (m.down === null) {
        report('noDownFramework', { framework: m.file.framework, path: m.file.path }, at);
        continue;
      }
      if (m.down === undefined) {
        const expected =
          m.file.framework === 'dbmate'
            ? 'a -- migrate:down section'
            : m.file.framework === 'sqitch'
              ? `revert/${m.file.version}.sql`
              : `${m.file.version}_${m.file.name}.down.sql`;
        report('missing', { path: m.file.path, expected }, at);
        continue;
      }
      if (m.down.parsed.error) continue; // invalid-sql reports it
      const downOps = m.down.ops;
      if (m.down.parsed.statements.length === 0) {
        report('empty', { path: m.file.path }, { file: m.down.path, line: 1 });
        continue;
      }
      // What the up created, gathered only when the down drops something.
      let createdTables: Set<string | undefined> | undefined;
      let addedColumns: Set<string> | undefined;
      for (let j = 0; j < downOps.length; j++) {
        const o = downOps[j]!;
        if (o.kind === 'drop-table') {
          createdTables ??= new Set(upOps.filter((u) => u.kind === 'create-table').map((u) => u.table));
          if (createdTables.has(o.table))
            report('dropsCreated', { object: `table ${o.table} and its rows` }, loc(m.down.path, o));
        } else if (o.kind === 'drop-column') {
          addedColumns ??= new Set(
            upOps.filter((u) => u.kind.startsWith('add-column')).map((u) => `${u.table}.${u.column}`),
          );
          if (addedColumns.has(`${o.table}.${o.column}`))
            report('dropsCreated', { object: `column ${o.table}.${o.column}` }, loc(m.down.path, o));
        }
      }
    }
  },
});
