import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './contract-statement.js';

ruleTable(database, rule, {
  valid: [
    { name: 'add column', after: { 'V2__a.sql': 'ALTER TABLE users ADD COLUMN a text;' } },
    {
      name: 'a drop in a down migration is not the change',
      after: {
        'm/2_a.up.sql': 'ALTER TABLE users ADD COLUMN a text;',
        'm/2_a.down.sql': 'ALTER TABLE users DROP COLUMN a;',
      },
    },
  ],
  invalid: [
    {
      name: 'drop column names the column and what the old version sees',
      after: { 'db/migrations/000005_drop_email.up.sql': '-- contract\nALTER TABLE public.users DROP COLUMN email;\n' },
      errors: [
        {
          messageId: 'dropColumn',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 2,
          message:
            "DROP COLUMN public.users.email: its data is destroyed; the running version still selects email and fails with 'column does not exist' until it is replaced",
        },
      ],
    },
    {
      name: 'drop table, constraint, type, view (flyway)',
      after: {
        'sql/V9__cleanup.sql':
          'DROP TABLE legacy_orders, legacy_items;\nALTER TABLE users DROP CONSTRAINT users_age_check;\nDROP TYPE mood;\nDROP VIEW active_users;\n',
      },
      errors: [
        { messageId: 'dropTable', line: 1, message: 'DROP TABLE legacy_items' },
        { messageId: 'dropTable', line: 1, message: 'DROP TABLE legacy_orders' },
        { messageId: 'dropConstraint', line: 2, class: 'reversible-with-manual-repair' },
        { messageId: 'dropType', line: 3 },
        { messageId: 'dropView', line: 4 },
      ],
    },
  ],
});
