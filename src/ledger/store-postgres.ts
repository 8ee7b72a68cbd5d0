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
  planUnits,
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
   * Several units in PostgreSQL: two messages under the ledger's advisory lock. The first takes the
   * lock and reads the head, the chain's last event, the group's delivery keys and detections; the
   * events are chained here; the second inserts them, moves the head and commits without waiting for
   * the WAL flush (releasing the lock at once), then flushes with a synchronous commit of a WAL
   * message, as the append procedure does, so the result is returned only once it is on disk. One
   * unit of one event (a single sender's delivery) takes an append procedure instead, with the same
   * checks of its delivery key and detection: one round trip.
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
