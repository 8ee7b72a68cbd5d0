/**
 * The API against its OpenAPI description (validated with ajv's JSON Schema 2020-12 validator, the
 * dialect of OpenAPI 3.1), and each source's mapping, fixture by fixture, to the ledger event it
 * records: a server started in this process on a real SQLite ledger, called over real HTTP.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/config.js';
import { Ledger } from '../ledger/store.js';
import { startServer, type RunningServer } from './server.js';
import { conforms, declaresQuery } from '../testing/openapi.js';
import { call } from '../testing/serve.js';
import { createToken } from './tokens.js';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
let dir: string;
let ledger: Ledger;
let server: RunningServer;
let admin: string;
const FLUX = 'flux-secret';
const GITHUB = 'github-secret';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollwright-serve-api-'));
  const store = { kind: 'sqlite' as const, path: join(dir, 'ledger.db') };
  ledger = await Ledger.open(store, { create: true });
  admin = (await createToken(ledger, 'admin', 'test')).token;
  server = await startServer({
    ledger,
    store,
    config: defaultConfig(),
    host: '127.0.0.1',
    port: 0,
    rateLimit: 0,
    verifyEvery: 0,
    secrets: { flux: FLUX, github: GITHUB },
    log: () => undefined,
  });
});
afterAll(async () => {
  await server?.close();
  await ledger?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
  const r = await call(`${server.url}${path}`, { token: admin, raw: body, headers });
  const spec = path.startsWith('/api/v1/webhooks/') ? '/api/v1/webhooks/{source}' : path;
  conforms(spec, 'post', r);
  return r;
};
const get = async (path: string, spec = path.split('?')[0]!) => {
  declaresQuery(spec, 'get', new URL(path, server.url).searchParams);
  const r = await call(`${server.url}${path}`, { token: admin });
  conforms(spec, 'get', r);
  return r;
};

/** Every item of a paged list, following `next` from the first page. */
async function everyPage(
  path: string,
  list: string,
): Promise<{ pages: number; items: Array<Record<string, unknown>> }> {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r = await get(`${path}${sep}limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    items.push(...r.body[list]);
    cursor = r.body.next;
    pages++;
  } while (cursor !== null && pages < 100);
  return { pages, items };
}
const lastOf = async (type: string) => (await ledger.select({ types: [type] })).pop()!;

describe('each source maps its documented payload to one ledger event', () => {
  it('Argo CD: a Succeeded sync is change.deployed of its revision; a Failed one is ignored with its message', async () => {
    const r = await post('/api/v1/webhooks/argocd', fixture('argocd-sync-succeeded.json'));
    expect(r.status).toBe(201);
    const e = await lastOf('change.deployed');
    expect(e).toMatchObject({
      subject: {
        change: '9f3c2a1b7e4d5f60718293a4b5c6d7e8f9012345',
        service: 'checkout',
        environment: 'prod',
        incident: null,
      },
      occurredAt: '2026-01-05T08:50:41.000Z',
      actor: 'argocd',
      payload: {
        commit: '9f3c2a1b7e4d5f60718293a4b5c6d7e8f9012345',
        artifact: expect.stringMatching(/^registry\.example\.com\/checkout@sha256:/),
        log: 'argocd app get argocd/checkout-prod',
      },
    });
    const failed = await post('/api/v1/webhooks/argocd', fixture('argocd-sync-failed.json'));
    expect(failed.status).toBe(200);
    expect(failed.body.ignored[0].reason).toMatch(/sync Failed: one or more objects failed to apply/);
  });

  it('Flux: a succeeded reconciliation is change.deployed of the commit (or chart version); an error is ignored', async () => {
    const body = fixture('flux-kustomization-succeeded.json');
    const sig = `sha256=${createHmac('sha256', FLUX).update(body).digest('hex')}`;
    expect(
      (await call(`${server.url}/api/v1/webhooks/flux`, { raw: body, headers: { 'x-signature': sig } })).status,
    ).toBe(201);
    expect(await lastOf('change.deployed')).toMatchObject({
      subject: { change: '731f7eaddfb6af01cb2173e18f0f75b0ba780ef1', service: 'checkout', environment: 'prod' },
      occurredAt: '2026-01-05T08:51:10.000Z',
      payload: { commit: '731f7eaddfb6af01cb2173e18f0f75b0ba780ef1' },
    });
    await post('/api/v1/webhooks/flux', fixture('flux-helmrelease-upgrade.json'));
    expect(await lastOf('change.deployed')).toMatchObject({
      subject: { change: '4.2.1', service: 'payments', environment: 'staging' },
      payload: { version: '4.2.1' },
    });
    const err = await post('/api/v1/webhooks/flux', fixture('flux-validation-failed.json'));
    expect(err.body.ignored[0].reason).toMatch(/error ValidationFailed: service\/apps\/webapp validation error/);
  });

  it('GitHub: deployment_status success is change.deployed; a merged pull request is change.merged; ping is answered', async () => {
    const dep = fixture('github-deployment-status-success.json');
    await post('/api/v1/webhooks/github', dep, { 'x-github-event': 'deployment_status', 'x-github-delivery': 'd-1' });
    expect(await lastOf('change.deployed')).toMatchObject({
      subject: { change: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', service: 'checkout', environment: 'production' },
      occurredAt: '2026-01-05T08:52:55.000Z',
      payload: {
        commit: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        version: 'main',
        log: 'https://github.com/acme/checkout/actions/runs/8812345678',
      },
    });
    await post('/api/v1/webhooks/github', fixture('github-pull-request-merged.json'), {
      'x-github-event': 'pull_request',
      'x-github-delivery': 'd-2',
    });
    expect(await lastOf('change.merged')).toMatchObject({
      subject: { change: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e' },
      occurredAt: '2026-01-05T08:40:12.000Z',
      payload: {
        repository: 'acme/checkout',
        branch: 'main',
        'pull-request': 'https://github.com/acme/checkout/pull/42',
      },
    });
    const ping = await post('/api/v1/webhooks/github', '{"zen":"Keep it logically awesome."}', {
      'x-github-event': 'ping',
    });
    expect(ping.body.ignored).toEqual([{ reason: 'ping' }]);
    // A redelivery by another hook (another X-GitHub-Delivery) of the same status records nothing.
    const again = await post('/api/v1/webhooks/github', dep, {
      'x-github-event': 'deployment_status',
      'x-github-delivery': 'd-3',
    });
    expect(again.body.recorded).toEqual([]);
    expect(again.body.duplicates).toHaveLength(1);
  });

  it('CDEvents: service.deployed and incident.detected; the incident is blamed on the latest deployment', async () => {
    await post('/api/v1/events', fixture('cdevents-service-deployed.json'));
    const dep = await lastOf('change.deployed');
    expect(dep.subject).toMatchObject({
      service: 'checkout',
      environment: 'prod',
      change: expect.stringMatching(/^pkg:oci\/checkout@sha256/),
    });
    await post('/api/v1/events', fixture('cdevents-incident-detected.json'));
    expect(await lastOf('incident.detected')).toMatchObject({
      subject: { incident: 'INC-2026-0105', service: 'checkout', environment: 'prod', change: dep.subject.change },
      payload: { description: 'checkout latency p99 above 2s' },
    });
  });

  it('Alertmanager fixture: firing, then resolved; the incident comes out again as a CDEvent', async () => {
    await post('/api/v1/webhooks/alertmanager', fixture('alertmanager-firing.json'));
    const det = await lastOf('incident.detected');
    expect(det).toMatchObject({
      subject: { incident: 'am-1a30ba71cca2921f-20260105T091231Z' },
      occurredAt: '2026-01-05T09:12:31.828Z',
    });
    await post('/api/v1/webhooks/alertmanager', fixture('alertmanager-resolved.json'));
    expect(await lastOf('recovery.verified')).toMatchObject({
      occurredAt: '2026-01-05T09:41:01.000Z',
      payload: { result: 'passed' },
    });
    const out = await get(`/api/v1/events?incident=am-1a30ba71cca2921f-20260105T091231Z&format=cdevents`);
    expect(out.body.events[0].context.type).toBe('dev.cdevents.incident.detected.0.2.0');
  });
});

describe('concurrent deliveries', () => {
  it('share transactions, and still record each delivery and each incident once, in one chain', async () => {
    const before = (await ledger.head()).seq;
    const deployed = (i: number) => ({
      context: {
        version: '0.4.1',
        id: `conc-${i}`,
        source: '/ci',
        type: 'dev.cdevents.service.deployed.0.2.0',
        timestamp: '2026-01-06T10:00:00Z',
      },
      subject: {
        id: 'conc-svc',
        source: '/ci',
        type: 'service',
        content: { environment: { id: 'prod' }, artifactId: `pkg:oci/conc@sha256:${String(i).padStart(64, '0')}` },
      },
    });
    // The same incident from two sources (two delivery keys) at the same moment: detected once.
    const detected = (source: string) => ({
      context: {
        version: '0.4.1',
        id: 'inc-1',
        source,
        type: 'dev.cdevents.incident.detected.0.2.0',
        timestamp: '2026-01-06T10:05:00Z',
      },
      subject: { id: 'INC-CONC', source, type: 'incident', content: { environment: { id: 'prod' } } },
    });
    const bodies = [
      ...Array.from({ length: 20 }, (_, i) => deployed(i)),
      ...Array.from({ length: 20 }, (_, i) => deployed(i)), // every delivery twice, at once
      detected('/monitoring/a'),
      detected('/monitoring/b'),
    ];
    const answers = await Promise.all(bodies.map((b) => post('/api/v1/events', JSON.stringify(b))));
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    const count = (k: 'recorded' | 'duplicates' | 'ignored') =>
      answers.reduce((n, a) => n + (a.body[k] as unknown[]).length, 0);
    expect(count('recorded')).toBe(21);
    expect(count('duplicates')).toBe(20);
    expect(answers.flatMap((a) => a.body.ignored)).toEqual([{ reason: 'incident INC-CONC is already in the ledger' }]);
    const mine = (await ledger.select()).filter((e) => e.seq > before);
    expect(mine).toHaveLength(21);
    expect(new Set(mine.map((e) => e.subject.change ?? e.subject.incident)).size).toBe(21);
    const v = await get('/api/v1/ledger/verify');
    expect(v.body).toMatchObject({ ok: true, broken: null });
  });
});

describe('lists that grow are paged', () => {
  it('incidents, SLO incidents and windows: limit and cursor; the pages together are the whole list, in order', async () => {
    // Five changes with declared windows, deployed; four incidents, two detected at the same moment.
    const now = Date.now();
    const events: unknown[] = [];
    for (let i = 0; i < 5; i++)
      events.push(
        {
          type: 'change.declared',
          change: `PAGE-${i}`,
          payload: { rollbackClass: 'fully-reversible', rollbackWindow: `${24 + i}h`, environment: 'prod' },
        },
        {
          type: 'change.deployed',
          change: `PAGE-${i}`,
          service: 'paged',
          environment: 'prod',
          at: new Date(Date.now() - 3600_000).toISOString(),
          payload: {},
        },
      );
    // Events of one request are checked against the ledger as it was before the request: the
    // deployments go first, so that the detections inherit their service.
    expect((await post('/api/v1/events', JSON.stringify(events.splice(0)))).status).toBe(201);
    for (const [id, min] of [
      ['INC-P1', 50],
      ['INC-P2', 40],
      ['INC-P3', 40],
      ['INC-P4', 30],
    ] as const)
      events.push({
        type: 'incident.detected',
        incident: id,
        change: 'PAGE-0',
        at: new Date(now - min * 60_000).toISOString(),
        payload: {},
      });
    expect((await post('/api/v1/events', JSON.stringify(events))).status).toBe(201);

    const whole = (await get('/api/v1/incidents?limit=1000')).body.incidents as Array<{
      id: string;
      detectedAt: string;
    }>;
    const paged = await everyPage('/api/v1/incidents', 'incidents');
    expect(paged.items.map((i) => i.id)).toEqual(whole.map((i) => i.id));
    expect(paged.pages).toBe(Math.ceil(whole.length / 2));
    // Newest first; the two detected at the same moment in id order, newest-first too.
    const mine = whole.map((i) => i.id).filter((id) => id.startsWith('INC-P'));
    expect(mine).toEqual(['INC-P4', 'INC-P3', 'INC-P2', 'INC-P1']);

    const slo = await everyPage('/api/v1/slo?service=paged', 'incidents');
    expect(slo.items.map((i) => i.id)).toEqual(['INC-P4', 'INC-P3', 'INC-P2', 'INC-P1']);
    expect((await get('/api/v1/slo?service=paged&limit=1')).body.services.paged.detect).toBeDefined();

    const windows = await everyPage('/api/v1/windows?env=prod', 'windows');
    expect(windows.items.map((w) => w.change)).toEqual(['PAGE-0', 'PAGE-1', 'PAGE-2', 'PAGE-3', 'PAGE-4']);

    // A cursor stays valid when the list grows before it: the next page neither repeats nor skips.
    const first = await get('/api/v1/incidents?limit=2');
    await post(
      '/api/v1/events',
      JSON.stringify({ type: 'incident.detected', incident: 'INC-P5', change: 'PAGE-0', payload: {} }),
    );
    const second = await get(`/api/v1/incidents?limit=2&cursor=${first.body.next}`);
    expect([...first.body.incidents, ...second.body.incidents].map((i: { id: string }) => i.id)).toEqual(
      whole.slice(0, 4).map((i) => i.id),
    );

    for (const bad of [
      'limit=0',
      'limit=1001',
      'limit=x',
      'cursor=%21%21',
      `cursor=${Buffer.from('{}').toString('base64url')}`,
    ]) {
      const r = await get(`/api/v1/incidents?${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.detail).toMatch(/^(limit|cursor):/);
    }
  });
});

describe('the read API conforms to openapi.yaml', () => {
  it('events, incidents, windows, slo, verify, dashboard, probes', async () => {
    const page = await get('/api/v1/events?limit=2');
    expect(page.body.events).toHaveLength(2);
    expect(page.body.next).toBe(2);
    const inc = await get('/api/v1/incidents');
    const id = inc.body.incidents[0].id;
    await get(`/api/v1/incidents/${encodeURIComponent(id)}`, '/api/v1/incidents/{id}');
    await get('/api/v1/windows?all=true');
    await get('/api/v1/slo');
    const v = await get('/api/v1/ledger/verify');
    expect(v.body.ok).toBe(true);
    await get('/api/v1/dashboard');
    await get('/healthz');
    await get('/readyz');
    const missing = await call(`${server.url}/api/v1/incidents/nope`, { token: admin });
    expect(missing.status).toBe(404);
    conforms('/api/v1/incidents/{id}', 'get', missing);
    const decisions = await post('/api/v1/decisions', '{"change":"HEAD"}');
    expect(decisions.status).toBe(501);
  });
});
