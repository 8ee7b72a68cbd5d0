/**
 * Who may call: bearer tokens, webhook signatures (HMAC over the raw body), scopes, and the
 * per-token rate limit.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './http.js';
import type { ServeOptions } from './options.js';
import { allows, type Scope, type TokenCache, type TokenInfo } from './tokens.js';

/**
 * A webhook delivery's sender: an HMAC signature checked against the source's secret (GitHub's
 * X-Hub-Signature-256, Flux's X-Signature), or else a bearer token with ingest scope.
 */
export function authenticateWebhook(
  c: { req: IncomingMessage; token: TokenInfo | undefined },
  source: string,
  body: Buffer,
  secrets: ServeOptions['secrets'],
): void {
  // An HMAC-signed delivery is checked against its secret; a bearer token with ingest scope also works.
  const sigHeader = source === 'github' ? 'x-hub-signature-256' : source === 'flux' ? 'x-signature' : undefined;
  const signature = sigHeader ? header(c.req, sigHeader) : undefined;
  const secret = source === 'github' ? secrets?.github : source === 'flux' ? secrets?.flux : undefined;
  if (signature !== undefined) {
    if (secret === undefined)
      throw new HttpProblem(
        401,
        'Unauthorized',
        `${source}: the delivery is signed, but this server has no ${source} secret (--${source}-secret-file); nothing was recorded`,
        {},
        { 'www-authenticate': 'Bearer' },
      );
    if (!hmacMatches(signature, body, secret))
      throw new HttpProblem(
        401,
        'Bad signature',
        `${source}: the ${sigHeader} signature does not match the body; nothing was recorded`,
      );
    return;
  }
  if (c.token && allows(c.token.scope, 'ingest')) return;
  if (c.token) throw forbidden(c.token, 'ingest');
  throw new HttpProblem(
    401,
    'Unauthorized',
    `${source}: send Authorization: Bearer <ingest token>${sigHeader ? ` or a ${sigHeader} signature` : ''}; nothing was recorded`,
    {},
    { 'www-authenticate': 'Bearer' },
  );
}

/** The token of a request's `Authorization: Bearer` header, if it has one; a bad or unknown one is a 401. */
export async function bearer(req: IncomingMessage, tokens: TokenCache): Promise<TokenInfo | undefined> {
  const h = req.headers.authorization;
  if (h === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m)
    throw new HttpProblem(
      401,
      'Unauthorized',
      'Authorization must be "Bearer <token>"',
      {},
      { 'www-authenticate': 'Bearer' },
    );
  const info = await tokens.lookup(m[1]!);
  if (!info)
    throw new HttpProblem(
      401,
      'Unauthorized',
      'the token is unknown or revoked; nothing was recorded',
      {},
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    );
  return info;
}

/** Requests per second per token: a bucket of twice the rate, refilled continuously; 0 turns it off. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rate: number) {}

  take(id: string): void {
    const rate = this.rate;
    if (rate <= 0) return;
    const now = Date.now();
    const capacity = rate * 2;
    const b = this.buckets.get(id) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(id, b);
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / rate));
      throw new HttpProblem(
        429,
        'Too many requests',
        `this token may make ${rate} requests per second (--rate-limit); retry after ${wait} s; nothing was recorded`,
        {},
        { 'retry-after': String(wait) },
      );
    }
    b.tokens -= 1;
    this.buckets.set(id, b);
  }
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function forbidden(token: TokenInfo, need: Scope): HttpProblem {
  return new HttpProblem(
    403,
    'Forbidden',
    `token ${token.id} has scope ${token.scope}; this needs ${need}; nothing was recorded`,
  );
}

/** `sha256=<hex>` (GitHub's X-Hub-Signature-256, Flux's X-Signature) over the raw body, compared in constant time. */
export function hmacMatches(signature: string, body: Buffer, secret: string): boolean {
  const m = /^(sha256|sha512)=([0-9a-fA-F]+)$/.exec(signature.trim());
  if (!m) return false;
  const want = createHmac(m[1]!, secret).update(body).digest();
  const got = Buffer.from(m[2]!, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}
