import { Kysely, sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool } from 'pg';
import { InputError, RollwrightError } from '../core/errors.js';
import {
  eventToRow,
  INSERT_CHUNK,
  prepareEvents,
  prepareUnit,
  type AppendUnit,
  type NewEvent,
  type PreparedUnit,
  type UnitResult,
} from './append-plan.js';
import type { Head, LedgerEvent } from './chain.js';
import { ChainBrokenError } from './errors.js';
import { APPEND_LOCK } from './migrations.js';
import { EVENT_COLUMNS, rowToEvent, type EventRow, type LedgerDatabase } from './schema.js';
import { PostgresWriter, openPostgres } from './store-postgres.js';
import { SqliteWriter, openSqlite } from './store-sqlite.js';
import type { OpenOptions, StoreSpec } from './store-spec.js';
import { writeTransaction, type Dialect } from './tx.js';
import { verifyLedger, type VerifyResult } from './verify.js';

export type { AppendOutcome, AppendUnit, NewEvent, UnitResult } from './append-plan.js';
export { eventToRow } from './append-plan.js';
export type { Head } from './chain.js';
export type { OpenOptions } from './store-spec.js';

export interface EventFilter {
  /** Events of these incidents, or of these changes (either matches). */
  incidents?: readonly string[];
  changes?: readonly string[];
  types?: readonly string[];
}

/**
 * A ledger: one append-only, hash-chained sequence of events in one store.
 *
 * Appends serialise on the store's own lock, never on a process-local mutex, and a killed process
 * leaves the whole event or nothing (one transaction per append):
 * - SQLite: `BEGIN IMMEDIATE` (the database write lock), WAL journal, `synchronous=FULL`, so a commit
 *   is on disk before `record` returns. The transaction runs synchronously on better-sqlite3
 *   (prepared statements, no await inside), so the write lock is held for the statements and the
 *   commit only. Group appends (appendUnits, a server's concurrent deliveries) commit with
 *   `synchronous=NORMAL` and then fdatasync the WAL off the event loop before returning, one flush
 *   shared by every commit made before it: on disk before the answer as well, without stalling the
 *   process for the flush.
 * - PostgreSQL: a transaction-level advisory lock (`pg_advisory_xact_lock`, one key per database),
 *   taken by every append. One event is one statement, `CALL rollwright_append(...)`, a procedure the
 *   migration creates: the lock is never held across a round trip to this process, nor across a disk
 *   flush (the append commits without waiting for the WAL flush, then a synchronous commit of a WAL
 *   message flushes the WAL up to and past it before CALL returns). See migrations.ts.
 *
 * The hot paths (append, the verify scan) are hand-written SQL on the connections Kysely uses;
 * migrations, queries and imports go through Kysely. Measured in bench/ledger.mjs: per-statement
 * Kysely calls with awaits between them held the lock several times longer.
 */
export class Ledger {
  /** The append paths of this handle's store (store-sqlite.ts, store-postgres.ts). */
  private readonly writer: SqliteWriter | PostgresWriter;

  /** Use Ledger.open(). */
  constructor(
    readonly dialect: Dialect,
    readonly db: Kysely<LedgerDatabase>,
    /** The store as named in messages: a path, or a URL without its password. */
    readonly where: string,
    private readonly pool: Pool | undefined,
    private readonly sqlite: BetterSqlite3.Database | undefined = undefined,
  ) {
    this.writer = sqlite ? new SqliteWriter(sqlite, where) : new PostgresWriter(pool!, where);
  }

  static async open(spec: StoreSpec, opts: OpenOptions): Promise<Ledger> {
    if (spec.kind === 'sqlite') {
      const { db, database } = await openSqlite(spec.path, opts);
      return new Ledger('sqlite', db, spec.path, undefined, database);
    }
    const { db, pool, where } = await openPostgres(spec.url, opts);
    return new Ledger('postgres', db, where, pool);
  }

  async close(): Promise<void> {
    if (this.writer instanceof SqliteWriter) await this.writer.close();
    await this.db.destroy();
  }

