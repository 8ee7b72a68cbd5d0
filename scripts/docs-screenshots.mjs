// npm run docs:screenshots: retakes docs/images/dashboard.png, the dashboard picture in docs/serve.md.
// A person runs it after changing the dashboard, looks at the picture, and commits it; tests never
// write into the tree. It starts the built CLI's `serve` on a temporary SQLite ledger, records an
// incident story through the API (the alert arrives as an Alertmanager webhook payload, version 4),
// and screenshots the page in Debian's Chromium (playwright-core with /usr/bin/chromium, never a
// downloaded browser).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist', 'cli.cjs');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(root, 'docs', 'images', 'dashboard.png');
if (!existsSync(CLI)) fail(`${CLI} is missing: run npm run build (npm run docs:screenshots does)`);
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM)`);

function fail(message) {
  process.stderr.write(`docs:screenshots: ${message}\n`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'rollwright-screenshots-'));
const store = `sqlite:${join(dir, 'ledger.db')}`;
const repo = join(dir, 'repo');
mkdirSync(repo);
writeFileSync(
  join(repo, '.rollwright.yaml'),
  [
    'rollbackSLO:',
    '  checkout: { detect: 5m, decide: 10m, execute: 15m, verify: 10m, evidence: 24h }',
    '  payments: { detect: 10m, decide: 15m, execute: 30m, verify: 15m, evidence: 24h }',
    '',
  ].join('\n'),
);
const env = { ...process.env, NO_COLOR: '1' };
delete env.ROLLWRIGHT_STORE;
const tokenOf = (scope) => {
  const r = spawnSync(process.execPath, [CLI, 'serve', 'token', 'create', '--scope', scope, '--store', store], {
    encoding: 'utf8',
    env,
  });
  if (r.status !== 0) fail(`token create: ${r.stderr}`);
  return r.stdout.trim();
};
const ingest = tokenOf('ingest');
const read = tokenOf('read');

const serve = spawn(
  process.execPath,
  [CLI, 'serve', '--listen', '127.0.0.1:0', '--store', store, '--repo', repo, '--verify-every', '1'],
  {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let log = '';
const url = await new Promise((resolve, reject) => {
  serve.stderr.on('data', (d) => {
    log += d;
    const m = /listening on (http:\/\/\S+)/.exec(log);
    if (m) resolve(m[1]);
  });
  serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${log}`)));
});

