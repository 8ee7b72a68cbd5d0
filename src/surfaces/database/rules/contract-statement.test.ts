import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { editedApplied } from '../testing/edited.js';
import { MYSQL_CASCADING_KEYS } from '../testing/mysql.js';
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
    {
      name: 'an edited applied migration whose edit only removed the ADD COLUMN after a drop: the drop ran before (applied databases run nothing, new ones drop it as they did)',
      before: { 'prisma/migrations/07_remove_user_id/migration.sql': 'ALTER TABLE "team" DROP COLUMN "user_id";\nALTER TABLE "team_website" DROP COLUMN "user_id",\nADD COLUMN "userId" UUID;\n' },
      after: { 'prisma/migrations/07_remove_user_id/migration.sql': 'ALTER TABLE "team" DROP COLUMN "user_id";\nALTER TABLE "team_website" DROP COLUMN "user_id";\n' },
    },
  ],
  invalid: [
    {
      // A database that applied 02 never runs it again (the framework records it by id); a new one runs it
      // right after the CREATE TABLE of "s", on an empty table. "accounts" comes from 01: not the same case.
      name: 'an edited applied migration: a column dropped from a table the same file creates runs only on a new database (info); one dropped from a table of an earlier migration destroys its data',
      ...editedApplied('ALTER TABLE "s" DROP COLUMN "c";\nALTER TABLE "accounts" DROP COLUMN "name";\n'),
      errors: [
        { messageId: 'newDatabaseOnly', line: 2, severity: 'info', class: 'fully-reversible', message: 'DROP COLUMN s.c: runs only on a new database' },
        { messageId: 'dropColumn', line: 3, severity: 'error' },
      ],
    },
    {
      name: 'a column of a table created by another migration of the same change was never released',
      after: {
        'prisma/migrations/16_boards/migration.sql': 'CREATE TABLE board (id uuid PRIMARY KEY, slug text);',
        'prisma/migrations/19_replay/migration.sql': 'ALTER TABLE board DROP COLUMN slug;',
      },
      errors: [{ messageId: 'dropUnreleased', file: 'prisma/migrations/19_replay/migration.sql', message: 'created by prisma/migrations/16_boards/migration.sql:1' }],
    },
    {
      name: 'columns dropped in the ALTER TABLE that adds a NOT NULL column without a default: the statement fails on any row, so they destroy nothing; a drop in a statement of its own, or on MySQL (which fills the implicit default), still does',
      before: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE website_event (id uuid PRIMARY KEY, url text, referrer text, tag text, page text);',
        'db/mysql/migrations/01_init/migration.sql': 'CREATE TABLE `website_event` (`id` VARCHAR(36) PRIMARY KEY, `url` TEXT);',
      },
      after: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE website_event (id uuid PRIMARY KEY, url text, referrer text, tag text, page text);',
        'db/mysql/migrations/01_init/migration.sql': 'CREATE TABLE `website_event` (`id` VARCHAR(36) PRIMARY KEY, `url` TEXT);',
        'db/postgresql/migrations/02_split/migration.sql': [
          'ALTER TABLE "website_event" DROP COLUMN "referrer",',
          'DROP COLUMN "url",',
          'ADD COLUMN "url_path" VARCHAR(500) NOT NULL;',
          'ALTER TABLE "website_event" DROP COLUMN "tag";',
          'ALTER TABLE "website_event" DROP COLUMN "page", ADD COLUMN "host" text NOT NULL DEFAULT \'\';',
        ].join('\n'),
        'db/mysql/migrations/02_split/migration.sql': 'ALTER TABLE `website_event` DROP COLUMN `url`, ADD COLUMN `url_path` VARCHAR(500) NOT NULL;',
      },
      errors: [
        { messageId: 'dropColumn', file: 'db/mysql/migrations/02_split/migration.sql', line: 1, severity: 'error' },
        {
          messageId: 'dropInFailingStatement',
          file: 'db/postgresql/migrations/02_split/migration.sql',
          line: 1,
          severity: 'info',
          class: 'fully-reversible',
          message: 'DROP COLUMN website_event.referrer: in the same ALTER TABLE as ADD COLUMN website_event.url_path NOT NULL without a default',
        },
        { messageId: 'dropInFailingStatement', file: 'db/postgresql/migrations/02_split/migration.sql', line: 1, message: 'DROP COLUMN website_event.url:' },
        { messageId: 'dropColumn', file: 'db/postgresql/migrations/02_split/migration.sql', line: 4, severity: 'error', message: 'website_event.tag' },
        { messageId: 'dropColumn', file: 'db/postgresql/migrations/02_split/migration.sql', line: 5, severity: 'error', message: 'website_event.page' },
      ],
    },
    {
      name: 'an edited applied migration whose changed statement drops another column: that drop is new',
      before: { 'prisma/migrations/07_remove_user_id/migration.sql': 'ALTER TABLE "team_website" DROP COLUMN "user_id",\nADD COLUMN "userId" UUID;\n' },
      after: { 'prisma/migrations/07_remove_user_id/migration.sql': 'ALTER TABLE "team_website" DROP COLUMN "user_id",\nDROP COLUMN "team_id";\n' },
      errors: [{ messageId: 'dropColumn', line: 1, message: 'DROP COLUMN team_website.team_id' }],
    },
    {
      name: 'a foreign key replaced by another on the same table (add NOT VALID, validate, drop the old)',
      after: {
        'prisma/migrations/2_fk/migration.sql':
          'ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey2 FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey2;\nALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;',
      },
      errors: [
        {
          messageId: 'constraintReplaced',
          line: 3,
          class: 'fully-reversible',
          severity: 'info',
          message: 'replaced in this migration (ADD CONSTRAINT orders_user_id_fkey2 (foreign key) at line 1)',
        },
      ],
    },
    {
      name: 'foreign keys dropped and added again in the same migration (same name, or unnamed at first): each paired with its own re-add',
      unchanged: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE website (website_id uuid PRIMARY KEY);\nCREATE TABLE session (session_id uuid PRIMARY KEY, website_id uuid);\nCREATE TABLE event (event_id uuid PRIMARY KEY, session_id uuid, website_id uuid);\nALTER TABLE "event" ADD FOREIGN KEY ("session_id") REFERENCES "session"("session_id") ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE "event" ADD FOREIGN KEY ("website_id") REFERENCES "website"("website_id") ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE session ADD CONSTRAINT session_website_id_fkey FOREIGN KEY (website_id) REFERENCES website (website_id);',
      },
      after: {
        'prisma/migrations/02_upgrade/migration.sql': [
          'ALTER TABLE "event" DROP CONSTRAINT "event_session_id_fkey";',
          'ALTER TABLE "event" DROP CONSTRAINT "event_website_id_fkey";',
          'ALTER TABLE "session" DROP CONSTRAINT "session_website_id_fkey";',
          'ALTER TABLE "event" ADD CONSTRAINT "event_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("session_id") ON DELETE CASCADE ON UPDATE NO ACTION;',
          'ALTER TABLE "event" ADD CONSTRAINT "event_website_id_fkey" FOREIGN KEY ("website_id") REFERENCES "website"("website_id") ON DELETE CASCADE ON UPDATE NO ACTION;',
          'ALTER TABLE "session" ADD CONSTRAINT "session_website_id_fkey" FOREIGN KEY ("website_id") REFERENCES "website"("website_id") ON DELETE CASCADE;',
        ].join('\n'),
      },
      errors: [
        { messageId: 'constraintReplaced', line: 1, severity: 'info', message: 'added again as ADD CONSTRAINT event_session_id_fkey at line 4' },
        { messageId: 'constraintReplaced', line: 2, severity: 'info', message: 'added again as ADD CONSTRAINT event_website_id_fkey at line 5' },
        { messageId: 'constraintReplaced', line: 3, severity: 'info', class: 'fully-reversible', message: 'at line 6' },
      ],
    },
    {
      name: 'primary keys and a unique constraint dropped and added again on the same columns (to retype them): replaced, in one ALTER TABLE or two',
      unchanged: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE account (user_id serial PRIMARY KEY, email text);\nCREATE TABLE website (website_id serial, user_id int, CONSTRAINT website_pkey PRIMARY KEY (website_id));\nALTER TABLE account ADD CONSTRAINT account_email_key UNIQUE (email);',
      },
      after: {
        'prisma/migrations/02_big_int/migration.sql': [
          'ALTER TABLE "account" DROP CONSTRAINT "account_pkey",',
          'ALTER COLUMN "user_id" SET DATA TYPE BIGINT,',
          'ADD CONSTRAINT "account_pkey" PRIMARY KEY ("user_id");',
          'ALTER TABLE "website" DROP CONSTRAINT "website_pkey";',
          'ALTER TABLE "website" ADD CONSTRAINT "website_pkey" PRIMARY KEY ("website_id");',
          'ALTER TABLE account DROP CONSTRAINT account_email_key, ADD CONSTRAINT account_email_key UNIQUE (email);',
        ].join('\n'),
      },
      errors: [
        { messageId: 'constraintReplaced', line: 1, severity: 'info', class: 'fully-reversible', message: 'added again as ADD CONSTRAINT account_pkey (primary key) on the same columns at line 1' },
        { messageId: 'constraintReplaced', line: 4, severity: 'info', message: 'ADD CONSTRAINT website_pkey (primary key) on the same columns at line 5' },
        { messageId: 'constraintReplaced', line: 6, severity: 'info', message: 'ADD CONSTRAINT account_email_key (unique) on the same columns at line 6' },
      ],
    },
    {
      name: 'a primary key added again on other columns, or a unique constraint made the primary key, is no re-add: the old key is lost',
      unchanged: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE account (user_id int PRIMARY KEY, email text, tenant int);\nCREATE TABLE site (id int, code text);\nALTER TABLE site ADD CONSTRAINT site_code_key UNIQUE (code);',
      },
      after: {
        'prisma/migrations/02_b/migration.sql':
          'ALTER TABLE account DROP CONSTRAINT account_pkey, ADD CONSTRAINT account_pkey PRIMARY KEY (user_id, tenant);\nALTER TABLE site DROP CONSTRAINT site_code_key, ADD CONSTRAINT site_code_key PRIMARY KEY (id);',
      },
      errors: [
        { messageId: 'dropConstraint', line: 1, class: 'reversible-with-manual-repair' },
        { messageId: 'dropConstraint', line: 2, class: 'reversible-with-manual-repair' },
      ],
    },
    {
      name: 'a foreign key dropped and another added on other columns is not its re-add: the drop stays a contract',
      unchanged: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE website (website_id uuid PRIMARY KEY);\nCREATE TABLE session (session_id uuid PRIMARY KEY);\nCREATE TABLE event (event_id uuid PRIMARY KEY, session_id uuid, website_id uuid);\nALTER TABLE event ADD CONSTRAINT event_session_id_fkey FOREIGN KEY (session_id) REFERENCES session (session_id);',
      },
      after: {
        'prisma/migrations/02_b/migration.sql':
          'ALTER TABLE event DROP CONSTRAINT event_session_id_fkey;\nALTER TABLE event ADD CONSTRAINT event_website_id_fkey FOREIGN KEY (website_id) REFERENCES website (website_id);',
      },
      errors: [{ messageId: 'dropConstraint', line: 1, class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'foreign keys dropped before their table, their column, or the table they reference: part of those drops',
      unchanged: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE role (id uuid PRIMARY KEY);\nCREATE TABLE grp (id uuid PRIMARY KEY);\nCREATE TABLE team_user (id uuid PRIMARY KEY, role_id uuid, team_id uuid);\nCREATE TABLE group_role (group_id uuid, role_id uuid);\nALTER TABLE team_user ADD CONSTRAINT tu_role FOREIGN KEY (role_id) REFERENCES role (id);\nALTER TABLE team_user ADD CONSTRAINT tu_team FOREIGN KEY (team_id) REFERENCES grp (id);',
      },
      after: {
        'prisma/migrations/02_roles/migration.sql':
          'ALTER TABLE group_role DROP CONSTRAINT group_role_group_id_fkey;\nALTER TABLE team_user DROP CONSTRAINT tu_role;\nALTER TABLE team_user DROP CONSTRAINT team_user_team_id_fkey;\nALTER TABLE team_user DROP CONSTRAINT tu_team;\nALTER TABLE team_user ADD COLUMN role text;\nALTER TABLE team_user DROP COLUMN role_id;\nDROP TABLE group_role;\nDROP TABLE grp;',
      },
      errors: [
        { messageId: 'constraintDroppedWith', line: 1, class: 'fully-reversible', severity: 'info', message: 'part of DROP TABLE group_role at line 7' },
        { messageId: 'constraintDroppedWith', line: 2, severity: 'info', message: 'part of DROP COLUMN team_user.role_id at line 6' },
        // Named by PostgreSQL's default on a column that is kept: a contract of its own.
        { messageId: 'dropConstraint', line: 3, severity: 'warning' },
        { messageId: 'constraintDroppedWith', line: 4, severity: 'info', message: 'DROP TABLE grp at line 8, the table it references' },
        { messageId: 'dropColumn', line: 6 },
        { messageId: 'dropTable', line: 7 },
        { messageId: 'dropTable', line: 8 },
      ],
    },
    {
      name: 'a foreign key named by the default of a column that is dropped, without the schema that made it',
      after: {
        'V2__a.sql': 'ALTER TABLE user_role DROP CONSTRAINT user_role_role_id_fkey;\nALTER TABLE user_role DROP COLUMN role_id;',
      },
      errors: [
        { messageId: 'constraintDroppedWith', line: 1, severity: 'info' },
        { messageId: 'dropColumn', line: 2 },
      ],
    },
    {
      name: 'a primary key swap (new key added, the old one dropped)',
      after: {
        'V2__pk.sql': 'ALTER TABLE t DROP CONSTRAINT t_pkey;\nALTER TABLE t ADD CONSTRAINT t_pkey2 PRIMARY KEY (uuid);',
      },
      errors: [{ messageId: 'constraintReplaced', line: 1, severity: 'info' }],
    },
    {
      name: 'the NOT NULL recipe drops its check once SET NOT NULL holds the column',
      after: {
        'V2__a.sql':
          'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_nn;',
      },
      errors: [{ messageId: 'constraintReplaced', line: 4, severity: 'info', message: 'SET NOT NULL on users.email at line 3' }],
    },
    {
      name: 'DROP DATABASE, DETACH PARTITION, DROP NOT NULL',
      after: {
        'V2__a.sql':
          'DROP DATABASE reporting;\nALTER TABLE events DETACH PARTITION events_2025;\nALTER TABLE users ALTER COLUMN name DROP NOT NULL;',
      },
      errors: [
        { messageId: 'dropDatabase', line: 1, class: 'non-recoverable-without-restore', severity: 'error' },
        {
          messageId: 'detachPartition',
          line: 2,
          class: 'reversible-with-manual-repair',
          message: 'DETACH PARTITION events_2025 from events: its rows stay in events_2025 but vanish',
        },
        { messageId: 'dropNotNull', line: 3, class: 'reversible-with-compatibility-window', severity: 'warning' },
      ],
    },
    {
      name: 'a column whose content the migration first copied into another table: manual repair, not restore',
      after: {
        'prisma/migrations/15_share/migration.sql':
          'CREATE TABLE share (id uuid, slug text);\nINSERT INTO share (id, slug) SELECT website_id, share_id FROM website;\nALTER TABLE website DROP COLUMN share_id;',
      },
      errors: [
        {
          messageId: 'dropCopied',
          line: 3,
          class: 'reversible-with-manual-repair',
          message: 'DROP COLUMN website.share_id: its content was copied by this migration (INSERT INTO share ... SELECT at line 2)',
        },
      ],
    },
    {
      name: 'a column first copied into another table by UPDATE ... FROM (PostgreSQL) or UPDATE ... JOIN (MySQL), or by a subquery, whatever the copy is named: manual repair; a value read from another column of the table, or the column only matched in WHERE, copies nothing of it',
      after: {
        'db/postgresql/migrations/09_hostname/migration.sql': [
          'ALTER TABLE "website_event" ADD COLUMN "hostname" VARCHAR(100);',
          'UPDATE "website_event" w',
          'SET hostname = s.hostname',
          'FROM "session" s',
          'WHERE s.website_id = w.website_id and s.session_id = w.session_id;',
          'UPDATE "website_event" SET "os" = (SELECT "os" FROM "session" WHERE "session"."session_id" = "website_event"."session_id");',
          'UPDATE "event_data" e SET browser = s.device FROM "session" s WHERE s.browser = e.browser;',
          'ALTER TABLE "session" DROP COLUMN "hostname";',
          'ALTER TABLE "session" DROP COLUMN "os";',
          'ALTER TABLE "session" DROP COLUMN "browser";',
        ].join('\n'),
        'db/mysql/migrations/09_hostname/migration.sql': [
          'ALTER TABLE `website_event` ADD COLUMN `hostname` VARCHAR(100) NULL;',
          'UPDATE `website_event` w',
          'JOIN `session` s',
          'ON s.website_id = w.website_id',
          'SET w.hostname = s.hostname;',
          'ALTER TABLE `session` DROP COLUMN `hostname`;',
          'ALTER TABLE `session` DROP COLUMN `subdivision2`;',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'dropCopied',
          file: 'db/mysql/migrations/09_hostname/migration.sql',
          line: 6,
          class: 'reversible-with-manual-repair',
          message: 'DROP COLUMN session.hostname: its content was copied by this migration (UPDATE website_event SET hostname at line 2)',
        },
        { messageId: 'dropColumn', file: 'db/mysql/migrations/09_hostname/migration.sql', line: 7, message: 'session.subdivision2' },
        {
          messageId: 'dropCopied',
          file: 'db/postgresql/migrations/09_hostname/migration.sql',
          line: 8,
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: 'DROP COLUMN session.hostname: its content was copied by this migration (UPDATE website_event SET hostname at line 2)',
        },
        { messageId: 'dropCopied', file: 'db/postgresql/migrations/09_hostname/migration.sql', line: 9, message: 'UPDATE website_event SET os at line 6' },
        { messageId: 'dropColumn', file: 'db/postgresql/migrations/09_hostname/migration.sql', line: 10, class: 'non-recoverable-without-restore' },
      ],
    },
    {
      name: 'Prisma: a column no field of the base schema maps (@@map, @map) is not selected by the running version; added nullable without a default and named by nothing since, it holds only NULLs; filled by an UPDATE or INSERT, added with a default or with the table, or named by a later statement, it holds data; a mapped column, a table the schema does not model, or no schema: still selected',
      unchanged: {
        'db/postgresql/schema.prisma': [
          'generator client {',
          '  provider = "prisma-client-js"',
          '}',
          'model TeamWebsite {',
          '  id        String   @id @map("team_website_id") @db.Uuid',
          '  teamId    String   @map(name: "team_id") @db.Uuid',
          '  team      Team     @relation(fields: [teamId], references: [id])',
          '  flag      Boolean?',
          '  // userId String? @db.Uuid',
          '  @@map("team_website")',
          '}',
          'model Team {',
          '  id        String        @id @map("team_id") @db.Uuid',
          '  websites  TeamWebsite[]',
          '  @@map("team")',
          '}',
        ].join('\n'),
        'db/postgresql/migrations/04_team_website/migration.sql':
          'CREATE TABLE "team_website" ("team_website_id" UUID NOT NULL, "team_id" UUID NOT NULL, "legacy" TEXT, "flag" BOOLEAN, CONSTRAINT "team_website_pkey" PRIMARY KEY ("team_website_id"));\nCREATE TABLE "team" ("team_id" UUID NOT NULL, "owner" UUID, CONSTRAINT "team_pkey" PRIMARY KEY ("team_id"));\nCREATE TABLE "audit" ("id" UUID NOT NULL, "note" TEXT);',
        'db/postgresql/migrations/07_remove_user_id/migration.sql':
          'ALTER TABLE "team_website" ADD COLUMN "userId" UUID;\nALTER TABLE "team_website" ADD COLUMN "filled" UUID, ADD COLUMN "inserted" UUID;\nALTER TABLE "team_website" ADD COLUMN "defaulted" BOOLEAN DEFAULT false;\nALTER TABLE "team_website" ADD COLUMN "indexed" TEXT;\nALTER TABLE "team_website" ADD COLUMN "seq" SERIAL;\nALTER TABLE "team" ADD COLUMN "memo" TEXT;\nALTER TABLE "audit" ADD COLUMN "memo" TEXT;',
        'db/postgresql/migrations/07b_fill/migration.sql':
          'UPDATE "team_website" SET "filled" = "team_id";\nINSERT INTO "team_website" ("team_website_id", "team_id", "inserted") SELECT gen_random_uuid(), "team_id", "team_id" FROM "team";\nCREATE INDEX "team_website_indexed_idx" ON "team_website"("indexed");',
      },
      after: {
        'db/postgresql/migrations/08_split/migration.sql': [
          'ALTER TABLE "team_website" DROP COLUMN "userId";',
          'ALTER TABLE "team_website" DROP COLUMN "filled", DROP COLUMN "inserted", DROP COLUMN "defaulted";',
          'ALTER TABLE "team_website" DROP COLUMN "legacy";',
          'ALTER TABLE "team_website" DROP COLUMN "indexed";',
          'ALTER TABLE "team_website" DROP COLUMN "seq";',
          'ALTER TABLE "team_website" DROP COLUMN "flag";',
          'ALTER TABLE "team" DROP COLUMN "memo";',
          'ALTER TABLE "audit" DROP COLUMN "memo";',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'dropOnlyNulls',
          line: 1,
          class: 'fully-reversible',
          severity: 'info',
          message:
            "DROP COLUMN team_website.userId: added nullable without a default by db/postgresql/migrations/07_remove_user_id/migration.sql:1 and named by no statement since, and no field of the running version's schema db/postgresql/schema.prisma maps it: every row holds NULL",
        },
        {
          messageId: 'dropUnmapped',
          line: 2,
          class: 'non-recoverable-without-restore',
          severity: 'error',
          message: 'DROP COLUMN team_website.defaulted: its data is destroyed; the running version does not select defaulted (no field of its schema db/postgresql/schema.prisma maps it)',
        },
        { messageId: 'dropUnmapped', line: 2, message: 'team_website.filled' },
        { messageId: 'dropUnmapped', line: 2, message: 'team_website.inserted' },
        { messageId: 'dropUnmapped', line: 3, message: 'team_website.legacy' },
        { messageId: 'dropUnmapped', line: 4, message: 'team_website.indexed' },
        { messageId: 'dropUnmapped', line: 5, message: 'team_website.seq' },
        { messageId: 'dropColumn', line: 6, message: 'team_website.flag: its data is destroyed; the running version still selects flag' },
        { messageId: 'dropOnlyNulls', line: 7, message: 'team.memo' },
        { messageId: 'dropColumn', line: 8, message: 'audit.memo' },
      ],
    },
    {
      name: 'Prisma without a schema at the base (or a folder that is not Prisma\'s): nothing is known of what the running version reads',
      unchanged: {
        'prisma/migrations/07_add/migration.sql': 'CREATE TABLE "team" ("team_id" UUID NOT NULL);\nALTER TABLE "team" ADD COLUMN "memo" TEXT;',
        'db/migrations/000001_init.up.sql': 'CREATE TABLE "team" ("team_id" UUID NOT NULL);\nALTER TABLE "team" ADD COLUMN "memo" TEXT;',
        'db/schema.prisma': 'model Team {\n  id String @id @map("team_id")\n  @@map("team")\n}',
      },
      after: {
        'prisma/migrations/08_drop/migration.sql': 'ALTER TABLE "team" DROP COLUMN "memo";',
        'db/migrations/000002_drop.up.sql': 'ALTER TABLE "team" DROP COLUMN "memo";',
      },
      errors: [
        { messageId: 'dropColumn', file: 'db/migrations/000002_drop.up.sql' },
        { messageId: 'dropColumn', file: 'prisma/migrations/08_drop/migration.sql' },
      ],
    },
    {
      name: 'a column created by another migration of the same change was never released',
      after: {
        'prisma/migrations/16_boards/migration.sql': 'ALTER TABLE board ADD COLUMN slug text;',
        'prisma/migrations/19_replay/migration.sql': 'ALTER TABLE board DROP COLUMN slug;',
      },
      errors: [{ messageId: 'dropUnreleased', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: 'a check dropped on its own is still a contract (no SET NOT NULL replaces it)',
      after: { 'V2__a.sql': 'ALTER TABLE users DROP CONSTRAINT users_email_nn;' },
      errors: [{ messageId: 'dropConstraint', class: 'reversible-with-manual-repair' }],
    },
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
    {
      name: 'MySQL: DROP FOREIGN KEY is a constraint dropped; one added again on the same columns and referenced table (under another name) replaces it',
      unchanged: { 'db/mysql/migrations/01_init/migration.sql': MYSQL_CASCADING_KEYS },
      after: {
        'db/mysql/migrations/04_b/migration.sql':
          'ALTER TABLE `session` DROP FOREIGN KEY `session_ibfk_1`;\nALTER TABLE `website` DROP FOREIGN KEY `website_ibfk_1`;\nALTER TABLE `session` ADD CONSTRAINT `session_website_id_fkey` FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`) ON DELETE RESTRICT;',
      },
      errors: [
        { messageId: 'constraintReplaced', line: 1, severity: 'info', message: 'added again as ADD CONSTRAINT session_website_id_fkey at line 3' },
        { messageId: 'dropConstraint', line: 2, class: 'reversible-with-manual-repair', message: 'DROP CONSTRAINT website_ibfk_1 on website' },
      ],
    },
    {
      name: 'MySQL: a foreign key created without a name (InnoDB names it <table>_ibfk_<n>) dropped and another added on the table: replaced',
      unchanged: {
        'db/mysql/migrations/01_init/migration.sql':
          'CREATE TABLE `website` (`website_id` INT NOT NULL, PRIMARY KEY (`website_id`));\nCREATE TABLE `session` (`session_id` INT NOT NULL, `website_id` INT NOT NULL, PRIMARY KEY (`session_id`));\nALTER TABLE `session` ADD FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`) ON DELETE CASCADE;',
      },
      after: {
        'db/mysql/migrations/02_b/migration.sql':
          'ALTER TABLE `session` DROP FOREIGN KEY `session_ibfk_1`;\nALTER TABLE `session` ADD CONSTRAINT `session_website_id_fkey` FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`) ON DELETE CASCADE;',
      },
      errors: [{ messageId: 'constraintReplaced', line: 1, severity: 'info', message: 'ADD CONSTRAINT session_website_id_fkey (foreign key) at line 2' }],
    },
  ],
});
