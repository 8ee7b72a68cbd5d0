/**
 * Auth and safety of every write endpoint of a real `rollwright serve`: no token, an unknown token,
 * a revoked token, a token of the wrong scope, a tampered HMAC signature, an oversized body and a
 * malformed one are all refused with a problem document, and the ledger stays exactly as it was
 * (same head, same delivery keys). Read endpoints need a read token unless --public-read. The server
 * logs no token.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../testing/cli.js';
import { call, makeToken, startServe, type ServeProcess } from '../testing/serve.js';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let dir: string;
let store: string;
let serve: ServeProcess;
const tokens: Record<string, string> = {};
const GITHUB_SECRET = 'gh-webhook-secret-for-tests';
const FLUX_SECRET = 'flux-hmac-token-for-tests';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollwright-serve-auth-'));
  store = `sqlite:${join(dir, 'ledger.db')}`;
  for (const s of ['ingest', 'read', 'admin']) tokens[s] = await makeToken(store, s);
  tokens.revoked = await makeToken(store, 'ingest');
  const list = await cli(['serve', 'token', 'list', '-o', 'json', '--store', store]);
  const revokedId = JSON.parse(list.stdout).tokens[3].id;
  expect((await cli(['serve', 'token', 'revoke', revokedId, '--store', store])).code).toBe(0);
  writeFileSync(join(dir, 'gh'), GITHUB_SECRET + '\n');
  writeFileSync(join(dir, 'flux'), FLUX_SECRET);
  serve = await startServe([
    '--store',
    store,
    '--max-body',
    '4096',
    '--github-secret-file',
    join(dir, 'gh'),
    '--flux-secret-file',
    join(dir, 'flux'),
    '--rate-limit',
    '0',
  ]);
});
afterAll(async () => {
  await serve?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function snapshot(): Promise<string> {
  const v = await cli(['ledger', 'verify', '-o', 'json', '--store', store]);
  const e = await cli(['ledger', 'export', '--store', store]);
  return `${JSON.parse(v.stdout).head.hash} ${e.stdout.length}`;
}

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Every write endpoint, with a body it would accept from an authorised sender. */
const WRITES: Array<{
  name: string;
  path: string;
  body: string;
  headers?: Record<string, string>;
  hmac?: { header: string; secret: string };
}> = [
  { name: 'alertmanager', path: '/api/v1/webhooks/alertmanager', body: fixture('alertmanager-firing.json') },
  { name: 'argocd', path: '/api/v1/webhooks/argocd', body: fixture('argocd-sync-succeeded.json') },
  {
    name: 'flux',
    path: '/api/v1/webhooks/flux',
    body: fixture('flux-kustomization-succeeded.json'),
    hmac: { header: 'x-signature', secret: FLUX_SECRET },
  },
  {
    name: 'github',
    path: '/api/v1/webhooks/github',
    body: fixture('github-deployment-status-success.json'),
    headers: { 'x-github-event': 'deployment_status', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' },
    hmac: { header: 'x-hub-signature-256', secret: GITHUB_SECRET },
  },
  { name: 'events', path: '/api/v1/events', body: fixture('cdevents-service-deployed.json') },
  { name: 'decisions', path: '/api/v1/decisions', body: JSON.stringify({ change: 'HEAD' }) },
];

describe('every write endpoint refuses, and the ledger stays unchanged', () => {
  for (const w of WRITES) {
    it(`${w.name}: no token, unknown, revoked or read-scope token, tampered signature, oversized and malformed bodies`, async () => {
      const before = await snapshot();
      const url = `${serve.url}${w.path}`;
      const base = { ...(w.headers ?? {}) };
      const attempts: Array<{ what: string; status: number; headers: Record<string, string>; raw: string }> = [
        { what: 'no token', status: 401, headers: base, raw: w.body },
        {
          what: 'unknown token',
          status: 401,
          headers: { ...base, authorization: `Bearer rwt_${'A'.repeat(43)}` },
          raw: w.body,
        },
        {
          what: 'not a bearer header',
          status: 401,
          headers: { ...base, authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
          raw: w.body,
        },
        {
          what: 'revoked token',
          status: 401,
          headers: { ...base, authorization: `Bearer ${tokens.revoked}` },
          raw: w.body,
        },
        { what: 'read scope', status: 403, headers: { ...base, authorization: `Bearer ${tokens.read}` }, raw: w.body },
        {
          what: 'oversized body',
          status: 413,
          headers: { ...base, authorization: `Bearer ${tokens.ingest}` },
          raw: ' '.repeat(5000) + w.body,
        },
        {
          what: 'malformed JSON',
          status: 400,
          headers: { ...base, authorization: `Bearer ${tokens.ingest}` },
          raw: w.body.slice(0, -3),
        },
        {
          what: 'wrong content type',
          status: 415,
          headers: { ...base, authorization: `Bearer ${tokens.ingest}`, 'content-type': 'text/plain' },
          raw: w.body,
        },
      ];
      if (w.hmac) {
        const tampered = w.body.replace(/"prod"|"production"/, '"staging"');
        expect(tampered).not.toBe(w.body);
        attempts.push({
          what: 'tampered body',
          status: 401,
          headers: { ...base, [w.hmac.header]: sign(w.hmac.secret, w.body) },
          raw: tampered,
        });
        attempts.push({
          what: 'wrong secret',
          status: 401,
          headers: { ...base, [w.hmac.header]: sign('not-the-secret', w.body) },
          raw: w.body,
        });
        attempts.push({
          what: 'garbled signature',
          status: 401,
          headers: { ...base, [w.hmac.header]: 'sha256=zz' },
          raw: w.body,
        });
        // A bad signature is refused even beside a good token: a signed delivery is judged by its signature.
        attempts.push({
          what: 'bad signature with a token',
          status: 401,
          headers: { ...base, authorization: `Bearer ${tokens.ingest}`, [w.hmac.header]: sign('x', w.body) },
          raw: w.body,
        });
      }
      for (const a of attempts) {
        const r = await call(url, { raw: a.raw, headers: { 'content-type': 'application/json', ...a.headers } });
        expect(r.status, `${w.name}, ${a.what}: ${r.text}`).toBe(a.status);
        expect(r.headers.get('content-type')).toBe('application/problem+json');
        expect(r.body).toMatchObject({ status: a.status, instance: w.path });
        expect(typeof r.body.detail).toBe('string');
      }
      expect(await snapshot()).toBe(before);
    });
  }

  it('a payload with one bad item records none of it', async () => {
    const before = await snapshot();
    const good = JSON.parse(fixture('alertmanager-firing.json'));
    good.alerts.push({ ...good.alerts[0], startsAt: 'yesterday' });
    const r = await call(`${serve.url}/api/v1/webhooks/alertmanager`, { token: tokens.ingest, body: good });
    expect(r.status).toBe(422);
    expect(r.body.detail).toMatch(/alerts\[1\]\.startsAt: must be an ISO 8601 time/);
    const events = await call(`${serve.url}/api/v1/events`, {
      token: tokens.ingest,
      body: [
        { type: 'change.deployed', change: 'c', service: 's', environment: 'prod' },
        { type: 'decision.made', incident: 'INC-none', payload: { transition: 'rollback' } },
      ],
    });
    expect(events.status).toBe(422);
    expect(events.body.detail).toMatch(/no incident INC-none/);
    expect(await snapshot()).toBe(before);
  });

  it('the right token or signature is accepted, and a redelivery records nothing', async () => {
    const flux = WRITES.find((w) => w.name === 'flux')!;
    const ok = await call(`${serve.url}${flux.path}`, {
      raw: flux.body,
      headers: { 'x-signature': sign(FLUX_SECRET, flux.body) },
    });
    expect(ok.status, ok.text).toBe(201);
    const again = await call(`${serve.url}${flux.path}`, {
      raw: flux.body,
      headers: { 'x-signature': sign(FLUX_SECRET, flux.body) },
    });
    expect(again.status).toBe(200);
    expect(again.body.duplicates).toEqual([{ seq: ok.body.recorded[0].seq, type: 'change.deployed' }]);
    const gh = WRITES.find((w) => w.name === 'github')!;
    const g = await call(`${serve.url}${gh.path}`, {
      raw: gh.body,
      headers: { ...gh.headers, 'x-hub-signature-256': sign(GITHUB_SECRET, gh.body) },
    });
    expect(g.status, g.text).toBe(201);
  });
});

describe('reads', () => {
  it('need a read token (or admin); an ingest token cannot read', async () => {
    for (const path of [
      '/api/v1/events',
      '/api/v1/incidents',
      '/api/v1/windows',
      '/api/v1/slo',
      '/api/v1/ledger/verify',
      '/api/v1/dashboard',
      '/metrics',
    ]) {
      expect((await call(`${serve.url}${path}`)).status, path).toBe(401);
      expect((await call(`${serve.url}${path}`, { token: tokens.ingest })).status, path).toBe(403);
      expect((await call(`${serve.url}${path}`, { token: tokens.read })).status, path).toBe(200);
      expect((await call(`${serve.url}${path}`, { token: tokens.admin })).status, path).toBe(200);
    }
    for (const path of ['/healthz', '/readyz', '/', '/api/v1/openapi.yaml'])
      expect((await call(`${serve.url}${path}`)).status, path).toBe(200);
  });

  it('never logs a token or a secret', () => {
    const log = serve.stderr();
    expect(log).toMatch(/"route":"webhooks"/);
    for (const t of Object.values(tokens)) expect(log).not.toContain(t);
    expect(log).not.toContain(GITHUB_SECRET);
    expect(log).not.toContain(FLUX_SECRET);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a token exceeds its rate, and records nothing for it', async () => {
    const s = await startServe(['--store', store, '--rate-limit', '2']);
    try {
      const statuses: number[] = [];
      let retry: string | null = null;
      for (let i = 0; i < 8; i++) {
        const r = await call(`${s.url}/api/v1/incidents`, { token: tokens.read });
        statuses.push(r.status);
        if (r.status === 429) retry = r.headers.get('retry-after');
      }
      expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
      expect(statuses).toContain(429);
      expect(Number(retry)).toBeGreaterThanOrEqual(1);
    } finally {
      await s.stop();
    }
  });
});
