import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../testing/postgres.js';
import { openPostgres } from './driver.js';
import { formatCases, rehearsalCases } from './cases.js';
import { seedCases } from './seed-cases.js';

// No skip: a machine without PostgreSQL 15 binaries fails here, loudly (see src/testing/postgres.ts).
describe('rehearsal on a real PostgreSQL 15 server', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
  });

  rehearsalCases(() => () => openPostgres(server.url));
  formatCases(() => () => openPostgres(server.url));
  describe('seeding', () => {
    seedCases(() => () => openPostgres(server.url));
  });

  it('refuses CREATE INDEX CONCURRENTLY among other statements of one query, as golang-migrate sends a file (concurrent-index-in-transaction)', async () => {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: await server.createDatabase() });
    await c.connect();
    try {
      await c.query('CREATE TABLE t (a int)');
      await expect(c.query('ALTER TABLE t ADD COLUMN b int; CREATE INDEX CONCURRENTLY t_b ON t (b)')).rejects.toThrow(
        /CREATE INDEX CONCURRENTLY cannot (run inside a transaction block|be executed from a function or multi-command string)/,
      );
      // Alone in its query it runs.
      await c.query('CREATE INDEX CONCURRENTLY t_a ON t (a)');
    } finally {
      await c.end();
    }
  });

  it('leaves no rehearsal database behind', async () => {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const r = await c.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'rollwright_rehearsal_%'",
    );
    await c.end();
    expect(server.major).toBe(15);
    expect(r.rows[0]!.n).toBe(0);
  });
});
