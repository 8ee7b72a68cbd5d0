import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './expand-and-contract-same-release.js';

ruleTable(database, rule, {
  valid: [
    { name: 'expand only', after: { 'V3__a.sql': 'ALTER TABLE users ADD COLUMN nickname text;' } },
    {
      name: 'expand and contract of different tables',
      after: {
        'V3__a.sql': 'ALTER TABLE users ADD COLUMN nickname text;',
        'V4__b.sql': 'ALTER TABLE orders DROP COLUMN legacy;',
      },
    },
    {
      name: 'a table created and changed in the same release',
      after: { 'V3__a.sql': 'CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;' },
    },
  ],
  invalid: [
    {
      name: 'same table across two migrations of one release',
      after: {
        'V3__add.sql': 'ALTER TABLE users ADD COLUMN nickname text;',
        'V4__drop.sql': '\nALTER TABLE users DROP COLUMN email;',
      },
      errors: [
        {
          messageId: 'mixed',
          class: 'forward-only',
          severity: 'error',
          file: 'V4__drop.sql',
          line: 2,
          message:
            'users: this release expands it (ADD COLUMN users.nickname in V3__add.sql:1) and contracts it (DROP COLUMN users.email)',
        },
      ],
    },
  ],
});
