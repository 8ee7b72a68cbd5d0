import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { editedApplied } from '../testing/edited.js';
import rule from './default-dropped.js';

const INIT = "CREATE TABLE users (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'active', note text DEFAULT 'x');\n";

ruleTable(database, rule, {
  valid: [
    { name: 'SET DEFAULT changes nothing the running version relies on', after: { 'V2__a.sql': "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';" } },
    { name: 'a table created in the same release', after: { 'V2__a.sql': 'CREATE TABLE t (a int NOT NULL DEFAULT 1);\nALTER TABLE t ALTER COLUMN a DROP DEFAULT;' } },
  ],
  invalid: [
    {
      // A database that applied 02 never runs it again (the framework records it by id); a new one runs it
      // right after the CREATE TABLE of "s", on an empty table. "accounts" comes from 01: not the same case.
      name: 'an edited applied migration: DROP DEFAULT on a table the same file creates runs only on a new database (info); on a table of an earlier migration the running version inserts NULL',
      ...editedApplied('ALTER TABLE "s" ALTER COLUMN "b" DROP DEFAULT;\nALTER TABLE "accounts" ALTER COLUMN "n" DROP DEFAULT;\n'),
      errors: [
        { messageId: 'newDatabaseOnly', line: 2, severity: 'info', message: 'DROP DEFAULT s.b: runs only on a new database' },
        { messageId: 'nullable', line: 3 },
      ],
    },
    {
      name: 'DROP DEFAULT on a NOT NULL column (from the earlier migrations) and on a nullable one',
      before: { 'prisma/migrations/1_init/migration.sql': INIT },
      after: {
        'prisma/migrations/1_init/migration.sql': INIT,
        'prisma/migrations/2_b/migration.sql':
          'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\nALTER TABLE users ALTER COLUMN note DROP DEFAULT;',
      },
      errors: [
        {
          messageId: 'notNull',
          line: 1,
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          message: "DROP DEFAULT on the NOT NULL column users.status: the running version's INSERTs that omit status fail",
        },
        { messageId: 'nullable', line: 2, class: 'fully-reversible', severity: 'info' },
      ],
    },
  ],
});
