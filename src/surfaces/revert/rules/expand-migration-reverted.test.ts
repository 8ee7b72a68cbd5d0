import { ruleTable } from '../../../testing/rule-tester.js';
import { revert as surface } from '../index.js';
import rule from './expand-migration-reverted.js';

const INIT = { 'db/migrations/0001_init.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' };
const UP = 'ALTER TABLE users ADD COLUMN nickname text;\n';
const DOWN = 'ALTER TABLE users DROP COLUMN nickname;\n';

ruleTable(surface, rule, {
  valid: [
    {
      name: 'the revert adds a migration back (the reverted change had deleted it)',
      before: {},
      after: { 'db/migrations/0002_add_col.up.sql': UP, 'db/migrations/0002_add_col.down.sql': DOWN },
      unchanged: INIT,
    },
    {
      name: 'only a down migration is deleted',
      before: { 'db/migrations/0002_add_col.down.sql': DOWN },
      after: {},
      unchanged: { ...INIT, 'db/migrations/0002_add_col.up.sql': UP },
    },
    { name: 'a SQL file that is not a migration', before: { 'scripts/report.sql': 'SELECT 1;\n' }, after: {} },
  ],
  invalid: [
    {
      name: 'a golang-migrate expand and its down are deleted: nothing runs, the tool fails; running the down would drop the column',
      before: { 'db/migrations/0002_add_col.up.sql': UP, 'db/migrations/0002_add_col.down.sql': DOWN },
      after: {},
      unchanged: INIT,
      errors: [
        {
          messageId: 'downDestroys',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          file: 'db/migrations/0002_add_col.up.sql',
          message:
            /ADD COLUMN users\.nickname.*schema keeps the expand while golang-migrate's next run fails: no migration found for version 0002.*DROP COLUMN users\.nickname.*revert a contract: users\.nickname and every value written to it since would be destroyed/,
        },
      ],
    },
    {
      name: 'a down that only drops an index runs by hand, losing nothing',
      before: {
        'db/migrations/0003_idx.up.sql': 'CREATE INDEX CONCURRENTLY users_nick ON users (nickname);\n',
        'db/migrations/0003_idx.down.sql': 'DROP INDEX CONCURRENTLY users_nick;\n',
      },
      after: {},
      unchanged: INIT,
      errors: [{ messageId: 'downRuns', class: 'reversible-with-manual-repair', message: /DROP INDEX/ }],
    },
    {
      name: 'no down migration at all',
      before: { 'db/migrations/0002_add_col.up.sql': UP },
      after: {},
      unchanged: INIT,
      errors: [{ messageId: 'noDown', class: 'reversible-with-manual-repair', message: /nothing undoes it/ }],
    },
    {
      name: 'dbmate: the down section of the same file',
      before: {
        'db/migrations/20260101000000_add_col.sql': `-- migrate:up\n${UP}\n-- migrate:down\n${DOWN}`,
      },
      after: {},
      errors: [{ messageId: 'downDestroys', message: /migration table records 20260101000000.*migrate:down/ }],
    },
  ],
});
