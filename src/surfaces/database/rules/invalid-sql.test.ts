import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './invalid-sql.js';

/** umami's MySQL procedure that renames an index only where it exists (sent by Prisma as one query). */
const PROC = "CREATE PROCEDURE `UmamiRenameIndexIfExists`(\n    IN i_table_name VARCHAR(128),\n    IN i_current_index_name VARCHAR(128),\n    IN i_new_index_name VARCHAR(128)\n    )\n    BEGIN\n\n    SET @tableName = i_table_name;\n    SET @currentIndexName = i_current_index_name;\n    SET @newIndexName = i_new_index_name;\n    SET @indexExists = 0;\n\n    SELECT\n        1\n    INTO @indexExists FROM\n        INFORMATION_SCHEMA.STATISTICS\n    WHERE\n        TABLE_NAME = @tableName\n            AND INDEX_NAME = @currentIndexName;\n\n    SET @query = CONCAT(\n        'ALTER TABLE `', @tableName, '` RENAME INDEX  `', @currentIndexName, '` TO `', @newIndexName, '`;'\n    );\n    IF @indexExists THEN\n        PREPARE stmt FROM @query;\n        EXECUTE stmt;\n        DEALLOCATE PREPARE stmt;\n    END IF;\nEND;\n";

/** umami's ClickHouse 01_edit_keys.sql: two ALTER ... UPDATE with no `;` between them. */
const CH_KEYS = 'db/clickhouse/migrations/01_edit_keys.sql';
const EDIT_KEYS =
  '-- edit event_data values\nALTER TABLE "event_data" RENAME COLUMN "event_date_value" TO "date_value";\n\nalter table umami.event_data\nupdate string_value = number_value\nwhere data_type = 2\n\nalter table umami.event_data\nupdate string_value = replaceOne(concat(CAST(toDateTime(date_value, \'UTC\'), \'String\'),\'Z\'), \' \', \'T\')\nwhere data_type = 4';

/** A copy of website_event swapped in, the INSERT of `columns` with no `;` before the RENAME at line 6. */
const CH_SWAP = 'db/clickhouse/migrations/05_add_utm_clid.sql';
const swap = (columns: string) =>
  `CREATE TABLE umami.website_event_new (a UUID, b String) ENGINE = MergeTree ORDER BY a;\nINSERT INTO umami.website_event_new\nSELECT ${columns} FROM umami.website_event\nORDER BY a\n\nRENAME TABLE umami.website_event TO umami.website_event_old;\nRENAME TABLE umami.website_event_new TO umami.website_event;\n`;

