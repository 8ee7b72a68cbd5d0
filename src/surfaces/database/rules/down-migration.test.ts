import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './down-migration.js';

ruleTable(database, rule, {
  valid: [
    {
      name: 'golang-migrate pair',
      after: {
        'm/3_a.up.sql': 'ALTER TABLE users ALTER COLUMN a SET DEFAULT 1;',
        'm/3_a.down.sql': 'ALTER TABLE users ALTER COLUMN a DROP DEFAULT;',
      },
    },
    {
      name: 'the down already exists at head, unchanged',
      unchanged: { 'm/3_a.down.sql': 'SELECT 1;' },
      after: { 'm/3_a.up.sql': 'ALTER TABLE users ALTER COLUMN a SET DEFAULT 1;' },
    },
    {
      name: 'flyway with its undo',
      after: { 'V3__a.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);', 'U3__a.sql': 'DROP INDEX i;' },
    },
  ],
  invalid: [
    {
      name: 'missing golang-migrate down',
      after: { 'm/3_a.up.sql': 'ALTER TABLE users ADD COLUMN a text;' },
      errors: [{ messageId: 'missing', class: 'forward-only', message: 'expected 3_a.down.sql' }],
    },
    {
      name: 'dbmate without a down section',
      after: { 'db/migrations/20240101_a.sql': '-- migrate:up\nALTER TABLE users ADD COLUMN a text;\n' },
      errors: [{ messageId: 'missing', message: 'a -- migrate:down section' }],
    },
    {
      name: 'prisma has no downs',
      after: { 'prisma/migrations/20240101_init/migration.sql': 'CREATE TABLE a (id int);' },
      errors: [{ messageId: 'noDownFramework', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: 'mismatched versions',
      after: {
        'm/3_add_a.up.sql': 'ALTER TABLE users ADD COLUMN a text;',
        'm/4_add_a.down.sql': 'ALTER TABLE users DROP COLUMN a;',
      },
      errors: [
        {
          messageId: 'mismatched',
          class: 'reversible-with-manual-repair',
          message: 'the down m/4_add_a.down.sql does not pair with m/3_add_a.up.sql',
        },
      ],
    },
    {
      name: 'empty down',
      after: { 'm/3_a.up.sql': 'ALTER TABLE users ADD COLUMN a text;', 'm/3_a.down.sql': '-- nothing\n' },
      errors: [{ messageId: 'empty', file: 'm/3_a.down.sql' }],
    },
    {
      name: 'down drops what the up created (dbmate, line in the down section)',
      after: {
        'db/migrations/20240101_a.sql':
          '-- migrate:up\nCREATE TABLE coupons (id int);\nALTER TABLE users ADD COLUMN nickname text;\n-- migrate:down\nALTER TABLE users DROP COLUMN nickname;\nDROP TABLE coupons;\n',
      },
      errors: [
        {
          messageId: 'dropsCreated',
          line: 5,
          class: 'reversible-with-compatibility-window',
          message: 'drops column users.nickname',
        },
        { messageId: 'dropsCreated', line: 6, message: 'drops table coupons and its rows' },
      ],
    },
  ],
});
