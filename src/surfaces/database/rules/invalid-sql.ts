import { defineRule } from '../../../core/rule.js';

/**
 * A migration rollwright could not parse, or one with nothing in it. Unknown is never safe: a
 * statement that does not parse may drop a table, so the class is held at the conservative end.
 */
export default defineRule<unknown, 'syntax' | 'empty' | 'onlyComments'>({
  id: 'invalid-sql',
  surface: 'database',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-database-migration', effects: ['unassessed'] },
  severity: 'error',
  blocksGate: true,
  docs: {
    summary: 'A migration does not parse with the PostgreSQL parser (or MySQL parser), or has no statement.',
    rationale:
      'What cannot be parsed cannot be classified: the statement the parser stopped at may drop a column. The finding holds the change at the conservative end, with the line and column of the parser error, instead of passing it silently. An empty migration is recorded as applied by every framework and does nothing: usually a file committed before it was written.',
    fix: 'Fix the SQL at the line and column given (`psql -c` shows the same error), or delete the empty migration.',
    references: [
      'https://www.postgresql.org/docs/15/sql-syntax-lexical.html',
      'https://github.com/pganalyze/libpg_query',
    ],
  },
  messages: {
    syntax: {
      text: 'SQL does not parse ({{dialect}}): {{reason}}',
      unassessed: {
        reason: 'the migration does not parse ({{dialect}}), so its statements were not assessed',
        remedy: 'fix the SQL at the line given (psql shows the same error), or tell rollwright its dialect',
      },
    },
    empty: {
      text: 'the {{what}} is empty: it is recorded as applied and does nothing',
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
      unassessed: false,
    },
    onlyComments: {
      text: 'the {{what}} holds only comments: it is recorded as applied and does nothing',
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
      unassessed: false,
    },
  },
  check() {
    /* reported while parsing, in index.ts */
  },
});
