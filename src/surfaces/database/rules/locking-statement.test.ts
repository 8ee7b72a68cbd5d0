import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { editedApplied } from '../testing/edited.js';
import rule from './locking-statement.js';

ruleTable(database, rule, {
  valid: [
    {
      // Databases that applied 02 never run it again; a new database adds and fills the column inside the
      // transaction that just created the table: nobody else sees the table, let alone waits on it.
      name: 'an edited applied migration: ADD COLUMN and backfill of a table the same file creates hold no lock anyone waits on',
      ...editedApplied('ALTER TABLE "s" ADD COLUMN "e" INT;\nUPDATE "s" SET "e" = 1;\n'),
    },
    {
      name: 'MySQL: InnoDB builds a secondary index online (no PostgreSQL lock rule)',
      after: { 'db/mysql/migrations/2_idx/migration.sql': 'CREATE INDEX `session_created_idx` ON `session`(`created_at`);' },
    },
    { name: 'concurrent index', after: { 'V1__a.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);' } },
    { name: 'index on a new table', after: { 'V1__a.sql': 'CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);' } },
    { name: 'constant default', after: { 'V1__a.sql': 'ALTER TABLE t ADD COLUMN a int DEFAULT 0;' } },
    {
      // Databases that applied the folder built the index in 02 and do not run 01 again; a new database
      // builds it in its first migration, on the table that migration just created.
      name: 'a later migration folded into the applied first one and deleted: its CREATE INDEX never runs on a table with rows',
      before: {
        'prisma/migrations/01_init/migration.sql': 'CREATE TABLE "website" ("website_id" UUID NOT NULL, "user_id" UUID, CONSTRAINT "website_pkey" PRIMARY KEY ("website_id"));\n',
        'prisma/migrations/02_index/migration.sql': 'CREATE INDEX "website_user_id_idx" ON "website"("user_id");\n',
      },
      after: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE "website" ("website_id" UUID NOT NULL, "user_id" UUID, CONSTRAINT "website_pkey" PRIMARY KEY ("website_id"));\n\n-- CreateIndex\nCREATE INDEX "website_user_id_idx" ON "website"("user_id");\n',
      },
    },
  ],
  invalid: [
    {
      // Prisma records applied migrations by folder name; `migrate deploy` runs only pending ones: the index
      // builds and the rewrite on "s" (created by this file, its columns edited) run only on a new database,
      // right after the CREATE TABLE. The index on "accounts", an earlier migration's table, is no such statement.
      name: 'an edited applied migration: an index or a rewrite on a table the same file creates runs only on a new database (info); an index on a table of an earlier migration still makes writes wait',
      ...editedApplied('CREATE UNIQUE INDEX "s_c_key" ON "s"("c");\nCREATE INDEX "s_a_idx" ON "s"("a");\nALTER TABLE "s" ADD COLUMN "k" UUID DEFAULT gen_random_uuid();\nCREATE INDEX "accounts_name_idx" ON "accounts"("name");\n'),
      errors: [
        { messageId: 'newDatabaseOnly', line: 2, severity: 'info', class: 'fully-reversible', message: 'CREATE INDEX s_c_key: runs only on a new database, on s, a table this file creates (line 1)' },
        { messageId: 'newDatabaseOnly', line: 3, severity: 'info' },
        { messageId: 'newDatabaseOnly', line: 4, severity: 'info', message: 'ADD COLUMN s.k' },
        { messageId: 'createIndex', line: 5, severity: 'warning', message: 'writes to accounts wait' },
      ],
    },
    {
      name: 'the same statements in a new migration on a table an earlier migration created: warnings',
      before: { 'prisma/migrations/02_init/migration.sql': 'CREATE TABLE "session" ("id" UUID PRIMARY KEY, "host" TEXT);\n' },
      after: {
        'prisma/migrations/02_init/migration.sql': 'CREATE TABLE "session" ("id" UUID PRIMARY KEY, "host" TEXT);\n',
        'prisma/migrations/03_idx/migration.sql': 'CREATE INDEX "session_host_idx" ON "session"("host");\nALTER TABLE "session" ADD COLUMN "k" UUID DEFAULT gen_random_uuid();\n',
      },
      errors: [
        { messageId: 'createIndex', line: 1, severity: 'warning' },
        { messageId: 'rewrite', line: 2, severity: 'warning' },
      ],
    },
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
      name: 'an index one of whose columns the same migration drops (leading or later, before or after the DROP INDEX) goes with the column: info; an index none of whose columns go, or whose column of that name is on another table, is a drop of its own',
      before: { 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, shop_id bigint, total int NOT NULL);\nCREATE INDEX orders_user_idx ON orders (user_id);\nCREATE INDEX orders_shop_total_idx ON orders (shop_id, total);\nCREATE INDEX orders_total_shop_idx ON orders (total, shop_id);\nCREATE INDEX orders_total_idx ON orders (total);\nCREATE TABLE items (id bigint PRIMARY KEY, shop_id bigint, total int);\nCREATE INDEX items_total_shop_idx ON items (total, shop_id);' },
      after: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, shop_id bigint, total int NOT NULL);\nCREATE INDEX orders_user_idx ON orders (user_id);\nCREATE INDEX orders_shop_total_idx ON orders (shop_id, total);\nCREATE INDEX orders_total_shop_idx ON orders (total, shop_id);\nCREATE INDEX orders_total_idx ON orders (total);\nCREATE TABLE items (id bigint PRIMARY KEY, shop_id bigint, total int);\nCREATE INDEX items_total_shop_idx ON items (total, shop_id);',
        'prisma/migrations/2_b/migration.sql': 'DROP INDEX orders_user_idx;\nALTER TABLE orders DROP COLUMN user_id;\nALTER TABLE orders DROP COLUMN shop_id;\nDROP INDEX IF EXISTS orders_shop_total_idx;\nDROP INDEX IF EXISTS orders_total_shop_idx;\nDROP INDEX orders_total_idx;\nDROP INDEX items_total_shop_idx;',
      },
      errors: [
        { messageId: 'dropIndexWithColumn', line: 1, severity: 'info', class: 'fully-reversible', message: 'one of its columns goes in this migration (DROP COLUMN orders.user_id at line 2)' },
        { messageId: 'dropIndexWithColumn', line: 4, severity: 'info', message: 'DROP COLUMN orders.shop_id at line 3' },
        { messageId: 'dropIndexWithColumn', line: 5, severity: 'info', message: 'DROP COLUMN orders.shop_id at line 3' },
        { messageId: 'dropIndex', line: 6, severity: 'warning' },
        { messageId: 'dropIndex', line: 7, severity: 'warning' },
      ],
    },
    {
      name: 'an index whose later column the same migration drops after the DROP INDEX, read from its default name (the lookups move to the table the column was copied to, indexed there): info',
      before: {
        'db/postgresql/migrations/01_init/migration.sql':
          'CREATE TABLE "session" ("session_id" UUID PRIMARY KEY, "website_id" UUID NOT NULL, "hostname" VARCHAR(100), "created_at" TIMESTAMPTZ(6));\nCREATE TABLE "website_event" ("event_id" UUID PRIMARY KEY, "website_id" UUID NOT NULL, "created_at" TIMESTAMPTZ(6));',
      },
      after: {
        'db/postgresql/migrations/01_init/migration.sql':
          'CREATE TABLE "session" ("session_id" UUID PRIMARY KEY, "website_id" UUID NOT NULL, "hostname" VARCHAR(100), "created_at" TIMESTAMPTZ(6));\nCREATE TABLE "website_event" ("event_id" UUID PRIMARY KEY, "website_id" UUID NOT NULL, "created_at" TIMESTAMPTZ(6));',
        'db/postgresql/migrations/09_update_hostname_region/migration.sql': [
          'ALTER TABLE "website_event" ADD COLUMN "hostname" VARCHAR(100);',
          'DROP INDEX IF EXISTS "session_website_id_created_at_hostname_idx";',
          'ALTER TABLE "session" DROP COLUMN "hostname";',
          'CREATE INDEX CONCURRENTLY "website_event_website_id_created_at_hostname_idx" ON "website_event"("website_id", "created_at", "hostname");',
          'DROP INDEX "session_website_id_created_at_idx";',
        ].join('\n'),
      },
      errors: [
        { messageId: 'dropIndexWithColumn', line: 2, severity: 'info', class: 'fully-reversible', message: 'DROP INDEX session_website_id_created_at_hostname_idx: one of its columns goes in this migration (DROP COLUMN session.hostname at line 3)' },
        { messageId: 'dropIndex', line: 5, severity: 'warning' },
      ],
    },
    {
      name: 'index columns read from the default name when no migration shows the index: dropped with its column; built again on the renamed column',
      after: {
        'db/postgresql/migrations/02_update_role/migration.sql': [
          'DROP INDEX "user_role_role_id_user_id_key";',
          'ALTER TABLE "user_role" DROP COLUMN "role_id",',
          'ADD COLUMN "role" VARCHAR(100) NOT NULL;',
          'CREATE UNIQUE INDEX "user_role_role_user_id_key" ON "user_role"("role", "user_id");',
        ].join('\n'),
        'db/postgresql/migrations/03_data_key/migration.sql': [
          'DROP INDEX IF EXISTS "event_data_website_id_created_at_event_key_idx";',
          'ALTER TABLE "event_data" RENAME COLUMN "event_key" TO "data_key";',
          'CREATE INDEX "event_data_website_id_created_at_data_key_idx" ON "event_data"("website_id", "created_at", "data_key");',
          'DROP INDEX "event_data_website_id_idx";',
          'CREATE UNIQUE INDEX "event_data_website_id_key" ON "event_data"("website_id");',
        ].join('\n'),
      },
      errors: [
        { messageId: 'dropIndexWithColumn', file: 'db/postgresql/migrations/02_update_role/migration.sql', line: 1, message: 'DROP COLUMN user_role.role_id at line 2' },
        { messageId: 'createIndex', file: 'db/postgresql/migrations/02_update_role/migration.sql', line: 4 },
        { messageId: 'heldLock', file: 'db/postgresql/migrations/02_update_role/migration.sql', line: 4 },
        {
          messageId: 'dropIndexRebuilt',
          file: 'db/postgresql/migrations/03_data_key/migration.sql',
          line: 1,
          severity: 'info',
          message: 'built again on the same columns in this migration (CREATE INDEX event_data_website_id_created_at_data_key_idx at line 3)',
        },
        { messageId: 'createIndex', file: 'db/postgresql/migrations/03_data_key/migration.sql', line: 3 },
        { messageId: 'heldLock', file: 'db/postgresql/migrations/03_data_key/migration.sql', line: 3 },
        { messageId: 'dropIndex', file: 'db/postgresql/migrations/03_data_key/migration.sql', line: 4, severity: 'warning' },
        { messageId: 'createIndex', file: 'db/postgresql/migrations/03_data_key/migration.sql', line: 5 },
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
