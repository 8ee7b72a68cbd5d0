/**
 * The real counterparts, on 127.0.0.1: Debian's Alertmanager delivers its webhook (bearer
 * credentials in http_config.authorization) to a real `rollwright serve`; Debian's Prometheus scrapes
 * its /metrics with a read token; Debian's Chromium (playwright-core, never a downloaded browser)
 * shows the incident on the dashboard (its screenshot goes to the test's temporary directory; the
 * picture in docs/ is retaken by `npm run docs:screenshots`).
 * Each part skips, saying so, only when its binary is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binary,
  call,
  eventually,
  freePort,
  makeToken,
  startServe,
  stopProcess,
  type ServeProcess,
} from '../testing/serve.js';

const ALERTMANAGER = binary('/usr/bin/prometheus-alertmanager');
const PROMETHEUS = binary('/usr/bin/prometheus');
const CHROMIUM = binary('/usr/bin/chromium');
if (!ALERTMANAGER)
  process.stderr.write(
    'SKIP: /usr/bin/prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)\n',
  );
if (!PROMETHEUS) process.stderr.write('SKIP: /usr/bin/prometheus is not installed (apt-get install prometheus)\n');
if (!CHROMIUM) process.stderr.write('SKIP: /usr/bin/chromium is not installed (apt-get install chromium)\n');

let dir: string;
let store: string;
let serve: ServeProcess;
let ingestToken: string;
let readToken: string;
const procs: ChildProcess[] = [];

function start(bin: string, args: string[], name: string): ChildProcess {
  const p = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 100_000) err = err.slice(-50_000);
  });
  (p as ChildProcess & { log: () => string }).log = () => `${name}: ${err.slice(-3000)}`;
  procs.push(p);
  return p;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollwright-serve-am-'));
  store = `sqlite:${join(dir, 'ledger.db')}`;
  // The repository the server reads .rollwright.yaml from: SLO targets for the service.
  mkdirSync(join(dir, 'repo'));
  writeFileSync(
    join(dir, 'repo', '.rollwright.yaml'),
    'rollbackSLO:\n  checkout: { detect: 5m, decide: 10m, execute: 15m, verify: 10m, evidence: 24h }\n',
  );
  ingestToken = await makeToken(store, 'ingest');
  readToken = await makeToken(store, 'read');
  serve = await startServe(['--store', store, '--repo', join(dir, 'repo'), '--verify-every', '1']);
});

afterAll(async () => {
  for (const p of procs) await stopProcess(p);
  await serve?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const iso = (ms: number) => new Date(ms).toISOString();

describe.skipIf(!ALERTMANAGER)('Alertmanager delivers to rollwright serve', () => {
  let amUrl: string;
  const startsAt = iso(Math.floor(Date.now() / 1000) * 1000 - 7 * 60_000 + 123);
  const deployedAt = iso(Date.parse(startsAt) - 20 * 60_000);
  const labels = { alertname: 'CheckoutErrorRate', service: 'checkout', env: 'prod', severity: 'critical' };

  beforeAll(async () => {
    // The change the alert will be blamed on: the service's latest deployment in prod.
    const dep = await call(`${serve.url}/api/v1/events`, {
      token: ingestToken,
      body: [
        {
          id: 'dep-1',
          type: 'change.declared',
          change: 'a1b2c3d',
          payload: {
            rollbackClass: 'reversible-with-compatibility-window',
            rollbackWindow: '48h',
            environment: 'prod',
          },
        },
        {
          id: 'dep-2',
          type: 'change.assessed',
          change: 'a1b2c3d',
          payload: { class: 'reversible-with-compatibility-window', gate: 'passed', findings: 2 },
        },
        {
          id: 'dep-3',
          type: 'change.deployed',
          change: 'a1b2c3d',
          service: 'checkout',
          environment: 'prod',
          at: deployedAt,
          payload: { artifact: 'registry.example.com/checkout@sha256:' + 'ab'.repeat(32) },
        },
      ],
    });
    expect(dep.status, dep.text).toBe(201);
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      [
        'route:',
        '  receiver: rollwright',
        "  group_by: ['alertname', 'service', 'env']",
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: rollwright',
        '    webhook_configs:',
        `      - url: ${serve.url}/api/v1/webhooks/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            type: Bearer',
        `            credentials: ${ingestToken}`,
        '',
      ].join('\n'),
    );
    const am = start(
      ALERTMANAGER!,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'am-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      'alertmanager',
    );
    await eventually(`Alertmanager ready (${(am as ChildProcess & { log: () => string }).log()})`, async () =>
      (await fetch(`${amUrl}/-/ready`)).ok ? true : undefined,
    );
  });

  it('turns a firing alert into incident.detected at the alert startsAt, blamed on the service latest deployment', async () => {
    const post = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels,
          annotations: { description: 'checkout 5xx rate above 5% for 5m' },
          startsAt,
          generatorURL: 'http://prometheus.example:9090/graph?g0.expr=rate',
        },
      ]),
    });
    expect(post.status).toBe(200);
    const events = await eventually('incident.detected in the ledger', async () => {
      const r = await call(`${serve.url}/api/v1/events?type=incident.detected`, { token: readToken });
      return r.body.events?.length ? r.body.events : undefined;
    });
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e.occurredAt).toBe(startsAt);
    expect(e.subject).toMatchObject({ service: 'checkout', environment: 'prod', change: 'a1b2c3d' });
    expect(e.subject.incident).toMatch(/^am-[0-9a-f]+-\d{8}T\d{6}Z$/);
    expect(e.actor).toBe('alertmanager');
    expect(e.payload).toMatchObject({ severity: 'critical', alert: 'CheckoutErrorRate', source: 'alertmanager' });
    // The detect phase runs from the deployment to the alert: 20 minutes, over the 5m target.
    const inc = await call(`${serve.url}/api/v1/incidents`, { token: readToken });
    expect(inc.body.incidents[0].phases.detect).toEqual({ seconds: 1200, target: 300, breached: true });
  });

  it('turns the resolved alert into a passing verification, and records nothing twice', async () => {
    // The operator decides and rolls back meanwhile (as the CLI would record it).
    const incident = (await call(`${serve.url}/api/v1/incidents`, { token: readToken })).body.incidents[0].id;
    const steps = await call(`${serve.url}/api/v1/events`, {
      token: ingestToken,
      body: [
        {
          id: 's1',
          type: 'decision.made',
          incident,
          at: iso(Date.parse(startsAt) + 3 * 60_000),
          payload: { transition: 'rollback', class: 'reversible-with-compatibility-window' },
        },
        {
          id: 's2',
          type: 'recovery.executed',
          incident,
          at: iso(Date.parse(startsAt) + 5 * 60_000),
          payload: {
            transition: 'rollback',
            commit: 'f00dfeed',
            artifact: 'registry.example.com/checkout@sha256:' + 'cd'.repeat(32),
          },
        },
        {
          id: 's3',
          type: 'evidence.attached',
          incident,
          payload: { item: 'approval', ref: 'https://chat.example/approvals/42' },
        },
      ],
    });
    expect(steps.status, steps.text).toBe(201);
    const post = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels, startsAt, endsAt: iso(Date.now() - 1000) }]),
    });
    expect(post.status).toBe(200);
    const verified = await eventually('recovery.verified in the ledger', async () => {
      const r = await call(`${serve.url}/api/v1/events?type=recovery.verified`, { token: readToken });
      return r.body.events?.length ? r.body.events : undefined;
    });
    expect(verified[0]).toMatchObject({ actor: 'alertmanager', payload: { result: 'passed' }, subject: { incident } });
    const all = (await call(`${serve.url}/api/v1/events?type=incident.detected`, { token: readToken })).body.events;
    expect(all).toHaveLength(1);
    const check = await call(`${serve.url}/api/v1/ledger/verify`, { token: readToken });
    expect(check.body).toMatchObject({ ok: true, broken: null });
  });

  it.skipIf(!CHROMIUM)('shows the incident on the dashboard in Chromium, its timeline labels apart', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        // The first load is refused (no token yet): that 401 is the page working as meant.
        if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
      });
      // Without a token the page asks for one, and shows nothing of the ledger.
      await page.goto(serve.url);
      await page.waitForSelector('#login:not([hidden])');
      expect(await page.locator('[data-incident]').count()).toBe(0);
      await page.fill('#token', readToken);
      await page.click('#login button');
      const incident = (await call(`${serve.url}/api/v1/incidents`, { token: readToken })).body.incidents[0].id;
      const card = page.locator(`[data-incident="${incident}"]`);
      await card.waitFor();
      const text = await card.innerText();
      expect(text).toContain('checkout / prod');
      expect(text).toMatch(/detect\s+BREACHED/i);
      expect(text).toContain('evidence owed');
      expect(await card.locator('svg circle').count()).toBeGreaterThanOrEqual(4);
      await page.waitForSelector('#windows .countdown');
      expect(await page.locator('#windows .countdown').first().innerText()).toMatch(/left$/);
      expect(await page.locator('#ledger').innerText()).toMatch(/chain verified/);
      expect(await page.locator('#services svg rect').count()).toBeGreaterThan(0);
      // The timeline: a dot per event, the phase band (detect breached), and no label over another
      // although the decision, the rollback and the evidence came minutes apart after the alert.
      const timeline = card.locator('svg.timeline');
      expect(await timeline.locator('circle').count()).toBe(
        (await call(`${serve.url}/api/v1/incidents/${encodeURIComponent(incident)}`, { token: readToken })).body
          .timeline.length,
      );
      expect(await timeline.locator('rect.band.breached').count()).toBe(1);
      const boxes = await timeline.locator('text.label').evaluateAll((els) =>
        els.map((e) => {
          const b = (e as SVGGraphicsElement).getBBox();
          return { text: e.childNodes[0]?.nodeValue, x: b.x, y: b.y, w: b.width, h: b.height };
        }),
      );
      expect(boxes.map((b) => b.text)).toEqual(
        expect.arrayContaining(['deployed', 'alert', 'decided: rollback', 'rolled back', 'evidence: approval']),
      );
      for (const a of boxes)
        for (const b of boxes)
          if (a !== b)
            expect(
              a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y,
              `"${a.text}" overlaps "${b.text}"`,
            ).toBe(true);
      expect(errors).toEqual([]);
      const shot = join(dir, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});

describe.skipIf(!PROMETHEUS)('Prometheus scrapes /metrics', () => {
  it('scrapes rollwright_ series with a read token, and is refused without one', async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: rollwright',
        '    authorization:',
        '      type: Bearer',
        `      credentials: ${readToken}`,
        '    static_configs:',
        `      - targets: ['${new URL(serve.url).host}']`,
        '  - job_name: rollwright-anonymous',
        '    static_configs:',
        `      - targets: ['${new URL(serve.url).host}']`,
        '',
      ].join('\n'),
    );
    const p = start(
      PROMETHEUS!,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prom-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      'prometheus',
    );
    const q = async (expr: string) => {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
      if (!r.ok) return undefined;
      const body = (await r.json()) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      return body.data.result.length ? body.data.result : undefined;
    };
    const events = await eventually(
      `rollwright_ledger_events in Prometheus (${(p as ChildProcess & { log: () => string }).log()})`,
      () => q('rollwright_ledger_events'),
      60_000,
    );
    expect(Number(events[0]!.value[1])).toBeGreaterThanOrEqual(1);
    const names = await eventually('rollwright_ series', () => q('{__name__=~"rollwright_.+",job="rollwright"}'));
    expect(new Set(names.map((r) => r.metric.__name__))).toContain('rollwright_ledger_chain_valid');
    const up = await eventually('both targets scraped', async () => {
      const r = await q('up');
      return r && r.length === 2 ? r : undefined;
    });
    expect(Object.fromEntries(up.map((r) => [r.metric.job, r.value[1]]))).toEqual({
      rollwright: '1',
      'rollwright-anonymous': '0',
    });
  });
});
