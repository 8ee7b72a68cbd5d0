import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './locking-statement.js';

ruleTable(database, rule, {
  valid: [
    {
      name: 'MySQL: InnoDB builds a secondary index online (no PostgreSQL lock rule)',
      after: { 'db/mysql/migrations/2_idx/migration.sql': 'CREATE INDEX `session_created_idx` ON `session`(`created_at`);' },
    },
    {
      name: 'the index of a column dropped in the same file goes with the column',
      before: { 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL, status text NOT NULL DEFAULT 1);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total int NOT NULL);\nCREATE UNIQUE INDEX orders_id_key ON orders (id);\nCREATE INDEX orders_user_idx ON orders (user_id);' },
      after: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL, status text NOT NULL DEFAULT 1);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total int NOT NULL);\nCREATE UNIQUE INDEX orders_id_key ON orders (id);\nCREATE INDEX orders_user_idx ON orders (user_id);',
        'prisma/migrations/2_b/migration.sql': 'DROP INDEX orders_user_idx;\nALTER TABLE orders DROP COLUMN user_id;',
      },
    },
    { name: 'concurrent index', after: { 'V1__a.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);' } },
    { name: 'index on a new table', after: { 'V1__a.sql': 'CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);' } },
    { name: 'constant default', after: { 'V1__a.sql': 'ALTER TABLE t ADD COLUMN a int DEFAULT 0;' } },
  ],
  invalid: [
    {
      name: 'a unique index that duplicates the primary key is redundant: info',
      before: { 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL, status text NOT NULL DEFAULT 1);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total int NOT NULL);\nCREATE UNIQUE INDEX orders_id_key ON orders (id);\nCREATE INDEX orders_user_idx ON orders (user_id);' },
      after: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL, status text NOT NULL DEFAULT 1);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total int NOT NULL);\nCREATE UNIQUE INDEX orders_id_key ON orders (id);\nCREATE INDEX orders_user_idx ON orders (user_id);',
        'prisma/migrations/17_dup/migration.sql': 'DROP INDEX orders_id_key;\nDROP INDEX orders_user_idx;',
      },
      errors: [
        { messageId: 'dropRedundantIndex', line: 1, severity: 'info', message: 'redundant with orders_pkey' },
        { messageId: 'dropIndex', line: 2, severity: 'warning' },
      ],
    },
    {
      name: 'one transaction: ADD COLUMN then a backfill keeps ACCESS EXCLUSIVE; ADD FK NOT VALID then VALIDATE keeps SHARE ROW EXCLUSIVE',
      after: {
        'prisma/migrations/2_a/migration.sql':
          'ALTER TABLE orders ADD COLUMN total_eur numeric;\nUPDATE orders SET total_eur = total / 100.0;',
        'prisma/migrations/3_b/migration.sql':
          'ALTER TABLE payments ADD CONSTRAINT p_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE payments VALIDATE CONSTRAINT p_fk;',
      },
      errors: [
        {
          messageId: 'heldLock',
          file: 'prisma/migrations/2_a/migration.sql',
          line: 2,
          class: 'fully-reversible',
          message: 'UPDATE orders runs in the same transaction as ADD COLUMN orders.total_eur (ACCESS EXCLUSIVE on orders, line 1)',
        },
        { messageId: 'heldLock', file: 'prisma/migrations/3_b/migration.sql', line: 2, message: 'SHARE ROW EXCLUSIVE on payments' },
      ],
    },
    {
      name: 'index, volatile default, drop index',
      after: {
        'V1__a.sql':
          'CREATE INDEX orders_user ON orders (user_id);\nALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\nDROP INDEX orders_old;\nDROP INDEX CONCURRENTLY orders_older;',
      },
      errors: [
        {
          messageId: 'createIndex',
          line: 1,
          class: 'fully-reversible',
          severity: 'warning',
          message: 'CREATE INDEX orders_user on orders',
        },
        { messageId: 'rewrite', line: 2 },
        { messageId: 'dropIndex', line: 3, message: 'orders_old' },
        { messageId: 'dropIndexConcurrently', line: 4, severity: 'info' },
      ],
    },
  ],
});
