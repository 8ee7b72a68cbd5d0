import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { GitError, UsageError } from '../core/errors.js';
import { driverOverrides, gitEnv, safeArgs } from './safety.js';

/** Number of git processes this process started: the benchmark reads it (ROLLWRIGHT_TRACE=1). */
export const gitStats = { processes: 0 };

/** The environment of every git process (see safety.ts), from the process's environment as it is now. */
export function safeGitEnv(): NodeJS.ProcessEnv {
  return gitEnv();
}

/** Subcommands that could print a patch: never through an external diff program or a text conversion. */
const DIFF_COMMANDS = new Set(['diff', 'log', 'show', 'diff-tree', 'diff-index', 'diff-files']);

/**
 * The full argument list of a git process: the safe global options and overrides, the directory, then
 * the subcommand (with `--no-ext-diff --no-textconv` for the commands that can print a patch).
 */
export function gitArgs(dir: string, args: readonly string[], overrides: readonly string[] = []): string[] {
  const [sub, ...rest] = args;
  const tail = sub !== undefined && DIFF_COMMANDS.has(sub) ? [sub, '--no-ext-diff', '--no-textconv', ...rest] : args;
  return [...safeArgs(overrides), '-C', dir, ...tail];
}

/** With ROLLWRIGHT_TRACE set, a timestamped line on stderr marking a phase of the run. */
export function tracePoint(label: string): void {
  if (process.env.ROLLWRIGHT_TRACE)
    process.stderr.write(`rollwright: ${label} (at ${performance.now().toFixed(1)} ms)\n`);
}

function trace(args: readonly string[]): void {
  gitStats.processes++;
  if (process.env.ROLLWRIGHT_TRACE)
    process.stderr.write(`rollwright: git ${args.join(' ')} (at ${performance.now().toFixed(1)} ms)\n`);
}

/** Runs git with an argument array (never a shell) and returns stdout as a Buffer. */
export function git(
  dir: string,
  args: readonly string[],
  opts: { okCodes?: number[]; signal?: AbortSignal; overrides?: readonly string[] } = {},
): Promise<Buffer> {
  trace(args);
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      gitArgs(dir, args, opts.overrides),
      {
        encoding: 'buffer',
        maxBuffer: 1024 * 1024 * 1024,
        env: safeGitEnv(),
        windowsHide: true,
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      (err, stdout, stderr) => {
        if (process.env.ROLLWRIGHT_TRACE) tracePoint(`${args[0]} finished (${stdout.length} bytes)`);
        if (err) {
          const code = typeof err.code === 'number' ? err.code : -1;
          if (opts.okCodes?.includes(code)) return resolve(stdout);
          if ((err as NodeJS.ErrnoException).code === 'ENOENT')
            return reject(new GitError('git is not installed or not on PATH'));
          return reject(
            new GitError(cleanGitMessage(stderr.toString('utf8')) || `git ${args[0]} failed (exit ${code})`),
          );
        }
        resolve(stdout);
      },
    );
  });
}

export function cleanGitMessage(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .filter((l) => !l.startsWith('hint:'))
    .join('; ')
    .replace(/^fatal: /, '');
}

/** Starts a long-lived git process for a batch protocol. */
export function spawnGit(dir: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  trace(args);
  return spawn('git', gitArgs(dir, args), { env: safeGitEnv(), windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * The overrides a command that touches a work tree in `dir` needs on top of the fixed ones: every
 * filter, diff and merge driver the configuration git reads there defines (includes followed, as git
 * follows them), disarmed. One `git config` process; it runs nothing itself.
 */
export async function workTreeOverrides(dir: string): Promise<string[]> {
  const listing = await git(dir, ['config', '--list', '--name-only', '-z']);
  try {
    return driverOverrides(listing.toString('utf8'));
  } catch (e) {
    throw new GitError((e as Error).message);
  }
}

/**
 * The work tree git reads must be `dir` itself: a repository whose configuration moves it elsewhere
 * (`core.worktree`), or a directory inside another repository's work tree, would have git list files
 * that rollwright then reads from the wrong place.
 */
export async function checkTopLevel(dir: string, realDir: string): Promise<void> {
  const top = (await git(dir, ['rev-parse', '--show-toplevel'])).toString('utf8').replace(/\n$/, '');
  const real = await realpath(top).catch(() => top);
  if (real !== realDir)
    throw new UsageError(
      `--worktree: git reads the work tree of ${JSON.stringify(dir)} at ${JSON.stringify(top)}` +
        ` (a subdirectory, or core.worktree in the repository's configuration); pass --repo with the top of the work tree`,
    );
}
