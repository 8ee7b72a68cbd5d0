// The evidence ledger benchmark (`npm run bench` runs it after bench/run.mjs; `npm run bench:ledger` alone):
//
// 1. Appends: events/s with 1 and 8 concurrent writer processes, for SQLite and PostgreSQL, each against
//    the raw insert rate of the same database in the same run (plain INSERT of the same row into a table with
//    the ledger's columns and indexes, one per transaction, through the driver: no lock, no chain, no hash,
//    no validation). Target: appends >= 0.5x raw.
// 2. `rollwright ledger verify` (whole process) over 1,000,000 events. Target: >= 200,000 events/s. And
//    `rollwright record` on the same ledger, which walks the whole chain before it writes (as a ratio).
// 3. `rollwright slo report -o json` (whole process) over 10,000 incidents. Target: < 2 s.
//
// The PostgreSQL server is real (initdb + pg_ctl in a temporary directory) with its default durability
// settings; SQLite runs with the ledger's own (WAL, synchronous=FULL). The populated ledgers for (2) and
// (3) are cached in bench/.work/ledger/. A measurement: it exits 0 when a target is missed, printing MISS.
//
// Usage: node bench/ledger.mjs [--events 1000000] [--incidents 10000] [--appends 2000] [--runs 3]
//                              [--no-pg] [--pg-verify] [--only appends,verify,slo] [--cli PATH] [--json FILE]
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const WORK = join(here, '.work', 'ledger');

const { values: opt } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    incidents: { type: 'string', default: '10000' },
    appends: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '3' },
    'no-pg': { type: 'boolean', default: false },
    'pg-verify': { type: 'boolean', default: false },
    only: { type: 'string', default: 'appends,verify,slo' },
    cli: { type: 'string', default: join(root, 'dist', 'cli.cjs') },
    json: { type: 'string', default: join(WORK, 'latest.json') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(0, 15)
      .join('\n') + '\n',
  );
  process.exit(0);
}
const EVENTS = Number(opt.events);
const INCIDENTS = Number(opt.incidents);
const APPENDS = Number(opt.appends);
const RUNS = Math.max(1, Number(opt.runs));
const ONLY = new Set(opt.only.split(',').map((x) => x.trim()));
const TARGETS = { appendRatio: 0.5, verifyPerSecond: 200_000, sloSeconds: 2 };
const log = (m) => process.stderr.write(`bench:ledger: ${m}\n`);
const num = (n) => Math.round(n).toLocaleString('en-US');

if (!existsSync(opt.cli)) throw new Error(`${opt.cli} does not exist: run \`npm run build\` first`);
mkdirSync(WORK, { recursive: true });

// ------------------------------------------------------------------------------------------------
// The library and the writer process, bundled from the TypeScript sources (inside the repository, so
// that better-sqlite3 resolves from node_modules).

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', 'pg-native'],
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: [join(root, 'src/testing/ledger/bench-lib.ts')],
  outfile: join(WORK, 'lib.cjs'),
});
await build({
  ...common,
  entryPoints: [join(root, 'src/testing/ledger/append-worker.ts')],
  outfile: join(WORK, 'append-worker.cjs'),
});
const lib = createRequire(import.meta.url)(join(WORK, 'lib.cjs'));

// ------------------------------------------------------------------------------------------------
// 1. Appends against raw inserts

/** Starts `writers` processes, waits until each is ready, releases them together; events/s over the wall time. */
async function writersRate(store, writers, perWriter, mode) {
  const procs = [];
  const ready = [];
  const done = [];
  for (let w = 0; w < writers; w++) {
    const p = spawn(
      process.execPath,
      [join(WORK, 'append-worker.cjs'), store, String(perWriter), `w${w}`, ...(mode === 'raw' ? ['raw'] : [])],
      {
        env: { ...process.env, ROLLWRIGHT_WORKER_WAIT: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let isReady;
    let isDone;
    ready.push(new Promise((r) => (isReady = r)));
    done.push(
      new Promise((res, rej) => {
        isDone = res;
        p.on('exit', (code) => (code === 0 ? res() : rej(new Error(`writer ${w} (${mode}) exited ${code}: ${err}`))));
      }),
    );
    p.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready\n')) isReady();
      if (/\{.*\}\n/.test(out)) isDone();
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', () => isReady());
    procs.push(p);
  }
  await Promise.all(ready);
  const t0 = performance.now();
  for (const p of procs) p.stdin.end('go\n');
  await Promise.all(done);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : undefined)));
  return (writers * perWriter) / seconds;
}