  async meta(): Promise<Record<string, string>> {
    const rows = await this.db.selectFrom('ledger_meta').select(['key', 'value']).execute();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async ledgerId(): Promise<string> {
    return (await this.meta()).ledger_id ?? 'unknown';
  }

  async head(): Promise<Head> {
    const h = await this.db.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    if (!h) throw new ChainBrokenError(`${this.where}: the ledger's head row is missing (the ledger was edited)`);
    return { seq: Number(h.seq), hash: h.hash };
  }

  /** Whether this handle has walked the whole chain and found it intact (before its first write). */
  private chainChecked?: Promise<void>;

  /**
   * Refuses (ChainBrokenError, exit 1) to write onto a chain that does not verify: an event edited,
   * deleted or reordered anywhere, a row numbered below 1, or rows beyond the head. The whole chain is
   * walked once per handle, before its first write (a CLI command opens one handle: every `record`,
   * `decide` and `revert --apply` walks it); later appends through the same handle check the chain's
   * end under the write lock, as every append does. Callers that must validate before doing something
   * irreversible elsewhere (`revert --apply` moves a branch) call it first.
   */
  checkWritable(): Promise<void> {
    // One walk per handle, shared by concurrent first writes (a server's first burst), or the walk
    // of verify() on this handle (a server verifies at start); a failed walk is walked again by the
    // next write.
    this.chainChecked ??= (async () => {
      const r = await (this.walking ?? verifyLedger(this));
      if (!r.ok)
        throw new ChainBrokenError(
          `${this.where}: the ledger's chain is broken, so nothing is added to it: ${r.broken!.message}; ` +
            'run `rollwright ledger verify` for the details; nothing was recorded',
        );
    })().catch((e: unknown) => {
      this.chainChecked = undefined;
      throw e;
    });
    return this.chainChecked;
  }

  /** A verify() in flight on this handle. */
  private walking?: Promise<VerifyResult>;

  /**
   * Walks the whole chain (`verifyLedger`, what `ledger verify` reports). A walk that finds it intact
   * is also this handle's check before its first write (checkWritable), and a first write made during
   * the walk waits for it: a server that verifies its ledger at start walks it once, not once more
   * at its first delivery (a stall of seconds for a ledger of 100,000 events).
   */
  verify(): Promise<VerifyResult> {
    const walk: Promise<VerifyResult> = verifyLedger(this)
      .then((r) => {
        if (r.ok) this.chainChecked ??= Promise.resolve();
        return r;
      })
      .finally(() => {
        if (this.walking === walk) this.walking = undefined;
      });
    this.walking = walk;
    return walk;
  }

  /**
   * Appends events in one transaction, chained in the order given, after checking the whole chain
   * (checkWritable) and, under the write lock, that the chain's last event still matches the head.
   * Returns them as stored.
   */
  async append(events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    if (events.length === 0) return [];
    await this.checkWritable();
    return this.writer.append(prepareEvents(events));
  }

  /**
   * Appends units of events in one transaction (group commit: one lock, one check of the chain's
   * end, one disk flush for all of them), chained in the order given. Each unit (one webhook
   * delivery, one API request) is recorded whole or not at all, and its result says which:
   * - an event with a delivery key (a webhook's redelivery identity) already recorded, by an earlier
   *   transaction or earlier in this one, records nothing and reports the sequence number recorded
   *   first; otherwise the key is stored with the event. Checked under the append lock, so the same
   *   delivery reaching two processes at once is recorded once;
   * - an `incident.detected` for an incident already detected (an incident is detected once) fails
   *   its unit with IncidentDetectedError, also checked under the lock;
   * - a unit whose events cannot be stored fails alone: when the group's transaction fails for a
   *   reason other than the ledger's (a broken chain, a lock held too long), each unit is appended
   *   again in a transaction of its own.
   */
  async appendUnits(units: readonly AppendUnit[]): Promise<UnitResult[]> {
    const results: UnitResult[] = new Array(units.length);
    if (units.length) {
      try {
        await this.checkWritable();
      } catch (error) {
        return units.map(() => ({ ok: false as const, error }));
      }
    }
    const live: Array<{ at: number; unit: PreparedUnit }> = [];
    units.forEach((u, at) => {
      try {
        live.push({ at, unit: prepareUnit(u) });
      } catch (error) {
        results[at] = { ok: false, error };
      }
    });
    const run = async (batch: PreparedUnit[]) => this.writer.appendUnits(batch);
    let got: UnitResult[];
    try {
      got = live.length ? await run(live.map((l) => l.unit)) : [];
    } catch (error) {
      if (live.length === 1 || error instanceof RollwrightError) got = live.map(() => ({ ok: false, error }));
      else {
        got = [];
        for (const l of live)
          got.push(...(await run([l.unit]).catch((e: unknown) => [{ ok: false as const, error: e }])));
      }
    }
    live.forEach((l, i) => (results[l.at] = got[i]!));
    return results;
  }

  /**
   * Appends events that already carry their place in a chain (an import): they must continue the
   * head exactly. Events the ledger already holds (same seq, id and hash) are skipped, so importing
   * the same export twice is harmless. All or nothing, in one transaction under the head lock.
   */
  async appendChained(events: readonly LedgerEvent[]): Promise<{ added: number; skipped: number }> {
    await this.checkWritable();
    return writeTransaction(this.db, this.dialect, async (trx) => {
      if (this.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${APPEND_LOCK})`.execute(trx);
      const h = await trx.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
      if (!h) throw new ChainBrokenError(`${this.where}: the ledger's head row is missing (the ledger was edited)`);
      const head = { seq: Number(h.seq), hash: h.hash };
      const overlap = events.filter((e) => e.seq <= head.seq);
      if (overlap.length) {
        const have = await trx
          .selectFrom('ledger_events')
          .select(['seq', 'id', 'hash'])
          .where('seq', '>=', overlap[0]!.seq)
          .where('seq', '<=', overlap[overlap.length - 1]!.seq)
          .orderBy('seq')
          .execute();
        const bySeq = new Map(have.map((r) => [Number(r.seq), r]));
        for (const e of overlap) {
          const mine = bySeq.get(e.seq);
          if (!mine || mine.id !== e.id || mine.hash !== e.hash)
            throw new InputError(
              `event #${e.seq} of the file (${e.id}) differs from event #${e.seq} of the ledger${mine ? ` (${mine.id})` : ''}: ` +
                'the file is not a continuation of this ledger; nothing was imported',
            );
        }
      }
      const rest = events.filter((e) => e.seq > head.seq);
      if (rest.length === 0) return { added: 0, skipped: overlap.length };
      const firstNew = rest[0]!;
      if (firstNew.seq !== head.seq + 1 || firstNew.prevHash !== head.hash)
        throw new InputError(
          `the file continues a chain at event #${firstNew.seq - 1} (hash ${firstNew.prevHash.slice(0, 12)}…), ` +
            `but the ledger's head is #${head.seq} (hash ${head.hash.slice(0, 12)}…): nothing was imported`,
        );
      const rows = rest.map(eventToRow);
      for (let i = 0; i < rows.length; i += INSERT_CHUNK)
        await trx
          .insertInto('ledger_events')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
      const last = rest[rest.length - 1]!;
      await trx.updateTable('ledger_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
      return { added: rest.length, skipped: overlap.length };
    });
  }

  /**
   * Rows in chain order up to `untilSeq`, a page at a time (keyset pagination: constant memory for
   * any size), read with the driver directly: this is what `ledger verify` and `export` stream.
   */
  async *pages(opts: { afterSeq?: number; untilSeq?: number; pageSize?: number } = {}): AsyncGenerator<EventRow[]> {
    let after = opts.afterSeq ?? 0;
    const until = opts.untilSeq ?? Number.MAX_SAFE_INTEGER;
    const size = opts.pageSize ?? 10_000;
    const text = `SELECT ${EVENT_COLUMNS.join(', ')} FROM ledger_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`;
    const stmt = this.sqlite?.prepare(text.replace(/\$\d/g, '?'));
    for (;;) {
      let rows: EventRow[];
      if (stmt) rows = stmt.all(after, until, size) as EventRow[];
      else {
        const client = await this.pool!.connect();
        try {
          rows = (await client.query<EventRow>({ name: 'rw_page_v1', text, values: [after, until, size] })).rows;
        } finally {
          client.release();
        }
      }
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < size) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
  }

  /** Like pages(), as arrays of values in EVENT_COLUMNS order: no row objects (the verify scan). */
  async *scanValues(
    opts: { afterSeq?: number; untilSeq?: number; pageSize?: number } = {},
  ): AsyncGenerator<unknown[][]> {
    let after = opts.afterSeq ?? 0;
    const until = opts.untilSeq ?? Number.MAX_SAFE_INTEGER;
    const size = opts.pageSize ?? 10_000;
    const text = `SELECT ${EVENT_COLUMNS.join(', ')} FROM ledger_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`;
    const stmt = this.sqlite?.prepare(text.replace(/\$\d/g, '?')).raw(true);
    for (;;) {
      let rows: unknown[][];
      if (stmt) rows = stmt.all(after, until, size) as unknown[][];
      else {
        const client = await this.pool!.connect();
        try {
          rows = (
            await client.query<unknown[]>({ name: 'rw_scan_v1', text, values: [after, until, size], rowMode: 'array' })
          ).rows;
        } finally {
          client.release();
        }
      }
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < size) return;
      after = Number(rows[rows.length - 1]![0]);
    }
  }

  /** The SQLite file (for verify's parallel scan, which opens it read-only in worker threads). */
  get sqlitePath(): string | undefined {
    return this.sqlite ? this.sqlite.name : undefined;
  }

  /** Rows numbered below 1: never part of a chain (verify reports them). */
  async rowsBeforeStart(
    limit: number,
  ): Promise<{ count: number; rows: Array<{ seq: number; id: string; type: string }> }> {
    const [c, rows] = await Promise.all([
      this.db
        .selectFrom('ledger_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('seq', '<', 1)
        .executeTakeFirst(),
      this.db
        .selectFrom('ledger_events')
        .select(['seq', 'id', 'type'])
        .where('seq', '<', 1)
        .orderBy('seq')
        .limit(limit)
        .execute(),
    ]);
    return { count: Number(c?.n ?? 0), rows: rows.map((r) => ({ seq: Number(r.seq), id: r.id, type: r.type })) };
  }

  /** The hashes of the chain's events at these sequence numbers (those that exist, 1 to the head). */
  async hashesAt(seqs: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (let i = 0; i < seqs.length; i += INSERT_CHUNK) {
      const part = seqs.slice(i, i + INSERT_CHUNK);
      const rows = await this.db
        .selectFrom('ledger_events')
        .select(['seq', 'hash'])
        .where('seq', 'in', part)
        .where('seq', '>=', 1)
        .where('seq', '<=', (eb) => eb.selectFrom('ledger_head').select('seq').where('id', '=', 1))
        .execute();
      for (const r of rows) out.set(Number(r.seq), r.hash);
    }
    return out;
  }

  /** The highest sequence number of any event row (to find rows added beyond the head). */
  async maxSeq(): Promise<number> {
    const r = await this.db
      .selectFrom('ledger_events')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    return r?.m === null || r?.m === undefined ? 0 : Number(r.m);
  }

  /**
   * Events matching a filter, in chain order. Like every query of events here, it reads only rows in
   * the chain's range, 1 to the head (in the same snapshot): a row added below 1 or beyond the head
   * is never read as an event (verify reports it).
   */
  async select(filter: EventFilter = {}): Promise<LedgerEvent[]> {
    let q = this.chainRows();
    const incidents = filter.incidents?.filter(Boolean) ?? [];
    const changes = filter.changes?.filter(Boolean) ?? [];
    if (filter.incidents !== undefined || filter.changes !== undefined) {
      if (incidents.length === 0 && changes.length === 0) return [];
      q = q.where((eb) =>
        eb.or([
          ...(incidents.length ? [eb('incident_id', 'in', incidents)] : []),
          ...(changes.length ? [eb('change_id', 'in', changes)] : []),
        ]),
      );
    }
    if (filter.types) {
      if (filter.types.length === 0) return [];
      q = q.where('type', 'in', filter.types);
    }
    const rows = await q.orderBy('seq').execute();
    return rows.map(rowToEvent);
  }

  /** The sequence number of the event recorded under a delivery key, if one was. */
  async delivered(key: string): Promise<number | undefined> {
    const text = 'SELECT seq FROM ledger_deliveries WHERE key = $1';
    const seq = this.sqlite
      ? ((this.writer as SqliteWriter).statements().seen.get(key) as number | bigint | undefined)
      : (await this.pool!.query<{ seq: string }>({ name: 'rw_delivered_v1', text, values: [key] })).rows[0]?.seq;
    return seq === undefined ? undefined : Number(seq);
  }

  /** Event rows numbered 1 to the head. */
  private chainRows() {
    return this.db
      .selectFrom('ledger_events')
      .select(EVENT_COLUMNS)
      .where('seq', '>=', 1)
      .where('seq', '<=', (eb) => eb.selectFrom('ledger_head').select('seq').where('id', '=', 1));
  }

  /** The first event of a type for an incident (its detection), if any. */
  async first(type: string, by: { incident?: string; change?: string }): Promise<LedgerEvent | undefined> {
    const where = ['type = $1'];
    const values: string[] = [type];
    if (by.incident !== undefined) where.push(`incident_id = $${values.push(by.incident)}`);
    if (by.change !== undefined) where.push(`change_id = $${values.push(by.change)}`);
    return this.one(`${where.join(' AND ')} ORDER BY seq LIMIT 1`, values);
  }

  /** The last event of a type for a change (or a service in an environment), if any. */
  async last(
    type: string,
    by: { change: string } | { service: string; environment: string | null },
  ): Promise<LedgerEvent | undefined> {
    const where = ['type = $1'];
    const values: string[] = [type];
    if ('change' in by) where.push(`change_id = $${values.push(by.change)}`);
    else {
      where.push(`service = $${values.push(by.service)}`);
      if (by.environment !== null) where.push(`environment = $${values.push(by.environment)}`);
    }
    return this.one(`${where.join(' AND ')} ORDER BY seq DESC LIMIT 1`, values);
  }

  private readonly lookups = new Map<string, { name: string; sqlite?: BetterSqlite3.Statement }>();

  /**
   * One event by a condition: a statement prepared once per handle (SQLite) or per connection
   * (PostgreSQL, by name), without building the query each time. These lookups run for every
   * webhook delivery (`record` validates against the ledger), so they are a hot path too.
   */
  private async one(condition: string, values: string[]): Promise<LedgerEvent | undefined> {
    // Only rows of the chain, 1 to the head, are events (a row planted outside that range is not).
    const text =
      `SELECT ${EVENT_COLUMNS.join(', ')} FROM ledger_events ` +
      `WHERE seq >= 1 AND seq <= (SELECT seq FROM ledger_head WHERE id = 1) AND ${condition}`;
    let q = this.lookups.get(text);
    if (!q) {
      q = { name: `rw_lookup_${this.lookups.size}_v1` };
      if (this.sqlite) q.sqlite = this.sqlite.prepare(text.replace(/\$\d+/g, '?'));
      this.lookups.set(text, q);
    }
    const row = q.sqlite
      ? (q.sqlite.get(...values) as EventRow | undefined)
      : (await this.pool!.query<EventRow>({ name: q.name, text, values })).rows[0];
    return row ? rowToEvent(row) : undefined;
  }
}
