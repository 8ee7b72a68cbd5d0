/**
 * The same tests against both stores: real SQLite files in a temporary directory, and a real
 * PostgreSQL server (src/testing/postgres.ts) started once per test file, with a fresh database per
 * store. PostgreSQL is skipped only when ROLLWRIGHT_SKIP_PG=1 is set explicitly; without binaries
 * and without that variable, the PostgreSQL variant fails (beforeAll throws with what is missing).
 *
 *   const stores = testStores();
 *   describe.each(stores.kinds)('%s', (kind) => {
 *     it('...', async () => { const spec = await stores.fresh(kind); ... });
 *   });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { pgSkipped, startPostgres, type PostgresServer } from '../postgres.js';
import type { StoreSpec } from '../../ledger/store-spec.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface TestStores {
  kinds: StoreKind[];
  /** A new, empty store of that kind. */
  fresh(kind: StoreKind): Promise<StoreSpec>;
  /** `--store` text for a spec. */
  flag(spec: StoreSpec): string;
  /** The temporary directory (for SQLite files and other scratch files). */
  dir(): string;
  server(): PostgresServer;
}

export function testStores(): TestStores {
  const kinds: StoreKind[] = pgSkipped() ? ['sqlite'] : ['sqlite', 'postgres'];
  if (pgSkipped()) process.stderr.write('ROLLWRIGHT_SKIP_PG=1: the PostgreSQL variant of these tests is skipped\n');
  let server: PostgresServer | undefined;
  let tmp: string | undefined;
  let n = 0;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'rollwright-ledger-'));
    if (kinds.includes('postgres')) server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  return {
    kinds,
    async fresh(kind) {
      if (kind === 'sqlite') return { kind: 'sqlite', path: join(tmp!, `ledger-${++n}`, 'ledger.db') };
      if (!server) throw new Error('PostgreSQL server not started');
      return { kind: 'postgres', url: await server.createDatabase() };
    },
    flag(spec) {
      return spec.kind === 'sqlite' ? `sqlite:${spec.path}` : spec.url;
    },
    dir() {
      return tmp!;
    },
    server() {
      if (!server) throw new Error('PostgreSQL server not started');
      return server;
    },
  };
}
