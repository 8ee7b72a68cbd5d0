/**
 * Which ledger a command uses, in this order:
 *
 *   1. `--store STORE`
 *   2. `ROLLWRIGHT_STORE`
 *   3. `ledger.store` in `.rollwright.yaml` (the team's shared PostgreSQL; `${VAR}` from the
 *      environment, the password from PGPASSWORD or ~/.pgpass)
 *   4. the default: a SQLite file in the user's state directory, keyed by the repository's identity
 *      (`$XDG_STATE_HOME/rollwright/<name>-<hash>/ledger.db`, else `~/.local/state/...`): the
 *      normalised URL of its `origin` remote, else its first commit, else its path. Every clone and
 *      worktree of one repository on a machine shares it, and it survives the clone.
 *
 * A ledger at the old default inside the work tree (`<repo>/.rollwright/ledger.db`) is used while the
 * new default does not exist, with a message saying how to move it: a team's history is never
 * silently left behind. A SQLite ledger inside a work tree (the old default, or `--store
 * .rollwright/ledger.db`) is added to the repository's `.git/info/exclude`, with a message, so that
 * `git add -A` never commits it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  DEFAULT_LEDGER,
  defaultLedgerPath,
  describeStore,
  expandVars,
  normalizeRemoteUrl,
  parseStoreSpec,
  repoName,
  type RepoIdentity,
  type StoreSource,
  type StoreSpec,
} from '../ledger/store-spec.js';

export interface ResolvedStore {
  spec: StoreSpec;
  source: StoreSource;
  /** Where it came from, as said in messages: `--store`, `ROLLWRIGHT_STORE`, `the default for …`. */
  origin: string;
}

/** The flags that say which ledger (store-options.ts), and the config that may name it. */
export interface Where {
  readonly store?: string | undefined;
  readonly repo?: string | undefined;
  readonly config?: string | undefined;
  readonly verbose?: boolean | undefined;
}

export interface ResolveOptions {
  /** The command may create the ledger (a SQLite file inside a work tree is then excluded at once). */
  create?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Diagnostics (stderr). */
  warn?: (line: string) => void;
}

/** Resolves the store of a command from its flags (`--store`, `--repo`, `--config`, `--verbose`). */
export async function resolveLedgerStore(values: Where, opts: ResolveOptions = {}): Promise<ResolvedStore> {
  const env = opts.env ?? process.env;
  const warn = opts.warn ?? ((l: string) => process.stderr.write(`rollwright: ${l}\n`));
  const repo = resolve(values.repo ?? '.');
  const r = await choose(values, repo, env, warn);
  if (values.verbose === true) warn(`ledger store: ${describeStore(r.spec)} (${r.origin})`);
  if (r.spec.kind === 'sqlite' && (opts.create || existsSync(r.spec.path))) await keepOutOfCommits(r.spec.path, warn);
  return r;
}

