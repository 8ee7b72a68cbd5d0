// Benchmark of `rollwright serve` (npm run bench, or npm run bench:serve):
//  1. ingest throughput of Alertmanager and CDEvents payloads over HTTP with 1 and 8 concurrent
//     clients, on SQLite and PostgreSQL, against the ledger's raw append rate (Ledger.append, one
//     event per transaction, 1 and 8 concurrent callers in one process) measured in the same run;
//     with the floor of the HTTP part beside it (a bare node:http server in its own process, measured
//     in the same run) and, per line, what that floor and the raw append leave within reach;
//  2. p99 latency of CDEvents ingest offered at a steady 500 events/s;
//  3. p95/p99 latency of the dashboard and API reads with 100,000 events in the ledger, at rest and
//     while events are ingested at 10 and 500 events/s.
// Figures are ratios against the raw append rate (target: ingest >= 0.7x raw, p99 < 50 ms at
// 500 events/s, reads p95 < 100 ms). The server is the built CLI (node dist/cli.cjs serve); with
// several --cli (an earlier build copied aside, then dist/cli.cjs), each is measured in turn in the
// same run, against the same raw rate (measured before and after the servers, the mean used).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
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
    'no-sqlite': { type: 'boolean' },
    'no-reads': { type: 'boolean' },
    'read-rates': { type: 'string', default: '0,10,500' },
    reads: { type: 'string', default: '100' },
    cli: { type: 'string', multiple: true },
    'cpu-prof': { type: 'string' },
    'trace-gc': { type: 'string' },
  },
});
const CLIS = (args.cli?.length ? args.cli : [join(root, 'dist', 'cli.cjs')]).map((c) => resolvePath(c));
const label = (cli) => (CLIS.length > 1 ? relative(root, cli) : '');
const N = Number(args.events);
const BIG = Number(args.big);
const READ_RATES = args['read-rates'].split(',').map(Number);
const READS = Number(args.reads);
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

