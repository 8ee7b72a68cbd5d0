import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { editedApplied } from '../testing/edited.js';
import { MYSQL_CASCADING_KEYS, MYSQL_EVENT_DATA } from '../testing/mysql.js';
import rule from './constraint-added.js';

const INIT = 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(200) NOT NULL);\n';

ruleTable(database, rule, {
  valid: [
    {
      name: 'NOT VALID is the expand path',
      after: { 'V1__a.sql': 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;' },
    },
    {
      name: 'constraints on a table created in the same release',
      after: {
        'V1__a.sql':
          'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);',
      },
    },
    {
      name: 'MySQL MODIFY of a column already NOT NULL (the type restated) adds nothing',
      before: { 'db/mysql/migrations/1_init/migration.sql': 'CREATE TABLE `s` (`id` VARCHAR(36) NOT NULL);' },
      after: {
        'db/mysql/migrations/1_init/migration.sql': 'CREATE TABLE `s` (`id` VARCHAR(36) NOT NULL);',
        'db/mysql/migrations/2_b/migration.sql': 'ALTER TABLE `s` MODIFY `id` VARCHAR(36) NOT NULL;',
      },
    },
    {
      name: 'ON DELETE made stricter on a key of a table created in the same release: no running version deletes through it',
      after: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE account (user_id int PRIMARY KEY);\nCREATE TABLE website (website_id int PRIMARY KEY, user_id int);\nALTER TABLE website ADD CONSTRAINT website_user_id_fkey FOREIGN KEY (user_id) REFERENCES account (user_id) ON DELETE CASCADE;\nALTER TABLE website DROP CONSTRAINT website_user_id_fkey;\nALTER TABLE website ADD CONSTRAINT website_user_id_fkey FOREIGN KEY (user_id) REFERENCES account (user_id) ON DELETE RESTRICT;',
      },
    },
    {
      name: 'MySQL CHANGE that restates the nullability the column already has (a rename only) adds no NOT NULL',
      unchanged: { 'db/mysql/migrations/01_init/migration.sql': MYSQL_EVENT_DATA },
      after: { 'db/mysql/migrations/02_b/migration.sql': 'ALTER TABLE `event_data` CHANGE `event_data_type` `data_type` INTEGER UNSIGNED NOT NULL;\nALTER TABLE `event_data` CHANGE `event_date_value` `date_value` TIMESTAMP(0) NULL;\nALTER TABLE `event_data` CHANGE `event_id` `event_data_id` VARCHAR(36) NOT NULL;\nALTER TABLE `event_data` CHANGE `event_numeric_value` `number_value` DECIMAL(19,4) NULL;' },
    },
    {
      name: 'MySQL: a foreign key made stricter on a table created in the same migration, and one added there: no running version wrote to it',
      after: {
        'db/mysql/migrations/01_init/migration.sql': MYSQL_CASCADING_KEYS + '\nALTER TABLE `session` DROP FOREIGN KEY `session_ibfk_1`;\nALTER TABLE `session` ADD CONSTRAINT `session_website_id_fkey` FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`) ON DELETE RESTRICT;',
      },
    },
    {
      name: 'MySQL: an applied migration edited to add its table\'s foreign key by ALTER TABLE instead of inside CREATE TABLE adds no new constraint',
      unchanged: { 'db/mysql/migrations/01_init/migration.sql': 'CREATE TABLE `website` (`website_id` INT NOT NULL, PRIMARY KEY (`website_id`));' },
      before: {
        'db/mysql/migrations/02_event/migration.sql':
          'create table `event` (event_id int not null, website_id int not null, constraint event_ibfk_1 foreign key (website_id) references `website` (website_id) on delete cascade);',
      },
      after: {
        'db/mysql/migrations/02_event/migration.sql':
          'CREATE TABLE `event` (`event_id` INTEGER NOT NULL, `website_id` INTEGER NOT NULL);\nALTER TABLE `event` ADD CONSTRAINT `event_ibfk_1` FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`) ON DELETE CASCADE ON UPDATE NO ACTION;',
      },
    },
  ],
  invalid: [
    {
      // A database that applied 02 never runs it again (the framework records it by id); a new one runs it
      // right after the CREATE TABLE of "s", on an empty table. "accounts" comes from 01: not the same case.
      name: 'an edited applied migration: a constraint or SET NOT NULL on a table the same file creates runs only on a new database (info); on a table of an earlier migration it still validates rows',
      ...editedApplied('ALTER TABLE "s" ADD CONSTRAINT "s_b_check" CHECK ("b" > 0);\nALTER TABLE "s" ALTER COLUMN "b" SET NOT NULL;\nALTER TABLE "s" ALTER COLUMN "a" TYPE VARCHAR(10);\nALTER TABLE "accounts" ADD CONSTRAINT "accounts_n_check" CHECK ("n" >= 0);\n'),
      errors: [
        { messageId: 'newDatabaseOnly', line: 2, severity: 'info', class: 'fully-reversible', message: 'ADD CONSTRAINT s_b_check: runs only on a new database, on s, a table this file creates (line 1)' },
        { messageId: 'newDatabaseOnly', line: 3, severity: 'info', message: 'SET NOT NULL on s.b' },
        { messageId: 'addValidated', line: 5, severity: 'warning' },
      ],
    },
    {
      name: 'a valid foreign key dropped and added again on the same columns and table: what changed, at info; a new ON DELETE CASCADE at warning',
      unchanged: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE account (user_id int PRIMARY KEY);\nCREATE TABLE website (website_id int PRIMARY KEY, user_id int);\nCREATE TABLE session (session_id int PRIMARY KEY, website_id int);\nCREATE TABLE event (event_id int PRIMARY KEY, session_id int);\nALTER TABLE "event" ADD FOREIGN KEY ("session_id") REFERENCES "session"("session_id") ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE "website" ADD FOREIGN KEY ("user_id") REFERENCES "account"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE "session" ADD CONSTRAINT session_website_id_fkey FOREIGN KEY ("website_id") REFERENCES "website"("website_id");',
      },
      after: {
        'prisma/migrations/02_upgrade/migration.sql': [
          'ALTER TABLE "event" DROP CONSTRAINT "event_session_id_fkey";',
          'ALTER TABLE "website" DROP CONSTRAINT "website_user_id_fkey";',
          'ALTER TABLE "session" DROP CONSTRAINT "session_website_id_fkey";',
          'ALTER TABLE "event" ADD CONSTRAINT "event_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("session_id") ON DELETE CASCADE ON UPDATE NO ACTION;',
          'ALTER TABLE "website" ADD CONSTRAINT "website_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "account"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;',
          'ALTER TABLE "session" ADD CONSTRAINT "session_website_id_fkey" FOREIGN KEY ("website_id") REFERENCES "website"("website_id") ON DELETE CASCADE;',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'foreignKeyRecreated',
          line: 4,
          severity: 'info',
          class: 'fully-reversible',
          message: /\(ON UPDATE cascade -> no action\).*refuses none; an UPDATE of a referenced key that used to change the rows pointing to it now fails/,
        },
        { messageId: 'foreignKeyRecreated', line: 5, severity: 'info', message: /its definition unchanged.*refused no more than before/ },
        {
          messageId: 'foreignKeyRecreatedDeletes',
          line: 6,
          severity: 'warning',
          class: 'fully-reversible',
          message: /ON DELETE no action -> cascade.*deleting a referenced row deletes the rows of session/,
        },
      ],
    },
    {
      name: 'ON DELETE CASCADE or SET NULL made RESTRICT or NO ACTION: the running version\'s deletes fail; with no down (Prisma) someone restores the old action by hand',
      unchanged: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE account (user_id int PRIMARY KEY);\nCREATE TABLE website (website_id int PRIMARY KEY, user_id int);\nCREATE TABLE session (session_id int PRIMARY KEY, website_id int);\nALTER TABLE website ADD CONSTRAINT website_user_id_fkey FOREIGN KEY (user_id) REFERENCES account (user_id) ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE session ADD CONSTRAINT session_website_id_fkey FOREIGN KEY (website_id) REFERENCES website (website_id) ON DELETE SET NULL;' },
      after: {
        'prisma/migrations/02_restrict/migration.sql': [
          'ALTER TABLE website DROP CONSTRAINT website_user_id_fkey;',
          'ALTER TABLE session DROP CONSTRAINT session_website_id_fkey;',
          'ALTER TABLE website ADD CONSTRAINT website_user_id_fkey FOREIGN KEY (user_id) REFERENCES account (user_id) ON DELETE RESTRICT ON UPDATE NO ACTION;',
          'ALTER TABLE session ADD CONSTRAINT session_website_id_fkey FOREIGN KEY (website_id) REFERENCES website (website_id);',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'foreignKeyRecreatedRefusesNoDown',
          line: 3,
          severity: 'warning',
          class: 'reversible-with-manual-repair',
          message: /\(ON UPDATE cascade -> no action, ON DELETE cascade -> restrict\).*an UPDATE or a DELETE of a referenced row .* fails while they exist: the running version's deletes that relied on ON DELETE cascade fail.*by hand/,
        },
        {
          messageId: 'foreignKeyRecreatedRefusesNoDown',
          line: 4,
          severity: 'warning',
          class: 'reversible-with-manual-repair',
          message: /\(ON DELETE set null -> no action\).*a DELETE of a referenced row/,
        },
      ],
    },
    {
      name: 'ON DELETE made stricter with a down that adds the key again with its old action: a compatibility window; a down that does not restore it: manual repair',
      unchanged: { 'db/migrations/000001_init.up.sql': 'CREATE TABLE account (user_id int PRIMARY KEY);\nCREATE TABLE website (website_id int PRIMARY KEY, user_id int);\nCREATE TABLE session (session_id int PRIMARY KEY, website_id int);\nALTER TABLE website ADD CONSTRAINT website_user_id_fkey FOREIGN KEY (user_id) REFERENCES account (user_id) ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE session ADD CONSTRAINT session_website_id_fkey FOREIGN KEY (website_id) REFERENCES website (website_id) ON DELETE SET NULL;', 'db/migrations/000001_init.down.sql': 'DROP TABLE session;\nDROP TABLE website;\nDROP TABLE account;' },
      after: {
        'db/migrations/000002_restrict.up.sql': [
          'ALTER TABLE website DROP CONSTRAINT website_user_id_fkey;',
          'ALTER TABLE website ADD CONSTRAINT website_user_id_fkey FOREIGN KEY (user_id) REFERENCES account (user_id) ON DELETE RESTRICT ON UPDATE CASCADE;',
          'ALTER TABLE session DROP CONSTRAINT session_website_id_fkey;',
          'ALTER TABLE session ADD CONSTRAINT session_website_id_fkey FOREIGN KEY (website_id) REFERENCES website (website_id) ON DELETE NO ACTION;',
        ].join('\n'),
        'db/migrations/000002_restrict.down.sql': [
          'ALTER TABLE website DROP CONSTRAINT website_user_id_fkey;',
          'ALTER TABLE website ADD CONSTRAINT website_user_id_fkey FOREIGN KEY (user_id) REFERENCES account (user_id) ON DELETE CASCADE ON UPDATE CASCADE;',
          'ALTER TABLE session DROP CONSTRAINT session_website_id_fkey;',
          'ALTER TABLE session ADD CONSTRAINT session_website_id_fkey FOREIGN KEY (website_id) REFERENCES website (website_id);',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'foreignKeyRecreatedRefuses',
          line: 2,
          severity: 'warning',
          class: 'reversible-with-compatibility-window',
          message: /\(ON DELETE cascade -> restrict\).*a DELETE of a referenced row.*the down migration restores it/,
        },
        { messageId: 'foreignKeyRecreatedRefusesNoDown', line: 4, class: 'reversible-with-manual-repair' },
      ],
    },
    {
      name: 'a primary key or unique constraint dropped and added again on the same columns: no row refused, at info; on other columns or of another kind it is new',
      unchanged: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE account (user_id serial PRIMARY KEY, email text, tenant int);\nCREATE TABLE site (id int, code text);\nALTER TABLE site ADD CONSTRAINT site_code_key UNIQUE (code);\nALTER TABLE account ADD CONSTRAINT account_email_key UNIQUE (email);',
      },
      after: {
        'prisma/migrations/02_big_int/migration.sql': [
          'ALTER TABLE "account" DROP CONSTRAINT "account_pkey",',
          'ALTER COLUMN "user_id" SET DATA TYPE BIGINT,',
          'ADD CONSTRAINT "account_pkey" PRIMARY KEY ("user_id");',
          'ALTER TABLE account DROP CONSTRAINT account_email_key;',
          'ALTER TABLE account ADD CONSTRAINT account_email_key UNIQUE (email, tenant);',
          'ALTER TABLE site DROP CONSTRAINT site_code_key, ADD CONSTRAINT site_code_key UNIQUE (code);',
          'ALTER TABLE site ADD CONSTRAINT site_pkey PRIMARY KEY (code);',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'keyRecreated',
          line: 1,
          severity: 'info',
          class: 'fully-reversible',
          message: 'primary key account_pkey on account added again after its drop in this migration, on the same columns (user_id): the rows already satisfied it',
        },
        { messageId: 'addValidated', line: 5, severity: 'warning' },
        { messageId: 'keyRecreated', line: 6, severity: 'info', message: 'unique site_code_key on site' },
        { messageId: 'addValidated', line: 7, severity: 'warning' },
      ],
    },
    {
      name: 'a re-add on other columns, to another table, over a NOT VALID key, or with no earlier definition validates as a new constraint',
      unchanged: {
        'prisma/migrations/01_init/migration.sql':
          'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY, a_id int, b_id int);\nALTER TABLE t ADD CONSTRAINT t_a_id_fkey FOREIGN KEY (a_id) REFERENCES a (id);\nALTER TABLE t ADD CONSTRAINT t_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id) NOT VALID;',
      },
      after: {
        'prisma/migrations/02_b/migration.sql': [
          'ALTER TABLE t DROP CONSTRAINT t_a_id_fkey;',
          'ALTER TABLE t ADD CONSTRAINT t_a_id_fkey FOREIGN KEY (a_id) REFERENCES b (id);',
          'ALTER TABLE t DROP CONSTRAINT t_b_id_fkey;',
          'ALTER TABLE t ADD CONSTRAINT t_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id);',
          'ALTER TABLE t DROP CONSTRAINT t_c_fkey;',
          'ALTER TABLE t ADD CONSTRAINT t_c_fkey FOREIGN KEY (a_id) REFERENCES a (id);',
        ].join('\n'),
      },
      errors: [
        { messageId: 'addValidated', line: 2, class: 'reversible-with-compatibility-window' },
        { messageId: 'addValidated', line: 4 },
        { messageId: 'addValidated', line: 6 },
      ],
    },
    {
      name: 'SET NOT NULL with no down (Flyway without undo), validated check, required column, validate',
      after: {
        'V1__a.sql': [
          'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
          'ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0);',
          'ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;',
          'ALTER TABLE users VALIDATE CONSTRAINT users_fk;',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'setNotNullNoDown',
          line: 1,
          class: 'reversible-with-manual-repair',
          message: 'SET NOT NULL on users.email',
        },
        {
          messageId: 'addValidated',
          line: 2,
          message: 'constraint age_positive (check) on users added without NOT VALID',
        },
        { messageId: 'requiredColumn', line: 3, class: 'reversible-with-manual-repair', severity: 'error' },
        { messageId: 'validate', line: 4, class: 'fully-reversible', severity: 'info' },
      ],
    },
    {
      name: 'SET NOT NULL with a down that drops it: a compatibility window',
      after: {
        'db/migrations/000002_email.up.sql': 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
        'db/migrations/000002_email.down.sql': 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
      },
      errors: [{ messageId: 'setNotNull', class: 'reversible-with-compatibility-window', severity: 'warning' }],
    },
    {
      name: 'the NOT NULL recipe: SET NOT NULL over a check validated by an earlier migration is no change for the old version',
      before: {
        'prisma/migrations/1_init/migration.sql': INIT,
        'prisma/migrations/2_check/migration.sql':
          'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;',
        'prisma/migrations/3_validate/migration.sql': 'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
      },
      after: {
        'prisma/migrations/1_init/migration.sql': INIT,
        'prisma/migrations/2_check/migration.sql':
          'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;',
        'prisma/migrations/3_validate/migration.sql': 'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
        'prisma/migrations/4_set/migration.sql':
          'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_nn;',
      },
      errors: [{ messageId: 'setNotNullChecked', class: 'fully-reversible', severity: 'info', message: 'users_email_nn' }],
    },
    {
      name: 'a check that is NOT VALID only does not prove the column: the scan and the window stay',
      after: {
        'prisma/migrations/2_set/migration.sql':
          'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      },
      errors: [{ messageId: 'setNotNullNoDown', line: 2, class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'a constraint added to a domain',
      after: { 'V2__d.sql': "ALTER DOMAIN email_address ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');" },
      errors: [
        {
          messageId: 'domain',
          class: 'reversible-with-compatibility-window',
          message: 'constraint has_at added to domain email_address',
        },
      ],
    },
    {
      name: 'MySQL MODIFY ... NOT NULL: with a default a window, without one (no down) manual repair',
      after: {
        'db/mysql/migrations/2_b/migration.sql':
          'ALTER TABLE `session` MODIFY `created_at` TIMESTAMP(0) NOT NULL DEFAULT CURRENT_TIMESTAMP(0);\nALTER TABLE `account` ADD COLUMN `uuid` VARCHAR(36);\nUPDATE `account` SET `uuid` = UUID();\nALTER TABLE `account` MODIFY `uuid` VARCHAR(36) NOT NULL;',
      },
      errors: [
        { messageId: 'modifyNotNullDefault', line: 1, class: 'reversible-with-compatibility-window' },
        {
          messageId: 'modifyNotNullNoDown',
          line: 4,
          class: 'reversible-with-manual-repair',
          message: /MODIFY account\.uuid NOT NULL \(MySQL\): InnoDB rebuilds the table .*strict mode the statement fails if a row holds NULL/,
        },
      ],
    },
    {
      name: 'MySQL MODIFY ... NOT NULL names no PostgreSQL lock, and ADD COLUMN ... NOT NULL fills the implicit default instead of failing; with a down that undoes them, a compatibility window',
      after: {
        'db/migrations/000002_b.up.sql': 'ALTER TABLE `account` MODIFY `uuid` VARCHAR(36) NOT NULL;\nALTER TABLE `account` ADD COLUMN `plan` VARCHAR(20) NOT NULL;',
        'db/migrations/000002_b.down.sql': 'ALTER TABLE `account` DROP COLUMN `plan`;\nALTER TABLE `account` MODIFY `uuid` VARCHAR(36) NULL;',
      },
      config: { database: { dialect: 'mysql' } },
      errors: [
        { messageId: 'modifyNotNull', line: 1, class: 'reversible-with-compatibility-window', message: /^(?!.*ACCESS EXCLUSIVE)/ },
        {
          messageId: 'requiredColumnMysql',
          line: 2,
          severity: 'warning',
          class: 'reversible-with-compatibility-window',
          message: "existing rows get the type's implicit default",
        },
      ],
    },
    {
      name: 'a NOT NULL column without a default in the PostgreSQL folder, where the MySQL folder of the same change creates a table of that name: the two folders are two databases',
      before: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE "website_event" ("event_id" UUID NOT NULL, "url" VARCHAR(500) NOT NULL);',
        'db/mysql/migrations/01_init/migration.sql': 'CREATE TABLE `website_event` (`event_id` VARCHAR(36) NOT NULL, `url` VARCHAR(500) NOT NULL);',
      },
      after: {
        'db/postgresql/migrations/01_init/migration.sql': 'CREATE TABLE "website_event" ("event_id" UUID NOT NULL, "url" VARCHAR(500) NOT NULL);',
        'db/mysql/migrations/01_init/migration.sql': 'CREATE TABLE `website_event` (`event_id` VARCHAR(36) NOT NULL, `url_path` VARCHAR(500) NOT NULL);',
        'db/postgresql/migrations/02_split/migration.sql': 'ALTER TABLE "website_event" DROP COLUMN "url",\nADD COLUMN "url_path" VARCHAR(500) NOT NULL;',
      },
      errors: [
        {
          messageId: 'requiredColumn',
          file: 'db/postgresql/migrations/02_split/migration.sql',
          line: 1,
          severity: 'error',
          class: 'reversible-with-manual-repair',
          message: 'ADD COLUMN website_event.url_path NOT NULL without a default',
        },
      ],
    },
    {
      name: 'MySQL CHANGE that renames a nullable column and restates it NOT NULL: the NOT NULL is new',
      unchanged: { 'db/mysql/migrations/01_init/migration.sql': MYSQL_EVENT_DATA },
      after: { 'db/mysql/migrations/02_b/migration.sql': 'ALTER TABLE `event_data` CHANGE `event_date_value` `date_value` TIMESTAMP(0) NOT NULL;' },
      errors: [{ messageId: 'modifyNotNullNoDown', line: 1, class: 'reversible-with-manual-repair', message: 'MODIFY event_data.event_date_value NOT NULL' }],
    },
    {
      name: 'MySQL: foreign keys dropped (DROP FOREIGN KEY) and added again under other names with ON DELETE RESTRICT where they cascaded: the running version\'s deletes fail; added again as they were: info; a new key on an existing table is checked row by row',
      unchanged: { 'db/mysql/migrations/01_init/migration.sql': MYSQL_CASCADING_KEYS },
      after: {
        'db/mysql/migrations/04_remove_cascade_delete/migration.sql': [
          'ALTER TABLE `session` DROP FOREIGN KEY `session_ibfk_1`;',
          'ALTER TABLE `website` DROP FOREIGN KEY `website_ibfk_1`;',
          'ALTER TABLE `session` ADD CONSTRAINT `session_website_id_fkey` FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`) ON DELETE RESTRICT ON UPDATE CASCADE;',
          'ALTER TABLE `website` ADD CONSTRAINT `website_ibfk_1` FOREIGN KEY (`user_id`) REFERENCES `account`(`user_id`) ON DELETE CASCADE ON UPDATE NO ACTION;',
          'ALTER TABLE `session` ADD FOREIGN KEY (`session_id`) REFERENCES `account`(`user_id`);',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'foreignKeyRecreatedRefusesNoDown',
          line: 3,
          severity: 'warning',
          class: 'reversible-with-manual-repair',
          message: /session_website_id_fkey on session .*\(ON UPDATE no action -> cascade, ON DELETE cascade -> restrict\).*the running version's deletes that relied on ON DELETE cascade fail/,
        },
        { messageId: 'foreignKeyRecreated', line: 4, severity: 'info', class: 'fully-reversible', message: /its definition unchanged\): the rows already satisfied it, so its validation scan \(InnoDB copies the table/ },
        { messageId: 'addForeignKeyMysql', line: 5, severity: 'warning', class: 'reversible-with-compatibility-window', message: /\(MySQL\): InnoDB checks every row/ },
      ],
    },
    {
      name: 'MySQL: a foreign key defined inside CREATE TABLE is known, so its cascade made RESTRICT later is reported',
      unchanged: {
        'db/mysql/migrations/01_init/migration.sql':
          'CREATE TABLE `website` (`website_id` INT NOT NULL, PRIMARY KEY (`website_id`));\nCREATE TABLE `session` (`session_id` INT NOT NULL, `website_id` INT NOT NULL, PRIMARY KEY (`session_id`), CONSTRAINT `session_ibfk_1` FOREIGN KEY (`website_id`) REFERENCES `website` (`website_id`) ON DELETE CASCADE);',
      },
      after: {
        'db/mysql/migrations/02_b/migration.sql':
          'ALTER TABLE `session` DROP FOREIGN KEY `session_ibfk_1`;\nALTER TABLE `session` ADD CONSTRAINT `session_website_id_fkey` FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`) ON DELETE RESTRICT;',
      },
      errors: [{ messageId: 'foreignKeyRecreatedRefusesNoDown', line: 2, class: 'reversible-with-manual-repair', message: '(ON DELETE cascade -> restrict)' }],
    },
  ],
});
