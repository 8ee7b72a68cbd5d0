import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './data-mutation.js';

ruleTable(database, rule, {
  valid: [
    {
      name: 'a backfill of a column added earlier in the same migration overwrites nothing',
      after: {
        'prisma/migrations/2_eur/migration.sql':
          'ALTER TABLE orders ADD COLUMN total_eur numeric(12,2);\nUPDATE orders SET total_eur = total_cents / 100.0;',
      },
    },
    {
      name: 'a backfill of a column added by an earlier migration of the same change',
      after: {
        'prisma/migrations/2_add/migration.sql': 'ALTER TABLE account ADD COLUMN account_uuid uuid;',
        'prisma/migrations/3_fill/migration.sql': 'UPDATE account SET account_uuid = gen_random_uuid() WHERE account_uuid IS NULL;',
      },
    },
    { name: 'DDL only', after: { 'V1__a.sql': 'ALTER TABLE users ADD COLUMN a text;' } },
    {
      name: 'seed rows of a table created in the release',
      after: { 'V1__a.sql': 'CREATE TABLE plans (id int);\nINSERT INTO plans VALUES (1);' },
    },
  ],
  invalid: [
    {
      name: 'an UPDATE before the ADD COLUMN, or one that also sets an old column, still overwrites',
      after: {
        'V2__a.sql':
          'UPDATE users SET nick = name;\nALTER TABLE users ADD COLUMN nick text;\nUPDATE users SET nick = name, name = upper(name);',
      },
      errors: [
        { messageId: 'updateAll', line: 1, severity: 'error' },
        { messageId: 'updateAll', line: 3, severity: 'error', message: 'nick, name' },
      ],
    },
    {
      name: 'INSERT of business records is a compensatable warning; INSERT ... SELECT a copy (info)',
      after: {
        'V2__a.sql':
          "INSERT INTO users (email, name) VALUES ('admin@example.com', 'admin');\nINSERT INTO archive (id) SELECT id FROM users;",
      },
      errors: [
        { messageId: 'insert', line: 1, class: 'compensatable', severity: 'warning' },
        { messageId: 'insertSelect', line: 2, class: 'fully-reversible', severity: 'info' },
      ],
    },
    {
      name: 'update, delete, truncate, insert',
      after: {
        'V1__a.sql': [
          "UPDATE users SET plan = 'free';",
          'UPDATE users SET nickname = name WHERE nickname IS NULL;',
          'DELETE FROM sessions WHERE expires_at < now();',
          'TRUNCATE audit_log;',
          'INSERT INTO invoices (id) VALUES (1);',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'updateAll',
          line: 1,
          severity: 'error',
          class: 'non-recoverable-without-restore',
          message: "every row's plan",
        },
        { messageId: 'updateWhere', line: 2, severity: 'warning', message: "rows' nickname" },
        { messageId: 'delete', line: 3, message: 'DELETE FROM sessions (WHERE)' },
        { messageId: 'truncate', line: 4 },
        { messageId: 'insert', line: 5, class: 'compensatable' },
      ],
    },
  ],
});
