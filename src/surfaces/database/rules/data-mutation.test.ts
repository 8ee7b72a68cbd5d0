import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './data-mutation.js';

ruleTable(database, rule, {
  valid: [
    { name: 'DDL only', after: { 'V1__a.sql': 'ALTER TABLE users ADD COLUMN a text;' } },
    {
      name: 'seed rows of a table created in the release',
      after: { 'V1__a.sql': 'CREATE TABLE plans (id int);\nINSERT INTO plans VALUES (1);' },
    },
  ],
  invalid: [
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
