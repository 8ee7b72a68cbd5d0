import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { bodyOfValues, chainHash, GENESIS, type Head } from './chain.js';
import { EVENT_COLUMNS } from './schema.js';
import type { EventRow } from './schema.js';

/**
 * What a chain walk reads from a store (the Ledger of store.ts, which also calls verifyLedger before
 * its first append: hence this shape rather than an import of it).
 */
export interface ChainSource {
  readonly dialect: 'sqlite' | 'postgres';
  readonly sqlitePath: string | undefined;
  head(): Promise<Head>;
  scanValues(opts: { afterSeq?: number; untilSeq?: number; pageSize?: number }): AsyncGenerator<unknown[][]>;
  maxSeq(): Promise<number>;
  /** Rows numbered below 1 (never part of a chain): up to `limit` of their seq, id and type, and how many. */
  rowsBeforeStart(limit: number): Promise<{ count: number; rows: Array<{ seq: number; id: string; type: string }> }>;
}

/** The first broken link of a chain. */
export interface BrokenLink {
  /** The event the break is found at (for a deletion: the missing sequence number). */
  seq: number;
  /** The event's id, type and subject, when the event exists. */
  id: string | null;
  type: string | null;
  reason: 'missing' | 'edited' | 'relinked' | 'beyond-head' | 'before-start' | 'head';
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Events walked (up to the break). */
  events: number;
  head: Head;
  broken?: BrokenLink;
}

/** Walks a chain incrementally: feed rows in sequence order, then `end(head)`. Stops at the first break. */
export class ChainWalker {
  prev = GENESIS;
  expect = 1;
  count = 0;
  broken: BrokenLink | undefined;

  /** Returns false once the chain is broken. */
  feed(r: EventRow): boolean {
    return this.feedValues(EVENT_COLUMNS.map((c) => r[c]));
  }

  /** The same, from a row's values in EVENT_COLUMNS order (what the verify scan reads). */
  feedValues(v: ReadonlyArray<unknown>): boolean {
    if (this.broken) return false;
    const seq = Number(v[0]);
    if (seq !== this.expect) {
      this.broken =
        seq > this.expect
          ? {
              seq: this.expect,
              id: null,
              type: null,
              reason: 'missing',
              message:
                seq - this.expect === 1
                  ? `event #${this.expect} is missing (deleted): #${this.expect - 1 || 'the start'} is followed by #${seq}`
                  : `events #${this.expect}–#${seq - 1} are missing (deleted): #${this.expect - 1 || 'the start'} is followed by #${seq}`,
            }
          : {
              seq,
              id: v[1] as string,
              type: v[2] as string,
              reason: 'relinked',
              message: `event #${seq} appears out of order (after #${this.expect - 1})`,
            };
      return false;
    }
    if (v[11] !== this.prev) {
      this.broken = {
        seq,
        id: v[1] as string,
        type: v[2] as string,
        reason: 'relinked',
        message:
          seq === 1
            ? `event #1 ${describe(v)} does not start from the genesis hash: it was edited`
            : `event #${seq} ${describe(v)} does not link to event #${seq - 1}: its previous hash differs from #${seq - 1}'s hash ` +
              `(#${seq - 1} was rewritten, or #${seq} was edited)`,
      };
      return false;
    }
    if (chainHash(this.prev, bodyOfValues(v)) !== v[12]) {
      this.broken = {
        seq,
        id: v[1] as string,
        type: v[2] as string,
        reason: 'edited',
        message: `event #${seq} ${describe(v)} was edited: its content does not match its hash`,
      };
      return false;
    }
    this.prev = v[12] as string;
    this.expect++;
    this.count++;
    return true;
  }

  /** Checks the end of the chain against the head row. */
  end(head: Head): BrokenLink | undefined {
    if (this.broken) return this.broken;
    const last = this.expect - 1;
    if (head.seq > last)
      this.broken = {
        seq: last + 1,
        id: null,
        type: null,
        reason: 'missing',
        message:
          head.seq === last + 1
            ? `event #${head.seq}, the last in the chain, is missing (deleted): the head records ${head.seq} events, the chain ends at #${last}`
            : `events #${last + 1}–#${head.seq}, the last in the chain, are missing (deleted): the head records ${head.seq} events, the chain ends at #${last}`,
      };
    else if (head.seq < last)
      this.broken = {
        seq: head.seq + 1,
        id: null,
        type: null,
        reason: 'beyond-head',
        message: `events #${head.seq + 1}–#${last} lie beyond the head (#${head.seq}): they were added outside rollwright`,
      };
    else if (head.hash !== this.prev)
      this.broken = {
        seq: last,
        id: null,
        type: null,
        reason: 'head',
        message: `the head's hash does not match event #${last}: the head or event #${last} was rewritten`,
      };
    return this.broken;
  }
}

