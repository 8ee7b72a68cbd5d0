import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { editedApplied } from '../testing/edited.js';
import rule from './expand-and-contract-same-release.js';

ruleTable(database, rule, {
  valid: [
    { name: 'expand only', after: { 'V3__a.sql': 'ALTER TABLE users ADD COLUMN nickname text;' } },
    {
      name: 'expand and contract of different tables',
      after: {
        'V3__a.sql': 'ALTER TABLE users ADD COLUMN nickname text;',
        'V4__b.sql': 'ALTER TABLE orders DROP COLUMN legacy;',
      },
    },
    {
      name: 'unrelated columns of one table: nothing of the dropped column goes into the new one',
      after: {
        'V3__a.sql': 'ALTER TABLE users ADD COLUMN replay_enabled boolean;',
        'V4__b.sql': 'ALTER TABLE users DROP COLUMN share_id;',
      },
    },
    {
      name: 'an index and a constraint are not expands: a foreign-key replacement is no pair',
      after: {
        'V3__a.sql':
          'ALTER TABLE orders ADD CONSTRAINT o_fk2 FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT o_fk2;\nALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\nCREATE INDEX CONCURRENTLY i ON orders (x);',
      },
    },
    {
      name: 'the copy is in another database (another migrations folder)',
      after: {
        'mysql/V3__a.sql': 'ALTER TABLE users ADD COLUMN display_name text;\nUPDATE users SET display_name = name;',
        'pg/V4__b.sql': 'ALTER TABLE users DROP COLUMN name;',
      },
    },
    {
      name: 'a table created and changed in the same release',
      after: { 'V3__a.sql': 'CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;' },
    },
  ],
  invalid: [
    {
      // A database that applied 02 never runs it again; a new one adds, fills and drops on the empty "s" its
      // CREATE TABLE just made. The same pair on "accounts" (created by 01) is a release that contracts it.
      name: 'an edited applied migration: a column copied and dropped in a table the same file creates runs only on a new database (info); on a table of an earlier migration it is a pair',
      ...editedApplied('ALTER TABLE "s" ADD COLUMN "e" TEXT;\nUPDATE "s" SET "e" = "a";\nALTER TABLE "s" DROP COLUMN "a";\nALTER TABLE "accounts" ADD COLUMN "title" TEXT;\nUPDATE "accounts" SET "title" = "name";\nALTER TABLE "accounts" DROP COLUMN "name";\n'),
      errors: [
        { messageId: 'newDatabaseOnly', line: 4, severity: 'info', class: 'fully-reversible', message: 'DROP COLUMN s.a: runs only on a new database, on s' },
        { messageId: 'mixed', line: 7, severity: 'error' },
      ],
    },
    {
      name: 'same table across two migrations of one release',
      after: {
        'V3__add.sql': 'ALTER TABLE users ADD COLUMN nickname text;\nUPDATE users SET nickname = email;',
        'V4__drop.sql': '\nALTER TABLE users DROP COLUMN email;',
      },
      errors: [
        {
          messageId: 'mixed',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          file: 'V4__drop.sql',
          line: 2,
          message:
            'users: this release expands it (ADD COLUMN users.nickname in V3__add.sql:1) and contracts it (DROP COLUMN users.email): the running version fails on what is dropped during the deploy, and a rollback must re-create it and copy the data back from users.nickname by hand',
        },
      ],
    },
    {
      name: 'a new table filled from the one the release drops',
      after: {
        'V3__a.sql':
          'CREATE TABLE purchases (id bigint, total int);\nINSERT INTO purchases (id, total) SELECT id, total FROM orders;\nDROP TABLE orders;',
      },
      errors: [{ messageId: 'mixed', line: 3, message: 'orders: this release expands it (CREATE TABLE purchases in V3__a.sql:1) and contracts it (DROP TABLE orders)' }],
    },
  ],
});
