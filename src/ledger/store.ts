import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { InputError, optionalPackage, RollwrightError } from '../core/errors.js';
import { canonicalJson } from './canonical.js';
import { bodyOf, bodyParts, chainHash, GENESIS, type Head, type LedgerEvent, type Subject } from './chain.js';
import { ChainBrokenError, IncidentDetectedError } from './errors.js';
import { APPEND_LOCK, migrate } from './migrations.js';
import { EVENT_COLUMNS, rowToEvent, type EventRow, type LedgerDatabase } from './schema.js';
import { redactUrl, type StoreSpec } from './store-spec.js';
import { writeTransaction, type Dialect } from './tx.js';
import { verifyLedger } from './verify.js';

/** An event to append: everything but its place in the chain. The payload is already validated. */
export interface NewEvent {
  id?: string;
  type: string;
  subject: Subject;
  occurredAt: string;
  actor: string;
  payload: Record<string, unknown>;
}

/** One unit of a group append (one webhook delivery, one API request): recorded whole or not at all. */
export interface AppendUnit {
  /** Events in chain order; `key` is a delivery key: the same key is recorded once, ever. */
  events: ReadonlyArray<{ event: NewEvent; key?: string }>;
}

/** What became of one event of a unit: stored, or a duplicate of a delivery recorded before (its seq). */
export type AppendOutcome = { duplicate: false; event: LedgerEvent } | { duplicate: true; seq: number };

/** A unit's result: every event's outcome, or why nothing of it was recorded. */
export type UnitResult = { ok: true; outcomes: AppendOutcome[] } | { ok: false; error: unknown };

export type { Head } from './chain.js';

