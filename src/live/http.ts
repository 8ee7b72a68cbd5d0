/**
 * HTTP for the live adapters: one request with a timeout, retried with exponential backoff on 429,
 * 5xx and network errors (honouring `Retry-After`), and a typed failure when the retries run out.
 * Responses other than 429 and 5xx are returned as they are: what a 401 or a 404 means is the
 * caller's business (a registry's 401 starts the token flow, a 404 is a missing artifact).
 */
import type { LiveOptions } from './types.js';

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The final URL (after redirects). */
  url: string;
}

export type HttpResult =
  | { ok: true; res: HttpResponse }
  | { ok: false; failure: 'unreachable' | 'rate-limited'; reason: string; status?: number };

export interface RequestInit {
  method?: 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  /** Largest body read (default 64 MiB): a larger one is an unreachable answer, not a crash. */
  maxBytes?: number;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

export function timing(opts: LiveOptions): {
  timeoutMs: number;
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
} {
  return {
    timeoutMs: opts.timeoutMs ?? 10_000,
    retries: opts.retries ?? 3,
    baseDelayMs: opts.baseDelayMs ?? 250,
    maxDelayMs: opts.maxDelayMs ?? 10_000,
  };
}

/** Milliseconds a `Retry-After` header asks for (delay-seconds or an HTTP-date), or undefined. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** The delay before retry `attempt` (1-based): base * 2^(attempt-1), capped; Retry-After wins when given. */
export function backoffMs(attempt: number, t: ReturnType<typeof timing>, retryAfter?: number): number {
  const exp = t.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(t.maxDelayMs, retryAfter !== undefined ? Math.max(retryAfter, 0) : exp);
}

export async function request(url: string, init: RequestInit, opts: LiveOptions): Promise<HttpResult> {
  const t = timing(opts);
  const shown = redactUrl(url);
  let last: HttpResult | undefined;
  let retryAfter: number | undefined;
  for (let attempt = 0; attempt <= t.retries; attempt++) {
    if (attempt > 0) {
      await sleep(backoffMs(attempt, t, retryAfter));
    }
    retryAfter = undefined;
    try {
      const res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: init.headers ?? {},
        ...(init.body !== undefined ? { body: init.body } : {}),
        redirect: 'follow',
        signal: AbortSignal.timeout(t.timeoutMs),
      });
      if (RETRY_STATUS.has(res.status)) {
        retryAfter = retryAfterMs(res.headers.get('retry-after'));
        await res.body?.cancel().catch(() => undefined);
        last = {
          ok: false,
          failure: res.status === 429 ? 'rate-limited' : 'unreachable',
          status: res.status,
          reason: `${init.method ?? 'GET'} ${shown}: HTTP ${res.status}${res.status === 429 ? ' (too many requests)' : ''} after ${attempt + 1} attempt(s)`,
        };
        continue;
      }
      const body = await readBody(res, init.maxBytes ?? 64 * 1024 * 1024);
      if (body === undefined)
        return {
          ok: false,
          failure: 'unreachable',
          reason: `${init.method ?? 'GET'} ${shown}: the response is larger than ${init.maxBytes ?? 64 * 1024 * 1024} bytes`,
        };
      return { ok: true, res: { status: res.status, headers: res.headers, body, url: res.url || url } };
    } catch (e) {
      last = {
        ok: false,
        failure: 'unreachable',
        reason: `${init.method ?? 'GET'} ${shown}: ${networkReason(e, t.timeoutMs)} after ${attempt + 1} attempt(s)`,
      };
      // A name that does not resolve will not resolve on a retry (EAI_AGAIN, a resolver failure, may).
      if ((e as { cause?: { code?: string } })?.cause?.code === 'ENOTFOUND') break;
    }
  }
  return last!;
}

async function readBody(res: Response, max: number): Promise<Buffer | undefined> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** A network error in words: refused, unknown host, timed out, TLS. */
export function networkReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = err?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'connection timed out';
  if (code && /CERT|SSL|TLS/i.test(code)) return `TLS error (${code})`;
  return err?.cause?.message ?? err?.message ?? String(e);
}

/** A URL without userinfo and without query values (tokens travel there sometimes). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()])
      if (!/^(service|scope|n|last|artifactType|per_page|page|sort|order_by)$/.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
