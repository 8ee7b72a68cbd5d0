import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './migration-edited.js';

const OLD = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';

ruleTable(database, rule, {
  valid: [
    {
      name: 'a new migration is not an edit',
      after: { 'prisma/migrations/2_b/migration.sql': 'CREATE TABLE c (id int);' },
    },
  ],
  invalid: [
    {
      name: 'an applied migration gains a statement: only that statement is new',
      before: { 'prisma/migrations/1_init/migration.sql': OLD },
      after: { 'prisma/migrations/1_init/migration.sql': OLD + "INSERT INTO a (id) VALUES (1);\n" },
      errors: [
        {
          messageId: 'edited',
          severity: 'warning',
          class: 'fully-reversible',
          message: 'prisma/migrations/1_init/migration.sql existed before this change (as prisma/migrations/1_init/migration.sql) and is edited: databases that applied it do not run it again, so its 1 added',
        },
      ],
    },
    {
      name: 'table options only (formatting): info',
      before: { 'db/mysql/migrations/1_init/migration.sql': 'CREATE TABLE `a` (`id` INT);\n' },
      after: { 'db/mysql/migrations/1_init/migration.sql': 'CREATE TABLE  `a`  (`id` INT);\n' },
      errors: [{ messageId: 'editedNothingNew', severity: 'info' }],
    },
  ],
});