export interface OpenOptions {
  /** Create the ledger (file, directory, schema) when it does not exist. Read-only commands pass false. */
  create: boolean;
}

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
 *   commit only.
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
  /** Use Ledger.open(). */
  constructor(
    readonly dialect: Dialect,
    readonly db: Kysely<LedgerDatabase>,
    /** The store as named in messages: a path, or a URL without its password. */
    readonly where: string,
    private readonly pool: Pool | undefined,
    private readonly sqlite: BetterSqlite3.Database | undefined = undefined,
  ) {}

  static async open(spec: StoreSpec, opts: OpenOptions): Promise<Ledger> {
    return spec.kind === 'sqlite' ? openSqlite(spec.path, opts) : openPostgres(spec.url, opts);
  }

  async close(): Promise<void> {
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
    // One walk per handle, shared by concurrent first writes (a server's first burst); a failed walk
    // is walked again by the next write.
    this.chainChecked ??= (async () => {
      const r = await verifyLedger(this);
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

  /**
   * Appends events in one transaction, chained in the order given, after checking the whole chain
   * (checkWritable) and, under the write lock, that the chain's last event still matches the head.
   * Returns them as stored.
   */
  async append(events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    if (events.length === 0) return [];
    await this.checkWritable();
    const ids = events.map((e) => e.id ?? randomUUID());
    const prepared = events.map((e, i) => ({ ...e, id: ids[i]!, payloadText: canonicalJson(e.payload) }));
    for (const p of prepared) checkText(p);
    return this.dialect === 'sqlite' ? this.appendSqlite(prepared) : this.appendPostgres(prepared);
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
    const run = async (batch: PreparedUnit[]) =>
      this.dialect === 'sqlite' ? this.appendUnitsSqlite(batch) : this.appendUnitsPostgres(batch);
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

  private sqliteUnits?: (units: PreparedUnit[]) => UnitResult[];

  private appendUnitsSqlite(units: PreparedUnit[]): UnitResult[] {
    if (!this.sqliteUnits) {
      const st = this.sqliteSt();
      const tx = this.sqlite!.transaction((batch: PreparedUnit[]) => {
        const head = st.tail();
        const plan = planUnits(
          head,
          batch,
          new Date().toISOString(),
          (k) => {
            const seq = st.seen.get(k) as number | bigint | undefined;
            return seq === undefined ? undefined : Number(seq);
          },
          (i) => {
            const r = st.detected.get(i) as { seq: number; occurred_at: string } | undefined;
            return r ? { seq: Number(r.seq), occurredAt: r.occurred_at } : undefined;
          },
        );
        for (const r of plan.rows) st.insert.run(...EVENT_COLUMNS.map((c) => r[c]));
        for (const d of plan.deliveries) st.remember.run(d.key, d.seq, d.recordedAt);
        if (plan.last.seq !== head.seq) st.move.run(plan.last.seq, plan.last.hash);
        return plan.results;
      });
      this.sqliteUnits = (batch) => tx.immediate(batch);
    }
    return this.sqliteBusy(() => this.sqliteUnits!(units));
  }

  /**
   * Several units in PostgreSQL: two messages under the ledger's advisory lock. The first takes the
   * lock and reads the head, the chain's last event, the group's delivery keys and detections; the
   * events are chained here; the second inserts them, moves the head and commits without waiting for
   * the WAL flush (releasing the lock at once), then flushes with a synchronous commit of a WAL
   * message, as the append procedure does, so the result is returned only once it is on disk. One
   * unit of one event that is not a detection takes the append procedure instead (one round trip).
   */
  private async appendUnitsPostgres(units: PreparedUnit[]): Promise<UnitResult[]> {
    const only = units.length === 1 && units[0]!.events.length === 1 ? units[0]!.events[0]! : undefined;
    if (only && only.event.type !== 'incident.detected') {
      if (only.key === undefined) {
        const [event] = await this.appendPostgres([only.event]);
        return [{ ok: true, outcomes: [{ duplicate: false, event: event! }] }];
      }
      return [{ ok: true, outcomes: [await this.appendKeyedPostgres(only.event, only.key)] }];
    }
    return this.withClient(async (client) => {
      const lit = literal(client);
      const keys = new Set<string>();
      const incidents = new Set<string>();
      for (const u of units)
        for (const { event, key } of u.events) {
          if (key !== undefined) keys.add(key);
          if (event.type === 'incident.detected' && event.subject.incident !== null)
            incidents.add(event.subject.incident);
        }
      const list = (xs: Set<string>) => (xs.size ? [...xs].map(lit).join(', ') : 'NULL');
      const res = (await client.query(
        `BEGIN; SELECT has_function_privilege('pg_logical_emit_message(boolean, text, text)', 'EXECUTE') AS flush; ` +
          `SELECT pg_advisory_xact_lock(${APPEND_LOCK}); ${PG_HEAD}; ${PG_TAIL}; ` +
          `SELECT key, seq FROM ledger_deliveries WHERE key IN (${list(keys)}); ` +
          `SELECT DISTINCT ON (incident_id) incident_id, seq, occurred_at FROM ledger_events ` +
          `WHERE type = 'incident.detected' AND incident_id IN (${list(incidents)}) ORDER BY incident_id, seq`,
      )) as unknown as PgMulti;
      const flush = String(res[1]!.rows[0]!.flush) === 'true';
      const head = tailChecked(res[3]!.rows[0]!, res[4]!.rows[0], this.where);
      const seen = new Map(res[5]!.rows.map((r) => [r.key!, Number(r.seq)]));
      const detected = new Map(
        res[6]!.rows.map((r) => [r.incident_id!, { seq: Number(r.seq), occurredAt: r.occurred_at! }]),
      );
      const plan = planUnits(
        head,
        units,
        new Date().toISOString(),
        (k) => seen.get(k),
        (i) => detected.get(i),
      );
      if (plan.rows.length === 0) {
        await client.query('ROLLBACK');
        return plan.results;
      }
      const parts = [flush ? 'SET LOCAL synchronous_commit = off' : ''];
      if (plan.deliveries.length)
        parts.push(
          `INSERT INTO ledger_deliveries (key, seq, recorded_at) VALUES ${plan.deliveries
            .map((d) => `(${lit(d.key)}, ${d.seq}, ${lit(d.recordedAt)})`)
            .join(', ')}`,
        );
      parts.push(commitChainSql(plan.rows, plan.last, lit));
      if (flush) parts.push("SELECT pg_logical_emit_message(true, 'rollwright', 'flush')");
      await client.query(parts.filter(Boolean).join('; '));
      return plan.results;
    });
  }

  private async appendKeyedPostgres(e: PreparedEvent, key: string): Promise<AppendOutcome> {
    return this.withClient(async (client) => {
      const recordedAt = new Date().toISOString();
      const r = await this.callAppend(client, 'rollwright_append_keyed', [key], e, recordedAt);
      if (r.o_state === 'duplicate') return { duplicate: true, seq: Number(r.o_seq) };
      return { duplicate: false, event: await this.appended(client, r, e, recordedAt) };
    });
  }

  /**
   * Runs `fn` on a pooled client; on an error, rolls back whatever transaction it left open and
   * releases the client as broken (so the pool does not hand out a connection in an unknown state).
   */
  private async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool!.connect();
    let failed: unknown;
    try {
      return await fn(client);
    } catch (err) {
      failed = err;
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.occupied(err);
    } finally {
      client.release(failed instanceof Error ? failed : undefined);
    }
  }

  private sqliteStatements?: SqliteStatements;

  /** The prepared statements of the SQLite hot paths (appends and lookups), made once per handle. */
  private sqliteSt(): SqliteStatements {
    if (this.sqliteStatements) return this.sqliteStatements;
    const db = this.sqlite!;
    const head = db.prepare(SQLITE_HEAD);
    this.sqliteStatements = {
      tail: () => {
        const row = head.get() as Record<string, string | null> | undefined;
        if (!row) throw new ChainBrokenError(`${this.where}: the ledger's head row is missing (the ledger was edited)`);
        return tailChecked(row, row, this.where);
      },
      insert: db.prepare(
        `INSERT INTO ledger_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
      ),
      move: db.prepare('UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1'),
      seen: db.prepare('SELECT seq FROM ledger_deliveries WHERE key = ?').pluck(),
      remember: db.prepare('INSERT INTO ledger_deliveries (key, seq, recorded_at) VALUES (?, ?, ?)'),
      detected: db.prepare(
        "SELECT seq, occurred_at FROM ledger_events WHERE type = 'incident.detected' AND incident_id = ? ORDER BY seq LIMIT 1",
      ),
    };
    return this.sqliteStatements;
  }

  private sqliteAppend?: (events: PreparedEvent[]) => LedgerEvent[];

  private async appendSqlite(events: PreparedEvent[]): Promise<LedgerEvent[]> {
    if (!this.sqliteAppend) {
      const st = this.sqliteSt();
      const tx = this.sqlite!.transaction((batch: PreparedEvent[]) => {
        const h = st.tail();
        const recordedAt = new Date().toISOString();
        const { rows, out, last } = chain(
          h,
          batch.map((e) => ({ ...e, recordedAt })),
        );
        for (const r of rows) st.insert.run(...EVENT_COLUMNS.map((c) => r[c]));
        st.move.run(last.seq, last.hash);
        return out;
      });
      this.sqliteAppend = (batch) => tx.immediate(batch);
    }
    return this.sqliteBusy(() => this.sqliteAppend!(events));
  }

  private sqliteBusy<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY')
        throw new InputError(
          `the ledger stayed locked by another writer for 60 s: ${(e as Error).message}`,
          this.where,
        );
      throw this.occupied(e);
    }
  }

  /**
   * One event: one statement, `CALL rollwright_append(...)` (migrations.ts): the server takes the
   * ledger's advisory transaction lock, checks the chain's end, inserts the event with its hash
   * computed in SQL (the same bytes as chain.ts), moves the head, and commits; the lock is never held
   * across a round trip to this process, nor across a disk flush, and CALL returns only once the
   * append is on disk. Several events at once (bulk loads) are chained here instead.
   */
  private async appendPostgres(events: PreparedEvent[]): Promise<LedgerEvent[]> {
    return this.withClient(async (client) => {
      const recordedAt = new Date().toISOString();
      if (events.length !== 1)
        return await this.appendBatch(
          client,
          events.map((e) => ({ ...e, recordedAt })),
        );
      const e = events[0]!;
      const r = await this.callAppend(client, 'rollwright_append', [], e, recordedAt);
      return [await this.appended(client, r, e, recordedAt)];
    });
  }

  private async callAppend(
    client: PoolClient,
    procedure: 'rollwright_append' | 'rollwright_append_keyed',
    extra: string[],
    e: PreparedEvent,
    recordedAt: string,
  ): Promise<AppendRow> {
    const [before, after] = bodyParts({ ...e, ...e.subject, recordedAt }, e.payloadText);
    const values = [
      ...extra,
      e.id,
      e.type,
      e.subject.change,
      e.subject.incident,
      e.subject.service,
      e.subject.environment,
      e.occurredAt,
      recordedAt,
      e.actor,
      e.payloadText,
      before,
      after,
    ];
    const res = await client.query<AppendRow>({
      name: `${procedure}_v1`,
      text: `CALL ${procedure}(${values.map((_, i) => `$${i + 1}`).join(', ')})`,
      values,
    });
    return res.rows[0] ?? { o_state: 'head', o_seq: null, o_prev_hash: null, o_hash: null };
  }

  /** The event as stored by the append procedure, or the chain error it reported. */
  private async appended(client: PoolClient, r: AppendRow, e: PreparedEvent, recordedAt: string): Promise<LedgerEvent> {
    if (r.o_state !== 'ok') {
      const hint = 'run `rollwright ledger verify` to find the first broken link; nothing was recorded';
      const seq = (await client.query<{ seq: string }>('SELECT seq FROM ledger_head WHERE id = 1')).rows[0]?.seq;
      throw new ChainBrokenError(
        `${this.where}: ${
          r.o_state === 'missing' || r.o_state === 'edited'
            ? `event #${seq}, the last in the chain, ${r.o_state === 'missing' ? 'is missing' : 'was edited'}`
            : "the ledger's head was edited"
        }; ${hint}`,
      );
    }
    return {
      seq: Number(r.o_seq),
      id: e.id,
      type: e.type,
      subject: { ...e.subject },
      occurredAt: e.occurredAt,
      recordedAt,
      actor: e.actor,
      payload: e.payload,
      prevHash: r.o_prev_hash!,
      hash: r.o_hash!,
    };
  }

  /**
   * An insert that collided with a row already holding the next sequence number: a row beyond the
   * head, added outside rollwright (the walk before the first write finds them; this covers rows
   * added since). Other errors pass through.
   */
  private occupied(e: unknown): unknown {
    const code = (e as { code?: string }).code;
    const constraint = (e as { constraint?: string }).constraint;
    const seqTaken =
      code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
      (code === 'SQLITE_CONSTRAINT_UNIQUE' && /ledger_events\.seq/.test((e as Error).message)) ||
      (code === '23505' && constraint === 'ledger_events_pkey');
    if (!seqTaken) return e;
    return new ChainBrokenError(
      `${this.where}: the next sequence number is already taken by a row beyond the head (added outside rollwright); ` +
        'run `rollwright ledger verify` to name the rows; nothing was recorded',
    );
  }

  /** Several events at once, chained here, under the head lock, with a synchronous commit. */
  private async appendBatch(
    client: PoolClient,
    batch: Array<PreparedEvent & { recordedAt: string }>,
  ): Promise<LedgerEvent[]> {
    const lit = literal(client);
    const res = (await client.query(
      `BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK}); ${PG_HEAD}; ${PG_TAIL}`,
    )) as unknown as PgMulti;
    const head = tailChecked(res[2]!.rows[0]!, res[3]!.rows[0], this.where);
    const { rows, out, last } = chain(head, batch);
    await client.query(commitChainSql(rows, last, lit));
    return out;
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
      ? (this.sqliteSt().seen.get(key) as number | bigint | undefined)
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

// ------------------------------------------------------------------------------------------------

const INSERT_CHUNK = 500;

interface PreparedEvent extends NewEvent {
  id: string;
  payloadText: string;
  recordedAt?: string;
}

interface PreparedUnit {
  events: Array<{ event: PreparedEvent; key: string | undefined }>;
}

interface SqliteStatements {
  /** The head, after checking the event it points at (the chain's end must be intact to extend it). */
  tail: () => Head;
  insert: BetterSqlite3.Statement;
  move: BetterSqlite3.Statement;
  seen: BetterSqlite3.Statement;
  remember: BetterSqlite3.Statement;
  detected: BetterSqlite3.Statement;
}

function prepareUnit(u: AppendUnit): PreparedUnit {
  return {
    events: u.events.map(({ event, key }) => {
      if (key !== undefined && (key === '' || key.length > 512 || key.includes('\u0000')))
        throw new InputError('a delivery key must be 1 to 512 characters, without NUL');
      const p = { ...event, id: event.id ?? randomUUID(), payloadText: canonicalJson(event.payload) };
      checkText(p);
      return { event: p, key };
    }),
  };
}

/**
 * Chains a group of units after `head`: each event gets its sequence number and hash, unit by unit;
 * a keyed event already recorded (`seen`, or earlier in the group) is a duplicate, and a unit that
 * detects an incident already detected (`detected`, or earlier in the group) records nothing.
 */
function planUnits(
  head: Head,
  units: readonly PreparedUnit[],
  recordedAt: string,
  seen: (key: string) => number | undefined,
  detected: (incident: string) => { seq: number; occurredAt: string } | undefined,
): {
  rows: EventRow[];
  deliveries: Array<{ key: string; seq: number; recordedAt: string }>;
  last: Head;
  results: UnitResult[];
} {
  const keys = new Map<string, number>();
  const incidents = new Map<string, { seq: number; occurredAt: string }>();
  const rows: EventRow[] = [];
  const deliveries: Array<{ key: string; seq: number; recordedAt: string }> = [];
  const results: UnitResult[] = [];
  let last = head;
  for (const u of units) {
    let h = last;
    const uRows: EventRow[] = [];
    const uOut: AppendOutcome[] = [];
    const uKeys = new Map<string, number>();
    const uIncidents = new Map<string, { seq: number; occurredAt: string }>();
    let error: unknown;
    for (const { event, key } of u.events) {
      if (key !== undefined) {
        const prior = uKeys.get(key) ?? keys.get(key) ?? seen(key);
        if (prior !== undefined) {
          uOut.push({ duplicate: true, seq: prior });
          continue;
        }
      }
      const incident = event.type === 'incident.detected' ? event.subject.incident : null;
      if (incident !== null) {
        const d = uIncidents.get(incident) ?? incidents.get(incident) ?? detected(incident);
        if (d) {
          error = new IncidentDetectedError(incident, d.seq, d.occurredAt);
          break;
        }
      }
      const c = chain(h, [{ ...event, recordedAt }]);
      h = c.last;
      uRows.push(c.rows[0]!);
      uOut.push({ duplicate: false, event: c.out[0]! });
      if (key !== undefined) uKeys.set(key, h.seq);
      if (incident !== null) uIncidents.set(incident, { seq: h.seq, occurredAt: event.occurredAt });
    }
    if (error !== undefined) {
      results.push({ ok: false, error });
      continue;
    }
    last = h;
    rows.push(...uRows);
    for (const [key, seq] of uKeys) {
      keys.set(key, seq);
      deliveries.push({ key, seq, recordedAt });
    }
    for (const [i, d] of uIncidents) incidents.set(i, d);
    results.push({ ok: true, outcomes: uOut });
  }
  return { rows, deliveries, last, results };
}

interface AppendRow {
  o_state: string;
  o_seq: string | null;
  o_prev_hash: string | null;
  o_hash: string | null;
}

type PgMulti = Array<{ rows: Array<Record<string, string | null>> }>;

/** Read after the lock is taken (each statement of a message has its own snapshot in READ COMMITTED). */
const PG_HEAD = 'SELECT seq AS head_seq, hash AS head_hash FROM ledger_head WHERE id = 1';
const PG_TAIL = `SELECT ${EVENT_COLUMNS.filter((c) => c !== 'seq').join(', ')} FROM ledger_events WHERE seq = (SELECT seq FROM ledger_head WHERE id = 1)`;

/** The head and the event it points at, in one snapshot (both are written by the same transaction). */
const TAIL_COLUMNS = `h.seq AS head_seq, h.hash AS head_hash, ${EVENT_COLUMNS.filter((c) => c !== 'seq')
  .map((c) => `e.${c}`)
  .join(', ')}`;
const SQLITE_HEAD = `SELECT ${TAIL_COLUMNS} FROM ledger_head h LEFT JOIN ledger_events e ON e.seq = h.seq WHERE h.id = 1`;

function literal(client: PoolClient): (v: string | number | null) => string {
  return (v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : client.escapeLiteral(v));
}

function commitChainSql(rows: EventRow[], last: Head, lit: (v: string | number | null) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK)
    parts.push(
      `INSERT INTO ledger_events (${EVENT_COLUMNS.join(', ')}) VALUES ${rows
        .slice(i, i + INSERT_CHUNK)
        .map((r) => `(${EVENT_COLUMNS.map((c) => lit(r[c] as string | number | null)).join(', ')})`)
        .join(', ')}`,
    );
  parts.push(`UPDATE ledger_head SET seq = ${last.seq}, hash = ${lit(last.hash)} WHERE id = 1`);
  parts.push('COMMIT');
  return parts.join('; ');
}

/** Checks the event the head points at: the chain's end must be intact to extend it. */
function tailChecked(
  h: Record<string, string | null>,
  tail: Record<string, string | null> | undefined,
  where: string,
): Head {
  const head = { seq: Number(h.head_seq), hash: h.head_hash! };
  checkTail(
    head,
    tail && tail.id !== null && tail.id !== undefined ? ({ ...tail, seq: head.seq } as unknown as EventRow) : undefined,
    where,
  );
  return head;
}

function checkTail(head: Head, last: EventRow | undefined, where: string): void {
  const hint = 'run `rollwright ledger verify` to find the first broken link; nothing was recorded';
  if (head.seq === 0) {
    if (head.hash !== GENESIS) throw new ChainBrokenError(`${where}: the ledger's head was edited; ${hint}`);
    return;
  }
  if (!last) throw new ChainBrokenError(`${where}: event #${head.seq}, the last in the chain, is missing; ${hint}`);
  const body = bodyOf(
    {
      seq: head.seq,
      id: last.id,
      type: last.type,
      change: last.change_id,
      incident: last.incident_id,
      service: last.service,
      environment: last.environment,
      occurredAt: last.occurred_at,
      recordedAt: last.recorded_at,
      actor: last.actor,
    },
    last.payload,
  );
  if (last.hash !== head.hash || chainHash(last.prev_hash, body) !== last.hash)
    throw new ChainBrokenError(`${where}: event #${head.seq}, the last in the chain, was edited; ${hint}`);
}

/** Gives each event its sequence number and hash, continuing `head`. */
function chain(
  head: Head,
  events: ReadonlyArray<PreparedEvent & { recordedAt: string }> | PreparedEvent[],
): { rows: EventRow[]; out: LedgerEvent[]; last: Head } {
  let prev = head.hash;
  let seq = head.seq;
  const rows: EventRow[] = [];
  const out: LedgerEvent[] = [];
  for (const e of events) {
    seq++;
    const recordedAt = e.recordedAt!;
    const body = bodyOf(
      { seq, id: e.id, type: e.type, ...e.subject, occurredAt: e.occurredAt, recordedAt, actor: e.actor },
      e.payloadText,
    );
    const hash = chainHash(prev, body);
    rows.push({
      seq,
      id: e.id,
      type: e.type,
      change_id: e.subject.change,
      incident_id: e.subject.incident,
      service: e.subject.service,
      environment: e.subject.environment,
      occurred_at: e.occurredAt,
      recorded_at: recordedAt,
      actor: e.actor,
      payload: e.payloadText,
      prev_hash: prev,
      hash,
    });
    out.push({
      seq,
      id: e.id,
      type: e.type,
      subject: { ...e.subject },
      occurredAt: e.occurredAt,
      recordedAt,
      actor: e.actor,
      payload: e.payload,
      prevHash: prev,
      hash,
    });
    prev = hash;
  }
  return { rows, out, last: { seq, hash: prev } };
}

export function eventToRow(e: LedgerEvent): EventRow {
  return {
    seq: e.seq,
    id: e.id,
    type: e.type,
    change_id: e.subject.change,
    incident_id: e.subject.incident,
    service: e.subject.service,
    environment: e.subject.environment,
    occurred_at: e.occurredAt,
    recorded_at: e.recordedAt,
    actor: e.actor,
    payload: canonicalJson(e.payload),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** PostgreSQL text cannot hold NUL; refuse it here rather than half-way through a transaction. */
function checkText(e: PreparedEvent): void {
  const fields = [e.id, e.type, e.actor, e.occurredAt, e.payloadText, ...Object.values(e.subject)];
  for (const f of fields)
    if (typeof f === 'string' && f.includes('\u0000'))
      throw new InputError('event text must not contain NUL characters');
}

// ------------------------------------------------------------------------------------------------

async function openSqlite(path: string, opts: OpenOptions): Promise<Ledger> {
  if (!existsSync(path)) {
    if (!opts.create) throw new InputError('no ledger here: record an event first, or choose one with --store', path);
    mkdirSync(dirname(path), { recursive: true });
  }
  const { default: Database } = await import('better-sqlite3');
  let database: BetterSqlite3.Database;
  try {
    database = new Database(path, { timeout: 60_000 });
  } catch (e) {
    throw new InputError(`cannot open the ledger: ${(e as Error).message}`, path);
  }
  try {
    // Reading the schema reads the header: a file that is not SQLite fails here, before anything is written.
    const tables = (
      database
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as Array<{
        name: string;
      }>
    ).map((t) => t.name);
    if (tables.length > 0 && !tables.some((t) => t.startsWith('ledger_')))
      throw new InputError(
        `a SQLite database, but not a rollwright ledger (it holds ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}); nothing was changed`,
        path,
      );
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
  } catch (e) {
    database.close();
    if (e instanceof InputError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      throw new InputError(`not a SQLite database (${(e as Error).message}); nothing was changed`, path);
    throw new InputError(`cannot read the ledger: ${(e as Error).message}`, path);
  }
  const db = new Kysely<LedgerDatabase>({ dialect: new SqliteDialect({ database }) });
  try {
    await migrate(db, 'sqlite', path);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new Ledger('sqlite', db, path, undefined, database);
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Ledger> {
  const { default: pg } = await optionalPackage(import('pg'), 'pg', 'A ledger on PostgreSQL');
  const where = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 10_000 });
  pool.on('error', () => undefined); // an idle client lost its server: the next query reports it
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new InputError(`cannot connect to the ledger: ${(e as Error).message}`, where);
  }
  const db = new Kysely<LedgerDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (!opts.create) {
      const t = await sql<{ t: string | null }>`SELECT to_regclass('ledger_events')::text AS t`.execute(db);
      if (!t.rows[0]?.t) throw new InputError('no ledger in this database: record an event first', where);
    }
    await migrate(db, 'postgres', where);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new Ledger('postgres', db, where, pool);
}
