/**
 * The PostgreSQL store: opening a pool (refusing a database without a ledger when not creating one),
 * and the append paths under the ledger's advisory transaction lock: one event through the append
 * procedure (migrations.ts), several chained here and written in one message.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { InputError, optionalPackage } from '../core/errors.js';
import {
  chain,
  occupied,
  tailChecked,
  INSERT_CHUNK,
  type PreparedEvent,
  type PreparedUnit,
  type UnitResult,
} from './append-plan.js';
import { bodyParts, type Head, type LedgerEvent } from './chain.js';
import { ChainBrokenError, IncidentDetectedError } from './errors.js';
import { APPEND_LOCK, migrate } from './migrations.js';
import { EVENT_COLUMNS, type EventRow, type LedgerDatabase } from './schema.js';
import { redactUrl, type OpenOptions } from './store-spec.js';

interface AppendRow {
  o_state: string;
  o_seq: string | null;
  o_prev_hash: string | null;
  o_hash: string | null;
  /** rollwright_append_unit only: when the incident was first detected (o_state 'detected'). */
  o_occurred_at?: string | null;
}

/** What `rollwright_append_units` returns: o_state, and per event its outcome and place in the chain. */
interface UnitsRow {
  o_state: string;
  o_outcome: Array<string | null>;
  o_seq: Array<string | null>;
  o_prev_hash: Array<string | null>;
  o_hash: Array<string | null>;
  o_occurred_at: Array<string | null>;
}

type PgMulti = Array<{ rows: Array<Record<string, string | null>> }>;

/** Read after the lock is taken (each statement of a message has its own snapshot in READ COMMITTED). */
const PG_HEAD = 'SELECT seq AS head_seq, hash AS head_hash FROM ledger_head WHERE id = 1';
const PG_TAIL = `SELECT ${EVENT_COLUMNS.filter((c) => c !== 'seq').join(', ')} FROM ledger_events WHERE seq = (SELECT seq FROM ledger_head WHERE id = 1)`;

/** The append paths of one PostgreSQL pool. */
export class PostgresWriter {
  constructor(
    private readonly pool: Pool,
    /** The store as named in messages: a URL without its password. */
    private readonly where: string,
  ) {}

  /**
   * Several units in PostgreSQL: one statement, `CALL rollwright_append_units(...)` (migrations.ts),
   * the events as arrays: under the ledger's advisory lock the server checks the chain's end, each
   * event's delivery key and detection, chains the events in SQL as the one-event procedure does,
   * takes a unit whose detection was already recorded back out, commits without waiting for the WAL
   * flush (releasing the lock at once) and flushes; the result comes back once it is on disk. The
   * lock is never held across a round trip to this process. One unit of one event (a single
   * sender's delivery) takes `rollwright_append_unit`, with the same checks.
   */
  async appendUnits(units: PreparedUnit[]): Promise<UnitResult[]> {
    const only = units.length === 1 && units[0]!.events.length === 1 ? units[0]!.events[0]! : undefined;
    if (only) {
      const detects = only.event.type === 'incident.detected' ? only.event.subject.incident : null;
      if (only.key === undefined && detects === null) {
        const [event] = await this.append([only.event]);
        return [{ ok: true, outcomes: [{ duplicate: false, event: event! }] }];
      }
      return [await this.appendUnit(only.event, only.key ?? null, detects)];
    }
    const recordedAt = new Date().toISOString();
    const flat = units.flatMap((u, unit) => u.events.map(({ event, key }) => ({ unit, event, key })));
    // One array per argument (unit, key, detects, then the one-event procedures' own); recorded_at is one value.
    const columns: unknown[][] = Array.from({ length: 15 }, () => []);
    for (const { unit, event: e, key } of flat) {
      const detects = e.type === 'incident.detected' ? e.subject.incident : null;
      [unit, key ?? null, detects, ...eventArgs(e, recordedAt)].forEach((v, i) => columns[i]!.push(v));
    }
    const values = columns.map((c, i) => (i === 3 + RECORDED_AT_ARG ? recordedAt : c));
    const r = await this.withClient(
      async (client) =>
        (
          await client.query<UnitsRow>({
            name: 'rollwright_append_units_v1',
            text: `CALL rollwright_append_units(${values.map((_, i) => `$${i + 1}`).join(', ')})`,
            values,
          })
        ).rows[0],
    );
    if (!r || r.o_state !== 'ok') throw this.chainError(r?.o_state ?? 'head', r?.o_seq?.[0] ?? null);
    const results: UnitResult[] = units.map(() => ({ ok: true, outcomes: [] }));
    flat.forEach(({ unit, event: e }, i) => {
      const res = results[unit]!;
      const outcome = r.o_outcome[i];
      const seq = Number(r.o_seq[i]);
      if (outcome === 'detected')
        results[unit] = { ok: false, error: new IncidentDetectedError(e.subject.incident!, seq, r.o_occurred_at[i]!) };
      else if (!res.ok || outcome === 'dropped') return;
      else if (outcome === 'duplicate') res.outcomes.push({ duplicate: true, seq });
      else
        res.outcomes.push({
          duplicate: false,
          event: { ...this.stored(e, recordedAt), seq, prevHash: r.o_prev_hash[i]!, hash: r.o_hash[i]! },
        });
    });
    return results;
  }

