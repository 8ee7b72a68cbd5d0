/**
 * Test helpers for `rollwright serve`: the built CLI started as a real process on a free port of
 * 127.0.0.1, tokens made with the real `serve token create`, and real counterpart processes
 * (Alertmanager, Prometheus) started with generated configs in temporary directories.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { cleanEnv, cli, CLI, ensureBuilt } from './cli.js';

export interface ServeProcess {
  url: string;
  proc: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  delete env.ROLLWRIGHT_STORE;
  delete env.ROLLWRIGHT_GITHUB_SECRET;
  delete env.ROLLWRIGHT_FLUX_SECRET;
  return env;
}

/** `rollwright serve --listen 127.0.0.1:0 <args>`; resolves once it listens. */
export async function startServe(args: string[], extraEnv: Record<string, string> = {}): Promise<ServeProcess> {
  await ensureBuilt();
  const proc = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0', ...args], {
    env: testEnv(extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout!.resume();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s:\n${err}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stderr!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code} before listening:\n${err}`));
    });
  });
  return {
    url,
    proc,
    stderr: () => err,
    stop: () => stopProcess(proc),
  };
}

export function stopProcess(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill(signal);
  });
}

/** `rollwright serve token create --scope S --store STORE`: the token printed alone on stdout. */
export async function makeToken(store: string, scope: string): Promise<string> {
  await ensureBuilt();
  const r = await cli(['serve', 'token', 'create', '--scope', scope, '--store', store], { env: testEnv() });
  if (r.code !== 0) throw new Error(`token create exited ${r.code}: ${r.stderr}`);
  return r.stdout.trim();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `fn` until it returns a value other than undefined, or fails with `what` after `ms`. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A JSON request with an optional bearer token. */
export async function call(
  url: string,
  opts: {
    method?: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    raw?: string | Buffer;
  } = {},
): Promise<{ status: number; body: any; headers: Headers; text: string }> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(url, {
    method: opts.method ?? (opts.body !== undefined || opts.raw !== undefined ? 'POST' : 'GET'),
    headers,
    ...(opts.raw !== undefined
      ? { body: opts.raw as BodyInit }
      : opts.body !== undefined
        ? { body: JSON.stringify(opts.body) }
        : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers, text };
}

/** A binary's path when it is installed (tests of real counterparts skip, saying so, only when it is not). */
export function binary(path: string): string | undefined {
  return existsSync(path) ? path : undefined;
}