function describe(v: ReadonlyArray<unknown>): string {
  const subject = v[4] ? `incident ${v[4] as string}` : v[3] ? `change ${v[3] as string}` : '';
  return `(${v[2] as string}${subject ? ` ${subject}` : ''}, id ${v[1] as string})`;
}

export interface VerifyOptions {
  /**
   * Worker threads for a SQLite ledger of at least `parallelFrom` events (default: up to 4, one per
   * CPU, from 200,000 events). Each checks a range of the chain (hashes, links, sequence numbers) on
   * its own read-only connection; the ranges' ends are then linked here. Any anomaly is re-walked
   * sequentially from the start of its range, so the report is the same as a sequential walk's.
   */
  workers?: number;
  parallelFrom?: number;
}

/**
 * Walks the whole chain of a ledger, up to the head read at the start (appends may go on meanwhile).
 * Every row must be in the chain: numbered 1 to the head, contiguous, each linked to the one before
 * and recomputing its hash. A row numbered 0 or below is never part of a chain, and is reported
 * first (it would otherwise be invisible to the walk yet visible to a query by incident or change).
 */
export async function verifyLedger(ledger: ChainSource, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const head = await ledger.head();
  const before = await ledger.rowsBeforeStart(5);
  if (before.count > 0) {
    const first = before.rows[0]!;
    const named = before.rows.map((r) => `#${r.seq} (${r.type}, id ${r.id})`).join(', ');
    const more = before.count > before.rows.length ? ` and ${before.count - before.rows.length} more` : '';
    return {
      ok: false,
      events: 0,
      head,
      broken: {
        seq: first.seq,
        id: first.id,
        type: first.type,
        reason: 'before-start',
        message:
          `${before.count === 1 ? 'event' : 'events'} ${named}${more} ${before.count === 1 ? 'lies' : 'lie'} before the chain's ` +
          `first event (#1): ${before.count === 1 ? 'it was' : 'they were'} added outside rollwright`,
      },
    };
  }
  const walker = new ChainWalker();
  const workers = Math.min(opts.workers ?? Math.min(4, availableParallelism()), 16);
  const path = ledger.sqlitePath;
  let from = 0; // the walk below starts after this sequence number
  if (path && workers > 1 && head.seq >= (opts.parallelFrom ?? 200_000)) {
    const start = await parallelScan(path, head.seq, workers);
    if (process.env.ROLLWRIGHT_TRACE)
      process.stderr.write(
        `rollwright: verify: ${start ? `${workers} worker threads checked #1–#${start.afterSeq}` : 'worker threads unavailable'} (at ${performance.now().toFixed(1)} ms)\n`,
      );
    if (start) {
      from = start.afterSeq;
      walker.prev = start.prev;
      walker.expect = start.afterSeq + 1;
      walker.count = start.afterSeq;
    }
  }
  // Small pages in SQLite: the rows die young (far less garbage collection); fewer round trips in PostgreSQL.
  const pageSize = ledger.dialect === 'sqlite' ? 1_000 : 10_000;
  outer: for await (const page of ledger.scanValues({ afterSeq: from, pageSize, untilSeq: head.seq })) {
    for (const v of page) if (!walker.feedValues(v)) break outer;
  }
  let broken = walker.end(head);
  if (!broken) {
    // Rows beyond the head: appended meanwhile (the head has moved past them) or added behind rollwright's back.
    const max = await ledger.maxSeq();
    if (max > head.seq && max > (await ledger.head()).seq)
      broken = {
        seq: head.seq + 1,
        id: null,
        type: null,
        reason: 'beyond-head',
        message: `events #${head.seq + 1}–#${max} lie beyond the head (#${head.seq}): they were added outside rollwright`,
      };
  }
  return { ok: !broken, events: walker.count, head, ...(broken ? { broken } : {}) };
}

