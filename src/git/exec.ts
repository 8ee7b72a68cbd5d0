import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from '../core/errors.js';

/** Number of git processes this process started: the benchmark reads it (ROLLWRIGHT_TRACE=1). */
export const gitStats = { processes: 0 };

const GIT_ENV = {
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

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
  opts: { okCodes?: number[]; signal?: AbortSignal } = {},
): Promise<Buffer> {
  trace(args);
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-C', dir, ...args],
      {
        encoding: 'buffer',
        maxBuffer: 1024 * 1024 * 1024,
        env: GIT_ENV,
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
  return spawn('git', ['-C', dir, ...args], { env: GIT_ENV, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
}