async function choose(
  values: Where,
  repo: string,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Promise<ResolvedStore> {
  const flag = values.store;
  if (flag !== undefined) return { spec: parseStoreSpec(flag, '--store'), source: 'flag', origin: '--store' };
  const fromEnv = env.ROLLWRIGHT_STORE;
  if (fromEnv !== undefined && fromEnv !== '')
    return { spec: parseStoreSpec(fromEnv, 'ROLLWRIGHT_STORE'), source: 'env', origin: 'ROLLWRIGHT_STORE' };
  const configFile = values.config;
  const { loadLedgerConfig } = await import('../ledger/config.js');
  const configured = (await loadLedgerConfig(repo, configFile)).ledger?.store;
  if (configured !== undefined) {
    const where = `${configFile ?? join(repo, '.rollwright.yaml')}: ledger.store`;
    return {
      spec: parseStoreSpec(expandVars(configured, env, where), where, repo),
      source: 'config',
      origin: `ledger.store in ${configFile ?? '.rollwright.yaml'}`,
    };
  }
  const id = await repositoryIdentity(repo);
  const path = defaultLedgerPath(id, env);
  const legacy = join(repo, DEFAULT_LEDGER);
  const said =
    id.kind === 'origin'
      ? `the default store of ${id.value}`
      : id.kind === 'root-commit'
        ? `the default store of the repository whose first commit is ${id.value.slice(0, 12)}`
        : `the default store of ${id.value}`;
  if (existsSync(legacy) && !existsSync(path)) {
    warn(
      `using the ledger inside the work tree, ${legacy}: the default store is now ${path}, outside the work tree ` +
        `(one per repository, kept across clones). Move it there with\n` +
        `    mkdir -p ${shellWord(dirname(path))} && mv ${shellWord(legacy)} ${shellWord(path)}\n` +
        `  or keep it where it is with --store ${shellWord(legacy)} (or ROLLWRIGHT_STORE, or ledger.store in .rollwright.yaml).`,
    );
    return {
      spec: { kind: 'sqlite', path: legacy },
      source: 'work-tree',
      origin: 'the old default inside the work tree',
    };
  }
  if (existsSync(legacy))
    warn(
      `a ledger also exists inside the work tree, ${legacy}, and is not used (the store is ${path}): ` +
        `read it with --store ${shellWord(legacy)}, or move its events with \`rollwright ledger export --store ${shellWord(legacy)}\` ` +
        'and `rollwright ledger import` (into an empty ledger, or one whose head the export continues)',
    );
  return { spec: { kind: 'sqlite', path }, source: 'default', origin: said };
}

/** The repository's identity: its origin's normalised URL, else its first commit, else its path. */
export async function repositoryIdentity(repo: string): Promise<RepoIdentity> {
  const { repositoryPaths, originUrl, rootCommits } = await import('../git/identity.js');
  const paths = await repositoryPaths(repo);
  if (paths) {
    const origin = await originUrl(repo);
    if (origin) {
      const value = normalizeRemoteUrl(origin);
      return { kind: 'origin', value, name: repoName(value) };
    }
    const roots = await rootCommits(repo);
    // Named after the main work tree (the common git directory's), so that linked worktrees share it.
    const common = paths.commonDir;
    const name = basename(common) === '.git' ? basename(dirname(common)) : repoName(common);
    if (roots.length) return { kind: 'root-commit', value: roots[roots.length - 1]!, name };
  }
  const dir = real(paths?.toplevel ?? repo);
  return { kind: 'path', value: dir, name: basename(dir) };
}

/**
 * A SQLite ledger inside a git work tree is added to the repository's `info/exclude` (unless an
 * ignore rule already covers it), with a message; one already committed is named, with how to
 * untrack it.
 */
async function keepOutOfCommits(path: string, warn: (line: string) => void): Promise<void> {
  const dir = nearestExisting(dirname(path));
  // No .git above it: not in a work tree (the common case, a store outside any repository), no git run.
  if (!underGit(dir)) return;
  const { repositoryPaths, isIgnored, isTracked } = await import('../git/identity.js');
  const paths = await repositoryPaths(dir);
  if (!paths) return;
  const rel = relative(real(paths.toplevel), join(real(dir), relative(dir, dirname(path)), basename(path)));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep)[0] === '.git') return;
  const relPosix = rel.split(sep).join('/');
  if (await isTracked(paths.toplevel, relPosix))
    warn(
      `the ledger ${relPosix} is committed in the repository at ${paths.toplevel}: every change would carry it; ` +
        `untrack it (the file stays) with: git rm --cached ${shellWord(relPosix)}`,
    );
  if (await isIgnored(paths.toplevel, relPosix)) return;
  const pattern = `/${escapeGlob(relPosix)}`;
  let have = '';
  try {
    have = await readFile(paths.excludeFile, 'utf8');
  } catch {
    /* no exclude file yet */
  }
  await mkdir(dirname(paths.excludeFile), { recursive: true });
  await appendFile(
    paths.excludeFile,
    `${have === '' || have.endsWith('\n') ? '' : '\n'}# rollwright: the evidence ledger (and its -wal, -shm files) is never committed\n${pattern}\n${pattern}-*\n`,
  );
  warn(
    `the ledger ${relPosix} is inside the work tree of ${paths.toplevel}: added it to ${paths.excludeFile} so that git never commits it`,
  );
}

/** A path as a gitignore pattern matches it literally: glob characters, backslashes and trailing spaces escaped. */
function escapeGlob(p: string): string {
  return p.replace(/[\\*?[\]]/g, (c) => `\\${c}`).replace(/ $/, '\\ ');
}

/** Whether a directory or one above it holds `.git` (a repository, or a worktree's or submodule's `.git` file). */
function underGit(dir: string): boolean {
  for (let d = real(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** A word as a POSIX shell reads it (for the commands messages suggest). */
function shellWord(w: string): string {
  return /^[A-Za-z0-9._/:@=,+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