interface RangeResult {
  from: number;
  to: number;
  /** Rows checked, all in sequence, linked and with recomputing hashes. */
  count: number;
  /** prev_hash of the range's first row, hash of its last checked row. */
  entry: string | null;
  exit: string | null;
  broken: boolean;
}

/**
 * Checks ranges of the chain in worker threads. Returns where the sequential walk must resume: after
 * the last range that is intact and linked to everything before it (all of them: resume at the end),
 * or undefined when the workers could not run (then the walk does everything).
 */
export async function parallelScan(
  path: string,
  last: number,
  n: number,
): Promise<{ afterSeq: number; prev: string } | undefined> {
  const sqlite = resolveBetterSqlite();
  if (!sqlite) return undefined;
  const size = Math.ceil(last / n);
  const ranges = Array.from({ length: n }, (_, i) => ({
    from: i * size + 1,
    to: Math.min(last, (i + 1) * size),
  })).filter((r) => r.from <= r.to);
  const { Worker } = await import('node:worker_threads');
  let results: RangeResult[];
  try {
    results = await Promise.all(
      ranges.map(
        (r) =>
          new Promise<RangeResult>((resolve, reject) => {
            const w = new Worker(RANGE_WORKER, { eval: true, workerData: { path, sqlite, ...r } });
            w.once('message', (m: RangeResult) => resolve(m));
            w.once('error', reject);
            w.once('exit', (code) => code !== 0 && reject(new Error(`verify worker exited ${code}`)));
          }),
      ),
    );
  } catch {
    return undefined;
  }
  let prev = GENESIS;
  let after = 0;
  for (const r of results) {
    if (r.broken || r.count !== r.to - r.from + 1 || r.entry !== prev) break;
    prev = r.exit!;
    after = r.to;
  }
  return { afterSeq: after, prev };
}

function availableParallelism(): number {
  try {
    return os.availableParallelism();
  } catch {
    return 1;
  }
}

/** better-sqlite3 as the worker must require it: resolved from the running program, else the working directory. */
function resolveBetterSqlite(): string | undefined {
  for (const base of [process.argv[1], join(process.cwd(), 'index.js')]) {
    if (!base) continue;
    try {
      return createRequire(base).resolve('better-sqlite3');
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

/**
 * The range check, as source for an eval'd worker (it runs from the CLI bundle and from the
 * TypeScript sources alike). Its body and quoting are chain.ts's bodyOfValues and q; a test keeps the
 * parallel and sequential walks in agreement on intact and tampered ledgers.
 */
const RANGE_WORKER = String.raw`
const { parentPort, workerData: d } = require('node:worker_threads');
const { hash } = require('node:crypto');
const Database = require(d.sqlite);
const NE = /["\\\u0000-\u001f\ud800-\udfff]/;
const q = (s) => (s === null ? 'null' : NE.test(s) ? JSON.stringify(s) : '"' + s + '"');
const body = (v) => '{"actor":' + q(v[9]) + ',"id":' + q(v[1]) + ',"occurredAt":' + q(v[7]) + ',"payload":' + v[10] +
  ',"recordedAt":' + q(v[8]) + ',"seq":' + Number(v[0]) + ',"subject":{"change":' + q(v[3]) + ',"environment":' + q(v[6]) +
  ',"incident":' + q(v[4]) + ',"service":' + q(v[5]) + '},"type":' + q(v[2]) + '}';
const db = new Database(d.path, { readonly: true, fileMustExist: true });
const st = db.prepare('SELECT ${EVENT_COLUMNS.join(', ')} FROM ledger_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 1000').raw(true);
let after = d.from - 1, expect = d.from, count = 0, entry = null, exit = null, broken = false;
outer: for (;;) {
  const rows = st.all(after, d.to);
  for (const v of rows) {
    const seq = Number(v[0]);
    if (seq !== expect || (exit !== null && v[11] !== exit) || hash('sha256', v[11] + body(v), 'hex') !== v[12]) { broken = true; break outer; }
    if (entry === null) entry = v[11];
    exit = v[12]; expect++; count++;
  }
  if (rows.length < 1000) break;
  after = Number(rows[rows.length - 1][0]);
}
db.close();
parentPort.postMessage({ from: d.from, to: d.to, count, entry, exit, broken });
`;
