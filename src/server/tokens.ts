import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { InputError, UsageError } from '../core/errors.js';
import type { Ledger } from '../ledger/store.js';

/**
 * API tokens of `rollwright serve`, kept in the ledger's database (table `ledger_tokens`). A token
 * is 32 random bytes (base64url, prefixed `rwt_` so secret scanners can find leaked ones); only its
 * SHA-256 is stored, so a database dump reveals no usable token. A high-entropy random token needs
 * no slow password hash: guessing is hopeless, and a fast hash keeps every request cheap.
 *
 * Scopes: `ingest` (webhooks, POST /events, POST /decisions), `read` (GET API, dashboard, metrics),
 * `admin` (everything).
 */
export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface TokenInfo {
  id: string;
  name: string;
  scope: Scope;
  createdAt: string;
  revokedAt: string | null;
}

const TOKEN_RE = /^rwt_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** Creates a token; the token itself is returned once and never stored. */
export async function createToken(
  ledger: Ledger,
  scope: string,
  name: string,
): Promise<{ info: TokenInfo; token: string }> {
  if (!isScope(scope)) throw new UsageError(`--scope: ${JSON.stringify(scope)} is not one of ${SCOPES.join(', ')}`);
  if (!/^[^\u0000-\u001f\u007f]{1,128}$/.test(name))
    throw new UsageError('--name: must be 1 to 128 characters without control characters');
  const token = `rwt_${randomBytes(32).toString('base64url')}`;
  const info: TokenInfo = {
    id: `tok_${randomBytes(6).toString('hex')}`,
    name,
    scope,
    createdAt: new Date().toISOString(),
    revokedAt: null,
  };
  await ledger.db
    .insertInto('ledger_tokens')
    .values({ id: info.id, name, scope, hash: hashToken(token), created_at: info.createdAt, revoked_at: null })
    .execute();
  return { info, token };
}

export async function listTokens(ledger: Ledger): Promise<TokenInfo[]> {
  const rows = await ledger.db
    .selectFrom('ledger_tokens')
    .select(['id', 'name', 'scope', 'created_at', 'revoked_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scope: r.scope as Scope,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes a token by id; revoking twice is harmless. Returns the token as it now is. */
export async function revokeToken(ledger: Ledger, id: string): Promise<TokenInfo> {
  const now = new Date().toISOString();
  await ledger.db
    .updateTable('ledger_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  const info = (await listTokens(ledger)).find((t) => t.id === id);
  if (!info) throw new InputError(`no token ${JSON.stringify(id)} in the ledger (see \`rollwright serve token list\`)`);
  return info;
}

/**
 * Token lookups for requests: by hash, compared in constant time, remembered for `ttlMs` so a busy
 * webhook does not cost a query per request (a revocation takes effect within `ttlMs` on every
 * replica). Unknown tokens are remembered too, briefly, so a flood of bad tokens stays cheap.
 */
export class TokenCache {
  private readonly cache = new Map<string, { info: TokenInfo | undefined; until: number }>();

  constructor(
    private readonly ledger: Ledger,
    private readonly ttlMs = 5_000,
  ) {}

  async lookup(token: string): Promise<TokenInfo | undefined> {
    if (!TOKEN_RE.test(token)) return undefined;
    const hash = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.info;
    const row = await this.ledger.db
      .selectFrom('ledger_tokens')
      .select(['id', 'name', 'scope', 'hash', 'created_at', 'revoked_at'])
      .where('hash', '=', hash)
      .executeTakeFirst();
    let info: TokenInfo | undefined;
    if (row && timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex')) && row.revoked_at === null)
      info = { id: row.id, name: row.name, scope: row.scope as Scope, createdAt: row.created_at, revokedAt: null };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { info, until: now + (info ? this.ttlMs : 1_000) });
    return info;
  }
}

/** Whether a token of `have` may do what needs `need`: admin may do everything; ingest and read only their own. */
export function allows(have: Scope, need: Scope): boolean {
  return have === 'admin' || have === need;
}
