// Benchmark of `rollwright serve` (npm run bench, or npm run bench:serve):
//  1. ingest throughput of Alertmanager and CDEvents payloads over HTTP with 1 and 8 concurrent
//     clients, on SQLite and PostgreSQL, against the ledger's raw append rate (Ledger.append, one
//     event per transaction, 1 and 8 concurrent callers in one process) measured in the same run;
//  2. p99 latency of CDEvents ingest offered at a steady 500 events/s;
//  3. p95 latency of the dashboard and API reads with 100,000 events in the ledger.
// Figures are ratios against the raw append rate (target: ingest >= 0.7x raw, p99 < 50 ms at
// 500 events/s, reads p95 < 100 ms). The server is the built CLI (node dist/cli.cjs serve).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1500' },
    big: { type: 'string', default: '100000' },
    'no-pg': { type: 'boolean' },
  },
});
const N = Number(args.events);
const BIG = Number(args.big);
const WORK = join(here, '.work', 'serve');
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
await build({
  entryPoints: [join(root, 'src/testing/ledger/bench-lib.ts')],
  outfile: join(WORK, 'lib.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', 'pg-native'],
  logLevel: 'warning',
});
const lib = createRequire(import.meta.url)(join(WORK, 'lib.cjs'));
const CLI = join(root, 'dist', 'cli.cjs');

