import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { InputError } from '../core/errors.js';
import { canonicalJson } from './canonical.js';
import { bodyOf, bodyParts, chainHash, GENESIS, type LedgerEvent, type Subject } from './chain.js';
import { ChainBrokenError } from './errors.js';
import { APPEND_LOCK, migrate } from './migrations.js';
import { EVENT_COLUMNS, rowToEvent, type EventRow, type LedgerDatabase } from './schema.js';
import { redactUrl, type StoreSpec } from './store-spec.js';
import { writeTransaction, type Dialect } from './tx.js';

/** An event to append: everything but its place in the chain. The payload is already validated. */
export interface NewEvent {
  id?: string;
  type: string;
  subject: Subject;
  occurredAt: string;
  actor: string;
  payload: Record<string, unknown>;
}

export interface Head {
  seq: number;
  hash: string;
}

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

  /**
   * Appends events in one transaction, chained in the order given, after checking that the chain's
   * last event still matches the head. Returns them as stored.
   */
  async append(events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    if (events.length === 0) return [];
    const ids = events.map((e) => e.id ?? randomUUID());
    const prepared = events.map((e, i) => ({ ...e, id: ids[i]!, payloadText: canonicalJson(e.payload) }));
    for (const p of prepared) checkText(p);
    return this.dialect === 'sqlite' ? this.appendSqlite(prepared) : this.appendPostgres(prepared);
  }

  /**
   * Appends one event under a delivery key (a webhook's redelivery identity), atomically: in the
   * append's own transaction and under its lock, a key already recorded makes this a no-op that
   * returns the sequence number of the event recorded first; otherwise the key is stored with the
   * event. Two processes delivering the same key at once record it once.
   */
  async appendKeyed(
    event: NewEvent,
    key: string,
  ): Promise<{ duplicate: false; event: LedgerEvent } | { duplicate: true; seq: number }> {
    if (key === '' || key.length > 512) throw new InputError('a delivery key must be 1 to 512 characters');
    const p = { ...event, id: event.id ?? randomUUID(), payloadText: canonicalJson(event.payload) };
    checkText(p);
    if (key.includes('\u0000')) throw new InputError('a delivery key must not contain NUL characters');
    return this.dialect === 'sqlite' ? this.appendKeyedSqlite(p, key) : this.appendKeyedPostgres(p, key);
  }

  private sqliteKeyed?: (
    e: PreparedEvent,
    key: string,
  ) => { duplicate: false; event: LedgerEvent } | { duplicate: true; seq: number };

  private appendKeyedSqlite(
    e: PreparedEvent,
    key: string,
  ): { duplicate: false; event: LedgerEvent } | { duplicate: true; seq: number } {
    const db = this.sqlite!;
    if (!this.sqliteKeyed) {
      this.prepareSqlite();
      const st = this.sqliteStatements!;
      const seen = db.prepare('SELECT seq FROM ledger_deliveries WHERE key = ?');
      const remember = db.prepare('INSERT INTO ledger_deliveries (key, seq, recorded_at) VALUES (?, ?, ?)');
      const tx = db.transaction((ev: PreparedEvent, k: string) => {
        const prior = seen.get(k) as { seq: number } | undefined;
        if (prior) return { duplicate: true as const, seq: Number(prior.seq) };
        const [stored] = st.run([ev]);
        remember.run(k, stored!.seq, stored!.recordedAt);
        return { duplicate: false as const, event: stored! };
      });
      this.sqliteKeyed = (ev, k) => tx.immediate(ev, k);
    }
    return this.sqliteBusy(() => this.sqliteKeyed!(e, key));
  }

  private async appendKeyedPostgres(
    e: PreparedEvent,
    key: string,
  ): Promise<{ duplicate: false; event: LedgerEvent } | { duplicate: true; seq: number }> {
    const client = await this.pool!.connect();
    let failed: unknown;
    try {
      const recordedAt = new Date().toISOString();
      const r = await this.callAppend(client, 'rollwright_append_keyed', [key], e, recordedAt);
      if (r.o_state === 'duplicate') return { duplicate: true, seq: Number(r.o_seq) };
      return { duplicate: false, event: await this.appended(client, r, e, recordedAt) };
    } catch (err) {
      failed = err;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release(failed instanceof Error ? failed : undefined);
    }
  }

  private sqliteStatements?: { run: (events: PreparedEvent[]) => LedgerEvent[] };

  /** The append transaction's body (run inside a BEGIN IMMEDIATE transaction by the callers). */
  private prepareSqlite(): void {
    if (this.sqliteStatements) return;
    const db = this.sqlite!;
    const head = db.prepare(SQLITE_HEAD);
    const insert = db.prepare(
      `INSERT INTO ledger_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
    );
    const move = db.prepare('UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1');
    this.sqliteStatements = {
      run: (batch) => {
        const row = head.get() as Record<string, string | null> | undefined;
        if (!row) throw new ChainBrokenError(`${this.where}: the ledger's head row is missing (the ledger was edited)`);
        const h = tailChecked(row, row, this.where);
        const recordedAt = new Date().toISOString();
        const { rows, out, last } = chain(
          h,
          batch.map((e) => ({ ...e, recordedAt })),
        );
        for (const r of rows) insert.run(...EVENT_COLUMNS.map((c) => r[c]));
        move.run(last.seq, last.hash);
        return out;
      },
    };
  }

  private sqliteAppend?: (events: PreparedEvent[]) => LedgerEvent[];

  private async appendSqlite(events: PreparedEvent[]): Promise<LedgerEvent[]> {
    if (!this.sqliteAppend) {
      this.prepareSqlite();
      const tx = this.sqlite!.transaction((batch: PreparedEvent[]) => this.sqliteStatements!.run(batch));
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
      throw e;
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
    const client = await this.pool!.connect();
    let failed: unknown;
    try {
      const recordedAt = new Date().toISOString();
      if (events.length !== 1)
        return await this.appendBatch(
          client,
          events.map((e) => ({ ...e, recordedAt })),
        );
      const e = events[0]!;
      const r = await this.callAppend(client, 'rollwright_append', [], e, recordedAt);
      return [await this.appended(client, r, e, recordedAt)];
    } catch (err) {
      failed = err;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release(failed instanceof Error ? failed : undefined);
    }
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

  /** The highest sequence number of any event row (to find rows added beyond the head). */
  async maxSeq(): Promise<number> {
    const r = await this.db
      .selectFrom('ledger_events')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    return r?.m === null || r?.m === undefined ? 0 : Number(r.m);
  }

  /** Events matching a filter, in chain order. */
  async select(filter: EventFilter = {}): Promise<LedgerEvent[]> {
    let q = this.db.selectFrom('ledger_events').select(EVENT_COLUMNS);
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

  /** The first event of a type for an incident (its detection), if any. */
  async first(type: string, by: { incident?: string; change?: string }): Promise<LedgerEvent | undefined> {
    let q = this.db.selectFrom('ledger_events').select(EVENT_COLUMNS).where('type', '=', type);
    if (by.incident !== undefined) q = q.where('incident_id', '=', by.incident);
    if (by.change !== undefined) q = q.where('change_id', '=', by.change);
    const r = await q.orderBy('seq').limit(1).executeTakeFirst();
    return r ? rowToEvent(r) : undefined;
  }

  /** The last event of a type for a change (or a service in an environment), if any. */
  async last(
    type: string,
    by: { change: string } | { service: string; environment: string | null },
  ): Promise<LedgerEvent | undefined> {
    let q = this.db.selectFrom('ledger_events').select(EVENT_COLUMNS).where('type', '=', type);
    if ('change' in by) q = q.where('change_id', '=', by.change);
    else {
      q = q.where('service', '=', by.service);
      q = by.environment === null ? q : q.where('environment', '=', by.environment);
    }
    const r = await q.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return r ? rowToEvent(r) : undefined;
  }
}

// ------------------------------------------------------------------------------------------------

const INSERT_CHUNK = 500;

interface PreparedEvent extends NewEvent {
  id: string;
  payloadText: string;
  recordedAt?: string;
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
  const { default: pg } = await import('pg');
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
