import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './migration-edited.js';

const OLD = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
const MY = 'db/mysql/migrations/5_visit/migration.sql';
const PG = 'prisma/migrations/5_visit/migration.sql';
const INDEX = 'CREATE INDEX `e_v_idx` ON `e`(`v`);\n';
// On MySQL (ANSI_QUOTES off, the default) a double-quoted name is a string: the old text failed at its
// first statement and ran nothing from there on, so every statement of the new text from that point is new.
const QUOTED = 'ALTER TABLE "e" ADD COLUMN "v" VARCHAR(36) NULL;\nALTER TABLE "e" MODIFY "v" VARCHAR(36) NOT NULL;\n' + INDEX;
const TICKED = 'ALTER TABLE `e` ADD COLUMN `v` VARCHAR(36) NULL;\nALTER TABLE `e` MODIFY `v` VARCHAR(36) NOT NULL;\n' + INDEX;

// Run again where it already ran: the constraint is dropped if it is there, then added again.
const FK_IF_EXISTS =
  'ALTER TABLE "event" DROP CONSTRAINT IF EXISTS "event_website_id_fkey";\nALTER TABLE "event" ADD CONSTRAINT "event_website_id_fkey" FOREIGN KEY ("website_id") REFERENCES "website"("website_id") ON DELETE RESTRICT;\n';
const IDEMPOTENT = [
  'CREATE TABLE IF NOT EXISTS a (id int, x int);',
  'CREATE INDEX IF NOT EXISTS a_x_idx ON a (x);',
  'ALTER TABLE a ADD COLUMN IF NOT EXISTS y int;',
  'ALTER TABLE a DROP CONSTRAINT a_x_check;',
  'ALTER TABLE a ADD CONSTRAINT a_x_check CHECK (x > 0);',
  'UPDATE a SET y = 0 WHERE y IS NULL;',
].join('\n');
const MY_FK = 'ALTER TABLE `event` DROP FOREIGN KEY `event_ibfk_2`;\nALTER TABLE `event` ADD CONSTRAINT `event_website_id_fkey` FOREIGN KEY (`website_id`) REFERENCES `website`(`website_id`);\n';

const P01 = 'prisma/migrations/01_init/migration.sql';
const SQUASH_01 = 'CREATE TABLE "website" (\n    "website_id" UUID NOT NULL,\n    "name" VARCHAR(100) NOT NULL,\n    "legacy" TEXT,\n    CONSTRAINT "website_pkey" PRIMARY KEY ("website_id")\n);\n';
const SQUASHED_01 =
  'CREATE TABLE "website" (\n    "website_id" UUID NOT NULL,\n    "name" VARCHAR(200) NOT NULL,\n    "share_id" VARCHAR(50),\n    CONSTRAINT "website_pkey" PRIMARY KEY ("website_id")\n);\n\n-- CreateIndex\nCREATE UNIQUE INDEX "website_share_id_key" ON "website"("share_id");\n';
const SHARE = 'CREATE TABLE "share" (\n    "share_id" UUID NOT NULL,\n    "slug" VARCHAR(100) NOT NULL,\n    CONSTRAINT "share_pkey" PRIMARY KEY ("share_id")\n);\n';
const BOARD = 'CREATE TABLE "board" (\n    "board_id" UUID NOT NULL,\n    "slug" VARCHAR(100) NOT NULL,\n    CONSTRAINT "board_pkey" PRIMARY KEY ("board_id")\n);\n';
/** A copy of t with column `col` added, its INSERT with no `;` before the swap's first RENAME. */
const CH_STOPS = (col: string) =>
  `CREATE TABLE t_new (id UUID) ENGINE = MergeTree ORDER BY id;\nALTER TABLE t_new ADD COLUMN ${col} String;\nINSERT INTO t_new SELECT id, '' FROM t\nORDER BY id\nRENAME TABLE t TO t_old;\nRENAME TABLE t_new TO t;\n`;

// The same table written by hand and as Prisma writes it for MySQL: INTEGER for INT, TIMESTAMP(0) for
// TIMESTAMP, its indexes declared inline, ENGINE=InnoDB and ON UPDATE NO ACTION spelled out (the defaults).
const MY_EV = 'db/mysql/migrations/02_add_event_data/migration.sql';
const BY_HAND = (type = 'int unsigned', ts = 'timestamp') =>
  `create table \`event\`\n(\n    event_id   ${type} auto_increment\n        primary key,\n    website_id int unsigned not null,\n    created_at ${ts} default CURRENT_TIMESTAMP null,\n    is_bot     boolean not null,\n    constraint event_ibfk_1\n        foreign key (website_id) references \`website\` (website_id)\n            on delete cascade\n)\n    collate = utf8mb4_unicode_ci;\n\ncreate index \`event_website_id_idx\`\n    on \`event\` (website_id);\n`;
const BY_PRISMA = (index = '`website_id`') =>
  `CREATE TABLE \`event\` (\n    \`event_id\` INTEGER UNSIGNED NOT NULL AUTO_INCREMENT,\n    \`website_id\` INTEGER UNSIGNED NOT NULL,\n    \`created_at\` TIMESTAMP(0) NULL DEFAULT CURRENT_TIMESTAMP(0),\n    \`is_bot\` TINYINT(1) NOT NULL,\n\n    INDEX \`event_website_id_idx\`(${index}),\n    PRIMARY KEY (\`event_id\`)\n) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n\n-- AddForeignKey\nALTER TABLE \`event\` ADD CONSTRAINT \`event_ibfk_1\` FOREIGN KEY (\`website_id\`) REFERENCES \`website\`(\`website_id\`) ON DELETE CASCADE ON UPDATE NO ACTION;\n`;
