import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';

/** Where a ledger lives: a SQLite file or a PostgreSQL database. */
export type StoreSpec = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** How a store is opened. */
export interface OpenOptions {
  /** Create the ledger (file, directory, schema) when it does not exist. Read-only commands pass false. */
  create: boolean;
}

/** Where the store of a command came from, in the order of precedence. */
export type StoreSource = 'flag' | 'env' | 'config' | 'default' | 'work-tree';

/** The default of earlier versions: a file inside the work tree (`<repo>/.rollwright/ledger.db`). */
export const DEFAULT_LEDGER = join('.rollwright', 'ledger.db');

/**
 * `--store` (or `ROLLWRIGHT_STORE`, or the config's `ledger.store`): `postgres://…` /
 * `postgresql://…`, `sqlite:PATH`, or a plain PATH (a SQLite file). Relative paths are relative to
 * `base` (the current directory for a command line and the environment, the repository for its config).
 */
export function parseStoreSpec(text: string, origin = '--store', base = process.cwd()): StoreSpec {
  const t = text.trim();
  if (/^postgres(ql)?:\/\//i.test(t)) {
    try {
      new URL(t);
    } catch {
      throw new UsageError(`${origin}: not a valid PostgreSQL URL: ${redactUrl(t)}`);
    }
    return { kind: 'postgres', url: t };
  }
  const plain = !/^[a-z][a-z0-9+.-]*:/i.test(t) || /^[a-z]:[\\/]/i.test(t);
  if (t.startsWith('sqlite:') || (plain && t !== '')) {
    const path = t.startsWith('sqlite:') ? t.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : t;
    if (!path) throw new UsageError(`${origin}: sqlite: needs a path, e.g. sqlite:.rollwright/ledger.db`);
    return { kind: 'sqlite', path: resolve(base, path) };
  }
  throw new UsageError(
    `${origin}: ${JSON.stringify(redactUrl(t))} is not a store: use postgres://user@host:5432/db, sqlite:PATH or a PATH`,
  );
}

/**
 * The library's resolution, without git or a config: `--store`, else `ROLLWRIGHT_STORE`, else
 * `<repo or cwd>/.rollwright/ledger.db`. The command line resolves further (the config's
 * `ledger.store`, then a file in the user's state directory keyed by the repository: see
 * `src/cli/store-resolution.ts`) and passes the result on as a `--store` text.
 */
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

/** `--store` text for a spec (what `parseStoreSpec` reads back). */
export function storeText(spec: StoreSpec): string {
  return spec.kind === 'sqlite' ? `sqlite:${spec.path}` : spec.url;
}

/**
 * The user's state directory (XDG Base Directory Specification): `$XDG_STATE_HOME` when it is set
 * to an absolute path (a relative one is ignored, as the specification says), else `~/.local/state`.
 */
export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  const x = env.XDG_STATE_HOME;
  if (x && isAbsolute(x)) return x;
  return join(env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(), '.local', 'state');
}

/** What a repository is, for the default ledger's place: its origin, its first commit, or its path. */
export interface RepoIdentity {
  kind: 'origin' | 'root-commit' | 'path';
  /** The normalised origin URL, the root commit id, or the absolute path. */
  value: string;
  /** A short readable name for the directory (the repository's name). */
  name: string;
}

/**
 * A remote URL in one form for every way of writing it: `git@github.com:acme/platform.git`,
 * `ssh://git@github.com:22/acme/platform`, `https://user:token@github.com/acme/platform.git/` all give
 * `github.com/acme/platform` (host lower-cased; user, password, port, `.git` and slashes dropped). A
 * local path stays a path.
 */
export function normalizeRemoteUrl(url: string): string {
  const t = url.trim();
  let host = '';
  let path: string;
  const scp = /^(?:[^@/:]+@)?([^:/]+):(?!\/\/)(.*)$/.exec(t);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    try {
      const u = new URL(t);
      host = u.hostname.toLowerCase();
      path = decodeURIComponent(u.pathname);
      if (u.protocol === 'file:') host = '';
    } catch {
      path = t;
    }
  } else if (scp && !/^[a-z]:[\\/]/i.test(t)) {
    host = scp[1]!.toLowerCase();
    path = scp[2]!;
  } else path = t;
  path = path
    .replace(/\/+/g, '/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/^\/+/, '');
  return host ? `${host}/${path}` : `/${path}`;
}

/** The default SQLite ledger of a repository: `<state>/rollwright/<name>-<hash of the identity>/ledger.db`. */
export function defaultLedgerPath(id: RepoIdentity, env: NodeJS.ProcessEnv = process.env): string {
  const digest = createHash('sha256').update(`${id.kind}:${id.value}`).digest('hex').slice(0, 16);
  const name =
    id.name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+/, '')
      .slice(0, 40) || 'repository';
  return join(stateHome(env), 'rollwright', `${name}-${digest}`, 'ledger.db');
}

/** The repository's readable name from its identity's value (the last path component). */
export function repoName(value: string): string {
  return basename(value.replace(/\/+$/, '').replace(/\.git$/, ''));
}

/**
 * `${NAME}` references in a configured store, from the environment. An unset or empty variable is an
 * error naming it (never silently an empty password or host).
 */
export function expandVars(text: string, env: NodeJS.ProcessEnv, where: string): string {
  return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new InputError(`${where}: \${${name}} is not a variable reference`);
    const v = env[name];
    if (v === undefined || v === '') throw new InputError(`${where}: the variable ${name} is not set`);
    return v;
  });
}
