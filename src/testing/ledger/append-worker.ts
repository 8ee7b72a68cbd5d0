/**
 * A writer process for concurrency tests and the benchmark: records N events into one ledger, each
 * in its own transaction, through the same path as `rollwright record` (validation, then append).
 *
 *   node append-worker.cjs <store> <count> <label> [raw]
 *
 * `raw` inserts plain rows into `raw_inserts` instead (the benchmark's baseline: the database's own
 * insert rate, one row per transaction, same row size). Prints one JSON line: {label, count, ms}.
 */
import { parseStoreSpec } from '../../ledger/store-spec.js';
import { Ledger } from '../../ledger/store.js';
import { prepareEvent } from '../../ledger/record.js';
import { rawInserter } from './raw-insert.js';

async function main(): Promise<void> {
  const [storeText, countText, label, mode] = process.argv.slice(2);
  if (!storeText || !countText || !label) throw new Error('usage: append-worker <store> <count> <label> [raw]');
  const count = Number(countText);
  const spec = parseStoreSpec(storeText);
  // Open first, then (with ROLLWRIGHT_WORKER_WAIT=1) say "ready" and wait for the parent to release
  // every writer at once through stdin: the measurement covers writing only.
  const raw = mode === 'raw' ? await rawInserter(spec) : undefined;
  const ledger = raw ? undefined : await Ledger.open(spec, { create: true });
  try {
    if (process.env.ROLLWRIGHT_WORKER_WAIT === '1') {
      process.stdout.write('ready\n');
      await new Promise((r) => process.stdin.once('data', r));
    }
    const started = performance.now();
    if (raw) for (let i = 0; i < count; i++) await raw.insert(label, i);
    else
      for (let i = 0; i < count; i++) {
        const e = await prepareEvent(ledger!, {
          type: 'change.deployed',
          change: `CHG-${label}-${i}`,
          service: `svc-${label}`,
          environment: 'prod',
          actor: `writer-${label}`,
          payload: { artifact: `sha256:${String(i).padStart(64, '0')}`, version: `1.0.${i}` },
        });
        await ledger!.append([e]);
      }
    process.stdout.write(JSON.stringify({ label, count, ms: performance.now() - started }) + '\n');
  } finally {
    await raw?.close();
    await ledger?.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`append-worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
