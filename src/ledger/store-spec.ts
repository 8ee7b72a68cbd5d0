import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

/** Where a ledger lives: a SQLite file (default `.rollwright/ledger.db`) or a PostgreSQL database. */
export type StoreSpec = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export const DEFAULT_LEDGER = join('.rollwright', 'ledger.db');

/**
 * `--store` (or `ROLLWRIGHT_STORE`): `sqlite:PATH` or `postgres://…` / `postgresql://…`.
 * Relative SQLite paths are relative to the current directory, as any path on a command line.
 */
export function parseStoreSpec(text: string, origin = '--store'): StoreSpec {
  const t = text.trim();
  if (/^postgres(ql)?:\/\//i.test(t)) {
    try {
      new URL(t);
    } catch {
      throw new UsageError(`${origin}: not a valid PostgreSQL URL: ${redactUrl(t)}`);
    }
    return { kind: 'postgres', url: t };
  }
  if (t.startsWith('sqlite:')) {
    const path = t.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new UsageError(`${origin}: sqlite: needs a path, e.g. sqlite:.rollwright/ledger.db`);
    return { kind: 'sqlite', path: resolve(path) };
  }
  throw new UsageError(
    `${origin}: ${JSON.stringify(redactUrl(t))} is not a store: use sqlite:PATH or postgres://user@host:5432/db`,
  );
}

/** `--store`, else `ROLLWRIGHT_STORE`, else `<repo or cwd>/.rollwright/ledger.db`. */
export function resolveStore(flag: string | undefined, repo: string | undefined, env = process.env): StoreSpec {
  if (flag !== undefined) return parseStoreSpec(flag);
  const fromEnv = env.ROLLWRIGHT_STORE;
  if (fromEnv !== undefined && fromEnv !== '') return parseStoreSpec(fromEnv, 'ROLLWRIGHT_STORE');
  const base = repo ?? '.';
  return { kind: 'sqlite', path: resolve(isAbsolute(base) ? base : resolve(base), DEFAULT_LEDGER) };
}

/** A connection string without its password (and without secrets in query parameters). */
export function redactUrl(text: string): string {
  try {
    const u = new URL(text);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return text.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/** How a store is named in messages: the file path, or the redacted URL. */
export function describeStore(spec: StoreSpec): string {
  return spec.kind === 'sqlite' ? spec.path : redactUrl(spec.url);
}
