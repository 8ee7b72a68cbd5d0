import { defineRule } from '../../../core/rule.js';
import { forEachUpOp, loc, type DbContext } from '../model.js';
import type { Op } from '../sql/vocabulary.js';

const KINDS: ReadonlySet<Op['kind']> = new Set(['opaque-body']);

/**
 * Code the SQL parser does not see into. The statements of a DO block are parsed and assessed one
 * by one (a DROP TABLE in a DO block is a DROP TABLE); what is left is reported here: SQL built at
 * run time (EXECUTE), a statement the parser cannot read, a DO block in another language, and a
 * function or procedure whose body changes the schema or the data when it is called.
 */
export default defineRule<DbContext, 'doBlock' | 'functionBody'>({
  id: 'opaque-body',
  surface: 'database',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-database-migration', effects: ['unassessed'] },
  severity: 'error',
  docs: {
    summary:
      'A DO block runs SQL rollwright cannot assess (built at run time, unparsable, or in another language), or a function body changes the schema or data when called.',
    rationale:
      "A DO block runs when the migration runs: its dynamic SQL (EXECUTE format('DROP TABLE %I', t)) may drop or rewrite anything, and what cannot be read cannot be classified, so the class is held at the conservative end. A function or procedure does what its body says whenever it is called (by a later statement, a trigger, a job): the migration that defines it is not where that happens, so it is reported as a warning with the statement it runs. MySQL stored procedures, functions, triggers and events are read the same way (their BEGIN ... END body split into its statements); a statement a body prepares from a CONCAT of literal text and variables (PREPARE s FROM @q; EXECUTE s) is read through that template, the variables standing for names, so a template that is an index rename (catalog-only) is no write.",
    fix: 'Write the statements of a migration as plain SQL (a DO block only for control flow around statements rollwright can read), or review the dynamic SQL and declare its effect; keep destructive code out of functions a migration defines.',
    references: [
      'https://www.postgresql.org/docs/15/sql-do.html',
      'https://www.postgresql.org/docs/15/plpgsql-statements.html#PLPGSQL-STATEMENTS-EXECUTING-DYN',
    ],
  },
  messages: {
    doBlock: {
      text: 'DO block: {{detail}}: not assessed, so its effect on rollback is unknown',
      unassessed: {
        reason: 'a DO block runs SQL rollwright cannot read ({{detail}})',
        remedy: 'write its statements as plain SQL, or review the dynamic SQL and declare its effect',
      },
    },
    functionBody: {
      text: '{{detail}}: the body changes the schema or the data whenever it is called; it is not assessed here',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      unassessed: {
        reason: '{{detail}}: a function body that changes the schema or the data when called is not assessed',
        remedy: 'keep destructive code out of functions a migration defines, or review the body and declare its effect',
      },
    },
  },
  check({ migrations, report }) {
    forEachUpOp(migrations, KINDS, (o, m) => {
      report(o.table === 'function' ? 'functionBody' : 'doBlock', { detail: o.detail ?? '' }, loc(m.file.path, o));
    });
  },
});