function token(cli, store, scope) {
  const r = spawnSync(process.execPath, [cli, 'serve', 'token', 'create', '--scope', scope, '--store', store], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

async function startServe(cli, store) {
  return startProcess([
    // --cpu-prof DIR: a V8 CPU profile of each server, written to DIR when it stops.
    ...(args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', resolvePath(args['cpu-prof'])] : []),
    // --trace-gc DIR: V8's line per garbage collection (with its pause) of each server, in DIR/serve-<n>.log.
    ...(args['trace-gc'] ? ['--trace-gc'] : []),
    cli,
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
  ]);
}

/**
 * The floor of the HTTP part of a delivery: a bare node:http server in a process of its own, as the
 * server is, that reads the body, parses it as JSON and answers 201 with a small JSON body. No
 * authentication, validation, ledger or log: what any Node HTTP service pays per request here.
 */
const ECHO = `const http = require('node:http');
const s = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const j = JSON.parse(body);
    const out = JSON.stringify({ schema: 'echo/v1', id: j.context?.id ?? j.groupKey ?? null, recorded: [] });
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
s.keepAliveTimeout = 5000;
s.listen(0, '127.0.0.1', () => process.stderr.write('listening on http://127.0.0.1:' + s.address().port + '\\n'));`;

async function startProcess(argv) {
  const p = spawn(process.execPath, argv, { stdio: ['ignore', gcLog(), 'pipe'] });
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
    cpuMs: () => cpuMsOf(p.pid),
    stop: () =>
      new Promise((r) => {
        p.once('exit', r);
        p.kill('SIGTERM');
      }),
  };
}

let servers = 0;
/** Where a server's stdout goes: its GC trace with --trace-gc, else nowhere. */
function gcLog() {
  if (!args['trace-gc']) return 'ignore';
  mkdirSync(resolvePath(args['trace-gc']), { recursive: true });
  return openSync(join(resolvePath(args['trace-gc']), `serve-${++servers}.log`), 'w');
}

/** CPU time (user + system) a process has used, in ms, from /proc (NaN where there is none). */
function cpuMsOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
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

// The load generator is node:http with keep-alive connections (lighter than fetch), so that the
// client is not what limits the rate on a busy machine.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url, tok, body) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${tok}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 201 ? resolve(performance.now() - t0) : reject(new Error(`${url}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
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

/** The HTTP floor's rate with 1 and 8 clients, CDEvents bodies, and its CPU per request. */
async function echoRates() {
  const srv = await startProcess(['-e', ECHO]);
  try {
    const out = [];
    for (const clients of [1, 8]) {
      const cpu0 = srv.cpuMs();
      const rate = await httpRate(srv.url, 'none', cdevent, N, clients);
      out.push({ clients, rate, cpuPerEvent: (srv.cpuMs() - cpu0) / N });
    }
    return out;
  } finally {
    await srv.stop();
  }
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

/** Events per append transaction, from the ledger: a transaction gives all its events one recordedAt. */
async function eventsPerTransaction(spec) {
  const l = await lib.Ledger.open(spec, { create: false });
  try {
    const all = await l.select();
    return all.length / new Set(all.map((e) => e.recordedAt)).size;
  } finally {
    await l.close();
  }
}

async function runStore(name, mkStore) {
  console.log(`\n== ${name}`);
  const raw = async () => {
    const s = await mkStore();
    return [await rawRate(s.spec, N, 1), await rawRate(s.spec, N, 8)];
  };
  const rawBefore = await raw();
  const echo = await echoRates();
  const results = [];
  for (const cli of CLIS) {
    const s = await mkStore();
    const tok = token(cli, s.flag, 'ingest');
    const srv = await startServe(cli, s.flag);
    const r = { cli, rates: [], lat: [] };
    try {
      for (const [what, make, path] of [
        ['CDEvents', cdevent, '/api/v1/events'],
        ['Alertmanager', alert, '/api/v1/webhooks/alertmanager'],
      ])
        for (const clients of [1, 8]) {
          const cpu0 = srv.cpuMs();
          const rate = await httpRate(srv.url + path, tok, make, N, clients);
          r.rates.push({ what, clients, rate, cpuPerEvent: (srv.cpuMs() - cpu0) / N });
        }
      // Steady 500 events/s for 3 s: latency of each request.
      const pending = [];
      const t0 = performance.now();
      for (let i = 0; i < 1500; i++) {
        const due = t0 + i * 2;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        pending.push(post(srv.url + '/api/v1/events', tok, cdevent()).then((ms) => r.lat.push(ms)));
      }
      await Promise.all(pending);
    } finally {
      await srv.stop();
    }
    r.perTx = await eventsPerTransaction(s.spec);
    results.push(r);
  }
  const rawAfter = await raw();
  const raws = [0, 1].map((i) => (rawBefore[i] + rawAfter[i]) / 2);
  console.log(
    `raw append (Ledger.append, one event per transaction): 1 caller ${f(raws[0])}/s (${f(rawBefore[0])} before, ${f(rawAfter[0])} after the servers), ` +
      `8 callers ${f(raws[1])}/s (${f(rawBefore[1])}, ${f(rawAfter[1])})`,
  );
  console.log(
    `HTTP floor (a bare node:http server, its own process: read, JSON.parse, answer 201): ` +
      echo
        .map(
          (e) =>
            `${e.clients} client${e.clients > 1 ? 's' : ''} ${f(e.rate)}/s, server CPU ${f(e.cpuPerEvent)} ms per request`,
        )
        .join('; '),
  );
  for (const r of results) {
    if (label(r.cli)) console.log(`-- ${label(r.cli)}`);
    for (const { what, clients, rate, cpuPerEvent } of r.rates) {
      const base = raws[clients === 1 ? 0 : 1];
      console.log(
        `${what.padEnd(12)} ${clients} client${clients > 1 ? 's' : ' '}: ${f(rate)} events/s = ${f(rate / base)}x raw append with ${clients} caller${clients > 1 ? 's' : ''} (target >= 0.7x); server CPU ${f(cpuPerEvent)} ms per event`,
      );
      if (clients === 1) {
        // One sender waits for each answer: a delivery is the bare HTTP round trip, the server's own
        // work and the commit and flush the raw append pays too. 0.7x leaves, after the round trip,
        // less than the raw append itself takes when the round trip exceeds 3/7 of the raw append.
        const [d, trip, append] = [1000 / rate, 1000 / echo[0].rate, 1000 / base];
        const left = append / 0.7 - trip;
        console.log(
          `  one sender: ${f(d)} ms per delivery = HTTP floor ${f(trip)} ms + ${f(d - trip)} ms; 0.7x needs <= ${f(append / 0.7)} ms, ` +
            `leaving ${f(left)} ms after the floor for the server's work and flush, against ${f(append)} ms for the raw append alone` +
            (left < append ? ' (short of it: out of reach unless the server flushes faster than the raw append)' : ''),
        );
      } else {
        // Many senders: a server process is bound by its own CPU per event (one core), and the HTTP
        // floor's CPU per request is part of any server's.
        const echoCpu = echo[1].cpuPerEvent;
        console.log(
          `  ${clients} senders: one core at ${f(cpuPerEvent)} ms per event bounds the server at ${f(1000 / cpuPerEvent)}/s = ` +
            `${f(1000 / cpuPerEvent / base)}x raw; the HTTP floor's ${f(echoCpu)} ms per request alone at ${f(1000 / echoCpu / base)}x`,
        );
      }
    }
    console.log(
      `CDEvents at 500 events/s: p50 ${f(pct(r.lat, 50))} ms, p99 ${f(pct(r.lat, 99))} ms (target < 50 ms: ${f(pct(r.lat, 99) / 50)}x of it)`,
    );
    console.log(`events per append transaction over the whole run: ${f(r.perTx)}`);
  }
}

async function reads(mkStore) {
  const s = await mkStore();
  const l = await lib.Ledger.open(s.spec, { create: true });
  const batch = [];
  let count = 0;
  for (let i = 0; count < BIG; i++, count++) {
    const inc = i % 20 === 1 ? `INC-${i}` : null;
    // One change in ten declares a rollback window (so windows grow with the ledger too).
    if (i % 10 === 0 && count + 1 < BIG) {
      count++;
      batch.push({
        type: 'change.declared',
        subject: { change: `c-${i}`, incident: null, service: null, environment: null },
        occurredAt: new Date(Date.now() - 7300_000).toISOString(),
        actor: 'bench',
        payload: { rollbackClass: 'fully-reversible', rollbackWindow: `${1 + (i % 72)}h`, environment: 'prod' },
      });
    }
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
    if (batch.length >= 1000) await l.append(batch.splice(0));
  }
  if (batch.length) await l.append(batch.splice(0));
  await l.close();
  console.log(`\n== reads with ${BIG} events (SQLite)`);
  if (CLIS.length === 1) return readsWith(CLIS[0], s);
  // Several builds: each reads the same events in a ledger of its own schema version (an earlier
  // build refuses a ledger migrated by a later one), imported from an export of this one.
  const file = join(WORK, 'big.jsonl');
  const exported = spawnSync(
    process.execPath,
    [CLIS[CLIS.length - 1], 'ledger', 'export', '-o', 'jsonl', '--store', s.flag],
    {
      maxBuffer: 1 << 30,
    },
  );
  if (exported.status !== 0) throw new Error(String(exported.stderr));
  writeFileSync(file, exported.stdout);
  for (const cli of CLIS) {
    const own = await mkStore();
    const r = spawnSync(process.execPath, [cli, 'ledger', 'import', file, '--store', own.flag], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    await readsWith(cli, own);
  }
}

async function readsWith(cli, s) {
  const tok = token(cli, s.flag, 'read');
  const ingestTok = token(cli, s.flag, 'ingest');
  const srv = await startServe(cli, s.flag);
  if (label(cli)) console.log(`-- ${label(cli)}`);
  try {
    for (const rate of READ_RATES) {
      console.log(rate ? `while ${rate} events/s are ingested:` : 'ledger at rest:');
      const load = rate ? steadyIngest(srv.url + '/api/v1/events', ingestTok, rate) : null;
      try {
        await readPaths(srv, tok);
      } finally {
        const sent = await load?.stop();
        if (sent)
          console.log(
            `  (ingest meanwhile: ${sent.sent} events at ${f(sent.rate)}/s offered, p99 ${f(pct(sent.lat, 99))} ms)`,
          );
      }
    }
  } finally {
    await srv.stop();
  }
}

/**
 * Offers CDEvents at a steady `rate` (open loop: a slow answer does not slow the offer), until
 * stopped; every read then finds a new head, so no view is served from a cache of the last head.
 */
function steadyIngest(url, tok, rate) {
  let stopped = false;
  const lat = [];
  const pending = [];
  const t0 = performance.now();
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      if (stopped) break;
      pending.push(post(url, tok, cdevent()).then((ms) => lat.push(ms)));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      await Promise.all(pending);
      return { sent: pending.length, rate: pending.length / ((performance.now() - t0) / 1000), lat };
    },
  };
}

async function readPaths(srv, tok) {
  for (const path of [
    '/api/v1/dashboard',
    '/api/v1/incidents',
    '/api/v1/incidents?service=svc-7',
    '/api/v1/windows?all=true',
    '/api/v1/slo',
    '/api/v1/events?limit=100',
    '/metrics',
  ]) {
    const first = performance.now();
    await (await fetch(srv.url + path, { headers: { authorization: `Bearer ${tok}` } })).arrayBuffer();
    const cold = performance.now() - first;
    const lat = [];
    for (let i = 0; i < READS; i++) {
      const t0 = performance.now();
      const r = await fetch(srv.url + path, { headers: { authorization: `Bearer ${tok}` } });
      await r.arrayBuffer();
      lat.push(performance.now() - t0);
    }
    console.log(
      `${path.padEnd(32)} p95 ${f(pct(lat, 95))} ms (target < 100 ms: ${f(pct(lat, 95) / 100)}x of it), p99 ${f(pct(lat, 99))} ms; first read ${f(cold)} ms`,
    );
  }
}

let n = 0;
const sqlite = async () => {
  const path = join(WORK, `l${++n}`, 'ledger.db');
  return { spec: { kind: 'sqlite', path }, flag: `sqlite:${path}` };
};
console.log(`rollwright serve benchmark: ${N} events per ingest run`);
if (!args['no-sqlite']) await runStore('SQLite', sqlite);
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
if (!args['no-reads']) await reads(sqlite);
rmSync(WORK, { recursive: true, force: true });
