import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pgSkipped, startPostgres } from './postgres.js';

describe.skipIf(pgSkipped())('startPostgres', () => {
  it('starts a real PostgreSQL 15 on a private port, gives fresh databases, and removes everything on stop', async () => {
    const server = await startPostgres();
    try {
      expect(server.major).toBe(15);
      expect(existsSync(server.socketDir)).toBe(true);
      const url = await server.createDatabase();
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const r = await client.query<{ v: string; db: string }>(
        'SELECT current_setting($1) AS v, current_database() AS db',
        ['server_version_num'],
      );
      await client.end();
      expect(Number(r.rows[0]!.v)).toBeGreaterThanOrEqual(150000);
      expect(Number(r.rows[0]!.v)).toBeLessThan(160000);
      expect(url.endsWith(`/${r.rows[0]!.db}`)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.socketDir)).toBe(false);
  });
});