ruleTable(database, rule, {
  valid: [
    { name: 'statements parse', after: { 'db/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n' } },
    {
      // The edit adds a statement before it; the double-quoted INSERT failed before and fails the same way
      // after: the change makes it no different.
      name: 'MySQL: an edited migration whose unchanged double-quoted statement failed before as it does now',
      before: { 'db/mysql/migrations/01_init/migration.sql': 'CREATE TABLE `e` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n' },
      after: {
        'db/mysql/migrations/01_init/migration.sql':
          'CREATE TABLE `e` (`id` INT);\nCREATE TABLE `f` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n',
      },
    },
    { name: 'a .sql file that is not a migration is not parsed', after: { 'docs/example.sql': 'SELEC nonsense' } },
    {
      // The edit adds a column before it; the ALTER that runs into the next failed before as it does now.
      name: 'ClickHouse: an edited migration whose unchanged statement with no `;` before the next failed before as it does now',
      before: { [CH_KEYS]: EDIT_KEYS },
      after: { [CH_KEYS]: `ALTER TABLE "website_event" ADD COLUMN "job_id" UUID;\n${EDIT_KEYS}` },
    },
    {
      name: 'ClickHouse: an edit of the statement that lacks its `;` (columns added to the INSERT), the `;` still missing before the same RENAME: the file stopped there before too',
      before: { [CH_SWAP]: swap('a') },
      after: { [CH_SWAP]: swap('a, b') },
    },
    {
      name: 'ClickHouse: ALTER commands on lines of their own, INSERT ... SELECT and a statement named in a string are no missing `;`',
      after: {
        'db/clickhouse/migrations/03_a.sql':
          "ALTER TABLE umami.website_event\n    ADD COLUMN tag String,\n    DROP COLUMN subdivision2,\n    RENAME COLUMN subdivision1 TO region;\nINSERT INTO umami.event_data\nSELECT * FROM umami.event_data_old\nWHERE string_value != '\nDROP TABLE x';\n",
      },
    },
    {
      name: 'double quotes in a PostgreSQL migration quote names; in MySQL, a double-quoted value or a backticked name is fine',
      after: {
        'db/postgresql/migrations/01_init/migration.sql': 'INSERT INTO "user" (user_id, username) VALUES (1, \'admin\');',
        'db/mysql/migrations/01_init/migration.sql':
          'CREATE TABLE `user` (`id` INT, `name` VARCHAR(10) DEFAULT "x");\nINSERT INTO `user` (`id`, `name`) VALUES (1, "admin");\n-- INSERT INTO "user" in a comment\nUPDATE `user` SET `name` = \'INSERT INTO "user"\' WHERE `id` = 1;',
      },
    },
    {
      name: 'a Prisma folder whose migration_lock.toml says postgresql is not MySQL, whatever its path',
      unchanged: { 'prisma/mysql-legacy/migrations/migration_lock.toml': 'provider = "postgresql"' },
      after: { 'prisma/mysql-legacy/migrations/2_a/migration.sql': 'INSERT INTO "user" (id) VALUES (1);' },
    },
    {
      name: 'MySQL stored programs: a BEGIN ... END body (nested blocks, labels, IF, CASE, WHILE) is one statement, as the server reads a multi-statement query; CALL and DROP PROCEDURE',
      after: {
        'db/mysql/migrations/02_add_event_data/migration.sql': PROC +
          "\nCALL UmamiRenameIndexIfExists('account', 'username', 'account_username_key');\n" +
          'CREATE PROCEDURE `p2`()\nouter_block: BEGIN\n  DECLARE i INT DEFAULT 0;\n  WHILE i < 3 DO\n    SET i = i + 1;\n  END WHILE;\n  CASE i WHEN 3 THEN SELECT 1; ELSE BEGIN SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END; END; END CASE;\nEND outer_block;\n' +
          'CREATE TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW BEGIN IF NEW.a IS NULL THEN SET NEW.a = 0; END IF; END;\n' +
          'drop procedure `UmamiRenameIndexIfExists`;\nDROP PROCEDURE IF EXISTS `p2`;\nCREATE TABLE `after_it` (`id` INT);',
      },
    },
    {
      name: 'statements that run on the schema the folder leaves: IF [NOT] EXISTS, a drop before the same create, what an earlier migration dropped or renamed, data statements between',
      unchanged: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE "website_event" ("event_id" UUID NOT NULL, "website_id" UUID NOT NULL, "session_id" UUID NOT NULL, "created_at" TIMESTAMPTZ(6),\n CONSTRAINT "website_event_pkey" PRIMARY KEY ("event_id"));\nCREATE INDEX "website_event_created_at_idx" ON "website_event"("created_at");\nCREATE TYPE "role" AS ENUM (\'admin\', \'user\');',
        'db/postgresql/migrations/02_b/migration.sql':
          'UPDATE "website_event" SET created_at = now() WHERE created_at IS NULL;\nALTER TABLE "website_event" RENAME COLUMN "created_at" TO "at";\nDROP INDEX "website_event_created_at_idx";',
      },
      after: {
        'db/postgresql/migrations/03_c/migration.sql': [
          'ALTER TABLE "website_event" ADD COLUMN IF NOT EXISTS "session_id" UUID;',
          'ALTER TABLE "website_event" ADD COLUMN "created_at" TIMESTAMPTZ(6);',
          'CREATE INDEX "website_event_created_at_idx" ON "website_event"("created_at");',
          'ALTER TABLE "website_event" DROP COLUMN IF EXISTS "visit_id";',
          'ALTER TABLE "website_event" DROP COLUMN "at";',
          'DROP TYPE "role";',
          'CREATE TYPE "role" AS ENUM (\'admin\');',
        ].join('\n'),
      },
    },
    {
      name: 'unknown is never a failure: a history with a statement the model does not follow, a table from outside the folder, an index that may come from a constraint',
      unchanged: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE "website_event" ("event_id" UUID NOT NULL, "website_id" UUID NOT NULL, "session_id" UUID NOT NULL, "created_at" TIMESTAMPTZ(6),\n CONSTRAINT "website_event_pkey" PRIMARY KEY ("event_id"));\nCREATE INDEX "website_event_created_at_idx" ON "website_event"("created_at");\nCREATE TYPE "role" AS ENUM (\'admin\', \'user\');',
        'db/postgresql/migrations/02_do/migration.sql': "DO $$ BEGIN EXECUTE 'ALTER TABLE website_event DROP COLUMN session_id'; END $$;",
        'prisma/migrations/01_init/migration.sql': 'CREATE TABLE "a" ("id" INT, CONSTRAINT "a_id_key" UNIQUE ("id"));',
      },
      after: {
        'db/postgresql/migrations/03_c/migration.sql': 'ALTER TABLE "website_event" ADD COLUMN "session_id" UUID;',
        'prisma/migrations/02_b/migration.sql': 'DROP INDEX "a_id_key";\nALTER TABLE "auth"."users" DROP COLUMN "x";',
      },
    },
    {
      name: 'an edit of an earlier migration of the folder: the databases that applied its old text and the new ones differ, so nothing after it fails on every database',
      before: { 'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE "website_event" ("id" UUID, "event_data" JSONB);' },
      after: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE "website_event" ("id" UUID);',
        'db/postgresql/migrations/05_remove_event_data/migration.sql': 'ALTER TABLE "website_event" DROP COLUMN "event_data";',
      },
    },
    {
      name: 'foreign keys added without a name: PostgreSQL names each after its table and columns, so two on one table do not collide',
      unchanged: { 'prisma/migrations/1_a/migration.sql': 'CREATE TABLE s (id int PRIMARY KEY);\nCREATE TABLE e (id int, s1 int, s2 int);' },
      after: {
        'prisma/migrations/2_b/migration.sql':
          'ALTER TABLE e ADD FOREIGN KEY (s1) REFERENCES s (id);\nALTER TABLE e ADD FOREIGN KEY (s2) REFERENCES s (id);\nALTER TABLE e DROP CONSTRAINT e_s1_fkey;',
      },
    },
  ],
  invalid: [
    {
      name: 'a statement that fails on every database that ran the folder: an existing column, index or type created again, a missing column or table dropped or altered; the statements after it are not assessed',
      unchanged: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE "website_event" ("event_id" UUID NOT NULL, "website_id" UUID NOT NULL, "session_id" UUID NOT NULL, "created_at" TIMESTAMPTZ(6),\n CONSTRAINT "website_event_pkey" PRIMARY KEY ("event_id"));\nCREATE INDEX "website_event_created_at_idx" ON "website_event"("created_at");\nCREATE TYPE "role" AS ENUM (\'admin\', \'user\');',
        'db/postgresql/migrations/02_b/migration.sql': 'ALTER TABLE "website_event" DROP COLUMN "created_at";',
      },
      after: {
        'db/postgresql/migrations/05_add_visit_id/migration.sql':
          'ALTER TABLE "website_event" ADD COLUMN "session_id" UUID NULL;\n\nUPDATE "website_event" SET session_id = gen_random_uuid() WHERE session_id IS NULL;\nALTER TABLE "website_event" ALTER COLUMN "session_id" SET NOT NULL;\nCREATE INDEX "website_event_visit_id_idx" ON "website_event"("visit_id");',
        'prisma/migrations/1_a/migration.sql': 'CREATE TABLE t (id int);\nCREATE INDEX t_id_idx ON t (id);\nCREATE INDEX t_id_idx ON t (id);\nDROP TABLE t;',
        'other/prisma/migrations/2_b/migration.sql': 'CREATE TABLE u (id int);',
        'other/prisma/migrations/3_c/migration.sql': 'ALTER TABLE u ALTER COLUMN name SET NOT NULL;',
      },
      errors: [
        { messageId: 'failsOnSchema', file: 'db/postgresql/migrations/05_add_visit_id/migration.sql', line: 1, severity: 'error', class: 'reversible-with-manual-repair', message: 'column website_event.session_id already exists (created by db/postgresql/migrations/01_init/migration.sql)' },
        { messageId: 'failsOnSchema', file: 'other/prisma/migrations/3_c/migration.sql', line: 1, message: 'column u.name does not exist (no migration of the folder creates it)' },
        { messageId: 'failsOnSchema', file: 'prisma/migrations/1_a/migration.sql', line: 3, message: 'index t_id_idx already exists (created by prisma/migrations/1_a/migration.sql)' },
      ],
    },
    {
      name: 'a column dropped by an earlier migration, altered again; the deploy stops there, so a later migration of the change (a type created twice) is not checked',
      unchanged: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE "website_event" ("event_id" UUID NOT NULL, "website_id" UUID NOT NULL, "session_id" UUID NOT NULL, "created_at" TIMESTAMPTZ(6),\n CONSTRAINT "website_event_pkey" PRIMARY KEY ("event_id"));\nCREATE INDEX "website_event_created_at_idx" ON "website_event"("created_at");\nCREATE TYPE "role" AS ENUM (\'admin\', \'user\');',
        'db/postgresql/migrations/02_b/migration.sql': 'ALTER TABLE "website_event" DROP COLUMN "created_at";',
      },
      after: {
        'db/postgresql/migrations/03_c/migration.sql': 'ALTER TABLE "website_event" ALTER COLUMN "created_at" DROP DEFAULT;',
        'db/postgresql/migrations/04_d/migration.sql': "CREATE TYPE \"role\" AS ENUM ('x');",
      },
      errors: [
        { messageId: 'failsOnSchema', file: 'db/postgresql/migrations/03_c/migration.sql', line: 1, message: 'column website_event.created_at does not exist (dropped by db/postgresql/migrations/02_b/migration.sql)' },
      ],
    },
    {
      name: 'MySQL: a stored program whose BEGIN never ends, and a bad statement after a procedure, are syntax errors',
      after: {
        'db/mysql/migrations/03_a/migration.sql': 'CREATE PROCEDURE `p`()\nBEGIN\n  SELECT 1;\n',
        'db/mysql/migrations/04_b/migration.sql': 'CREATE PROCEDURE `p`()\nBEGIN\n  SELECT 1;\nEND;\nSELEC `x` FROM `t`;',
      },
      errors: [
        { messageId: 'syntax', file: 'db/mysql/migrations/03_a/migration.sql', line: 1 },
        { messageId: 'syntax', file: 'db/mysql/migrations/04_b/migration.sql', line: 5 },
      ],
    },
    {
      name: 'a ClickHouse statement not recognised (by folder or by its engines) is not assessed, never invalid SQL',
      after: {
        'db/clickhouse/migrations/02_add_visit_id.sql':
          'ALTER TABLE website_event ADD COLUMN visit_id UUID AFTER session_id;\nALTER TABLE website_event MOVE PARTITION 202401 TO TABLE archive;\n',
        'db/migrations/3_a.up.sql':
          'CREATE TABLE e (id UUID CODEC(ZSTD)) ENGINE = MergeTree ORDER BY id;\nATTACH TABLE e2;\n',
        'db/migrations/3_a.down.sql': 'DROP TABLE e;\n',
        'db/migrations/4_b.up.sql': 'CREATE TABLE f (id UUID) ENGINE = MergeTree ORDER BY id;\n',
      },
      errors: [
        {
          messageId: 'clickhouse',
          file: 'db/clickhouse/migrations/02_add_visit_id.sql',
          line: 2,
          severity: 'warning',
          class: 'non-recoverable-without-restore',
          message:
            'not assessed: ClickHouse up migration statement `ALTER TABLE website_event MOVE PARTITION 202401 TO TABLE archive`',
        },
        { messageId: 'clickhouse', file: 'db/migrations/3_a.up.sql', line: 2 },
      ],
    },
    {
      name: 'ClickHouse: a statement with no `;` before the next runs into it (one syntax error): the file stops there',
      after: { [CH_KEYS]: EDIT_KEYS },
      errors: [
        {
          messageId: 'clickhouseNoSemicolon',
          file: CH_KEYS,
          line: 8,
          class: 'reversible-with-manual-repair',
          severity: 'error',
          message: /^no `;` ends the ClickHouse statement of line 4 before the ALTER TABLE at line 8: ClickHouse parses up to the next `;`/,
        },
      ],
    },
    {
      name: 'ClickHouse: an edit that brings a statement with no `;` into the file (an INSERT ... ORDER BY before a RENAME)',
      before: { 'db/clickhouse/migrations/02_add_visit_id.sql': 'CREATE TABLE umami.website_event_new (a UUID) ENGINE = MergeTree ORDER BY a;\n' },
      after: {
        'db/clickhouse/migrations/02_add_visit_id.sql':
          'CREATE TABLE umami.website_event_new (a UUID) ENGINE = MergeTree ORDER BY a;\nINSERT INTO umami.website_event_new\nSELECT a FROM umami.website_event\nORDER BY a\n\nRENAME TABLE umami.website_event TO umami.website_event_old;\nRENAME TABLE umami.website_event_new TO umami.website_event;\n',
      },
      errors: [{ messageId: 'clickhouseNoSemicolon', file: 'db/clickhouse/migrations/02_add_visit_id.sql', line: 6 }],
    },
    {
      name: 'ClickHouse: an edit that drops the `;` of a statement (its WHERE rewritten) before the next RENAME',
      before: { [CH_SWAP]: swap('a').replace('ORDER BY a\n', 'WHERE a IS NOT NULL;\n') },
      after: { [CH_SWAP]: swap('a') },
      errors: [{ messageId: 'clickhouseNoSemicolon', file: CH_SWAP, line: 6 }],
    },
    {
      name: 'a double-quoted name in a MySQL migration (Prisma provider mysql) is a syntax error, not records created',
      unchanged: { 'prisma/migrations/migration_lock.toml': '# Please do not edit this file manually\nprovider = "mysql"' },
      after: {
        'prisma/migrations/3_admin/migration.sql':
          'CREATE TABLE `user` (`user_id` VARCHAR(36) NOT NULL, `username` VARCHAR(255) NOT NULL);\n\n-- AddSystemUser\nINSERT INTO "user" (user_id, username) VALUES (\'41e2b680\', \'admin\');',
      },
      errors: [
        {
          messageId: 'mysqlQuotes',
          line: 4,
          class: 'reversible-with-manual-repair',
          severity: 'error',
          message: 'MySQL reads "user" as a string, not a name',
        },
      ],
    },
    {
      name: 'a mysql folder: double-quoted tables and columns in DDL and data statements, parsed or not',
      after: {
        'db/mysql/migrations/2_a/migration.sql':
          'ALTER TABLE "website" ADD COLUMN `team_id` VARCHAR(36);\nUPDATE `website` SET `team_id` = NULL;\nCREATE INDEX `w_idx` ON "website" (`team_id`);',
        'db/mysql/migrations/3_b/migration.sql': 'UPDATE `website` SET `team_id` = NULL;\nALTER TABLE `website` DROP COLUMN "share_id";',
        'db/mysql/migrations/4_c/migration.sql': 'INSERT INTO `website` ("name") VALUES (\'a\');',
      },
      errors: [
        { messageId: 'mysqlQuotes', file: 'db/mysql/migrations/2_a/migration.sql', line: 1, message: 'MySQL reads "website" as a string' },
        { messageId: 'mysqlQuotes', file: 'db/mysql/migrations/2_a/migration.sql', line: 3, message: 'MySQL reads "website" as a string' },
        { messageId: 'mysqlQuotes', file: 'db/mysql/migrations/3_b/migration.sql', line: 2, message: 'MySQL reads "share_id" as a string' },
        { messageId: 'mysqlQuotes', file: 'db/mysql/migrations/4_c/migration.sql', line: 1, message: 'MySQL reads "name" as a string' },
      ],
    },
    {
      name: 'syntax error with the parser line and column',
      after: { 'db/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n\nALTER TABLE a ADD COLUMN;\n' },
      errors: [
        {
          messageId: 'syntax',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          line: 3,
          message: 'SQL does not parse (postgres): syntax error at or near ";"',
        },
      ],
    },
    {
      name: 'empty migration',
      after: { 'db/migrations/2_b.up.sql': '', 'db/migrations/2_b.down.sql': 'SELECT 1;' },
      errors: [{ messageId: 'empty', class: 'fully-reversible', severity: 'warning', line: 1 }],
    },
    {
      name: 'only comments',
      after: { 'V3__c.sql': '-- TODO\n/* later */\n' },
      errors: [{ messageId: 'onlyComments', message: 'the up migration holds only comments' }],
    },
    {
      name: 'a down that does not parse',
      after: { 'm/4_d.up.sql': 'CREATE TABLE d (id int);', 'm/4_d.down.sql': 'DROP TABEL d;' },
      errors: [{ messageId: 'syntax', file: 'm/4_d.down.sql', line: 1 }],
    },
    {
      name: 'a dbmate down section that does not parse, at its line in the file',
      after: {
        'db/migrations/20240101_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABEL a;\n',
      },
      errors: [{ messageId: 'syntax', line: 4 }],
    },
  ],
});
