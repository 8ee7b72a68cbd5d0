import { tableKey } from '../schema.js';
import { defineRule } from '../../../core/rule.js';
import { loc, NEW_DATABASE_ONLY, saidNewDatabaseOnly, target, type DbContext } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

const EXPAND = new Set(['create-table', 'add-column', 'add-column-default', 'add-column-volatile-default']);
const CONTRACT = new Set(['drop-column', 'drop-table']);

/**
 * One release that both expands and contracts the same table: while it deploys, the running version
 * already lacks what is contracted, and a rollback of the application lands on a schema it cannot use.
 */
export default defineRule<
  DbContext,
  'mixed' | 'newDatabaseOnly',
  { table: string; expand?: string; expandFile?: string; contract?: string; into?: string; what?: string; line?: string }
>({
  id: 'expand-and-contract-same-release',
  surface: 'database',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  severity: 'error',
  blocksGate: true,
  docs: {
    summary: 'One change both expands and contracts the same table or column.',
    rationale:
      'Expand/contract works because the phases are separate releases: after expand, old and new versions both run against the schema; contract comes once no running version uses the old shape. Both in one release leaves no moment when the old version works: it breaks during the deploy, and rolling the application back lands on a schema it cannot use. The rule fires only where the release copied the dropped data into what it added (an UPDATE that sets the new column from the old one, an INSERT ... SELECT into the new table), so the data is not lost: it survives in the new place, and going back means re-creating the dropped column or table and copying the data back (with what the new version wrote since) by hand, which is manual repair rather than forward-only. Whether the drop itself destroys anything the copy did not take is the contract statement\'s finding. The gate fails whatever the declaration says, because no declaration gives the running version a schema it can use during the deploy. In an edited migration that databases already applied, a statement on a table that the same file creates earlier is said at info: a database that applied the old text never runs the file again (Prisma records an applied migration by its folder name in `_prisma_migrations`, and `migrate deploy` applies only the pending ones; golang-migrate, Flyway and dbmate record the version), and a new database runs the statement right after that CREATE TABLE, on an empty table that no running version uses. What the edit leaves different between the two is reported by `database/migration-edited`.',
    fix: 'Split the change: ship the expand (and backfill) now, the contract in a later release once the old version is gone.',
    references: [
      'https://www.postgresql.org/docs/15/ddl-alter.html',
      'https://squawkhq.com/docs/safe_migrations',
      'https://www.prisma.io/docs/cli/migrate/deploy',
    ],
  },
  messages: {
    newDatabaseOnly: NEW_DATABASE_ONLY,
    mixed:
      '{{table}}: this release expands it ({{expand}} in {{expandFile}}) and contracts it ({{contract}}): the running version fails on what is dropped during the deploy, and a rollback must re-create it and copy the data back from {{into}} by hand; ship the contract in a later release, once no running version uses what it removes',
  },
  check({ migrations, report }) {
    // Expand and contract of the same data: the release copies what it drops into what it adds (an
    // UPDATE that sets the new column from the old one, an INSERT ... SELECT into the new table), in the
    // same database (the same migrations folder). Unrelated objects of one table, an index or a
    // constraint are not an expand/contract pair.
    const expands = new Map<string, { op: Op; file: string; dir: string }>();
    for (const m of migrations)
      for (const o of m.upOps)
        if (EXPAND.has(o.kind) && o.table) {
          const k = o.kind === 'create-table' ? tableKey(o.table) : `${tableKey(o.table)}.${o.column}`;
          if (!expands.has(k)) expands.set(k, { op: o, file: m.file.path, dir: m.file.dir });
        }
    if (expands.size === 0) return;
    for (const m of migrations) {
      for (const o of m.upOps) {
        if (!CONTRACT.has(o.kind) || !o.table) continue;
        const e = copyInto(migrations, m.file.dir, o, expands);
        if (!e || saidNewDatabaseOnly(m, o, report)) continue;
        report(
          'mixed',
          {
            table: o.table,
            expand: describe(e.op),
            expandFile: `${e.file}:${e.op.line}`,
            contract: describe(o),
            into: target(e.op),
          },
          loc(m.file.path, o),
        );
      }
    }
  },
});

/** The expand of the release, in the same folder, that a statement of the release fills from the dropped data. */
function copyInto(
  migrations: DbContext['migrations'],
  dir: string,
  drop: Op,
  expands: ReadonlyMap<string, { op: Op; file: string; dir: string }>,
): { op: Op; file: string } | undefined {
  const table = tableKey(drop.table);
  const name = drop.kind === 'drop-column' ? drop.column! : table.replace(/^.*\./, '');
  const reads = new RegExp(`(^|[^\\w])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`, 'i');
  for (const m of migrations) {
    if (m.file.dir !== dir) continue;
    for (const st of m.up.statements) {
      const text = st.text.replace(/[`"]/g, '');
      for (const o of st.ops) {
        if (o.kind === 'update-all' || o.kind === 'update-where') {
          const rhs = text.replace(/^[\s\S]*?\bSET\b/i, '');
          if (!reads.test(rhs)) continue;
          for (const c of o.columns ?? []) {
            const e = expands.get(`${tableKey(o.table)}.${c}`);
            if (e && e.dir === dir && !(drop.kind === 'drop-column' && c === drop.column)) return e;
          }
        } else if (o.kind === 'insert' && o.fromSelect && reads.test(text.replace(/^[\s\S]*?\bSELECT\b/i, ''))) {
          const e = expands.get(tableKey(o.table));
          if (e && e.dir === dir) return e;
          for (const [k, v] of expands) if (k.startsWith(`${tableKey(o.table)}.`) && v.dir === dir) return v;
        }
      }
    }
  }
  return undefined;
}

function describe(o: Op): string {
  switch (o.kind) {
    case 'create-table':
      return `CREATE TABLE ${target(o)}`;
    case 'drop-column':
      return `DROP COLUMN ${target(o)}`;
    case 'drop-table':
      return `DROP TABLE ${target(o)}`;
    case 'drop-constraint':
      return `DROP CONSTRAINT ${o.name}`;
    case 'create-index':
    case 'create-index-concurrently':
      return `CREATE INDEX ${o.name ?? ''} on ${target(o)}`.replace('  ', ' ');
    case 'add-constraint-not-valid':
      return `ADD CONSTRAINT ${o.name}`;
    default:
      return `ADD COLUMN ${target(o)}`;
  }
}