const USER = 'CREATE TABLE "user" ("user_id" INT NOT NULL, "username" VARCHAR(255) NOT NULL, "role" VARCHAR(50) NOT NULL, CONSTRAINT "user_pkey" PRIMARY KEY ("user_id"));\n';
const PG_TS = (ts: string) => `CREATE TABLE "event" ("id" UUID NOT NULL, "created_at" ${ts}, CONSTRAINT "event_pkey" PRIMARY KEY ("id"));\n`;

ruleTable(database, rule, {
  valid: [
    {
      name: 'applied migrations squashed into a new one whose repeated statements all re-run cleanly (IF NOT EXISTS)',
      before: {
        'prisma/migrations/02_a/migration.sql': 'CREATE TABLE IF NOT EXISTS report (id uuid PRIMARY KEY);\n',
        'prisma/migrations/03_b/migration.sql': 'CREATE INDEX IF NOT EXISTS report_id_idx ON report (id);\n',
      },
      after: {
        'prisma/migrations/02_ab/migration.sql':
          'CREATE TABLE IF NOT EXISTS report (id uuid PRIMARY KEY);\nCREATE INDEX IF NOT EXISTS report_id_idx ON report (id);\n',
      },
    },
    {
      name: 'a new migration is not an edit',
      after: { 'prisma/migrations/2_b/migration.sql': 'CREATE TABLE c (id int);' },
    },
  ],
  // Rows below: what an edited applied migration counts as unchanged, by dialect.
  invalid: [
    {
      name: 'MySQL: a table rewritten in Prisma\'s style (INTEGER, TIMESTAMP(0), TINYINT(1) for BOOLEAN, inline indexes, ENGINE=InnoDB, ON UPDATE NO ACTION): the same schema',
      before: { [MY_EV]: BY_HAND() },
      after: { [MY_EV]: BY_PRISMA() },
      errors: [{ messageId: 'editedSameSchema', severity: 'info', class: 'fully-reversible' }],
    },
    {
      name: 'MySQL: restyled, and the key widened to BIGINT: that column differs',
      before: { [MY_EV]: BY_HAND('bigint unsigned') },
      after: { [MY_EV]: BY_PRISMA() },
      errors: [{ messageId: 'editedSchema', class: 'reversible-with-manual-repair', message: 'keep event.event_id bigint unsigned NOT NULL with a default, where the new text leaves event.event_id int unsigned NOT NULL with a default' }],
    },
    {
      name: 'MySQL: restyled, and TIMESTAMP(3) (fractional seconds kept) became TIMESTAMP(0): that column differs',
      before: { [MY_EV]: BY_HAND('int unsigned', 'timestamp(3)') },
      after: { [MY_EV]: BY_PRISMA() },
      errors: [{ messageId: 'editedSchema', message: 'keep event.created_at timestamp(3) with a default, where the new text leaves event.created_at timestamp with a default' }],
    },
    {
      name: 'MySQL: restyled, and the inline index is on another column: the index differs',
      before: { [MY_EV]: BY_HAND() },
      after: { [MY_EV]: BY_PRISMA('`created_at`') },
      errors: [{ messageId: 'editedSchema', message: 'keep index event_website_id_idx on event (website_id), where the new text leaves index event_website_id_idx on event (created_at)' }],
    },
    {
      name: 'PostgreSQL: timestamp(6) for timestamp (microseconds either way): the same schema',
      before: { [P01]: PG_TS('TIMESTAMP') },
      after: { [P01]: PG_TS('TIMESTAMP(6)') },
      errors: [{ messageId: 'editedSameSchema', severity: 'info' }],
    },
    {
      name: 'PostgreSQL: timestamp(3) for timestamp rounds to milliseconds: the column differs',
      before: { [P01]: PG_TS('TIMESTAMP') },
      after: { [P01]: PG_TS('TIMESTAMP(3)') },
      errors: [{ messageId: 'editedSchema', message: 'keep event.created_at timestamp, where the new text leaves event.created_at timestamp(3)' }],
    },
    {
      name: 'an applied migration gains a statement: only that statement is new',
      before: { 'prisma/migrations/1_init/migration.sql': OLD },
      after: { 'prisma/migrations/1_init/migration.sql': OLD + "INSERT INTO a (id) VALUES (1);\n" },
      errors: [
        {
          messageId: 'edited',
          severity: 'warning',
          class: 'fully-reversible',
          message: 'prisma/migrations/1_init/migration.sql existed before this change (as prisma/migrations/1_init/migration.sql) and is edited: databases that applied it do not run it again, so its 1 added',
        },
      ],
    },
    {
      name: 'table options only (formatting): info',
      before: { 'db/mysql/migrations/1_init/migration.sql': 'CREATE TABLE `a` (`id` INT);\n' },
      after: { 'db/mysql/migrations/1_init/migration.sql': 'CREATE TABLE  `a`  (`id` INT);\n' },
      errors: [{ messageId: 'editedNothingNew', severity: 'info' }],
    },
    {
      name: 'MySQL: backticks added to bare names is formatting (the same names)',
      before: { [MY]: 'ALTER TABLE e ADD COLUMN v INT NULL;\n' },
      after: { [MY]: 'ALTER TABLE `e` ADD COLUMN `v` INT NULL;\n' },
      errors: [{ messageId: 'editedNothingNew', severity: 'info' }],
    },
    {
      name: 'MySQL: double quotes re-quoted to backticks: no database applied the old text, every statement from the one that failed is new, also the unchanged index after it',
      before: { [MY]: QUOTED },
      after: { [MY]: TICKED },
      errors: [
        {
          messageId: 'editedNeverApplied',
          severity: 'info',
          class: 'fully-reversible',
          message: 'could not run past line 1 (MySQL: a double-quoted name, which is a string without ANSI_QUOTES, or a syntax error), so no database applied it: the new text reaches every database that runs the migration, and its 3 added or changed',
        },
      ],
    },
    {
      name: 'MySQL: statements before the first double-quoted one ran and stay out',
      before: { [MY]: 'CREATE TABLE `e` (`id` INT);\n' + QUOTED },
      after: { [MY]: 'CREATE TABLE `e` (`id` INT);\n' + TICKED },
      errors: [{ messageId: 'editedNeverApplied', severity: 'info', message: /past line 2 .* its 3 added or changed/ }],
    },
    {
      name: 'MySQL: an old text with a syntax error ran only the statements before it',
      before: { [MY]: 'CREATE TABLE `e` (`id` INT);\nALTER TABLE `e` ADD COLUMN;\n' + INDEX },
      after: { [MY]: 'CREATE TABLE `e` (`id` INT);\nALTER TABLE `e` ADD COLUMN `v` INT NULL;\n' + INDEX },
      errors: [{ messageId: 'editedNeverApplied', severity: 'info', message: 'its 2 added or changed' }],
    },
    {
      name: 'MySQL: the statement the old text failed at is still there unchanged, and the part that ran re-runs cleanly: only what the edit added before it is new',
      before: { [MY]: 'CREATE TABLE IF NOT EXISTS `e` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n' + INDEX },
      after: { [MY]: 'CREATE TABLE IF NOT EXISTS `e` (`id` INT);\nCREATE TABLE `f` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n' + INDEX },
      errors: [{ messageId: 'editedNeverApplied', severity: 'info', message: 'its 1 added or changed' }],
    },
    {
      name: 'MySQL: an old text that failed late: the CREATE TABLE before the failure ran and stayed (implicit commit), so the new text, run again after the failed migration is resolved, fails on it',
      before: { [MY]: 'CREATE TABLE `e` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n' + INDEX },
      after: { [MY]: 'CREATE TABLE `e` (`id` INT);\nCREATE TABLE `f` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n' + INDEX },
      errors: [{ messageId: 'editedRanPartly', severity: 'warning', class: 'reversible-with-manual-repair', line: 1, message: 'failed at line 2 on MySQL' }],
    },
    {
      name: 'MySQL: an old text that failed late, edited in a statement that ran before the failure and the failing statement removed: the re-run fails on the table the partial run created',
      before: { [MY]: 'CREATE TABLE `e` (`id` INT, `data` TEXT);\nCREATE TABLE `g` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n' },
      after: { [MY]: 'CREATE TABLE `e` (`id` INT);\nCREATE TABLE `g` (`id` INT);\n' },
      errors: [{ messageId: 'editedRanPartly', line: 1, message: 'the new text fails at line 1 on what that partial run left' }],
    },
    {
      name: 'PostgreSQL: the old INSERT left out a NOT NULL column without a default of the table it had just created: the transaction rolled back everywhere, the edit is the fix (info, with the resolve step)',
      before: { [P01]: USER + 'INSERT INTO "user" (user_id, username) VALUES (1, \'admin\');\n' },
      after: { [P01]: USER + 'INSERT INTO "user" (user_id, username, role) VALUES (1, \'admin\', \'admin\');\n' },
      errors: [
        {
          messageId: 'editedRolledBack',
          severity: 'info',
          class: 'fully-reversible',
          message: 'failed at line 2 on every database (an INSERT into user without a value for its NOT NULL column role, which has no default)',
        },
      ],
    },
    {
      name: 'PostgreSQL: the old INSERT filled every NOT NULL column (or left one with a default): it ran, the edit reaches only new databases',
      before: { [P01]: USER + 'INSERT INTO "user" (user_id, username, role) VALUES (1, \'admin\', \'user\');\n' },
      after: { [P01]: USER + 'INSERT INTO "user" (user_id, username, role) VALUES (1, \'admin\', \'admin\');\n' },
      errors: [{ messageId: 'edited', severity: 'warning' }],
    },
    {
      name: 'PostgreSQL: an INSERT leaving out a column that has a default does not fail',
      before: { [P01]: USER.replace('"role" VARCHAR(50) NOT NULL', '"role" VARCHAR(50) NOT NULL DEFAULT \'user\'') + 'INSERT INTO "user" (user_id, username) VALUES (1, \'admin\');\n' },
      after: { [P01]: USER.replace('"role" VARCHAR(50) NOT NULL', '"role" VARCHAR(50) NOT NULL DEFAULT \'user\'') + 'INSERT INTO "user" (user_id, username) VALUES (2, \'admin\');\n' },
      errors: [{ messageId: 'edited', severity: 'warning' }],
    },
    {
      name: 'PostgreSQL: a default set between the CREATE TABLE and the INSERT (a statement the reader does not follow): no certain failure',
      before: { [P01]: USER + 'ALTER TABLE "user" ALTER COLUMN "role" SET DEFAULT \'user\';\nINSERT INTO "user" (user_id, username) VALUES (1, \'admin\');\n' },
      after: { [P01]: USER + 'ALTER TABLE "user" ALTER COLUMN "role" SET DEFAULT \'user\';\nINSERT INTO "user" (user_id, username) VALUES (2, \'admin\');\n' },
      errors: [{ messageId: 'edited', severity: 'warning' }],
    },
    {
      name: 'an edited migration no longer creates a column that a later migration drops without IF EXISTS: the later one fails on a new database',
      before: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE event (id uuid PRIMARY KEY, event_data jsonb);\n' },
      after: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE event (id uuid PRIMARY KEY);\n' },
      unchanged: { 'prisma/migrations/05_remove_event_data/migration.sql': '-- AlterTable\nALTER TABLE "event" DROP COLUMN "event_data";\n' },
      errors: [
        { messageId: 'edited', file: 'prisma/migrations/01_init/migration.sql' },
        {
          messageId: 'breaksLater',
          file: 'prisma/migrations/05_remove_event_data/migration.sql',
          line: 2,
          severity: 'warning',
          class: 'reversible-with-manual-repair',
          message: 'no longer creates event.event_data, which prisma/migrations/05_remove_event_data/migration.sql needs at line 2',
        },
      ],
    },
    {
      // Every database ends without event_data (dropped by 05 where 01 made it): the folder leaves one schema.
      name: 'the later migration drops it IF EXISTS: a new database runs it cleanly, and every database ends without the column: info',
      before: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE event (id uuid PRIMARY KEY, event_data jsonb);\n' },
      after: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE event (id uuid PRIMARY KEY);\n' },
      unchanged: { 'prisma/migrations/05_remove_event_data/migration.sql': 'ALTER TABLE "event" DROP COLUMN IF EXISTS "event_data";\n' },
      errors: [{ messageId: 'editedSameSchema', severity: 'info', file: 'prisma/migrations/01_init/migration.sql' }],
    },
    {
      name: 'an edited migration now creates a column that a later migration adds without IF NOT EXISTS: the later one fails on a new database',
      before: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE event (id uuid PRIMARY KEY);\n' },
      after: { 'prisma/migrations/01_init/migration.sql': 'CREATE TABLE event (id uuid PRIMARY KEY, visit_id uuid);\n' },
      unchanged: { 'prisma/migrations/02_visit/migration.sql': 'ALTER TABLE event ADD COLUMN visit_id uuid;\n' },
      errors: [
        { messageId: 'edited' },
        { messageId: 'collidesLater', file: 'prisma/migrations/02_visit/migration.sql', line: 1, class: 'reversible-with-manual-repair' },
      ],
    },
    {
      name: 'renamed to another id, every statement re-runs cleanly where it already ran (DROP CONSTRAINT IF EXISTS before the same ADD CONSTRAINT)',
      before: { 'prisma/migrations/04_fk/migration.sql': FK_IF_EXISTS },
      after: { 'prisma/migrations/03_fk/migration.sql': FK_IF_EXISTS },
      renamed: { 'prisma/migrations/03_fk/migration.sql': 'prisma/migrations/04_fk/migration.sql' },
      errors: [{ messageId: 'renamedRerunsCleanly', severity: 'info', class: 'fully-reversible', line: 1 }],
    },
    {
      name: 'renamed to another id: CREATE ... IF NOT EXISTS and a constraint dropped before it is added again re-run cleanly',
      before: { 'prisma/migrations/04_t/migration.sql': IDEMPOTENT },
      after: { 'prisma/migrations/03_t/migration.sql': IDEMPOTENT },
      renamed: { 'prisma/migrations/03_t/migration.sql': 'prisma/migrations/04_t/migration.sql' },
      errors: [{ messageId: 'renamedRerunsCleanly', severity: 'info' }],
    },
    {
      name: 'renamed to another id: a CREATE TABLE without IF NOT EXISTS fails where it already ran, reported at that statement',
      before: { 'prisma/migrations/04_t/migration.sql': 'CREATE TABLE IF NOT EXISTS a (id int);\nCREATE TABLE b (id int);\n' },
      after: { 'prisma/migrations/03_t/migration.sql': 'CREATE TABLE IF NOT EXISTS a (id int);\nCREATE TABLE b (id int);\n' },
      renamed: { 'prisma/migrations/03_t/migration.sql': 'prisma/migrations/04_t/migration.sql' },
      errors: [{ messageId: 'renamedId', severity: 'warning', class: 'reversible-with-manual-repair', line: 2 }],
    },
    {
      name: 'renamed to another id: a DROP COLUMN without IF EXISTS finds the column gone',
      before: { 'prisma/migrations/04_t/migration.sql': 'ALTER TABLE a DROP COLUMN IF EXISTS x;\nALTER TABLE a DROP COLUMN y;\n' },
      after: { 'prisma/migrations/03_t/migration.sql': 'ALTER TABLE a DROP COLUMN IF EXISTS x;\nALTER TABLE a DROP COLUMN y;\n' },
      renamed: { 'prisma/migrations/03_t/migration.sql': 'prisma/migrations/04_t/migration.sql' },
      errors: [{ messageId: 'renamedId', line: 2 }],
    },
    {
      name: 'renamed to another id: an INSERT runs again (a duplicate key, or the rows twice)',
      before: { 'prisma/migrations/04_t/migration.sql': "INSERT INTO a (id) VALUES (1);\n" },
      after: { 'prisma/migrations/03_t/migration.sql': "INSERT INTO a (id) VALUES (1);\n" },
      renamed: { 'prisma/migrations/03_t/migration.sql': 'prisma/migrations/04_t/migration.sql' },
      errors: [{ messageId: 'renamedId', line: 1 }],
    },
    {
      name: 'renamed to another id, MySQL: DROP FOREIGN KEY (no IF EXISTS in MySQL) of a key the first run dropped fails',
      before: { 'db/mysql/migrations/04_fk/migration.sql': MY_FK },
      after: { 'db/mysql/migrations/03_fk/migration.sql': MY_FK },
      renamed: { 'db/mysql/migrations/03_fk/migration.sql': 'db/mysql/migrations/04_fk/migration.sql' },
      errors: [{ messageId: 'renamedId', line: 1 }],
    },
    {
      name: 'PostgreSQL: "e" is the unquoted e (folded to lower case): formatting',
      before: { [PG]: 'ALTER TABLE "e" ADD COLUMN "v" INT;\n' },
      after: { [PG]: 'ALTER TABLE e ADD COLUMN v INT;\n' },
      errors: [{ messageId: 'editedNothingNew', severity: 'info' }],
    },
    {
      name: 'PostgreSQL: "Event" is not the unquoted Event (which folds to event): another table, so another schema',
      before: { [PG]: 'ALTER TABLE "Event" ADD COLUMN v INT;\n' },
      after: { [PG]: 'ALTER TABLE Event ADD COLUMN v INT;\n' },
      errors: [
        {
          messageId: 'editedSchema',
          severity: 'warning',
          class: 'reversible-with-manual-repair',
          message: 'so they keep Event.v int4, where the new text leaves event.v int4',
        },
      ],
    },
    // Rows below: an edit that changes the schema the migration leaves (databases that applied the old
    // text keep the old schema) is manual repair; one that only re-formats or adds data is not.
    {
      name: 'a rename that gets another target: databases that applied the old text keep the old name',
      before: { [PG]: 'ALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "numeric_value";\n' },
      after: { [PG]: '-- renamed values\nALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "number_value";\n' },
      errors: [
        {
          messageId: 'editedSchema',
          severity: 'warning',
          class: 'reversible-with-manual-repair',
          message:
            'keep event_data.event_numeric_value renamed to numeric_value, where the new text leaves event_data.event_numeric_value renamed to number_value',
        },
      ],
    },
    {
      name: 'NOT NULL removed from a column of an applied CREATE TABLE: databases that applied it keep the constraint',
      before: { [PG]: 'CREATE TABLE report (id uuid PRIMARY KEY, description text NOT NULL);\n' },
      after: { [PG]: 'CREATE TABLE report (id uuid PRIMARY KEY, description text);\n' },
      errors: [
        {
          messageId: 'editedSchema',
          class: 'reversible-with-manual-repair',
          message: 'keep report.description text NOT NULL, where the new text leaves report.description text',
        },
      ],
    },
    {
      name: 'MySQL: a column of an applied CREATE TABLE renamed, re-quoted and re-formatted at once: only the rename differs',
      before: { [MY]: 'CREATE TABLE session_data (\n  `numeric_value` DECIMAL(19,4) NULL\n) ENGINE=InnoDB;\n' },
      after: { [MY]: 'CREATE TABLE `session_data` (`number_value` DECIMAL(19,4) NULL);\n' },
      errors: [
        {
          messageId: 'editedSchema',
          class: 'reversible-with-manual-repair',
          message: 'keep session_data.numeric_value decimal(19,4), where the new text leaves session_data.number_value decimal(19,4)',
        },
      ],
    },
    {
      name: 'ClickHouse: unchanged renames, one rename with another target and a column added: only the edit is read',
      before: {
        'db/clickhouse/migrations/01_edit_keys.sql':
          'ALTER TABLE "event_data" RENAME COLUMN "event_date_value" TO "date_value";\nALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "numeric_value";',
      },
      after: {
        'db/clickhouse/migrations/01_edit_keys.sql':
          '-- edit event_data values\nALTER TABLE "event_data" RENAME COLUMN "event_date_value" TO "date_value";\nALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "number_value";',
      },
      errors: [
        {
          messageId: 'editedSchema',
          class: 'reversible-with-manual-repair',
          message: 'keep event_data.event_numeric_value renamed to numeric_value, where the new text leaves event_data.event_numeric_value renamed to number_value',
        },
      ],
    },
    {
      name: 'columns dropped by statements added to an applied migration: databases that applied it keep them',
      before: { [PG]: 'ALTER TABLE "website" ADD COLUMN "replay_enabled" BOOLEAN;\n' },
      after: { [PG]: 'DROP INDEX IF EXISTS "board_slug_key";\nALTER TABLE "board" DROP COLUMN IF EXISTS "slug";\nALTER TABLE "website" ADD COLUMN "replay_enabled" BOOLEAN;\n' },
      errors: [
        {
          messageId: 'editedSchema',
          class: 'reversible-with-manual-repair',
          message: 'they miss what only the new text does (drop index board_slug_key; board.slug dropped)',
        },
      ],
    },
    {
      name: 'a helper (a scratch table) created and dropped again by the statements the edit adds leaves the same schema',
      before: { [PG]: 'CREATE TABLE a (id int);\n' },
      after: { [PG]: 'CREATE TABLE a (id int);\nCREATE TABLE tmp (id int);\nINSERT INTO tmp SELECT id FROM a;\nDROP TABLE tmp;\n' },
      errors: [{ messageId: 'edited', severity: 'warning', class: 'fully-reversible', message: 'so its 3 added or changed' }],
    },
    {
      name: 'applied migrations squashed into a new folder: where they were applied it runs as new and fails at its first repeated rename',
      before: {
        'prisma/migrations/02_report_schema/migration.sql': 'CREATE TABLE "report" ("report_id" UUID NOT NULL);\n',
        'prisma/migrations/03_session_data/migration.sql':
          '-- AlterTable\nALTER TABLE "event_data" RENAME COLUMN "event_data_type" TO "data_type";\n',
      },
      after: {
        'prisma/migrations/02_report_schema_session_data/migration.sql':
          '-- AlterTable\nALTER TABLE "event_data" RENAME COLUMN "event_data_type" TO "data_type";\nCREATE TABLE "report" ("report_id" UUID NOT NULL);\n',
      },
      errors: [
        {
          messageId: 'squashed',
          line: 2,
          severity: 'warning',
          class: 'reversible-with-manual-repair',
          message: 'holds statements of prisma/migrations/03_session_data/migration.sql',
        },
      ],
    },
    {
      name: 'PostgreSQL: the old text did not parse (INSERT without VALUES), so none of it ran anywhere: every statement of the new text is new, at info',
      before: { [PG]: "CREATE TABLE role (id int PRIMARY KEY, name text);\nINSERT INTO role (id, name) (1, 'admin');\n" },
      after: { [PG]: "CREATE TABLE role (id int PRIMARY KEY, name text);\nINSERT INTO role (id, name) VALUES (1, 'admin');\n" },
      errors: [{ messageId: 'editedNeverParsed', severity: 'info', class: 'fully-reversible', message: 'its 2 statement(s) are assessed as new' }],
    },
    {
      name: 'ClickHouse: the old text failed on every database (a column the table it created does not have), and the edit fixes it: what follows is new, at info',
      before: {
        'db/clickhouse/migrations/02_a.sql':
          'CREATE TABLE t_new (id UUID, url String) ENGINE = MergeTree ORDER BY id;\nALTER TABLE t_new RENAME COLUMN path TO url_path;\nINSERT INTO t_new SELECT * FROM t;\n',
      },
      after: {
        'db/clickhouse/migrations/02_a.sql':
          'CREATE TABLE t_new (id UUID, url String) ENGINE = MergeTree ORDER BY id;\nALTER TABLE t_new RENAME COLUMN url TO url_path;\nINSERT INTO t_new SELECT * FROM t;\n',
      },
      errors: [
        {
          messageId: 'editedStoppedBefore',
          severity: 'info',
          class: 'fully-reversible',
          message: 'failed at line 2 on every database (t_new has no column path)',
        },
      ],
    },
    // Rows below: edits read against the whole folder (the schema a database that applied the old
    // migrations has, then the new ones it has not recorded, against a new database's).
    {
      name: 'later migrations folded into the applied first one and deleted: databases that applied them have the new text\'s schema',
      before: {
        [P01]: SQUASH_01,
        'prisma/migrations/02_add_share/migration.sql': 'ALTER TABLE "website" ADD COLUMN "share_id" VARCHAR(50);\nCREATE UNIQUE INDEX "website_share_id_key" ON "website"("share_id");\n',
        'prisma/migrations/03_widen_name/migration.sql': 'ALTER TABLE "website" ALTER COLUMN "name" SET DATA TYPE VARCHAR(200);\nALTER TABLE "website" DROP COLUMN "legacy";\n',
      },
      after: { [P01]: SQUASHED_01 },
      errors: [{ messageId: 'editedSameSchema', severity: 'info', class: 'fully-reversible', file: P01, message: 'its folder leaves the same schema on every database:' }],
    },
    {
      name: 'folded into the first one, but the fold keeps a column a deleted migration dropped: databases that applied it lack it',
      before: {
        [P01]: SQUASH_01,
        'prisma/migrations/02_add_share/migration.sql': 'ALTER TABLE "website" ADD COLUMN "share_id" VARCHAR(50);\nCREATE UNIQUE INDEX "website_share_id_key" ON "website"("share_id");\n',
        'prisma/migrations/03_widen_name/migration.sql': 'ALTER TABLE "website" ALTER COLUMN "name" SET DATA TYPE VARCHAR(200);\nALTER TABLE "website" DROP COLUMN "legacy";\n',
      },
      after: { [P01]: SQUASHED_01.replace('"share_id" VARCHAR(50),', '"share_id" VARCHAR(50),\n    "legacy" TEXT,') },
      errors: [
        {
          messageId: 'editedSchema',
          severity: 'warning',
          class: 'reversible-with-manual-repair',
          message: 'they miss what only the new text does (website.legacy text)',
        },
      ],
    },
    {
      name: 'a column moved from a later applied migration into the CREATE TABLE of an earlier one: the same end state',
      before: {
        'prisma/migrations/11_add_segment/migration.sql': 'CREATE TABLE "segment" (\n    "segment_id" UUID NOT NULL,\n    "name" VARCHAR(200) NOT NULL,\n    CONSTRAINT "segment_pkey" PRIMARY KEY ("segment_id")\n);\n',
        'prisma/migrations/13_add_revenue/migration.sql': 'ALTER TABLE "segment" ADD COLUMN "type" VARCHAR(200) NOT NULL;\n\nCREATE TABLE "revenue" ("revenue_id" UUID NOT NULL);\n',
      },
      after: {
        'prisma/migrations/11_add_segment/migration.sql': 'CREATE TABLE "segment" (\n    "segment_id" UUID NOT NULL,\n    "type" VARCHAR(200) NOT NULL,\n    "name" VARCHAR(200) NOT NULL,\n    CONSTRAINT "segment_pkey" PRIMARY KEY ("segment_id")\n);\n',
        'prisma/migrations/13_add_revenue/migration.sql': 'CREATE TABLE "revenue" ("revenue_id" UUID NOT NULL);\n',
      },
      errors: [
        { messageId: 'editedSameSchema', severity: 'info', file: 'prisma/migrations/11_add_segment/migration.sql' },
        { messageId: 'editedSameSchema', severity: 'info', file: 'prisma/migrations/13_add_revenue/migration.sql' },
      ],
    },
    {
      name: 'the move also renames a column of the CREATE TABLE: that difference stays, named on the migration it comes from',
      before: {
        'prisma/migrations/11_add_segment/migration.sql': 'CREATE TABLE "segment" ("segment_id" UUID NOT NULL, "filters" JSONB NOT NULL);\n',
        'prisma/migrations/13_add_revenue/migration.sql': 'ALTER TABLE "segment" ADD COLUMN "type" VARCHAR(200) NOT NULL;\n',
      },
      after: {
        'prisma/migrations/11_add_segment/migration.sql': 'CREATE TABLE "segment" ("segment_id" UUID NOT NULL, "type" VARCHAR(200) NOT NULL, "parameters" JSONB NOT NULL);\n',
        'prisma/migrations/13_add_revenue/migration.sql': '-- moved to 11\n',
      },
      errors: [
        {
          messageId: 'editedSchema',
          file: 'prisma/migrations/11_add_segment/migration.sql',
          class: 'reversible-with-manual-repair',
          message: 'they keep segment.filters jsonb NOT NULL, where the new text leaves segment.parameters jsonb NOT NULL',
        },
        { messageId: 'editedSameSchema', severity: 'info', file: 'prisma/migrations/13_add_revenue/migration.sql' },
      ],
    },
    {
      name: 'indexes created in two applied migrations and dropped by a third, removed from all three: the same end state',
      before: {
        'prisma/migrations/15_add_share/migration.sql': SHARE + 'CREATE UNIQUE INDEX "share_share_id_key" ON "share"("share_id");\n',
        'prisma/migrations/16_boards/migration.sql': BOARD + 'CREATE UNIQUE INDEX "board_board_id_key" ON "board"("board_id");\n',
        'prisma/migrations/17_remove_duplicate_key/migration.sql': 'DROP INDEX "board_board_id_key";\nDROP INDEX "link_link_id_key";\nDROP INDEX "share_share_id_key";\n',
      },
      after: {
        'prisma/migrations/15_add_share/migration.sql': SHARE,
        'prisma/migrations/16_boards/migration.sql': BOARD,
        'prisma/migrations/17_remove_duplicate_key/migration.sql': 'DROP INDEX "link_link_id_key";\n',
      },
      errors: [
        { messageId: 'editedSameSchema', severity: 'info', file: 'prisma/migrations/15_add_share/migration.sql' },
        { messageId: 'editedSameSchema', severity: 'info', file: 'prisma/migrations/16_boards/migration.sql' },
        { messageId: 'editedSameSchema', severity: 'info', file: 'prisma/migrations/17_remove_duplicate_key/migration.sql' },
      ],
    },
    {
      name: 'a unique index on exactly the primary key removed from an applied migration: the only difference changes no query and no row accepted: info',
      before: { 'prisma/migrations/16_boards/migration.sql': BOARD + 'CREATE UNIQUE INDEX "board_board_id_key" ON "board"("board_id");\n' },
      after: { 'prisma/migrations/16_boards/migration.sql': BOARD },
      errors: [
        {
          messageId: 'editedSameSchema',
          severity: 'info',
          message: 'but for unique index board_board_id_key on board (board_id) duplicates its primary key',
        },
      ],
    },
    {
      name: 'a unique index on another column removed from an applied migration: databases that applied it still refuse duplicates there',
      before: { 'prisma/migrations/16_boards/migration.sql': BOARD + 'CREATE UNIQUE INDEX "board_slug_key" ON "board"("slug");\n' },
      after: { 'prisma/migrations/16_boards/migration.sql': BOARD },
      errors: [{ messageId: 'editedSchema', class: 'reversible-with-manual-repair', message: 'they keep unique index board_slug_key on board (slug), which the new text no longer leaves' }],
    },
    {
      name: 'a statement whose effect the reader cannot see (a CALL of a procedure) added to an applied migration: not known to leave the same schema',
      before: { [PG]: 'CREATE TABLE a (id int);\n' },
      after: { [PG]: 'CREATE TABLE a (id int);\nCALL rename_index_if_exists(\'a\', \'a_id_idx\', \'a_id_key\');\n' },
      errors: [{ messageId: 'edited', severity: 'warning', message: 'so its 1 added or changed' }],
    },
    {
      name: 'a squash that also leaves out the CREATE EXTENSION of the applied init: the extension stays only where it ran, an effect the reader does not follow',
      before: {
        [P01]: 'CREATE EXTENSION IF NOT EXISTS "pgcrypto";\n' + SQUASH_01,
        'prisma/migrations/02_add_share/migration.sql': 'ALTER TABLE "website" ADD COLUMN "share_id" VARCHAR(50);\nCREATE UNIQUE INDEX "website_share_id_key" ON "website"("share_id");\n',
        'prisma/migrations/03_widen_name/migration.sql': 'ALTER TABLE "website" ALTER COLUMN "name" SET DATA TYPE VARCHAR(200);\nALTER TABLE "website" DROP COLUMN "legacy";\n',
      },
      after: { [P01]: SQUASHED_01 },
      errors: [{ messageId: 'edited', severity: 'warning', class: 'fully-reversible', file: P01 }],
    },
    {
      name: 'a default removed from an ADD COLUMN of an applied migration: applied databases still fill the column, new ones leave it NULL',
      before: { [PG]: 'ALTER TABLE "team" ADD COLUMN "deleted_at" TIMESTAMPTZ(6) DEFAULT CURRENT_TIMESTAMP;\n' },
      after: { [PG]: 'ALTER TABLE "team" ADD COLUMN "deleted_at" TIMESTAMPTZ(6);\n' },
      errors: [
        {
          messageId: 'editedSchema',
          class: 'reversible-with-manual-repair',
          message: 'they keep team.deleted_at timestamptz with a default, where the new text leaves team.deleted_at timestamptz',
        },
      ],
    },
    {
      name: 'UNIQUE added to a column of an applied CREATE TABLE: only new databases refuse a repeated value',
      before: { [PG]: 'CREATE TABLE "link" ("link_id" UUID NOT NULL, "slug" VARCHAR(100) NOT NULL);\n' },
      after: { [PG]: 'CREATE TABLE "link" ("link_id" UUID NOT NULL, "slug" VARCHAR(100) UNIQUE NOT NULL);\n' },
      errors: [{ messageId: 'editedSchema', class: 'reversible-with-manual-repair', message: 'they miss what only the new text does (unique index link_slug_key on link (slug))' }],
    },
    {
      name: 'ClickHouse: a later migration folded into the applied one and deleted: its statements ran there',
      before: {
        'db/clickhouse/migrations/01_edit_keys.sql': 'ALTER TABLE "event_data" RENAME COLUMN "event_date_value" TO "date_value";',
        'db/clickhouse/migrations/02_add_upload_id.sql': 'ALTER TABLE "website_event" ADD COLUMN "job_id" UUID AFTER "created_at";',
      },
      after: {
        'db/clickhouse/migrations/01_edit_keys.sql':
          'ALTER TABLE "event_data" RENAME COLUMN "event_date_value" TO "date_value";\n\n-- add job_id\nALTER TABLE "website_event" ADD COLUMN "job_id" UUID AFTER "created_at";',
      },
      errors: [{ messageId: 'editedSameSchema', severity: 'info', class: 'fully-reversible' }],
    },
    {
      name: 'ClickHouse: the fold also gives a rename another target: only that rename differs',
      before: {
        'db/clickhouse/migrations/01_edit_keys.sql': 'ALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "numeric_value";',
        'db/clickhouse/migrations/02_add_upload_id.sql': 'ALTER TABLE "website_event" ADD COLUMN "job_id" UUID AFTER "created_at";',
      },
      after: {
        'db/clickhouse/migrations/01_edit_keys.sql':
          'ALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "number_value";\nALTER TABLE "website_event" ADD COLUMN "job_id" UUID AFTER "created_at";',
      },
      errors: [
        {
          messageId: 'editedSchema',
          class: 'reversible-with-manual-repair',
          message: 'so they keep event_data.event_numeric_value renamed to numeric_value, where the new text leaves event_data.event_numeric_value renamed to number_value:',
        },
      ],
    },
    {
      name: 'ClickHouse: an edit before a statement with no `;` before the next RENAME, in the old text and the new alike: what follows never ran, so no database keeps its swap (edited, not editedSchema)',
      before: { 'db/clickhouse/migrations/02_a.sql': CH_STOPS('b') },
      after: { 'db/clickhouse/migrations/02_a.sql': CH_STOPS('c') },
      errors: [{ messageId: 'edited', severity: 'warning', class: 'fully-reversible' }],
    },
    {
      name: 'ClickHouse: comments and whitespace only',
      before: { 'db/clickhouse/migrations/01_a.sql': 'ALTER TABLE event_data RENAME COLUMN a TO b;' },
      after: { 'db/clickhouse/migrations/01_a.sql': '-- rename\nALTER TABLE  event_data\n  RENAME COLUMN a TO b;\n' },
      errors: [{ messageId: 'editedNothingNew', severity: 'info' }],
    },
  ],
});