async function appendRows(kind, fresh) {
  const rows = [];
  for (const writers of [1, 8]) {
    const per = Math.max(1, Math.round(APPENDS / writers));
    const raw = [];
    const app = [];
    // Interleaved, raw first each round, a fresh database each time.
    for (let r = 0; r < RUNS; r++) {
      raw.push(await writersRate(await fresh(), writers, per, 'raw'));
      const store = await fresh();
      const l = await lib.Ledger.open(lib.parseStoreSpec(store), { create: true });
      await l.close();
      app.push(await writersRate(store, writers, per, 'append'));
      const check = await lib.Ledger.open(lib.parseStoreSpec(store), { create: false });
      const v = await lib.verifyLedger(check);
      await check.close();
      if (!v.ok || v.events !== writers * per)
        throw new Error(`${kind}: the appended ledger does not verify: ${JSON.stringify(v)}`);
    }
    const rawRate = median(raw);
    const appendRate = median(app);
    rows.push({
      store: kind,
      writers,
      events: writers * per,
      appendPerSecond: appendRate,
      rawPerSecond: rawRate,
      ratio: appendRate / rawRate,
    });
    log(`${kind} ${writers} writer(s): append ${num(appendRate)}/s, raw ${num(rawRate)}/s`);
  }
  return rows;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// ------------------------------------------------------------------------------------------------
// Populating big ledgers (cached)

const TYPES = [
  'change.deployed',
  'incident.detected',
  'decision.made',
  'recovery.executed',
  'recovery.verified',
  'evidence.attached',
];

function syntheticEvent(i) {
  const inc = `INC-${Math.floor(i / TYPES.length)}`;
  const type = TYPES[i % TYPES.length];
  const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
  const subject = {
    change: `CHG-${Math.floor(i / TYPES.length)}`,
    incident: type === 'change.deployed' ? null : inc,
    service: `svc-${i % 20}`,
    environment: 'prod',
  };
  const payload =
    type === 'change.deployed'
      ? { artifact: `sha256:${(i % 1e9).toString(16).padStart(64, '0')}`, version: `1.${i}.0` }
      : type === 'decision.made' || type === 'recovery.executed'
        ? { transition: 'rollback', commit: (i * 2654435761).toString(16).slice(0, 12) }
        : type === 'recovery.verified'
          ? { result: 'passed', metrics: `https://grafana.example/d/${i}` }
          : type === 'evidence.attached'
            ? { item: 'approval', ref: `https://tickets.example/CAB-${i}` }
            : { severity: 'high' };
  return { type, subject, occurredAt: at, actor: `actor-${i % 7}`, payload };
}

async function populate(store, n, make, label) {
  const spec = lib.parseStoreSpec(store);
  const l = await lib.Ledger.open(spec, { create: true });
  try {
    const have = (await l.head()).seq;
    if (have === n) {
      log(`${label}: cached (${num(n)} events)`);
      return;
    }
    if (have !== 0) throw new Error(`${label}: ${store} holds ${have} events, not ${n}: delete it`);
    const t0 = performance.now();
    const batch = 5000;
    for (let i = 0; i < n; i += batch) {
      const events = [];
      for (let j = i; j < Math.min(n, i + batch); j++) events.push(make(j));
      await l.append(events);
      if ((i / batch) % 40 === 0) log(`${label}: ${num(i)} of ${num(n)} events`);
    }
    log(`${label}: ${num(n)} events written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await l.close();
  }
}

/** Wall time of whole-process CLI runs (median of RUNS after one warm-up), checking each result. */
function timeCli(args, check) {
  const times = [];
  for (let r = 0; r <= RUNS; r++) {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, [opt.cli, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const ms = performance.now() - t0;
    if (res.status !== 0) throw new Error(`rollwright ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
    check(res.stdout);
    if (r > 0) times.push(ms);
  }
  return median(times) / 1000;
}

/** The same database's raw rates: one-row-per-transaction inserts and a plain read of every row. */
async function sqliteRaw(path) {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(path, { readonly: true });
  const t0 = performance.now();
  let n = 0;
  for (const _ of db.prepare('SELECT * FROM ledger_events').raw().iterate()) n++;
  const readPerSecond = n / ((performance.now() - t0) / 1000);
  db.close();
  return readPerSecond;
}

// ------------------------------------------------------------------------------------------------

const result = { node: process.version, cpus: cpus().length, appends: [], verify: [], slo: null, targets: TARGETS };
let pg;
let pgNote = '';
try {
  if (!opt['no-pg']) {
    if (!lib.findPgBin()) pgNote = 'PostgreSQL: not measured (no initdb/pg_ctl found; see src/testing/postgres.ts)';
    else {
      pg = await lib.startPostgres({ fast: false });
      log(`PostgreSQL ${pg.major} on 127.0.0.1:${pg.port} (default durability settings)`);
    }
  } else pgNote = 'PostgreSQL: not measured (--no-pg)';

  // 1. Appends
  let n = 0;
  const sqliteDir = join(WORK, 'appends');
  rmSync(sqliteDir, { recursive: true, force: true });
  mkdirSync(sqliteDir, { recursive: true });
  if (ONLY.has('appends')) {
    result.appends.push(...(await appendRows('sqlite', async () => `sqlite:${join(sqliteDir, `l${++n}.db`)}`)));
    if (pg) result.appends.push(...(await appendRows('postgres', async () => pg.createDatabase())));
  }
  rmSync(sqliteDir, { recursive: true, force: true });
  const rawRate = Object.fromEntries(
    result.appends.filter((r) => r.writers === 1).map((r) => [r.store, r.rawPerSecond]),
  );

  // 2. verify over EVENTS events
  if (ONLY.has('verify')) {
    const verifyDb = join(WORK, `verify-${EVENTS}.db`);
    await populate(`sqlite:${verifyDb}`, EVENTS, syntheticEvent, 'verify ledger (sqlite)');
    const readPerSecond = await sqliteRaw(verifyDb);
    const checkVerify = (out) => {
      if (!out.startsWith(`ledger ok: ${EVENTS} events`)) throw new Error(`unexpected verify output: ${out}`);
    };
    const vs = timeCli(['ledger', 'verify', '--store', `sqlite:${verifyDb}`], checkVerify);
    result.verify.push({
      store: 'sqlite',
      events: EVENTS,
      seconds: vs,
      perSecond: EVENTS / vs,
      vsRawInsert: rawRate.sqlite ? EVENTS / vs / rawRate.sqlite : null,
      vsRawRead: EVENTS / vs / readPerSecond,
    });
    log(`verify sqlite: ${num(EVENTS / vs)} events/s`);
    // A write walks the whole chain before it appends (a broken chain is refused): `record` on the same
    // ledger (a copy: each run appends one event), against `ledger verify` of it in the same run.
    const recordDb = join(WORK, `record-${EVENTS}.db`);
    copyFileSync(verifyDb, recordDb);
    let k = 0;
    const rs = timeCli(
      ['record', 'change.merged', '--change', `CHG-bench-${process.pid}`, '--store', `sqlite:${recordDb}`],
      (out) => {
        if (!out.startsWith(`recorded #${EVENTS + ++k} change.merged`))
          throw new Error(`unexpected record output: ${out}`);
      },
    );
    rmSync(recordDb, { force: true });
    for (const x of ['-wal', '-shm']) rmSync(recordDb + x, { force: true });
    result.verify[result.verify.length - 1].recordSeconds = rs;
    log(`record sqlite on ${num(EVENTS)} events: ${rs.toFixed(2)} s`);
    if (pg && opt['pg-verify']) {
      const url = await pg.createDatabase();
      await populate(url, EVENTS, syntheticEvent, 'verify ledger (postgres)');
      const ps = timeCli(['ledger', 'verify', '--store', url], checkVerify);
      result.verify.push({
        store: 'postgres',
        events: EVENTS,
        seconds: ps,
        perSecond: EVENTS / ps,
        vsRawInsert: rawRate.postgres ? EVENTS / ps / rawRate.postgres : null,
        vsRawRead: null,
      });
      log(`verify postgres: ${num(EVENTS / ps)} events/s`);
    }
  }

  // 3. slo report over INCIDENTS incidents
  if (ONLY.has('slo')) {
    const sloDb = join(WORK, `slo-${INCIDENTS}.db`);
    const perIncident = TYPES.length;
    await populate(`sqlite:${sloDb}`, INCIDENTS * perIncident, syntheticEvent, 'slo ledger (sqlite)');
    const repo = join(WORK, 'slo-repo');
    mkdirSync(repo, { recursive: true });
    writeFileSync(
      join(repo, '.rollwright.yaml'),
      "rollbackSLO:\n  '*': { detect: 5m, decide: 10m, execute: 15m, verify: 10m, evidence: 24h }\n",
    );
    const ss = timeCli(['slo', 'report', '-o', 'json', '--store', `sqlite:${sloDb}`, '--repo', repo], (out) => {
      const r = JSON.parse(out);
      if (r.incidents.length !== INCIDENTS)
        throw new Error(`slo report gave ${r.incidents.length} incidents, not ${INCIDENTS}`);
    });
    const events = INCIDENTS * perIncident;
    result.slo = {
      store: 'sqlite',
      incidents: INCIDENTS,
      events,
      seconds: ss,
      budgetUsed: ss / TARGETS.sloSeconds,
      eventsPerSecond: events / ss,
      vsRawInsert: rawRate.sqlite ? events / ss / rawRate.sqlite : null,
    };
    log(`slo report: ${ss.toFixed(2)} s`);
  }
} finally {
  await pg?.stop();
}

writeFileSync(opt.json, JSON.stringify(result, null, 2) + '\n');
process.stdout.write(report(result) + '\n');

function report(r) {
  const out = [];
  const pass = (ok) => (ok ? 'PASS' : 'MISS');
  out.push(`rollwright ledger benchmark — node ${r.node}, ${r.cpus} CPUs`);
  out.push('');
  out.push('Appends: events/s, one transaction per event, N writer processes released together;');
  out.push('raw = plain INSERT of the same row into a table of the same columns and indexes, one per transaction,');
  out.push('same database, same run (no lock, no chain, no hash, no validation).');
  const rows = [['STORE', 'WRITERS', 'EVENTS', 'APPEND/S', 'RAW/S', 'RATIO', `TARGET ≥${r.targets.appendRatio}`]];
  for (const a of r.appends)
    rows.push([
      a.store,
      String(a.writers),
      num(a.events),
      num(a.appendPerSecond),
      num(a.rawPerSecond),
      a.ratio.toFixed(2),
      pass(a.ratio >= r.targets.appendRatio),
    ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  for (const x of rows)
    out.push(
      '  ' +
        x
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
    );
  if (pgNote) out.push(`  ${pgNote}`);
  for (const v of r.verify) {
    out.push('');
    out.push(`ledger verify over ${num(v.events)} events (${v.store}, whole process, median of ${RUNS}):`);
    out.push(
      `  ${v.seconds.toFixed(2)} s = ${num(v.perSecond)} events/s — target ≥${num(r.targets.verifyPerSecond)}/s: ${(v.perSecond / r.targets.verifyPerSecond).toFixed(2)}× ${pass(v.perSecond >= r.targets.verifyPerSecond)}`,
    );
    out.push(
      `  = ${v.vsRawInsert === null ? '(no raw insert rate measured)' : `${v.vsRawInsert.toFixed(1)}× the raw insert rate`}${v.vsRawRead !== null ? `, ${v.vsRawRead.toFixed(2)}× the raw read rate (every row read, nothing hashed)` : ''}`,
    );
    if (v.recordSeconds !== undefined)
      out.push(
        `  record (whole process, one event) on the same ledger: ${v.recordSeconds.toFixed(2)} s = ${(v.recordSeconds / v.seconds).toFixed(2)}× ledger verify (each write walks the chain first)`,
      );
  }
  if (r.slo) {
    const s = r.slo;
    out.push('');
    out.push(
      `slo report over ${num(s.incidents)} incidents (${num(s.events)} events, ${s.store}, whole process, -o json, median of ${RUNS}):`,
    );
    out.push(
      `  ${s.seconds.toFixed(2)} s — target <${r.targets.sloSeconds} s: ${s.budgetUsed.toFixed(2)} of the budget ${pass(s.seconds < r.targets.sloSeconds)}`,
    );
    out.push(
      `  = ${num(s.eventsPerSecond)} events/s read and computed${s.vsRawInsert === null ? '' : `, ${s.vsRawInsert.toFixed(1)}× the raw insert rate`}`,
    );
  }
  const misses =
    r.appends.filter((a) => a.ratio < r.targets.appendRatio).length +
    r.verify.filter((v) => v.perSecond < r.targets.verifyPerSecond).length +
    (r.slo && r.slo.seconds >= r.targets.sloSeconds ? 1 : 0);
  out.push('');
  out.push(misses ? `MISS: ${misses} figure(s) miss their target.` : 'PASS: every figure meets its target.');
  return out.join('\n');
}
