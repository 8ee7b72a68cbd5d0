import { defineRule } from '../../../core/rule.js';
import { loc, target, type DbContext } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

const EXPAND = new Set([
  'create-table',
  'add-column',
  'add-column-default',
  'add-column-volatile-default',
  'create-index-concurrently',
  'create-index',
  'add-constraint-not-valid',
]);
const CONTRACT = new Set(['drop-column', 'drop-table', 'drop-constraint']);

/**
 * One release that both expands and contracts the same table: while it deploys, the running version
 * already lacks what is contracted, and a rollback of the application lands on a schema it cannot use.
 */
export default defineRule<DbContext, 'mixed'>({
  id: 'expand-and-contract-same-release',
  surface: 'database',
  class: 'forward-only',
  decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  severity: 'error',
  blocksGate: true,
  docs: {
    summary: 'One change both expands and contracts the same table or column.',
    rationale:
      'Expand/contract works because the phases are separate releases: after expand, old and new versions both run against the schema; contract comes once no running version uses the old shape. Both in one release leaves no moment when the old version works: it breaks during the deploy, and rolling the application back lands on a schema it cannot use. The gate fails whatever the declaration says.',
    fix: 'Split the change: ship the expand (and backfill) now, the contract in a later release once the old version is gone.',
    references: ['https://www.postgresql.org/docs/15/ddl-alter.html', 'https://squawkhq.com/docs/safe_migrations'],
  },
  messages: {
    mixed:
      '{{table}}: this release expands it ({{expand}} in {{expandFile}}) and contracts it ({{contract}}); ship the contract in a later release, once no running version uses what it removes',
  },
  check({ migrations, report }) {
    const expands = new Map<string, { op: Op; file: string }>();
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (EXPAND.has(o.kind) && o.table && !expands.has(o.table)) expands.set(o.table, { op: o, file: m.file.path });
      }
    }
    if (expands.size === 0) return;
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (!CONTRACT.has(o.kind) || !o.table) continue;
        const e = expands.get(o.table);
        if (!e || e.op.kind === 'create-table') continue;
        report(
          'mixed',
          {
            table: o.table,
            expand: `${describe(e.op)}`,
            expandFile: `${e.file}:${e.op.line}`,
            contract: describe(o),
          },
          loc(m.file.path, o),
        );
      }
    }
  },
});

function describe(o: Op): string {
  switch (o.kind) {
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
