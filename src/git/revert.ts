/**
 * The revert of a commit or a range, made in a temporary worktree so that the user's working tree,
 * index, HEAD and refs never move: `git worktree add --detach` under the system's temporary
 * directory, `git revert --no-commit` there, a commit of the result (an object in the shared object
 * store, reachable from no ref), and the worktree removed whatever happens, signals included.
 * Every git process runs with an argument array, never a shell, with the repository's executable
 * configuration disarmed (safety.ts): hooks, the fsmonitor, and every filter and merge driver the
 * configuration defines, read in the repository and again in the temporary worktree (a conditional
 * include may apply to one and not the other).
 */
import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitError, UsageError } from '../core/errors.js';
import { cleanGitMessage, gitArgs, gitStats, safeGitEnv, tracePoint, workTreeOverrides } from './exec.js';
import { validateRev } from './revs.js';
import { cutHistoryAt, isShallowRepository, missingRevisionError } from './shallow.js';

export interface RevertTarget {
  /** The argument as given (`<sha>` or `A..B`). */
  spec: string;
  /** The commits to revert, full ids, newest first (the order git reverts them in). */
  commits: string[];
  /** Subjects, in the same order. */
  subjects: string[];
}

export interface RevertOptions {
  /** `--mainline N`: revert merges relative to parent N (without it a merge in the range is refused). */
  mainline?: number;
  /** The revision the revert applies onto (default HEAD). */
  onto?: string;
  /** Trailers appended to the revert commit's message, in order. */
  trailers?: Array<[string, string]>;
}

export interface RevertResult {
  target: RevertTarget;
  /** The full id the revert was applied onto. */
  onto: string;
  clean: boolean;
  /** Paths git left unmerged (empty when clean). */
  conflicts: string[];
  /** The revert commit made in the temporary worktree (only when clean). */
  commit?: string;
  /** True when the revert changes nothing (the commits are already undone at `onto`). */
  empty: boolean;
  message: string;
}

/** The identity of the temporary commit when git has none configured (no user config is required). */
const FALLBACK_IDENTITY = { name: 'rollwright', email: 'rollwright@localhost.invalid' };

interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function run(
  dir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  overrides: readonly string[] = [],
): Promise<RunResult> {
  gitStats.processes++;
  if (process.env.ROLLWRIGHT_TRACE) tracePoint(`git ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      gitArgs(dir, args, overrides),
      { encoding: 'buffer', env, maxBuffer: 256 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          return reject(new GitError('git is not installed or not on PATH'));
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}

function baseEnv(): NodeJS.ProcessEnv {
  return safeGitEnv();
}

async function must(
  dir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  what: string,
  overrides: readonly string[] = [],
): Promise<Buffer> {
  const r = await run(dir, args, env, overrides);
  if (r.code !== 0) throw new GitError(`${what}: ${cleanGitMessage(r.stderr) || `git ${args[0]} exited ${r.code}`}`);
  return r.stdout;
}

/**
 * Parses and resolves `<rev>` or `<A>..<B>` into the commits to revert, newest first. Refuses a
 * merge commit unless `mainline` is given, an empty range, and anything that is not a revision.
 */
export async function resolveRevertTarget(
  repoDir: string,
  spec: string,
  opts: { mainline?: number } = {},
): Promise<RevertTarget> {
  const env = baseEnv();
  let revs: string[];
  if (spec.includes('..')) {
    if (spec.includes('...'))
      throw new UsageError(
        `revert: ${JSON.stringify(spec)}: a symmetric range (A...B) is not a list of commits; use A..B`,
      );
    const i = spec.indexOf('..');
    const from = spec.slice(0, i);
    const to = spec.slice(i + 2);
    if (!from || !to) throw new UsageError(`revert: ${JSON.stringify(spec)}: write the range as A..B (both ends)`);
    validateRev(from, 'revert');
    validateRev(to, 'revert');
    const [a, b] = [await commitId(repoDir, from, env), await commitId(repoDir, to, env)];
    const out = await must(repoDir, ['rev-list', '--parents', `${a}..${b}`, '--'], env, 'revert: listing the range');
    revs = out.toString('utf8').split('\n').filter(Boolean);
    if (revs.length === 0)
      throw new UsageError(`revert: the range ${spec} holds no commit (${to} adds nothing to ${from})`);
  } else {
    validateRev(spec, 'revert');
    const id = await commitId(repoDir, spec, env);
    const out = await must(repoDir, ['rev-list', '--parents', '-n', '1', id, '--'], env, 'revert: reading the commit');
    revs = out.toString('utf8').split('\n').filter(Boolean);
  }
  const commits: string[] = [];
  for (const line of revs) {
    const [sha, ...parents] = line.split(' ');
    if (parents.length > 1 && opts.mainline === undefined)
      throw new UsageError(
        `revert: ${sha!.slice(0, 12)} is a merge commit (${parents.length} parents)` +
          (spec.includes('..') ? ` in the range ${spec}` : '') +
          `; a merge is reverted relative to one parent: pass --mainline 1 (the branch it was merged into) if that is what you mean`,
      );
    if (opts.mainline !== undefined && parents.length > 1 && opts.mainline > parents.length)
      throw new UsageError(`--mainline ${opts.mainline}: ${sha!.slice(0, 12)} has only ${parents.length} parents`);
    if (parents.length === 0) {
      // A commit at a shallow clone's boundary shows no parent either: it is not a root commit.
      const cut = await cutHistoryAt(repoDir, sha!, `revert ${sha!.slice(0, 12)}`);
      if (cut) throw cut;
      throw new UsageError(`revert: ${sha!.slice(0, 12)} is a root commit; reverting it would delete everything`);
    }
    commits.push(sha!);
  }
  const subjects: string[] = [];
  const log = await must(
    repoDir,
    ['log', '--no-walk=unsorted', '-z', '--format=%H%x1f%s', ...commits, '--'],
    env,
    'revert: reading subjects',
  );
  const bySha = new Map(
    log
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((r) => r.replace(/^\n/, '').split('\x1f') as [string, string]),
  );
  for (const c of commits) subjects.push(bySha.get(c) ?? '');
  return { spec, commits, subjects };
}

async function commitId(dir: string, rev: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await run(dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], env);
  if (r.code !== 0) {
    if (/not a git repository/i.test(r.stderr)) throw new GitError(`${dir} is not a git repository`);
    if (await isShallowRepository(dir).catch(() => false)) throw missingRevisionError({ flag: 'revert', rev, dir });
    throw new GitError(`revert: unknown revision ${JSON.stringify(rev)} in ${dir}`);
  }
  return r.stdout.toString('utf8').trim();
}

/** The message git itself writes for a revert, with trailers. */
export function revertMessage(target: RevertTarget, trailers: Array<[string, string]> = []): string {
  const lines: string[] = [];
  if (target.commits.length === 1) {
    lines.push(`Revert "${target.subjects[0] ?? ''}"`, '', `This reverts commit ${target.commits[0]}.`);
  } else {
    lines.push(`Revert ${target.commits.length} commits (${target.spec})`, '', 'This reverts commits:');
    target.commits.forEach((c, i) => lines.push(`  ${c} ${target.subjects[i] ?? ''}`.trimEnd()));
  }
  const all: Array<[string, string]> = [...target.commits.map((c) => ['Reverts', c] as [string, string]), ...trailers];
  lines.push('', ...all.map(([k, v]) => `${k}: ${v}`));
  return lines.join('\n') + '\n';
}

/** Worktrees alive in this process, removed synchronously if a signal ends it. */
const live = new Map<string, string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeSync(repoDir: string, wt: string): void {
  for (const args of [
    ['worktree', 'remove', '--force', '--force', wt],
    ['worktree', 'prune'],
  ])
    try {
      execFileSync('git', gitArgs(repoDir, args), { stdio: 'ignore', env: baseEnv() });
    } catch {
      /* best effort: the process is ending */
    }
  rmSync(dirname(wt), { recursive: true, force: true });
}

/** Removes every live worktree, then lets the signal do what it would have done without us. */
function onSignal(sig: NodeJS.Signals): void {
  for (const [wt, repo] of live) removeSync(repo, wt);
  live.clear();
  for (const s of SIGNALS) process.off(s, onSignal);
  // Re-raised only when nobody else listens (a server with its own shutdown keeps control).
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

function track(wt: string, repoDir: string): void {
  if (live.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  live.set(wt, repoDir);
}

function untrack(wt: string): void {
  live.delete(wt);
  if (live.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * Makes the revert of `target` onto `onto` (default HEAD) in a temporary worktree and returns the
 * result; the worktree is gone when this returns or throws. Conflicts are reported, never resolved.
 */
export async function makeRevert(
  repoDir: string,
  target: RevertTarget,
  opts: RevertOptions = {},
): Promise<RevertResult> {
  const env = baseEnv();
  const onto = await commitId(repoDir, validateRev(opts.onto ?? 'HEAD', '--onto'), env);
  const message = revertMessage(target, opts.trailers);
  const parent = await mkdtemp(join(tmpdir(), 'rollwright-revert-'));
  const wt = join(parent, 'wt');
  track(wt, repoDir);
  try {
    // Nothing is checked out until the drivers the worktree's configuration defines are known.
    const repoOverrides = await workTreeOverrides(repoDir);
    await must(
      repoDir,
      ['worktree', 'add', '--detach', '--no-checkout', '--quiet', wt, onto],
      env,
      'revert: git worktree add',
      repoOverrides,
    );
    const overrides = [...repoOverrides, ...(await workTreeOverrides(wt))];
    await must(wt, ['reset', '--hard', '--quiet', onto], env, 'revert: checking out the temporary worktree', overrides);
    const identity = await identityEnv(wt, env);
    const revertArgs = [
      'revert',
      '--no-commit',
      ...(opts.mainline !== undefined ? ['--mainline', String(opts.mainline)] : []),
      ...target.commits,
    ];
    const r = await run(wt, revertArgs, identity, overrides);
    if (r.code !== 0) {
      const conflicts = await conflictPaths(wt, env, overrides);
      if (conflicts.length === 0)
        throw new GitError(`revert: git revert failed: ${cleanGitMessage(r.stderr) || `exit ${r.code}`}`);
      return { target, onto, clean: false, conflicts, message, empty: false };
    }
    const staged = await run(wt, ['diff', '--cached', '--quiet', '--'], env, overrides);
    const commitArgs = ['commit', '--quiet', '--no-verify', '--cleanup=verbatim', '-m', message];
    if (staged.code === 0) commitArgs.push('--allow-empty');
    await must(wt, commitArgs, identity, 'revert: committing the revert in the temporary worktree', overrides);
    const commit = (await must(wt, ['rev-parse', 'HEAD'], env, 'revert: reading the revert commit', overrides))
      .toString('utf8')
      .trim();
    return { target, onto, clean: true, conflicts: [], commit, message, empty: staged.code === 0 };
  } finally {
    const rm1 = await run(repoDir, ['worktree', 'remove', '--force', '--force', wt], env).catch(() => undefined);
    if (!rm1 || rm1.code !== 0) await rm(wt, { recursive: true, force: true }).catch(() => undefined);
    await run(repoDir, ['worktree', 'prune'], env).catch(() => undefined);
    await rm(parent, { recursive: true, force: true }).catch(() => undefined);
    untrack(wt);
  }
}

/** Unmerged paths, from `git status --porcelain=v2 -z` (`u` records). */
async function conflictPaths(wt: string, env: NodeJS.ProcessEnv, overrides: readonly string[]): Promise<string[]> {
  const r = await run(wt, ['status', '--porcelain=v2', '-z', '--untracked-files=no'], env, overrides);
  const out: string[] = [];
  for (const rec of r.stdout.toString('utf8').split('\0')) {
    if (!rec.startsWith('u ')) continue;
    // u <XY> <sub> <m1> <m2> <m3> <mW> <h1> <h2> <h3> <path>
    const parts = rec.split(' ');
    out.push(parts.slice(10).join(' '));
  }
  return out.sort();
}

/** The environment for commands that write commits: git's own identity if it has one, else a fallback. */
async function identityEnv(dir: string, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const out = { ...env };
  const author = await run(dir, ['var', 'GIT_AUTHOR_IDENT'], env);
  if (author.code !== 0) {
    out.GIT_AUTHOR_NAME ||= FALLBACK_IDENTITY.name;
    out.GIT_AUTHOR_EMAIL ||= FALLBACK_IDENTITY.email;
  }
  const committer = await run(dir, ['var', 'GIT_COMMITTER_IDENT'], env);
  if (committer.code !== 0) {
    out.GIT_COMMITTER_NAME ||= FALLBACK_IDENTITY.name;
    out.GIT_COMMITTER_EMAIL ||= FALLBACK_IDENTITY.email;
  }
  return out;
}

/** True when the user's tracked files have no staged or unstaged change. */
export async function trackedTreeClean(repoDir: string): Promise<{ clean: boolean; paths: string[] }> {
  const out = await must(
    repoDir,
    ['status', '--porcelain=v1', '-z', '--untracked-files=no'],
    baseEnv(),
    'reading the working tree status',
    await workTreeOverrides(repoDir),
  );
  const paths = out
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((r) => r.slice(3));
  return { clean: paths.length === 0, paths };
}

/** The branch HEAD is on (`refs/heads/...`), or undefined when HEAD is detached. */
export async function currentBranch(repoDir: string): Promise<string | undefined> {
  const r = await run(repoDir, ['symbolic-ref', '--quiet', 'HEAD'], baseEnv());
  return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
}

/**
 * `--apply`: moves the current branch to the checked revert commit, which is a child of `onto`, by a
 * fast-forward that also updates the index and the working tree. Refused unless HEAD is still `onto`.
 */
export async function applyRevert(repoDir: string, result: RevertResult): Promise<string> {
  if (!result.clean || !result.commit) throw new GitError('revert: nothing to apply (the revert is not clean)');
  const env = baseEnv();
  const head = await commitId(repoDir, 'HEAD', env);
  if (head !== result.onto)
    throw new GitError(
      `revert --apply: HEAD moved from ${result.onto.slice(0, 12)} to ${head.slice(0, 12)} while the revert was checked; run it again`,
    );
  await must(
    repoDir,
    ['merge', '--ff-only', '--quiet', result.commit],
    env,
    'revert --apply: git merge --ff-only',
    await workTreeOverrides(repoDir),
  );
  return result.commit;
}