try {
  const now = Date.now();
  const at = (minutes) => new Date(now + minutes * 60_000).toISOString();
  const send = async (path, body) => {
    const r = await fetch(url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const digest = (c) => `registry.example.com/app@sha256:${c.repeat(64)}`;

  // payments: deployed two days before its incident, which is over (resolved, evidence complete but one item).
  await send('/api/v1/events', [
    {
      type: 'change.declared',
      change: '9f8e7d6',
      at: at(-3 * 1440 - 60),
      payload: {
        rollbackClass: 'forward-only',
        rollbackMethod: 'rollforward',
        environment: 'prod',
        verification: ['payment success rate > 99%'],
      },
    },
    {
      type: 'change.assessed',
      change: '9f8e7d6',
      at: at(-3 * 1440 - 50),
      payload: { class: 'forward-only', gate: 'passed', findings: 3 },
    },
    {
      type: 'change.deployed',
      change: '9f8e7d6',
      service: 'payments',
      environment: 'prod',
      at: at(-2 * 1440 - 180),
      payload: { artifact: digest('9') },
    },
  ]);
  await send('/api/v1/events', [
    {
      type: 'incident.detected',
      incident: 'INC-2041',
      change: '9f8e7d6',
      at: at(-2 * 1440 - 172),
      payload: { severity: 'major', description: 'payments: card authorisations timing out', source: 'pagerduty' },
    },
  ]);
  await send('/api/v1/events', [
    {
      type: 'decision.made',
      incident: 'INC-2041',
      at: at(-2 * 1440 - 165),
      payload: { transition: 'rollforward', class: 'forward-only' },
    },
    {
      type: 'recovery.executed',
      incident: 'INC-2041',
      at: at(-2 * 1440 - 140),
      payload: { transition: 'rollforward', commit: '5c4b3a2', artifact: digest('5') },
    },
    {
      type: 'recovery.verified',
      incident: 'INC-2041',
      at: at(-2 * 1440 - 128),
      payload: {
        result: 'passed',
        checks: ['payment success rate 99.6%'],
        metrics: 'https://grafana.example/d/payments',
      },
    },
    {
      type: 'incident.resolved',
      incident: 'INC-2041',
      at: at(-2 * 1440 - 125),
      payload: { summary: 'rolled forward to 5c4b3a2' },
    },
    ...['approval', 'policy-result', 'sync-log', 'drift-check', 'postmortem-action', 'artifact-digest'].map(
      (item, k) => ({
        type: 'evidence.attached',
        incident: 'INC-2041',
        at: at(-2 * 1440 - 120 + k * 40),
        payload: { item, ref: `https://evidence.example/INC-2041/${item}` },
      }),
    ),
  ]);

  // checkout: deployed 27 minutes ago; the alert fired 7 minutes ago through Alertmanager; rolled back.
  await send('/api/v1/events', [
    {
      type: 'change.declared',
      change: 'a1b2c3d',
      at: at(-90),
      payload: {
        rollbackClass: 'reversible-with-compatibility-window',
        rollbackWindow: '48h',
        rollbackMethod: 'revert-image-digest',
        environment: 'prod',
        verification: ['error-rate < 1%'],
      },
    },
    {
      type: 'change.assessed',
      change: 'a1b2c3d',
      at: at(-80),
      payload: { class: 'reversible-with-compatibility-window', gate: 'passed', findings: 2 },
    },
    {
      type: 'change.deployed',
      change: 'a1b2c3d',
      service: 'checkout',
      environment: 'prod',
      at: at(-27),
      payload: { artifact: digest('a') },
    },
    {
      type: 'change.declared',
      change: 'd4e5f60',
      at: at(-30),
      payload: {
        rollbackClass: 'reversible-with-compatibility-window',
        rollbackWindow: { databaseSchema: 'until-contract-phase', appImage: '24h' },
        rollbackMethod: 'expand-contract',
        environment: 'prod',
        verification: ['orders written by both versions'],
      },
    },
    {
      type: 'change.assessed',
      change: 'd4e5f60',
      at: at(-29),
      payload: { class: 'reversible-with-compatibility-window', gate: 'passed', findings: 4 },
    },
    {
      type: 'change.deployed',
      change: 'd4e5f60',
      service: 'orders',
      environment: 'prod',
      at: at(-20),
      payload: { artifact: digest('d') },
    },
    {
      type: 'change.assessed',
      change: 'b7c8d9e',
      at: at(-12),
      payload: { class: 'non-recoverable-without-restore', gate: 'failed', findings: 1 },
    },
  ]);
  await send('/api/v1/webhooks/alertmanager', {
    version: '4',
    groupKey: '{}/{severity="critical"}:{alertname="CheckoutErrorRate"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'rollwright',
    groupLabels: { alertname: 'CheckoutErrorRate' },
    commonLabels: { alertname: 'CheckoutErrorRate', service: 'checkout', env: 'prod', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.org:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'CheckoutErrorRate', service: 'checkout', env: 'prod', severity: 'critical' },
        annotations: { description: 'checkout 5xx rate above 5% for 5m' },
        startsAt: at(-7),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.org:9090/graph?g0.expr=job%3Acheckout_5xx%3Aratio5m+%3E+0.05',
        fingerprint: '7b055f3300e408bf',
      },
    ],
  });
  const incident = (
    await (
      await fetch(`${url}/api/v1/incidents?service=checkout`, { headers: { authorization: `Bearer ${read}` } })
    ).json()
  ).incidents[0].id;
  await send('/api/v1/events', [
    {
      type: 'pause.started',
      incident,
      at: at(-6.5),
      payload: { target: 'argocd/checkout-prod', controller: 'argocd', reason: 'stop self-heal during the rollback' },
    },
    {
      type: 'decision.made',
      incident,
      at: at(-4),
      payload: { transition: 'rollback', class: 'reversible-with-compatibility-window' },
    },
    {
      type: 'recovery.executed',
      incident,
      at: at(-2),
      payload: { transition: 'rollback', commit: 'f00dfee', artifact: digest('c') },
    },
    {
      type: 'evidence.attached',
      incident,
      at: at(-1.5),
      payload: { item: 'approval', ref: 'https://chat.example/approvals/42' },
    },
    { type: 'evidence.attached', incident, at: at(-1.4), payload: { item: 'rollback-commit', ref: 'f00dfee' } },
  ]);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
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
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.fill('#token', read);
    await page.click('#login button');
    await page.locator(`[data-incident="${incident}"] svg.timeline`).waitFor();
    // The background verification has run once (--verify-every 1): the badge says so.
    await page.waitForFunction(() => /chain verified/.test(document.getElementById('ledger').textContent), null, {
      timeout: 15_000,
    });
    if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
    mkdirSync(dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT, fullPage: true });
    process.stdout.write(`${OUT}\n`);
  } finally {
    await browser.close();
  }
} finally {
  serve.kill('SIGTERM');
  await new Promise((r) => serve.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
