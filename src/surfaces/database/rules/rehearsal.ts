import { defineRule } from '../../../core/rule.js';

/**
 * What a rehearsal on PostgreSQL found (`assess --rehearse`, `rollwright rehearse`): the down path
 * proved by running it, not by reading it.
 */
export default defineRule<
  unknown,
  'upFailed' | 'verifyFailed' | 'oldQuery' | 'downFailed' | 'notInverse' | 'rowsLost' | 'reupFailed'
>({
  id: 'rehearsal',
  surface: 'database',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  severity: 'error',
  // `lint --rehearse` runs a folder's whole history: up, down to nothing, up again.
  smell: ['upFailed', 'verifyFailed', 'downFailed', 'notInverse', 'rowsLost', 'reupFailed'],
  docs: {
    summary:
      'Running the migrations on PostgreSQL (up, old queries, down, schema comparison, up again) found a problem.',
    rationale:
      "A down migration that has never run is a guess. The rehearsal applies the history up to the base on a fresh database (PGlite, or a real server), seeds every table, applies the change, prepares the old application's queries against the new schema, runs the down, compares the schema with pg_catalog (not text) and counts the rows, then applies the up again. Each step that fails is a rollback that would fail in production.",
    fix: 'Fix the migration the finding names: make the down the inverse of the up, keep old queries valid until the contract release, make the up re-runnable.',
    references: [
      'https://www.postgresql.org/docs/15/catalogs.html',
      'https://www.postgresql.org/docs/15/sql-prepare.html',
      'https://pglite.dev/docs/',
    ],
  },
  messages: {
    upFailed: { text: 'the up migration fails on PostgreSQL at {{statement}}: {{error}}', class: 'forward-only' },
    verifyFailed: {
      text: 'the sqitch verify script raises at {{statement}}: {{error}}; the deploy did not leave what its verify expects',
      class: 'reversible-with-manual-repair',
    },
    oldQuery: {
      text: "the old application's query {{query}} fails against the new schema: {{error}}",
      class: 'forward-only',
    },
    downFailed: {
      text: 'the down migration fails at {{statement}}: {{error}}; the schema cannot be rolled back as written',
      class: 'forward-only',
    },
    notInverse: 'after up and down the schema differs from before: {{diff}}',
    rowsLost: {
      text: 'up and down lose rows: {{tables}}',
      class: 'non-recoverable-without-restore',
      severity: 'warning',
      decision: { effects: ['data-destroyed'] },
    },
    reupFailed: {
      text: 'the up migration fails when applied again after its down, at {{statement}}: {{error}}',
      severity: 'warning',
    },
  },
  check() {
    /* reported by assess --rehearse from the rehearsal report (src/rehearse) */
  },
});
