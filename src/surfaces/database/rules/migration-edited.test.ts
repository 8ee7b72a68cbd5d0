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

ruleTable(database, rule, {
  valid: [
    {
      name: 'a new migration is not an edit',
      after: { 'prisma/migrations/2_b/migration.sql': 'CREATE TABLE c (id int);' },
    },
  ],
  // Rows below: what an edited applied migration counts as unchanged, by dialect.
  invalid: [
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
      name: 'MySQL: double quotes re-quoted to backticks: every statement from the one that failed is new, also the unchanged index after it',
      before: { [MY]: QUOTED },
      after: { [MY]: TICKED },
      errors: [{ messageId: 'edited', severity: 'warning', message: 'so its 3 added or changed' }],
    },
    {
      name: 'MySQL: statements before the first double-quoted one ran and stay out',
      before: { [MY]: 'CREATE TABLE `e` (`id` INT);\n' + QUOTED },
      after: { [MY]: 'CREATE TABLE `e` (`id` INT);\n' + TICKED },
      errors: [{ messageId: 'edited', severity: 'warning', message: 'so its 3 added or changed' }],
    },
    {
      name: 'MySQL: an old text with a syntax error ran only the statements before it',
      before: { [MY]: 'CREATE TABLE `e` (`id` INT);\nALTER TABLE `e` ADD COLUMN;\n' + INDEX },
      after: { [MY]: 'CREATE TABLE `e` (`id` INT);\nALTER TABLE `e` ADD COLUMN `v` INT NULL;\n' + INDEX },
      errors: [{ messageId: 'edited', severity: 'warning', message: 'so its 2 added or changed' }],
    },
    {
      name: 'MySQL: the statement the old text failed at is still there unchanged: the new text stops there too, only what the edit added before it is new',
      before: { [MY]: 'CREATE TABLE `e` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n' + INDEX },
      after: { [MY]: 'CREATE TABLE `e` (`id` INT);\nCREATE TABLE `f` (`id` INT);\nINSERT INTO "user" (`id`) VALUES (1);\n' + INDEX },
      errors: [{ messageId: 'edited', severity: 'warning', message: 'so its 1 added or changed' }],
    },
    {
      name: 'PostgreSQL: "e" is the unquoted e (folded to lower case): formatting',
      before: { [PG]: 'ALTER TABLE "e" ADD COLUMN "v" INT;\n' },
      after: { [PG]: 'ALTER TABLE e ADD COLUMN v INT;\n' },
      errors: [{ messageId: 'editedNothingNew', severity: 'info' }],
    },
    {
      name: 'PostgreSQL: "Event" is not the unquoted Event (which folds to event): a changed statement',
      before: { [PG]: 'ALTER TABLE "Event" ADD COLUMN v INT;\n' },
      after: { [PG]: 'ALTER TABLE Event ADD COLUMN v INT;\n' },
      errors: [{ messageId: 'edited', severity: 'warning', message: 'so its 1 added or changed' }],
    },
  ],
});
