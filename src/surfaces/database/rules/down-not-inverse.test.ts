import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './down-not-inverse.js';

ruleTable(database, rule, {
  valid: [
    {
      name: 'golang-migrate: the down drops what the up created, in reverse order',
      after: {
        'db/migrations/7_coupons.up.sql':
          'CREATE TABLE coupons (id int PRIMARY KEY, code text);\nALTER TABLE orders ADD COLUMN coupon_id int;\nCREATE INDEX orders_coupon_idx ON orders (coupon_id);\n',
        'db/migrations/7_coupons.down.sql':
          'DROP INDEX orders_coupon_idx;\nALTER TABLE orders DROP COLUMN coupon_id;\nDROP TABLE coupons;\n',
      },
    },
    {
      name: 'renames back, names folded and schema-qualified alike',
      after: {
        'm/3_rename.up.sql':
          'ALTER TABLE public.Users RENAME TO accounts;\nALTER TABLE accounts RENAME COLUMN mail TO email;\n',
        'm/3_rename.down.sql':
          'ALTER TABLE accounts RENAME COLUMN email TO mail;\nALTER TABLE accounts RENAME TO users;\n',
      },
    },
    {
      name: 'dropping the column drops its index and constraint with it',
      after: {
        'm/4_a.up.sql': 'ALTER TABLE users ADD COLUMN org int;\nCREATE INDEX users_org ON users (org);\n',
        'm/4_a.down.sql': 'ALTER TABLE users DROP COLUMN org;\n',
      },
    },
    {
      name: 'a down that recreates the dropped column',
      after: {
        'm/5_a.up.sql': 'ALTER TABLE users DROP COLUMN legacy;\n',
        'm/5_a.down.sql': 'ALTER TABLE users ADD COLUMN legacy text;\n',
      },
    },
    {
      name: 'an up with no judged effect (a data change) and a no-op down',
      after: {
        'm/6_a.up.sql': "UPDATE users SET plan = 'free' WHERE plan IS NULL;\n",
        'm/6_a.down.sql': 'SELECT 1;\n',
      },
    },
    {
      name: 'a down in a DO block is not judged',
      after: {
        'm/8_a.up.sql': 'CREATE TABLE t (id int);\n',
        'm/8_a.down.sql': "DO $$ BEGIN EXECUTE 'DROP TABLE ' || 't'; END $$;\n",
      },
    },
  ],
  invalid: [
    {
      name: 'golang-migrate: the down forgets the index and the column',
      after: {
        'db/migrations/7_coupons.up.sql':
          'CREATE TABLE coupons (id int PRIMARY KEY, code text);\nALTER TABLE orders ADD COLUMN coupon_id int;\nCREATE INDEX orders_coupon_idx ON orders (coupon_id);\n',
        'db/migrations/7_coupons.down.sql': 'DROP TABLE coupons;\n',
      },
      errors: [
        {
          messageId: 'notUndone',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'db/migrations/7_coupons.up.sql',
          line: 2,
          message:
            'the up runs ADD COLUMN orders.coupon_id and its down (db/migrations/7_coupons.down.sql) does not undo it (DROP COLUMN coupon_id expected)',
        },
        {
          messageId: 'notUndone',
          line: 3,
          message: /CREATE INDEX orders_coupon_idx .* \(DROP INDEX orders_coupon_idx expected\)/,
        },
      ],
    },
    {
      name: 'a no-op down (SELECT 1)',
      after: { 'm/3_a.up.sql': 'CREATE TABLE t (id int);\n', 'm/3_a.down.sql': '-- nothing to do\nSELECT 1;\n' },
      errors: [{ messageId: 'noOp', file: 'm/3_a.down.sql', line: 2 }],
    },
    {
      name: 'dbmate: a rename not renamed back',
      after: {
        'db/migrations/20240101_a.sql':
          '-- migrate:up\nALTER TABLE users RENAME COLUMN mail TO email;\n-- migrate:down\nALTER TABLE users RENAME COLUMN email TO e_mail;\n',
      },
      errors: [
        {
          messageId: 'notUndone',
          line: 2,
          message: /RENAME COLUMN users\.mail TO email .* \(RENAME COLUMN email TO mail expected\)/,
        },
      ],
    },
    {
      name: 'Flyway undo that leaves the table',
      after: {
        'V3__a.sql': 'CREATE TABLE audit (id int);\nCREATE VIEW recent AS SELECT 1;\n',
        'U3__a.sql': 'DROP VIEW recent;\n',
      },
      errors: [{ messageId: 'notUndone', file: 'V3__a.sql', line: 1, message: /CREATE TABLE audit/ }],
    },
    {
      name: 'sqitch revert that does not recreate the dropped column',
      after: {
        'sqitch.plan': '%project=shop\n\ndrop_legacy 2024-01-01T00:00:00Z A <a@example.com> # drop\n',
        'deploy/drop_legacy.sql': 'BEGIN;\nALTER TABLE users DROP COLUMN legacy;\nCOMMIT;\n',
        'revert/drop_legacy.sql': 'BEGIN;\nALTER TABLE users ADD COLUMN legacy_id int;\nCOMMIT;\n',
      },
      errors: [
        { messageId: 'notUndone', file: 'deploy/drop_legacy.sql', line: 2, message: /DROP COLUMN users\.legacy/ },
      ],
    },
    {
      name: 'sqitch revert that only selects, inside its transaction',
      after: {
        'sqitch.plan': '%project=shop\n\nadd_t 2024-01-01T00:00:00Z A <a@example.com> # add\n',
        'deploy/add_t.sql': 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n',
        'revert/add_t.sql': 'BEGIN;\nSELECT 1;\nCOMMIT;\n',
      },
      errors: [{ messageId: 'noOp', file: 'revert/add_t.sql', line: 2 }],
    },
  ],
});
