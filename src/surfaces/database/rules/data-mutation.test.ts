import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { editedApplied } from '../testing/edited.js';
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
        'prisma/migrations/3_fill/migration.sql':
          'UPDATE account SET account_uuid = gen_random_uuid() WHERE account_uuid IS NULL;',
      },
    },
    {
      name: 'a fill from another table (UPDATE ... FROM, or a correlated subquery) of a column added earlier in the same migration overwrites nothing',
      after: {
        'prisma/migrations/2_visit/migration.sql': [
          'ALTER TABLE "website_event" ADD COLUMN "visit_id" UUID NULL;',
          'UPDATE "website_event" we SET visit_id = a.uuid FROM (SELECT DISTINCT session_id, gen_random_uuid() uuid FROM "website_event") a WHERE we.session_id = a.session_id;',
          'ALTER TABLE orders ADD COLUMN customer_name text;',
          'UPDATE orders o SET customer_name = (SELECT c.name FROM customers c WHERE c.id = o.customer_id);',
        ].join('\n'),
      },
    },
    {
      name: 'an edit of an applied migration that changes only the fill of the column it adds: on the new databases that run it the column was just added, so the fill overwrites nothing',
      before: {
        'prisma/migrations/5_visit/migration.sql':
          'ALTER TABLE "website_event" ADD COLUMN "visit_id" UUID NULL;\n\nUPDATE "website_event" SET visit_id = gen_random_uuid() WHERE visit_id IS NULL;',
      },
      after: {
        'prisma/migrations/5_visit/migration.sql':
          'ALTER TABLE "website_event" ADD COLUMN "visit_id" UUID NULL;\n\nUPDATE "website_event" we\nSET visit_id = a.uuid\nFROM (SELECT DISTINCT session_id, gen_random_uuid() uuid FROM "website_event") a\nWHERE we.session_id = a.session_id;',
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
      // A database that applied 02 never runs it again; a new one runs the UPDATE and DELETE on the "s" the
      // file just created, which holds at most the file's own seed row. On "accounts" (created by 01) they
      // reach rows users wrote on a database that was never migrated past 01.
      name: 'an edited applied migration: UPDATE and DELETE of a table the same file creates run only on a new database (info); of a table of an earlier migration they overwrite and delete',
      ...editedApplied('UPDATE "s" SET "a" = \'x\';\nDELETE FROM "s" WHERE "c" = \'y\';\nUPDATE "accounts" SET "name" = \'x\';\nDELETE FROM "accounts";\n'),
      errors: [
        { messageId: 'newDatabaseOnly', line: 2, severity: 'info', class: 'fully-reversible', message: 'UPDATE s: runs only on a new database, on s' },
        { messageId: 'newDatabaseOnly', line: 3, severity: 'info', message: 'DELETE FROM s' },
        { messageId: 'updateAll', line: 4 },
        { messageId: 'delete', line: 5 },
      ],
    },
    {
      name: 'an UPDATE before the ADD COLUMN, or one that also sets an old column, still overwrites',
      after: {
        'V2__a.sql':
          "UPDATE users SET nick = 'x';\nALTER TABLE users ADD COLUMN nick text;\nUPDATE users SET nick = name, name = upper(name);",
      },
      errors: [
        { messageId: 'updateAll', line: 1, severity: 'error' },
        { messageId: 'updateAll', line: 3, severity: 'error', message: 'nick, name' },
      ],
    },
    {
      name: 'an UPDATE ... FROM that sets a column the migration did not add overwrites it',
      after: {
        'prisma/migrations/2_visit/migration.sql':
          'ALTER TABLE "website_event" ADD COLUMN "visit_id" UUID NULL;\nUPDATE "website_event" we SET session_id = a.id FROM "session" a WHERE we.session_id = a.old_id;',
      },
      errors: [{ messageId: 'updateWhere', line: 2, severity: 'warning', message: 'session_id' }],
    },
    {
      name: 'a fill of empty values, and a backfill of the rows a WHERE picks by other columns, computed from other columns of the same rows, are info; the same computation over every row overwrites',
      after: {
        'prisma/migrations/2_fill/migration.sql': [
          'UPDATE users SET nickname = name WHERE nickname IS NULL;',
          "UPDATE users SET nickname = name WHERE nickname IS NULL OR nickname = '' ;",
          'UPDATE event_data SET string_value = number_value WHERE data_type = 2;',
          "UPDATE event_data SET string_value = CONCAT(REPLACE(TO_CHAR(date_value, 'YYYY-MM-DD HH24:MI:SS'), ' ', 'T'), 'Z') WHERE data_type = 4;",
          'UPDATE orders SET total = price * quantity;',
        ].join('\n'),
      },
      errors: [
        { messageId: 'updateFillsEmpty', line: 1, severity: 'info', class: 'fully-reversible' },
        { messageId: 'updateFillsEmpty', line: 2, severity: 'info' },
        {
          messageId: 'updateDerived',
          line: 3,
          severity: 'info',
          class: 'fully-reversible',
          message: 'sets string_value from number_value of the same rows',
        },
        { messageId: 'updateDerived', line: 4, severity: 'info', message: 'from date_value' },
        {
          messageId: 'updateAll',
          line: 5,
          severity: 'error',
          class: 'non-recoverable-without-restore',
          message: "every row's total",
        },
      ],
    },
    {
      name: 'MySQL: the same backfill from a sibling column is info; a constant or a transform of the column itself overwrites',
      after: {
        'db/mysql/migrations/2_fill/migration.sql': [
          "UPDATE `event_data` SET `string_value` = CONCAT(REPLACE(DATE_FORMAT(`date_value`, '%Y-%m-%d %T'), ' ', 'T'), 'Z') WHERE `data_type` = 4;",
          'UPDATE `users` SET `email` = LOWER(`email`) WHERE `id` > 0;',
          "UPDATE `users` SET `plan` = 'free' WHERE `plan` = 'trial';",
        ].join('\n'),
      },
      errors: [
        { messageId: 'updateDerived', line: 1, severity: 'info', message: 'from date_value' },
        { messageId: 'updateWhere', line: 2, severity: 'warning', class: 'non-recoverable-without-restore' },
        { messageId: 'updateWhere', line: 3, severity: 'warning' },
      ],
    },
    {
      name: 'values from another table, a subquery, a transform of the column, or a WHERE that picks rows by the values it replaces overwrite',
      after: {
        'V3__a.sql': [
          'UPDATE users SET email = lower(email);',
          'UPDATE users SET plan = p.name FROM plans p WHERE p.id = users.plan_id;',
          'UPDATE users SET score = (SELECT max(score) FROM scores);',
          'UPDATE users SET nickname = name WHERE nickname IS NOT NULL;',
          'UPDATE users SET nickname = name, bio = NULL WHERE nickname IS NULL;',
        ].join('\n'),
      },
      errors: [
        { messageId: 'updateAll', line: 1, severity: 'error', message: "every row's email" },
        { messageId: 'updateWhere', line: 2, severity: 'warning' },
        { messageId: 'updateAll', line: 3, severity: 'error' },
        { messageId: 'updateWhere', line: 4, severity: 'warning', class: 'non-recoverable-without-restore' },
        { messageId: 'updateWhere', line: 5, severity: 'warning', message: 'nickname, bio' },
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
      name: 'seed rows added to an edited migration that creates their table (the CREATE TABLE unchanged) are info; an INSERT into a table an earlier migration created, or before its CREATE TABLE, is compensatable',
      before: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE role (role_id uuid PRIMARY KEY, name text);\nCREATE TABLE account (id int);',
      },
      after: {
        'prisma/migrations/01_init/migration.sql': [
          'CREATE TABLE role (role_id uuid PRIMARY KEY, name text);',
          'CREATE TABLE account (id int);',
          "INSERT INTO role (role_id, name) VALUES (gen_random_uuid(), 'admin');",
          "INSERT INTO public.role (role_id, name) VALUES (gen_random_uuid(), 'user');",
          'INSERT INTO plan (id) VALUES (1);',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'insertSeed',
          line: 3,
          severity: 'info',
          class: 'fully-reversible',
          message: 'this migration creates (line 1)',
        },
        { messageId: 'insertSeed', line: 4, severity: 'info' },
        { messageId: 'insert', line: 5, severity: 'warning', class: 'compensatable' },
      ],
    },
    {
      name: 'an INSERT placed before the CREATE TABLE of its table in an edited migration is still compensatable',
      before: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE role (id int);' },
      after: {
        'prisma/migrations/01_init/migration.sql': 'INSERT INTO role (id) VALUES (1);\nCREATE TABLE role (id int);',
      },
      errors: [{ messageId: 'insert', line: 1, severity: 'warning', class: 'compensatable' }],
    },
    {
      name: 'update, delete, truncate, insert',
      after: {
        'V1__a.sql': [
          "UPDATE users SET plan = 'free';",
          "UPDATE users SET nickname = 'anon' WHERE created_at < '2020-01-01';",
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
