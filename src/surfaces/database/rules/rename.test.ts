import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './rename.js';

ruleTable(database, rule, {
  valid: [{ name: 'index rename breaks nobody', after: { 'V1__a.sql': 'ALTER INDEX a RENAME TO b;' } }],
  invalid: [
    {
      name: 'column rename with the expand/contract sequence',
      after: { 'V1__a.sql': 'ALTER TABLE users RENAME COLUMN name TO full_name;' },
      errors: [
        {
          messageId: 'column',
          class: 'reversible-with-compatibility-window',
          line: 1,
          message:
            "RENAME COLUMN users.name TO full_name: the running version still uses name and fails with 'column does not exist'; instead: add full_name (expand), write both and backfill (migrate), read full_name, drop name in a later release (contract)",
        },
      ],
    },
    {
      name: 'table rename',
      after: { 'V1__a.sql': 'SELECT 1;\nALTER TABLE orders RENAME TO purchases;' },
      errors: [{ messageId: 'table', class: 'reversible-with-compatibility-window', line: 2, message: 'RENAME TABLE orders TO purchases' }],
    },
    {
      name: 'schema rename, and a table moved to another schema',
      after: { 'V1__a.sql': 'ALTER SCHEMA reporting RENAME TO analytics;\nALTER TABLE t SET SCHEMA archive;' },
      errors: [
        {
          messageId: 'schema',
          class: 'reversible-with-compatibility-window',
          line: 1,
          message: "RENAME SCHEMA reporting TO analytics: every query that names reporting fails with 'schema does not exist'",
        },
        { messageId: 'table', line: 2, message: 'RENAME TABLE t TO archive.t' },
      ],
    },
  ],
});
