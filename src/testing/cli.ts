/**
 * Whole-process tests of the built CLI: `node dist/cli.cjs ...` through execFile (never a shell).
 * `npm test` builds before vitest; when dist/ is missing (running vitest alone), the first test file
 * that needs it builds it, under a lock so that parallel test files do not build over each other.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.cjs');

function run(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: opts.cwd ?? ROOT,
        env: opts.env ?? cleanEnv(),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 200_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

let stateHome: string | undefined;

/**
 * A state directory for the CLIs this test process runs (one per process, removed at exit): the
 * default ledger lives in `$XDG_STATE_HOME/rollwright/`, never in the developer's own.
 */
export function testStateHome(): string {
  if (!stateHome) {
    const dir = mkdtempSync(join(tmpdir(), 'rollwright-test-state-'));
    stateHome = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return stateHome;
}

/** The environment of the test process without the variables that change the CLI's output. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'ROLLWRIGHT_TRACE', 'CI_COLOR']) delete env[k];
  return { ...env, XDG_STATE_HOME: testStateHome(), ...extra };
}

/** Builds dist/ once if it is missing; waits for a build another test file started. */
export async function ensureBuilt(): Promise<string> {
  if (existsSync(CLI)) return CLI;
  const lock = join(tmpdir(), `rollwright-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
    } catch {
      // Someone else builds: wait for the CLI, or take over a stale lock.
      if (existsSync(CLI)) return CLI;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* the lock went away meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      if (!existsSync(CLI)) {
        const r = await run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { timeoutMs: 120_000 });
        if (r.code !== 0) throw new Error(`node scripts/build.mjs failed (${r.code}):\n${r.stderr}`);
      }
      return CLI;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Runs `node dist/cli.cjs ...args`. */
export function cli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], opts);
}

/** Runs any Node script (the example runner). */
export function node(script: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(process.execPath, [script, ...args], opts);
}
