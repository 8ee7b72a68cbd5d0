import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { editedApplied } from '../testing/edited.js';
import { MYSQL_EVENT_DATA } from '../testing/mysql.js';
import rule from './column-type-changed.js';

ruleTable(database, rule, {
  valid: [
    { name: 'no type change', after: { 'V1__a.sql': 'ALTER TABLE users ALTER COLUMN a SET DEFAULT 1;' } },
    {
      name: 'a cast of the column to the type it already has',
      before: { 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name varchar(200));' },
      after: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name varchar(200));',
        'prisma/migrations/2_b/migration.sql': 'ALTER TABLE users ALTER COLUMN name TYPE varchar(200) USING name::varchar(200);',
      },
    },
    {
      name: 'MySQL CHANGE that restates the definition the column already has (INT = INTEGER) is a rename only: no type change, nor a MODIFY of the renamed column that restates INTEGER as INT',
      unchanged: { 'db/mysql/migrations/01_init/migration.sql': MYSQL_EVENT_DATA },
      after: { 'db/mysql/migrations/02_b/migration.sql': 'ALTER TABLE `event_data` CHANGE `event_data_type` `data_type` INTEGER UNSIGNED NOT NULL;\nALTER TABLE `event_data` CHANGE `event_date_value` `date_value` TIMESTAMP(0) NULL;\nALTER TABLE `event_data` CHANGE `event_id` `event_data_id` VARCHAR(36) NOT NULL;\nALTER TABLE `event_data` CHANGE `event_numeric_value` `number_value` DECIMAL(19,4) NULL;\nALTER TABLE `event_data` CHANGE COLUMN `created_at` `created` TIMESTAMP(0) NULL DEFAULT CURRENT_TIMESTAMP(0);\nALTER TABLE `event_data` MODIFY `data_type` INT UNSIGNED NOT NULL;' },
    },
  ],
  invalid: [
    {
      // A database that applied 02 never runs it again (the framework records it by id); a new one runs it
      // right after the CREATE TABLE of "s", on an empty table. "accounts" comes from 01: not the same case.
      name: 'an edited applied migration: a type change on a table the same file creates runs only on a new database (info); on a table of an earlier migration it still converts rows',
      ...editedApplied('ALTER TABLE "s" ALTER COLUMN "a" TYPE VARCHAR(10);\nALTER TABLE "accounts" ALTER COLUMN "name" TYPE VARCHAR(10);\n'),
      errors: [
        { messageId: 'newDatabaseOnly', line: 2, severity: 'info', class: 'fully-reversible', message: 'ALTER COLUMN TYPE s.a: runs only on a new database, on s' },
        { messageId: 'narrowed', line: 3 },
      ],
    },
    {
      name: 'SERIAL, BIGSERIAL and SMALLSERIAL are read as the integer columns they create: widening a serial is a window (its sequence keeps its width), narrowing a bigserial is checked',
      before: {
        'prisma/migrations/1_init/migration.sql':
          'CREATE TABLE "event" ("id" SERIAL NOT NULL, "s" SMALLSERIAL, "b" BIGSERIAL, CONSTRAINT "event_pkey" PRIMARY KEY ("id"));',
      },
      after: {
        'prisma/migrations/1_init/migration.sql':
          'CREATE TABLE "event" ("id" SERIAL NOT NULL, "s" SMALLSERIAL, "b" BIGSERIAL, CONSTRAINT "event_pkey" PRIMARY KEY ("id"));',
        'prisma/migrations/2_b/migration.sql':
          'ALTER TABLE "event" ALTER COLUMN "id" SET DATA TYPE BIGINT;\nALTER TABLE "event" ALTER COLUMN "s" TYPE integer;\nALTER TABLE "event" ALTER COLUMN "b" TYPE integer;\nALTER TABLE "event" ALTER COLUMN "id" TYPE int8;',
      },
      errors: [
        {
          messageId: 'serialWidened',
          line: 1,
          class: 'reversible-with-compatibility-window',
          message:
            /TYPE int8 \(was serial: an int4 column with a sequence default\).*its sequence stays int4 \(nextval stops at the int4 maximum\) until ALTER SEQUENCE \.\.\. AS int8; changing the column back fails once a value beyond int4 is written/,
        },
        { messageId: 'serialWidened', line: 2, class: 'reversible-with-compatibility-window', message: 'an int2 column' },
        { messageId: 'narrowed', line: 3, class: 'fully-reversible' },
      ],
    },
    {
      name: 'by the old type the earlier migrations give: widening catalog-only, a checked narrowing fully-reversible at warning, int widening a window, citext an index rebuild',
      before: { 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, total int NOT NULL);' },
      after: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, total int NOT NULL);',
        'prisma/migrations/2_b/migration.sql':
          'ALTER TABLE users ALTER COLUMN name TYPE varchar(500);\nALTER TABLE users ALTER COLUMN name TYPE varchar(50);\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\nALTER TABLE users ALTER COLUMN email TYPE citext;',
      },
      errors: [
        { messageId: 'catalogOnly', line: 1, class: 'fully-reversible', severity: 'info', message: '(was varchar(200))' },
        { messageId: 'narrowed', line: 2, class: 'fully-reversible', severity: 'warning', message: '(was varchar(500))' },
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
      name: 'numeric: a smaller scale rounds every value, fewer integer digits is a checked narrowing, a larger precision is catalog-only; bigint to int is checked',
      before: { 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE p (id bigint PRIMARY KEY, a numeric(10,2), b numeric(10,2), c decimal(10,2), d numeric);' },
      after: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE p (id bigint PRIMARY KEY, a numeric(10,2), b numeric(10,2), c decimal(10,2), d numeric);',
        'prisma/migrations/2_b/migration.sql':
          'ALTER TABLE p ALTER COLUMN a TYPE numeric(10,1);\nALTER TABLE p ALTER COLUMN b TYPE numeric(8,2);\nALTER TABLE p ALTER COLUMN c TYPE numeric(12,2);\nALTER TABLE p ALTER COLUMN d TYPE numeric(12,2);\nALTER TABLE p ALTER COLUMN id TYPE integer;',
      },
      errors: [
        { messageId: 'rounded', line: 1, class: 'non-recoverable-without-restore', message: '(was numeric(10,2))' },
        { messageId: 'narrowed', line: 2, class: 'fully-reversible', severity: 'warning' },
        { messageId: 'catalogOnly', line: 3, class: 'fully-reversible', severity: 'info' },
        { messageId: 'rounded', line: 4, class: 'non-recoverable-without-restore', message: '(was numeric)' },
        { messageId: 'narrowed', line: 5, class: 'fully-reversible', message: '(was int8)' },
      ],
    },
    {
      name: 'text to jsonb or json by a cast of the column: every value parsed, a window for the running version; an explicit cast to a shorter varchar truncates',
      before: { 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE "report" (id bigint PRIMARY KEY, "parameters" VARCHAR(6000) NOT NULL, "other" TEXT, "name" VARCHAR(200));' },
      after: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE "report" (id bigint PRIMARY KEY, "parameters" VARCHAR(6000) NOT NULL, "other" TEXT, "name" VARCHAR(200));',
        'prisma/migrations/2_b/migration.sql':
          'ALTER TABLE "report"\nALTER COLUMN "parameters" SET DATA TYPE JSONB USING parameters::JSONB;\nALTER TABLE "report" ALTER COLUMN "other" TYPE json USING "other"::json;\nALTER TABLE "report" ALTER COLUMN "name" TYPE varchar(50) USING name::varchar(50);',
      },
      errors: [
        { messageId: 'toJson', line: 1, class: 'reversible-with-compatibility-window', severity: 'warning', message: 'equivalent JSON, not the same text' },
        { messageId: 'toJson', line: 3, class: 'reversible-with-compatibility-window', message: 'json stores the exact text' },
        { messageId: 'using', line: 4, class: 'non-recoverable-without-restore' },
      ],
    },
    {
      name: "MySQL MODIFY ... JSON of a varchar column: MySQL's JSON normalises like jsonb",
      before: { 'db/mysql/migrations/02_a/migration.sql': 'CREATE TABLE `report` (`id` INT NOT NULL, `parameters` VARCHAR(6000) NOT NULL);' },
      after: {
        'db/mysql/migrations/02_a/migration.sql': 'CREATE TABLE `report` (`id` INT NOT NULL, `parameters` VARCHAR(6000) NOT NULL);',
        'db/mysql/migrations/12_b/migration.sql': 'ALTER TABLE `report` MODIFY `parameters` JSON NOT NULL;',
      },
      errors: [{ messageId: 'toJson', class: 'reversible-with-compatibility-window', message: 'not the same text' }],
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
    {
      name: 'MySQL CHANGE that renames and restates another type: the type change is reported, from the column\'s current type (UNSIGNED included)',
      unchanged: { 'db/mysql/migrations/01_init/migration.sql': MYSQL_EVENT_DATA },
      after: {
        'db/mysql/migrations/02_b/migration.sql':
          'ALTER TABLE `event_data` CHANGE `event_data_type` `data_type` BIGINT UNSIGNED NOT NULL;\nALTER TABLE `event_data` CHANGE `event_id` `event_data_id` VARCHAR(20) NOT NULL;\nALTER TABLE `event_data` MODIFY `data_type` INT NOT NULL;\nALTER TABLE `event_data` MODIFY `data_type` BIGINT UNSIGNED NOT NULL;',
      },
      errors: [
        { messageId: 'widened', line: 1, class: 'reversible-with-compatibility-window', message: 'event_data.event_data_type TYPE bigint unsigned (was int unsigned)' },
        { messageId: 'narrowed', line: 2, message: 'event_data.event_id TYPE varchar(20) (was varchar(36))' },
        { messageId: 'narrowed', line: 3, message: 'event_data.data_type TYPE int (was bigint unsigned)' },
        { messageId: 'widened', line: 4, message: 'TYPE bigint unsigned (was int)' },
      ],
    },
  ],
});
