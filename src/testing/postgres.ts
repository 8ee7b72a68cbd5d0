/**
 * A real PostgreSQL server for tests and benchmarks, started in a temporary directory:
 * `initdb` + `pg_ctl -w start` on a private port, with the unix socket inside the temporary
 * directory (never /var/run/postgresql), stopped and removed by `stop()`.
 *
 *   const pg = await startPostgres();
 *   const url = await pg.createDatabase();   // a fresh database per test
 *   ...
 *   await pg.stop();
 *
 * Binaries: `ROLLWRIGHT_PG_BIN` (a directory), else `initdb` on PATH (symlinks resolved to the
 * directory that also holds `pg_ctl`), else the newest `/usr/lib/postgresql/<major>/bin` (15 first),
 * else `/usr/local/pgsql/bin`. PostgreSQL refuses to run as root: when this process is root, the
 * server runs as the `postgres` user through `runuser -u postgres --`, and the temporary directory is
 * chowned to it. Every process runs through execFile with argument arrays, never a shell.
 *
 * When no binaries are found, `startPostgres()` throws: tests that need PostgreSQL fail loudly.
 * Only an explicit `ROLLWRIGHT_SKIP_PG=1` skips them (see `pgSkipped()`).
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  url: string;
  port: number;
  /** The directory holding the unix socket. */
  socketDir: string;
  /** The server's major version, e.g. 15. */
  major: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (immediate mode) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Durability settings off (`fsync`, `synchronous_commit`, `full_page_writes`): tests do not
   * survive power loss and need not pay for it. Benchmarks keep the defaults. Default true.
   */
  fast?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
}

/** True when the environment explicitly opts out of PostgreSQL tests (`ROLLWRIGHT_SKIP_PG=1`). */
export function pgSkipped(): boolean {
  return process.env.ROLLWRIGHT_SKIP_PG === '1';
}

/** The directory holding `initdb` and `pg_ctl`, or undefined. */
export function findPgBin(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  const fromEnv = process.env.ROLLWRIGHT_PG_BIN;
  if (fromEnv) return has(fromEnv) ? fromEnv : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const initdb = join(dir, 'initdb');
    if (!existsSync(initdb)) continue;
    const real = dirname(realpathSync(initdb));
    if (has(real)) return real;
    if (has(dir)) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .map(Number)
      .sort((a, b) => (a === 15 ? -1 : b === 15 ? 1 : b - a));
    for (const m of majors) if (has(join(root, String(m), 'bin'))) return join(root, String(m), 'bin');
  }
  if (has('/usr/local/pgsql/bin')) return '/usr/local/pgsql/bin';
  return undefined;
}

const live = new Set<() => void>();
let exitHook = false;

/** Starts a server; throws with what is missing when it cannot. */
export async function startPostgres(opts: StartOptions = {}): Promise<PostgresServer> {
  const bin = findPgBin();
  if (!bin)
    throw new Error(
      'PostgreSQL binaries (initdb, pg_ctl) not found: install PostgreSQL 15 (apt-get install postgresql-15), ' +
        'set ROLLWRIGHT_PG_BIN to their directory, or set ROLLWRIGHT_SKIP_PG=1 to skip the PostgreSQL tests explicitly',
    );
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'rollwright-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  const log = join(dir, 'server.log');
  mkdirSync(sock);
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    owner = postgresUser();
    for (const p of [dir, sock]) chownSync(p, owner.uid, owner.gid);
  }
  const run = (file: string, args: string[], timeout = 60_000) =>
    asRoot
      ? exec('runuser', ['-u', 'postgres', '--', join(bin, file), ...args], timeout)
      : exec(join(bin, file), args, timeout);

  let stopped = false;
  const cleanupSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch {
      /* not running */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    const version = readFileSync(join(data, 'PG_VERSION'), 'utf8').trim();
    const settings: Record<string, string | number> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: sock,
      max_connections: 100,
      ...(opts.fast !== false ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
      ...opts.settings,
    };
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      // pg_ctl hands -o to the server; every value here is ours (ports, temp paths), never user input.
      const o = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
      try {
        await run('pg_ctl', ['-D', data, '-l', log, '-o', o, '-w', '-t', '60', 'start'], 90_000);
        break;
      } catch (e) {
        // Another process took the port between the probe and the start: try another one.
        const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
        if (attempt < 3 && /could not (bind|create listen socket)|Address already in use/i.test(text)) continue;
        throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${text}`);
      }
    }
    live.add(cleanupSync);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const f of live) f();
      });
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let n = 0;
    return {
      url,
      port,
      socketDir: sock,
      major: Number(version.split('.')[0]),
      async createDatabase(name?: string) {
        const db = name ?? `t_${process.pid}_${++n}_${Math.random().toString(36).slice(2, 8)}`;
        if (!/^[a-z_][a-z0-9_]*$/.test(db)) throw new Error(`bad database name ${db}`);
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${db}`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${db}`;
      },
      async stop() {
        live.delete(cleanupSync);
        if (stopped) return;
        stopped = true;
        try {
          await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          /* already stopped */
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    cleanupSync();
    throw e;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line)
    throw new Error(
      'running as root, and there is no `postgres` user to run the server as (PostgreSQL refuses to run as root)',
    );
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function exec(file: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', timeout, cwd: tmpdir() }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