  /** One event with a delivery key or detecting an incident: `CALL rollwright_append_unit` (migrations.ts). */
  private async appendUnit(e: PreparedEvent, key: string | null, detects: string | null): Promise<UnitResult> {
    return this.withClient(async (client) => {
      const recordedAt = new Date().toISOString();
      const r = await this.callAppend(client, 'rollwright_append_unit', [key, detects], e, recordedAt);
      if (r.o_state === 'duplicate') return { ok: true, outcomes: [{ duplicate: true, seq: Number(r.o_seq) }] };
      if (r.o_state === 'detected')
        return { ok: false, error: new IncidentDetectedError(detects!, Number(r.o_seq), r.o_occurred_at!) };
      return { ok: true, outcomes: [{ duplicate: false, event: await this.appended(client, r, e, recordedAt) }] };
    });
  }

  /**
   * Runs `fn` on a pooled client; on an error, rolls back whatever transaction it left open and
   * releases the client as broken (so the pool does not hand out a connection in an unknown state).
   */
  private async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let failed: unknown;
    try {
      return await fn(client);
    } catch (err) {
      failed = err;
      await client.query('ROLLBACK').catch(() => undefined);
      throw occupied(err, this.where);
    } finally {
      client.release(failed instanceof Error ? failed : undefined);
    }
  }

  /**
   * One event: one statement, `CALL rollwright_append(...)` (migrations.ts): the server takes the
   * ledger's advisory transaction lock, checks the chain's end, inserts the event with its hash
   * computed in SQL (the same bytes as chain.ts), moves the head, and commits; the lock is never held
   * across a round trip to this process, nor across a disk flush, and CALL returns only once the
   * append is on disk. Several events at once (bulk loads) are chained here instead.
   */
  async append(events: PreparedEvent[]): Promise<LedgerEvent[]> {
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
    procedure: 'rollwright_append' | 'rollwright_append_unit',
    extra: Array<string | null>,
    e: PreparedEvent,
    recordedAt: string,
  ): Promise<AppendRow> {
    const values = [...extra, ...eventArgs(e, recordedAt)];
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
      const seq = (await client.query<{ seq: string }>('SELECT seq FROM ledger_head WHERE id = 1')).rows[0]?.seq;
      throw this.chainError(r.o_state, seq ?? null);
    }
    return { ...this.stored(e, recordedAt), seq: Number(r.o_seq), prevHash: r.o_prev_hash!, hash: r.o_hash! };
  }

  /** An event as the append procedures store it, but for its place in the chain. */
  private stored(e: PreparedEvent, recordedAt: string): Omit<LedgerEvent, 'seq' | 'prevHash' | 'hash'> {
    return {
      id: e.id,
      type: e.type,
      subject: { ...e.subject },
      occurredAt: e.occurredAt,
      recordedAt,
      actor: e.actor,
      payload: e.payload,
    };
  }

  /** What an append procedure's o_state other than 'ok' means: the chain's end is not intact. */
  private chainError(state: string, seq: string | number | null): ChainBrokenError {
    const hint = 'run `rollwright ledger verify` to find the first broken link; nothing was recorded';
    return new ChainBrokenError(
      `${this.where}: ${
        state === 'missing' || state === 'edited'
          ? `event #${seq}, the last in the chain, ${state === 'missing' ? 'is missing' : 'was edited'}`
          : "the ledger's head was edited"
      }; ${hint}`,
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
}

/** Where p_recorded_at is among an event's arguments to the append procedures. */
const RECORDED_AT_ARG = 7;

/** An event's arguments to the append procedures, in their order (p_id to p_after). */
function eventArgs(e: PreparedEvent, recordedAt: string): Array<string | null> {
  const [before, after] = bodyParts({ ...e, ...e.subject, recordedAt }, e.payloadText);
  return [
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
}

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

/** Opens a PostgreSQL ledger (with `create`, makes its schema), migrated to the current schema. */
export async function openPostgres(
  url: string,
  opts: OpenOptions,
): Promise<{ db: Kysely<LedgerDatabase>; pool: Pool; where: string }> {
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
  return { db, pool, where };
}