function token(store, scope) {
  const r = spawnSync(process.execPath, [CLI, 'serve', 'token', 'create', '--scope', scope, '--store', store], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

async function startServe(store) {
  const p = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--listen',
      '127.0.0.1:0',
      '--store',
      store,
      '--rate-limit',
      '0',
      '--verify-every',
      '0',
      '--max-body',
      '1048576',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const url = await new Promise((resolve, reject) => {
    p.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
      if (err.length > 1e6) err = err.slice(-1e5);
    });
    p.on('exit', (c) => reject(new Error(`serve exited ${c}: ${err}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((r) => {
        p.once('exit', r);
        p.kill('SIGTERM');
      }),
  };
}

let seq = 0;
const cdevent = () => {
  const i = ++seq;
  return JSON.stringify({
    context: {
      version: '0.4.1',
      id: `bench-${process.pid}-${i}`,
      source: '/bench',
      type: 'dev.cdevents.service.deployed.0.2.0',
      timestamp: new Date(Date.now() - 60_000).toISOString(),
    },
    subject: {
      id: `svc-${i % 50}`,
      source: '/bench',
      type: 'service',
      content: { environment: { id: 'prod' }, artifactId: `pkg:oci/app@sha256:${String(i).padStart(64, '0')}` },
    },
  });
};
const alert = () => {
  const i = ++seq;
  return JSON.stringify({
    version: '4',
    status: 'firing',
    groupKey: `{}:{alertname="A${i}"}`,
    alerts: [
      {
        status: 'firing',
        labels: { alertname: `A${i}`, service: `svc-${i % 50}`, env: 'prod' },
        startsAt: new Date(Date.now() - 30_000).toISOString(),
        fingerprint: i.toString(16).padStart(16, '0'),
      },
    ],
  });
};

async function post(url, tok, body) {
  const t0 = performance.now();
  const r = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body,
  });
  await r.arrayBuffer();
  if (r.status !== 201) throw new Error(`${url}: ${r.status}`);
  return performance.now() - t0;
}

/** Events per second: `clients` loops each sending its share of `n` payloads one after another. */
async function httpRate(url, tok, make, n, clients) {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < n / clients; i++) await post(url, tok, make());
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

async function rawRate(spec, n, callers) {
  const l = await lib.Ledger.open(spec, { create: true });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < n / callers; i++)
        await l.append([
          {
            type: 'change.deployed',
            subject: { change: `raw-${c}-${i}`, incident: null, service: 'svc', environment: 'prod' },
            occurredAt: new Date().toISOString(),
            actor: 'bench',
            payload: { artifact: 'x' },
          },
        ]);
    }),
  );
  const rate = n / ((performance.now() - t0) / 1000);
  await l.close();
  return rate;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
};
const f = (x) => x.toFixed(x < 10 ? 2 : 0);

async function runStore(name, mkStore) {
  console.log(`\n== ${name}`);
  const rawStore = await mkStore();
  const raw1 = await rawRate(rawStore.spec, N, 1);
  const raw8 = await rawRate(rawStore.spec, N, 8);
  const s = await mkStore();
  const tok = token(s.flag, 'ingest');
  const srv = await startServe(s.flag);
  try {
    for (const [label, make, path] of [
      ['CDEvents', cdevent, '/api/v1/events'],
      ['Alertmanager', alert, '/api/v1/webhooks/alertmanager'],
    ]) {
      for (const [clients, raw] of [
        [1, raw1],
        [8, raw8],
      ]) {
        const rate = await httpRate(srv.url + path, tok, make, N, clients);
        console.log(
          `${label.padEnd(12)} ${clients} client${clients > 1 ? 's' : ' '}: ${f(rate)} events/s; raw append ${f(raw)}/s with ${clients} caller${clients > 1 ? 's' : ''}: ${f(rate / raw)}x raw`,
        );
      }
    }
    // Steady 500 events/s for 3 s: latency of each request.
    const lat = [];
    const pending = [];
    const t0 = performance.now();
    for (let i = 0; i < 1500; i++) {
      const due = t0 + i * 2;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(post(srv.url + '/api/v1/events', tok, cdevent()).then((ms) => lat.push(ms)));
    }
    await Promise.all(pending);
    console.log(
      `CDEvents at 500 events/s: p50 ${f(pct(lat, 50))} ms, p99 ${f(pct(lat, 99))} ms (target < 50 ms: ${f(pct(lat, 99) / 50)}x of it)`,
    );
  } finally {
    await srv.stop();
  }
}

async function reads(mkStore) {
  const s = await mkStore();
  const l = await lib.Ledger.open(s.spec, { create: true });
  const batch = [];
  for (let i = 0; i < BIG; i++) {
    const inc = i % 20 === 1 ? `INC-${i}` : null;
    batch.push(
      inc
        ? {
            type: 'incident.detected',
            subject: { change: `c-${i - 1}`, incident: inc, service: `svc-${i % 50}`, environment: 'prod' },
            occurredAt: new Date(Date.now() - 3600_000).toISOString(),
            actor: 'bench',
            payload: {},
          }
        : {
            type: 'change.deployed',
            subject: { change: `c-${i}`, incident: null, service: `svc-${i % 50}`, environment: 'prod' },
            occurredAt: new Date(Date.now() - 7200_000).toISOString(),
            actor: 'bench',
            payload: { artifact: `a${i}` },
          },
    );
    if (batch.length === 1000) await l.append(batch.splice(0));
  }
  if (batch.length) await l.append(batch.splice(0));
  await l.close();
  const tok = token(s.flag, 'read');
  const srv = await startServe(s.flag);
  try {
    console.log(`\n== reads with ${BIG} events (SQLite)`);
    for (const path of [
      '/api/v1/dashboard',
      '/api/v1/incidents',
      '/api/v1/windows',
      '/api/v1/slo',
      '/api/v1/events?limit=100',
      '/metrics',
    ]) {
      const first = performance.now();
      await (await fetch(srv.url + path, { headers: { authorization: `Bearer ${tok}` } })).arrayBuffer();
      const cold = performance.now() - first;
      const lat = [];
      for (let i = 0; i < 40; i++) {
        const t0 = performance.now();
        const r = await fetch(srv.url + path, { headers: { authorization: `Bearer ${tok}` } });
        await r.arrayBuffer();
        lat.push(performance.now() - t0);
      }
      console.log(
        `${path.padEnd(26)} p95 ${f(pct(lat, 95))} ms (target < 100 ms: ${f(pct(lat, 95) / 100)}x of it); first read ${f(cold)} ms`,
      );
    }
  } finally {
    await srv.stop();
  }
}

let n = 0;
const sqlite = async () => {
  const path = join(WORK, `l${++n}`, 'ledger.db');
  return { spec: { kind: 'sqlite', path }, flag: `sqlite:${path}` };
};
console.log(`rollwright serve benchmark: ${N} events per ingest run`);
await runStore('SQLite', sqlite);
if (!args['no-pg'] && lib.findPgBin()) {
  const pg = await lib.startPostgres({ fast: false });
  try {
    await runStore('PostgreSQL', async () => {
      const url = await pg.createDatabase();
      return { spec: { kind: 'postgres', url }, flag: url };
    });
  } finally {
    await pg.stop();
  }
}
await reads(sqlite);
rmSync(WORK, { recursive: true, force: true });
