/**
 * Remote git repositories, read-only: `git ls-remote` lists what a remote advertises, and a shallow
 * fetch of one commit into a throw-away bare repository tells whether the remote serves a commit that
 * is no ref's tip. git runs with an argument array (never a shell), no terminal prompt
 * (GIT_TERMINAL_PROMPT=0, ssh in batch mode), only the file, git, http(s) and ssh transports, and a
 * timeout after which it is killed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitStats } from './exec.js';

export interface RemoteRef {
  name: string;
  oid: string;
  /** For an annotated tag: the commit it points to (`^{}` line). */
  peeled?: string;
}

export type RemoteResult<T> =
  | { ok: true; value: T }
  | { ok: false; failure: 'missing' | 'unauthorised' | 'unreachable' | 'rate-limited'; reason: string };

const REMOTE_ENV = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
  GIT_ALLOW_PROTOCOL: 'file:git:http:https:ssh',
  GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
});

/** A remote URL git may be given: no option look-alike, no control characters, no `ext::` transport. */
export function validRemoteUrl(url: string): boolean {
  return (
    url.length > 0 &&
    url.length < 4096 &&
    !url.startsWith('-') &&
    !/[\u0000-\u001f\u007f]/.test(url) &&
    !/^ext::/i.test(url)
  );
}

function run(
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  gitStats.processes++;
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: REMOTE_ENV(),
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 256 * 1024 * 1024,
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : -1) : 0,
          stdout: String(stdout),
          stderr: e && e.code === 'ENOENT' ? 'git is not installed or not on PATH' : String(stderr),
          timedOut: Boolean(e?.killed),
        });
      },
    );
  });
}

/** What git's message means for the remote. */
export function classifyRemoteError(
  stderr: string,
  timedOut: boolean,
  timeoutMs: number,
): Extract<RemoteResult<never>, { ok: false }> {
  const msg = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:'))
    .join('; ')
    .replace(/fatal: /g, '')
    .replace(/\/\/[^/@\s]*@/g, '//')
    .slice(0, 400);
  if (timedOut) return { ok: false, failure: 'unreachable', reason: `no answer within ${timeoutMs} ms` };
  if (/\b429\b|too many requests|rate limit/i.test(msg)) return { ok: false, failure: 'rate-limited', reason: msg };
  if (
    /authentication failed|could not read (username|password)|terminal prompts disabled|permission denied|\b40[13]\b|access denied|invalid credentials|host key verification failed/i.test(
      msg,
    )
  )
    return { ok: false, failure: 'unauthorised', reason: msg };
  if (
    /repository not found|does not appear to be a git repository|not found|\b404\b|no such file or directory|not our ref|no such remote ref|couldn't find remote ref/i.test(
      msg,
    )
  )
    return { ok: false, failure: 'missing', reason: msg };
  return { ok: false, failure: 'unreachable', reason: msg || 'git failed without a message' };
}

/** `git ls-remote <url>`: every ref the remote advertises. */
export async function lsRemote(url: string, opts: { timeoutMs?: number } = {}): Promise<RemoteResult<RemoteRef[]>> {
  if (!validRemoteUrl(url))
    return {
      ok: false,
      failure: 'missing',
      reason: `${JSON.stringify(url)} is not a remote URL git is allowed to read`,
    };
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const r = await run(['ls-remote', '--quiet', url], tmpdir(), timeoutMs);
  if (r.code !== 0) return classifyRemoteError(r.stderr, r.timedOut, timeoutMs);
  const byName = new Map<string, RemoteRef>();
  for (const line of r.stdout.split('\n')) {
    const m = /^([0-9a-f]{40,64})\t(.+)$/.exec(line);
    if (!m) continue;
    const [, oid, name] = m;
    if (name!.endsWith('^{}')) {
      const base = byName.get(name!.slice(0, -3));
      if (base) base.peeled = oid!;
    } else byName.set(name!, { name: name!, oid: oid! });
  }
  return { ok: true, value: [...byName.values()] };
}

/** Whether the remote serves a commit (a shallow fetch of it into a throw-away bare repository). */
export async function remoteHasCommit(
  url: string,
  sha: string,
  opts: { timeoutMs?: number } = {},
): Promise<RemoteResult<true>> {
  if (!validRemoteUrl(url))
    return {
      ok: false,
      failure: 'missing',
      reason: `${JSON.stringify(url)} is not a remote URL git is allowed to read`,
    };
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha))
    return { ok: false, failure: 'missing', reason: `${sha} is not a full commit id` };
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const dir = await mkdtemp(join(tmpdir(), 'rollwright-fetch-'));
  try {
    const init = await run(['init', '--quiet', '--bare', dir], tmpdir(), timeoutMs);
    if (init.code !== 0) return { ok: false, failure: 'unreachable', reason: init.stderr.trim() };
    const r = await run(
      ['-C', dir, 'fetch', '--quiet', '--no-tags', '--depth=1', '--filter=blob:none', url, sha],
      tmpdir(),
      timeoutMs,
    );
    if (r.code !== 0) return classifyRemoteError(r.stderr, r.timedOut, timeoutMs);
    return { ok: true, value: true };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
