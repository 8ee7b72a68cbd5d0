import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { editedApplied } from '../testing/edited.js';
import { MYSQL_EVENT_DATA } from '../testing/mysql.js';
import rule from './rename.js';

ruleTable(database, rule, {
  valid: [
    {
      name: 'an edited applied migration: its unchanged table swap is not the change (only what the edit added or changed is)',
      before: {
        'db/mysql/migrations/02_add_event_data/migration.sql':
          'RENAME TABLE `event` TO `_event_old`;\nCREATE TABLE `event` (`event_id` INT NOT NULL, PRIMARY KEY (`event_id`));\nALTER TABLE `account` RENAME INDEX `username` TO `account_username_key`;',
      },
      after: {
        'db/mysql/migrations/02_add_event_data/migration.sql':
          "RENAME TABLE `event` TO `_event_old`;\nCREATE TABLE `event` (`event_id` INT NOT NULL, PRIMARY KEY (`event_id`));\nCREATE PROCEDURE `ren`(IN t VARCHAR(64), IN a VARCHAR(64), IN b VARCHAR(64))\nBEGIN\n  SET @q = CONCAT('ALTER TABLE `', t, '` RENAME INDEX `', a, '` TO `', b, '`;');\n  PREPARE stmt FROM @q;\n  EXECUTE stmt;\nEND;\nCALL ren('account', 'username', 'account_username_key');\nDROP PROCEDURE `ren`;",
      },
    },
    {
      name: 'an edited applied migration whose new text does not parse: the unchanged statements before the error are not the change',
      before: {
        'prisma/migrations/02_swap/migration.sql':
          'ALTER TABLE event RENAME TO _event_old;\nCREATE TABLE event (event_id int PRIMARY KEY);\nALTER INDEX a RENAME TO b;',
      },
      after: {
        'prisma/migrations/02_swap/migration.sql':
          'ALTER TABLE event RENAME TO _event_old;\nCREATE TABLE event (event_id int PRIMARY KEY);\nALTER INDEX IF EXIST a RENAME TO b;',
      },
    },{ name: 'index rename breaks nobody', after: { 'V1__a.sql': 'ALTER INDEX a RENAME TO b;' } },
    {
      name: 'an edited applied migration whose rename only gets another target: the old name went away before too (the schema difference is migration-edited\'s)',
      before: {
        'db/postgresql/migrations/03_session_data/migration.sql':
          'ALTER TABLE "event_data" RENAME COLUMN "event_data_type" TO "data_type";\nALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "numeric_value";',
      },
      after: {
        'db/postgresql/migrations/03_session_data/migration.sql':
          'ALTER TABLE "event_data" RENAME COLUMN "event_data_type" TO "data_type";\nALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "number_value";',
      },
    },
  ],
  invalid: [
    {
      // A database that applied 02 never runs it again (the framework records it by id); a new one runs it
      // right after the CREATE TABLE of "s", on an empty table. "accounts" comes from 01: not the same case.
      name: 'an edited applied migration: a column renamed in a table the same file creates runs only on a new database (info); one renamed in a table of an earlier migration breaks the running version',
      ...editedApplied('ALTER TABLE "s" RENAME COLUMN "c" TO "d";\nALTER TABLE "accounts" RENAME COLUMN "name" TO "title";\n'),
      errors: [
        { messageId: 'newDatabaseOnly', line: 2, severity: 'info', class: 'fully-reversible', message: 'RENAME COLUMN s.c' },
        { messageId: 'column', line: 3, severity: 'warning' },
      ],
    },
    {
      name: 'a table swap: renamed away and a new table created under the old name (PostgreSQL and MySQL)',
      after: {
        'db/postgresql/migrations/02_add_event_data/migration.sql':
          'ALTER TABLE "event" RENAME TO "_event_old";\n\nCREATE TABLE "event" ("event_id" SERIAL NOT NULL, "event_name" VARCHAR(50) NOT NULL, PRIMARY KEY ("event_id"));',
        'db/mysql/migrations/02_add_event_data/migration.sql':
          'RENAME TABLE `event` TO `_event_old`;\nCREATE TABLE `event` (`event_id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`event_id`));\nINSERT INTO `event` (`event_id`) SELECT `event_id` FROM `_event_old`;',
      },
      errors: [
        {
          messageId: 'swap',
          file: 'db/mysql/migrations/02_add_event_data/migration.sql',
          line: 1,
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: 'then CREATE TABLE event (line 2): a table swap, not a rename; the running version does not fail with \'relation does not exist\', it reads and writes the new event, which holds the rows copied at line 3',
        },
        {
          messageId: 'swap',
          file: 'db/postgresql/migrations/02_add_event_data/migration.sql',
          line: 1,
          class: 'reversible-with-manual-repair',
          message: 'which starts empty and may have another shape, while the old rows stay in _event_old',
        },
      ],
    },
    {
      name: 'column rename with the expand/contract sequence',
      after: { 'V1__a.sql': 'ALTER TABLE users RENAME COLUMN name TO full_name;' },
      errors: [
        {
          messageId: 'column',
          class: 'reversible-with-compatibility-window',
          line: 1,
          message:
            "RENAME COLUMN users.name TO full_name: the running version still uses name and fails with 'column does not exist'; instead: add full_name (expand), write both and backfill (migrate), read full_name, drop name in a later release (contract)",
        },
      ],
    },
    {
      name: 'table rename',
      after: { 'V1__a.sql': 'SELECT 1;\nALTER TABLE orders RENAME TO purchases;' },
      errors: [{ messageId: 'table', class: 'reversible-with-compatibility-window', line: 2, message: 'RENAME TABLE orders TO purchases' }],
    },
    {
      name: 'schema rename, and a table moved to another schema',
      after: { 'V1__a.sql': 'ALTER SCHEMA reporting RENAME TO analytics;\nALTER TABLE t SET SCHEMA archive;' },
      errors: [
        {
          messageId: 'schema',
          class: 'reversible-with-compatibility-window',
          line: 1,
          message: "RENAME SCHEMA reporting TO analytics: every query that names reporting fails with 'schema does not exist'",
        },
        { messageId: 'table', line: 2, message: 'RENAME TABLE t TO archive.t' },
      ],
    },
    {
      name: 'MySQL CHANGE old new with the definition the column already has: the rename it is; MODIFY and CHANGE under the same name rename nothing',
      unchanged: { 'db/mysql/migrations/01_init/migration.sql': MYSQL_EVENT_DATA },
      after: {
        'db/mysql/migrations/02_b/migration.sql':
          'ALTER TABLE `event_data` CHANGE `event_data_type` `data_type` INTEGER UNSIGNED NOT NULL;\nALTER TABLE `event_data` CHANGE `event_id` `event_id` VARCHAR(36) NOT NULL;\nALTER TABLE `event_data` MODIFY `event_date_value` TIMESTAMP(0) NULL;',
      },
      errors: [
        {
          messageId: 'column',
          line: 1,
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          message: 'RENAME COLUMN event_data.event_data_type TO data_type',
        },
      ],
    },
  ],
});
