import { describe, expect, it } from 'vitest';
import { assessChangeSet } from '../../testing/engine.js';
import { ConfigSchema } from '../../core/config-schema.js';
import { changeSetOf, memoryRepo } from '../../testing/rule-tester.js';
import { database } from './index.js';

async function run(
  before: Record<string, string>,
  after: Record<string, string>,
  config: Record<string, unknown> = {},
) {
  const cs = changeSetOf(before, after);
  return assessChangeSet(cs, memoryRepo(before, after), ConfigSchema.parse(config), { surfaces: [database] });
}

describe("database surface (the issue's done-when cases)", () => {
  it('a dropped column is non-recoverable-without-restore, with the column named', async () => {
    const a = await run(
      {},
      {
        'db/migrations/000005_drop_email.up.sql': 'ALTER TABLE users DROP COLUMN email;\n',
        'db/migrations/000005_drop_email.down.sql': 'ALTER TABLE users ADD COLUMN email text;\n',
      },
    );
    expect(a.class).toBe('non-recoverable-without-restore');
    const f = a.findings.find((x) => x.rule === 'database/contract-statement')!;
    expect(f.message).toBe(
      "DROP COLUMN users.email: its data is destroyed; the running version still selects email and fails with 'column does not exist' until it is replaced",
    );
    expect([f.file, f.line, f.column]).toEqual(['db/migrations/000005_drop_email.up.sql', 1, 1]);
  });

  it('a nullable column and a concurrent index are reversible-with-compatibility-window', async () => {
    const a = await run(
      {},
      {
        'db/migrations/000003_add_nickname.up.sql': 'ALTER TABLE users ADD COLUMN nickname text;\n',
        'db/migrations/000003_add_nickname.down.sql': 'ALTER TABLE users DROP COLUMN nickname;\n',
        'db/migrations/000004_index_nickname.up.sql':
          'CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n',
        'db/migrations/000004_index_nickname.down.sql': 'DROP INDEX CONCURRENTLY IF EXISTS users_nickname_idx;\n',
      },
    );
    expect(a.findings.map((f) => `${f.rule}:${f.messageId}:${f.class}`)).toEqual([
      'database/down-migration:dropsCreated:reversible-with-compatibility-window',
      'database/expand-statement:addColumn:fully-reversible',
      'database/expand-statement:createIndexConcurrently:fully-reversible',
    ]);
    expect(a.class).toBe('reversible-with-compatibility-window');
  });

  it('ALTER TYPE ... ADD VALUE is forward-only', async () => {
    const a = await run(
      {},
      {
        'm/000007_status.up.sql': "ALTER TYPE order_status ADD VALUE 'refunded';\n",
        'm/000007_status.down.sql': '-- enum values cannot be removed\nSELECT 1;\n',
      },
    );
    expect(a.class).toBe('forward-only');
  });

  it('expand and contract of the same table in one release fails the gate whatever is declared', async () => {
    const a = await run(
      {},
      {
        'db/migrations/000003_add_nickname.up.sql': 'ALTER TABLE users ADD COLUMN nickname text;\n',
        'db/migrations/000003_add_nickname.down.sql': 'ALTER TABLE users DROP COLUMN nickname;\n',
        'db/migrations/000004_drop_email.up.sql':
          'UPDATE users SET nickname = email;\nALTER TABLE users DROP COLUMN email;\n',
        'db/migrations/000004_drop_email.down.sql': 'ALTER TABLE users ADD COLUMN email text;\n',
      },
    );
    const f = a.findings.find((x) => x.rule === 'database/expand-and-contract-same-release')!;
    expect(f.severity).toBe('error');
    expect(a.gate.passed).toBe(false);
    expect(a.gate.reasons.join('\n')).toMatch(/no declaration can accept/);
  });

  it('git renames: a migration moved with its id is skipped; renamed to another id it runs again (manual repair)', async () => {
    const OLD = 'ALTER TABLE orders DROP COLUMN legacy_ref;\n';
    const renamed = (from: string, to: string) => ({ status: 'renamed' as const, path: to, oldPath: from, oldText: OLD, newText: OLD, oldBlob: 'x', newBlob: 'x' });
    const cs = {
      base: 'BASE',
      head: 'HEAD',
      commits: [],
      files: [
        renamed('db/postgresql/migrations/2_drop/migration.sql', 'prisma/migrations/2_drop/migration.sql'),
        renamed('prisma/migrations/20210320_init/migration.sql', 'prisma/migrations/20220627_init/migration.sql'),
      ],
    };
    const head = { 'prisma/migrations/2_drop/migration.sql': OLD, 'prisma/migrations/20220627_init/migration.sql': OLD };
    const a = await assessChangeSet(cs, memoryRepo({}, head), ConfigSchema.parse({}), { surfaces: [database] });
    expect(a.findings.map((f) => `${f.rule}:${f.messageId}:${f.file}`)).toEqual([
      'database/migration-edited:renamedId:prisma/migrations/20220627_init/migration.sql',
    ]);
    expect(a.class).toBe('reversible-with-manual-repair');
  });

  it('a change without SQL gets nothing from the surface (the CLI test proves the parser is not even loaded)', async () => {
    const a = await run({}, { 'README.md': 'x' });
    expect(a.findings).toEqual([]);
  });
});
