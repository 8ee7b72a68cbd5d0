import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './column-type-changed.js';

ruleTable(database, rule, {
  valid: [{ name: 'no type change', after: { 'V1__a.sql': 'ALTER TABLE users ALTER COLUMN a SET DEFAULT 1;' } }],
  invalid: [
    {
      name: 'by the old type the earlier migrations give: widening catalog-only, narrowing and int widening a window, citext an index rebuild',
      before: { 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, total int NOT NULL);' },
      after: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, total int NOT NULL);',
        'prisma/migrations/2_b/migration.sql':
          'ALTER TABLE users ALTER COLUMN name TYPE varchar(500);\nALTER TABLE users ALTER COLUMN name TYPE varchar(50);\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\nALTER TABLE users ALTER COLUMN email TYPE citext;',
      },
      errors: [
        { messageId: 'catalogOnly', line: 1, class: 'fully-reversible', severity: 'info', message: '(was varchar(200))' },
        { messageId: 'narrowed', line: 2, class: 'reversible-with-compatibility-window', message: '(was varchar(500))' },
        { messageId: 'widened', line: 3, class: 'reversible-with-compatibility-window', message: '(was int4)' },
        { messageId: 'indexRebuild', line: 4, class: 'reversible-with-compatibility-window' },
      ],
    },
    {
      name: 'MySQL MODIFY that restates the type of a column added in the same file changes no type (no finding); another type does',
      after: {
        'db/mysql/migrations/2_b/migration.sql':
          'ALTER TABLE `s` ADD COLUMN `u` VARCHAR(36);\nALTER TABLE `s` MODIFY `u` VARCHAR(36) NOT NULL;\nALTER TABLE `s` MODIFY `u` VARCHAR(20) NOT NULL;',
      },
      errors: [{ messageId: 'narrowed', line: 3, message: '(was varchar(36))' }],
    },
    {
      name: 'widening to text',
      after: { 'V1__a.sql': 'ALTER TABLE users ALTER COLUMN name TYPE text;' },
      errors: [{ messageId: 'safe', class: 'fully-reversible', severity: 'info', message: 'users.name TYPE text' }],
    },
    {
      name: 'int to bigint rewrites',
      after: { 'V1__a.sql': 'ALTER TABLE orders ALTER COLUMN total TYPE bigint;' },
      errors: [{ messageId: 'rewrite', class: 'reversible-with-manual-repair', message: 'orders.total TYPE int8' }],
    },
    {
      name: 'USING converts values',
      after: { 'V1__a.sql': 'ALTER TABLE orders ALTER COLUMN price TYPE numeric(10,2) USING price::numeric / 100;' },
      errors: [{ messageId: 'using', class: 'non-recoverable-without-restore', message: 'TYPE numeric(10,2) USING' }],
    },
  ],
});
