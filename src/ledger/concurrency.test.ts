/**
 * Real processes writing into one ledger at once, and processes killed mid-write. The writers are
 * the append worker (src/testing/ledger/append-worker.ts) bundled to plain JavaScript: the same
 * validation and append path as `rollwright record`, without paying the CLI's start-up per event.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS, hashOf } from './chain.js';
import { APPEND_LOCK } from './migrations.js';
import { Ledger } from './store.js';
import type { StoreSpec } from './store-spec.js';
import { bundleWorker, workerEnv } from '../testing/ledger/bundle.js';
import { rawSql } from '../testing/ledger/raw.js';
import { testStores } from '../testing/ledger/stores.js';
import { verifyLedger } from './verify.js';

const stores = testStores();
let worker: string;
beforeAll(async () => {
  worker = await bundleWorker();
});
afterAll(() => {
  if (worker) rmSync(dirname(worker), { recursive: true, force: true });
});

function start(spec: StoreSpec, count: number, label: string): ChildProcess {
  return spawn(process.execPath, [worker, stores.flag(spec), String(count), label], {
    env: workerEnv({ ROLLWRIGHT_WORKER_WAIT: '1' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Starts `n` writers, releases them together, waits for all; rejects with the stderr of a failed one. */
async function writers(spec: StoreSpec, n: number, count: number): Promise<void> {
  const procs = Array.from({ length: n }, (_, i) => start(spec, count, `w${i}`));
  const ready: Array<Promise<void>> = [];
  const done = procs.map(
    (p) =>
      new Promise<void>((resolve, reject) => {
        let err = '';
        p.stderr!.on('data', (d) => (err += d));
        ready.push(
          new Promise<void>((r) => {
            let out = '';
            p.stdout!.on('data', (d) => {
              out += d;
              if (out.includes('ready\n')) r();
            });
            p.on('exit', () => r());
          }),
        );
        p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${err}`))));
      }),
  );
  // Every process has opened its ledger and waits on stdin: release them at once.
  await Promise.all(ready);
  for (const p of procs) p.stdin!.end('go\n');
  await Promise.all(done);
}

async function checkChain(spec: StoreSpec, writersN: number, count: number): Promise<void> {
  const l = await Ledger.open(spec, { create: false });
  try {
    const r = await verifyLedger(l);
    expect(r.broken).toBeUndefined();
    expect(r).toMatchObject({ ok: true, events: writersN * count });
    expect(r.head.seq).toBe(writersN * count);
    const all = await l.select();
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: writersN * count }, (_, i) => i + 1));
    // Each writer's events are all there, in the order it wrote them.
    for (let w = 0; w < writersN; w++) {
      const mine = all.filter((e) => e.actor === `writer-w${w}`).map((e) => e.subject.change);
      expect(mine).toEqual(Array.from({ length: count }, (_, i) => `CHG-w${w}-${i}`));
    }
  } finally {
    await l.close();
  }
}

describe.skipIf(!stores.kinds.includes('postgres'))('postgres: many writers', () => {
  it('8 processes recording 1,000 events each leave 8,000 events in one valid chain', async () => {
    const spec = await stores.fresh('postgres');
    await writers(spec, 8, 1000);
    await checkChain(spec, 8, 1000);
  }, 600_000);
});

describe.skipIf(!stores.kinds.includes('postgres'))('postgres: waiting for the lock', () => {
  it('while another transaction holds the ledger’s lock, appends wait on the server, then chain one after another', async () => {
    const spec = await stores.fresh('postgres');
    if (spec.kind !== 'postgres') return;
    const l = await Ledger.open(spec, { create: true });
    const { default: pg } = await import('pg');
    const holder = new pg.Client({ connectionString: spec.url });
    await holder.connect();
    try {
      await l.append([
        {
          type: 'change.merged',
          subject: { change: 'C-0', incident: null, service: null, environment: null },
          occurredAt: '2026-01-05T09:00:00.000Z',
          actor: 'x',
          payload: {},
        },
      ]);
      await holder.query(`BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK})`);
      let settled = 0;
      const waiting = [1, 2, 3].map((i) =>
        Ledger.open(spec, { create: false }).then(async (w) => {
          try {
            return await w.append([
              {
                type: 'change.merged',
                subject: { change: `C-${i}`, incident: null, service: null, environment: null },
                occurredAt: '2026-01-05T09:00:00.000Z',
                actor: `w${i}`,
                payload: { commit: `c${i}` },
              },
            ]);
          } finally {
            settled++;
            await w.close();
          }
        }),
      );
      // All three wait on the lock, on the server.
      for (let tries = 0; ; tries++) {
        const n = Number(
          (await rawSql(spec, "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'"))[0]!.n,
        );
        if (n === 3) break;
        if (tries > 200) throw new Error(`${n} writers wait on the lock, not 3`);
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(settled).toBe(0);
      await holder.query('COMMIT');
      const appended = (await Promise.all(waiting)).map((x) => x[0]!);
      expect(appended.map((e) => e.seq).sort()).toEqual([2, 3, 4]);
      for (const e of appended) expect(e.hash).toBe(hashOf(e));
      expect(await verifyLedger(l)).toMatchObject({ ok: true, events: 4 });
    } finally {
      await holder.end();
      await l.close();
    }
  });
});

describe.each(stores.kinds)('%s: processes', (kind) => {
  it('4 processes recording at once into one ledger keep one chain', async () => {
    const spec = await stores.fresh(kind);
    await writers(spec, 4, 150);
    await checkChain(spec, 4, 150);
  }, 240_000);

  it('a writer killed mid-write leaves whole events or nothing: the chain verifies and continues', async () => {
    const spec = await stores.fresh(kind);
    const l = await Ledger.open(spec, { create: true });
    await l.close();
    const p = start(spec, 1_000_000, 'k');
    let stderr = '';
    p.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise((r) => p.once('exit', r));
    p.stdin!.end('go\n');
    // Let it write for a while, then kill it without warning, wherever it is.
    const deadline = Date.now() + 20_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      if (p.exitCode !== null) throw new Error(`the writer died on its own (${p.exitCode}): ${stderr}`);
      const n = Number((await rawSql(spec, 'SELECT count(*) AS n FROM ledger_events'))[0]!.n);
      if (n >= 50) break;
      if (Date.now() > deadline) throw new Error(`the writer wrote ${n} events in 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 50)));
    p.kill('SIGKILL');
    await exited;
    const again = await Ledger.open(spec, { create: false });
    try {
      const r = await verifyLedger(again);
      expect(r.ok).toBe(true);
      expect(r.events).toBeGreaterThanOrEqual(50);
      expect(r.head.seq).toBe(r.events + 0);
      const rows = await rawSql(spec, 'SELECT count(*) AS n FROM ledger_events');
      expect(Number(rows[0]!.n)).toBe(r.events);
      const [next] = await again.append([
        {
          type: 'change.merged',
          subject: { change: 'CHG-after', incident: null, service: null, environment: null },
          occurredAt: '2026-01-05T09:00:00.000Z',
          actor: 'x',
          payload: {},
        },
      ]);
      expect(next!.seq).toBe(r.events + 1);
      expect(next!.prevHash).not.toBe(GENESIS);
      expect(await verifyLedger(again)).toMatchObject({ ok: true });
    } finally {
      await again.close();
    }
  }, 240_000);
});
