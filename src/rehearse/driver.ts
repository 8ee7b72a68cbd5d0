/**
 * The databases a rehearsal runs on: PGlite (PostgreSQL compiled to WebAssembly, in process) by
 * default, or a real server by URL. Each rehearsal gets a fresh database and removes it afterwards:
 * nothing half-applied is left behind, whatever fails.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { optionalPackage } from '../core/errors.js';

export interface Db {
  kind: 'pglite' | 'postgres';
  /** Runs one statement (simple protocol; no parameters). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface DbTiming {
  /** How the database was obtained: `pglite-cached` (initialised data directory reused), `pglite-cold`, `postgres`. */
  start: 'pglite-cached' | 'pglite-cold' | 'postgres';
  ms: number;
}

/** Where the initialised PGlite data directory is kept between runs (a cold start costs seconds). */
export function pgliteCacheFile(version: string): string {
  const dir = process.env.ROLLWRIGHT_CACHE_DIR ?? join(tmpdir(), 'rollwright-cache');
  return join(dir, `pglite-${version}.tar`);
}

export async function openPglite(): Promise<{ db: Db; timing: DbTiming }> {
  const t0 = performance.now();
  const mod = await optionalPackage(import('@electric-sql/pglite'), '@electric-sql/pglite', 'Rehearsing on embedded PostgreSQL (PGlite)');
  const PGlite = mod.PGlite;
  const version = await pgliteVersion();
  const cache = pgliteCacheFile(version);
  let instance: InstanceType<typeof PGlite> | undefined;
  let start: DbTiming['start'] = 'pglite-cached';
  try {
    const buf = readFileSync(cache);
    instance = await PGlite.create({ loadDataDir: new Blob([buf]) });
  } catch {
    instance = undefined;
  }
  if (!instance) {
    start = 'pglite-cold';
    instance = await PGlite.create();
    try {
      const dump = await instance.dumpDataDir('none');
      const bytes = Buffer.from(await dump.arrayBuffer());
      mkdirSync(join(cache, '..'), { recursive: true });
      const tmp = `${cache}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, cache);
    } catch {
      /* the cache is an optimisation */
    }
  }
  const pg = instance;
  return {
    timing: { start, ms: performance.now() - t0 },
    db: {
      kind: 'pglite',
      async exec(sql) {
        await pg.exec(sql);
      },
      async query<T>(sql: string, params?: unknown[]) {
        return (await pg.query<T>(sql, params as never)).rows;
      },
      async close() {
        await pg.close();
      },
    },
  };
}

async function pgliteVersion(): Promise<string> {
  try {
    const { createRequire } = await import('node:module');
    // The CLI is a CommonJS bundle (require exists); tests run the ESM sources.
    const req = typeof require === 'function' ? require : createRequire(import.meta.url);
    const main = req.resolve('@electric-sql/pglite');
    let dir = dirname(main);
    for (let i = 0; i < 4 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir);
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** A fresh database on the server at `url`, dropped on close. */
export async function openPostgres(url: string): Promise<{ db: Db; timing: DbTiming }> {
  const t0 = performance.now();
  const { default: pg } = await optionalPackage(import('pg'), 'pg', 'Rehearsing on a PostgreSQL server');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `rollwright_rehearsal_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (e) {
    await admin.end();
    throw e;
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: u.toString() });
  try {
    await client.connect();
  } catch (e) {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
    throw e;
  }
  // Rehearsal errors are reported, not logged by the server driver.
  client.on('error', () => undefined);
  return {
    timing: { start: 'postgres', ms: performance.now() - t0 },
    db: {
      kind: 'postgres',
      async exec(sql) {
        await client.query(sql);
      },
      async query<T>(sql: string, params?: unknown[]) {
        return (await client.query(sql, params as never)).rows as T[];
      },
      async close() {
        await client.end().catch(() => undefined);
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        } finally {
          await admin.end();
        }
      },
    },
  };
}

/** A connection string with its password removed, for reports. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(database URL)';
  }
}
