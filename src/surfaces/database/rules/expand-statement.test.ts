import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './expand-statement.js';

const up = (sql: string) => ({ 'db/migrations/000003_x.up.sql': sql, 'db/migrations/000003_x.down.sql': 'SELECT 1;' });

ruleTable(database, rule, {
  valid: [
    {
      name: 'a table created in place of one renamed away is a swap (database/rename), not an expand',
      after: { 'V2__swap.sql': 'ALTER TABLE event RENAME TO event_old;\nCREATE TABLE event (id bigint PRIMARY KEY);' },
    },
    { name: 'drop is not an expand', after: up('ALTER TABLE users DROP COLUMN email;') },
    {
      name: 'NOT NULL column without default is not an expand',
      after: up('ALTER TABLE users ADD COLUMN n int NOT NULL;'),
    },
    { name: 'non-concurrent index is reported by locking-statement', after: up('CREATE INDEX i ON users (a);') },
    {
      name: 'a CREATE TABLE of an edited applied migration with a column removed: the table is not new (every database that applied the old text has it)',
      before: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE event (id uuid PRIMARY KEY, event_data jsonb);\nCREATE INDEX event_id_idx ON event (id);\n' },
      after: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE event (id uuid PRIMARY KEY);\nCREATE INDEX event_id_idx ON event (id);\n' },
    },
  ],
  invalid: [
    {
      name: 'each kind of expand',
      after: up(
        [
          'CREATE TABLE coupons (id bigint PRIMARY KEY);',
          'ALTER TABLE users ADD COLUMN nickname text;',
          "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
          'CREATE INDEX CONCURRENTLY users_nick ON users (nickname);',
          'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
          'CREATE VIEW active_users AS SELECT * FROM users;',
          "CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1';",
          "CREATE TYPE mood AS ENUM ('ok');",
        ].join('\n'),
      ),
      errors: [
        {
          messageId: 'createTable',
          line: 1,
          class: 'fully-reversible',
          message: 'CREATE TABLE coupons',
        },
        { messageId: 'addColumn', line: 2, message: 'ADD COLUMN users.nickname (text, nullable)' },
        { messageId: 'addColumnDefault', line: 3, message: 'ADD COLUMN users.plan (text) with a constant default' },
        { messageId: 'createIndexConcurrently', line: 4, message: 'CREATE INDEX CONCURRENTLY users_nick on users' },
        { messageId: 'addConstraintNotValid', line: 5, message: 'constraint orders_user_fk on orders added NOT VALID' },
        { messageId: 'createView', line: 6 },
        { messageId: 'createFunction', line: 7, message: 'CREATE FUNCTION one' },
        { messageId: 'createType', line: 8, message: 'CREATE TYPE mood' },
      ],
    },
  ],
});
