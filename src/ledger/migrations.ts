import { sql, type Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { GENESIS } from './chain.js';
import type { LedgerDatabase } from './schema.js';
import { writeTransaction, type Dialect } from './tx.js';

/**
 * Migrations: an explicit, ordered list. Each receives the dialect, because the two stores differ
 * in a few column types (SQLite's INTEGER PRIMARY KEY is the rowid; PostgreSQL needs BIGINT). Version N is the N-th entry; `ledger_migrations` records what was applied.
 * A ledger whose recorded version is newer than this list is refused, untouched.
 *
 * Never edit an entry once released: append a new one.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<LedgerDatabase>, dialect: Dialect): Promise<void>;
}

// Migrations see the database before their own changes, so they are written against `any` tables.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, head, meta',
    async up(kdb, dialect) {
      const db = kdb as AnyDb;
      const big = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .createTable('ledger_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ledger_events')
        .addColumn('seq', big, (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('change_id', 'text')
        .addColumn('incident_id', 'text')
        .addColumn('service', 'text')
        .addColumn('environment', 'text')
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ledger_head')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      if (dialect === 'postgres') await sql.raw(PG_APPEND_PROCEDURE).execute(db);
      await db.insertInto('ledger_head').values({ id: 1, seq: 0, hash: GENESIS }).execute();
      await db
        .insertInto('ledger_meta')
        .values([
          { key: 'ledger_id', value: randomUUID() },
          { key: 'created_at', value: new Date().toISOString() },
          { key: 'hash', value: 'sha256(prevHash + canonical JSON), genesis 64 zeros' },
        ])
        .execute();
    },
  },
  {
    version: 2,
    name: 'lookup indexes by incident, change and type',
    async up(kdb) {
      const db = kdb as AnyDb;
      await db.schema.createIndex('ledger_events_incident').on('ledger_events').column('incident_id').execute();
      await db.schema.createIndex('ledger_events_change').on('ledger_events').column('change_id').execute();
      await db.schema.createIndex('ledger_events_type').on('ledger_events').columns(['type', 'occurred_at']).execute();
    },
  },
  {
    version: 3,
    name: 'webhook delivery keys, API tokens, lookups by service',
    async up(kdb, dialect) {
      const db = kdb as AnyDb;
      const big = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .createTable('ledger_deliveries')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ledger_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createIndex('ledger_events_service')
        .on('ledger_events')
        .columns(['service', 'environment', 'type'])
        .execute();
      if (dialect === 'postgres') await sql.raw(appendProcedure('keyed')).execute(db);
    },
  },
  {
    version: 4,
    name: 'signed checkpoints of the head',
    async up(kdb, dialect) {
      const db = kdb as AnyDb;
      const big = dialect === 'postgres' ? 'bigint' : 'integer';
      // One row per (sequence number, signing key): the signed record as written to witnesses.
      await db.schema
        .createTable('ledger_checkpoints')
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('signed_at', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_checkpoints_pk', ['seq', 'key_id'])
        .execute();
    },
  },
  {
    version: 5,
    name: 'one-statement append of a keyed event or a detection',
    async up(kdb, dialect) {
      if (dialect === 'postgres') await sql.raw(appendProcedure('unit')).execute(kdb as AnyDb);
    },
  },
  {
    version: 6,
    name: 'one-statement append of a group of units',
    async up(kdb, dialect) {
      if (dialect === 'postgres') await sql.raw(PG_APPEND_UNITS_PROCEDURE).execute(kdb as AnyDb);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The ledger's schema is newer than this build knows. */
export class NewerSchemaError extends InputError {
  override name = 'NewerSchemaError';
}

/**
 * Brings the schema to SCHEMA_VERSION, in one write transaction (BEGIN IMMEDIATE in SQLite, an
 * advisory transaction lock in PostgreSQL), so that processes opening a new ledger at the same time
 * migrate it once. Returns the version found before migrating (0 for a new ledger).
 */
export async function migrate(
  db: Kysely<LedgerDatabase>,
  dialect: Dialect,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  const known = migrations.length;
  // Fast path, no write lock: already current (every command after the first).
  const before = await currentVersion(db);
  if (before === known) return before;
  if (before > known) throw newer(where, before, known);
  return writeTransaction(db, dialect, async (trx) => {
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    await trx.schema
      .createTable('ledger_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const found = await currentVersion(trx);
    if (found > known) throw newer(where, found, known);
    for (const m of migrations.slice(found)) {
      await m.up(trx, dialect);
      await trx
        .insertInto('ledger_migrations')
        .values({ version: m.version, name: m.name, applied_at: new Date().toISOString() })
        .execute();
    }
    return found;
  });
}

/** 0 when the ledger has no migrations table yet. */
export async function currentVersion(db: Kysely<LedgerDatabase>): Promise<number> {
  try {
    const r = await db
      .selectFrom('ledger_migrations')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    return r?.v === null || r?.v === undefined ? 0 : Number(r.v);
  } catch (e) {
    if (isMissingTable(e)) return 0;
    throw e;
  }
}

function isMissingTable(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  return code === '42P01' || /no such table/i.test(msg);
}

function newer(where: string, found: number, known: number): NewerSchemaError {
  return new NewerSchemaError(
    `the ledger has schema version ${found}, newer than this rollwright knows (${known}): upgrade rollwright to use it; nothing was changed`,
    where,
  );
}

/** Advisory lock key for migrations: "rwmg" as a 32-bit integer. */
const MIGRATION_LOCK = 0x72776d67;

/** Advisory lock key serialising appends to the ledger of a PostgreSQL database: "rwlg". */
export const APPEND_LOCK = 0x72776c67;

/** The hashed body of the event row `e`, in SQL: to_json(text) escapes exactly as JSON.stringify does. */
function sqlBody(e: string): string {
  const str = (c: string) => `to_json(${e}.${c})::text`;
  const opt = (c: string) => `coalesce(to_json(${e}.${c})::text, 'null')`;
  return (
    `'{"actor":' || ${str('actor')} || ',"id":' || ${str('id')} || ',"occurredAt":' || ${str('occurred_at')} || ` +
    `',"payload":' || ${e}.payload || ',"recordedAt":' || ${str('recorded_at')} || ',"seq":' || ${e}.seq::text || ` +
    `',"subject":{"change":' || ${opt('change_id')} || ',"environment":' || ${opt('environment')} || ` +
    `',"incident":' || ${opt('incident_id')} || ',"service":' || ${opt('service')} || '},"type":' || ${str('type')} || '}'`
  );
}

/**
 * One append in PostgreSQL, in one statement (CALL, a prepared statement whose plans the server
 * keeps). Under the ledger's advisory transaction lock it checks the chain's end (the head's event
 * exists, has the head's hash, and its hash recomputes from its columns), inserts the event with its
 * hash (sha256(prev hash || body), body = p_before || seq || p_after, the bytes chain.ts hashes),
 * and moves the head. Then it commits without waiting for the WAL flush, which releases the lock at
 * once, and commits a transactional WAL message synchronously: that flushes the WAL, in order, up to
 * and past the append before CALL returns. Where the role may not emit WAL messages, the append
 * commits synchronously at the end of CALL instead (the lock is then held through the flush).
 * o_state: ok, missing (the head's event is gone), edited (it does not match), head (no valid head).
 */
const PG_APPEND_PROCEDURE = appendProcedure('plain');

/**
 * The append procedure's text. `keyed` (migration 3) adds a delivery key: under the same lock, an
 * append whose key is already in `ledger_deliveries` records nothing (o_state 'duplicate', o_seq the
 * event it recorded first); otherwise the key is inserted with the event, in the same transaction.
 * `unit` (migration 5, `rollwright_append_unit`) takes a key that may be NULL (none) and
 * `p_detects`, an incident the event detects (NULL: none): when that incident is already detected,
 * it records nothing (o_state 'detected', o_seq and o_occurred_at the first detection's), so one
 * webhook delivery of one event, a detection included, is one statement with every check of a group
 * append. 'plain' is migration 1's procedure and 'keyed' migration 3's, byte for byte (a released
 * migration is never edited).
 */
function appendProcedure(kind: 'plain' | 'keyed' | 'unit'): string {
  const name = { plain: 'rollwright_append', keyed: 'rollwright_append_keyed', unit: 'rollwright_append_unit' }[kind];
  const keyParam = { plain: '', keyed: 'p_key text, ', unit: 'p_key text, p_detects text, ' }[kind];
  const checkKey = {
    plain: '',
    keyed: `
  SELECT d.seq INTO o_seq FROM ledger_deliveries d WHERE d.key = p_key;
  IF FOUND THEN o_state := 'duplicate'; RETURN; END IF;`,
    unit: `
  IF p_key IS NOT NULL THEN
    SELECT d.seq INTO o_seq FROM ledger_deliveries d WHERE d.key = p_key;
    IF FOUND THEN o_state := 'duplicate'; RETURN; END IF;
  END IF;
  IF p_detects IS NOT NULL THEN
    SELECT e.seq, e.occurred_at INTO o_seq, o_occurred_at FROM ledger_events e
      WHERE e.type = 'incident.detected' AND e.incident_id = p_detects ORDER BY e.seq LIMIT 1;
    IF FOUND THEN o_state := 'detected'; RETURN; END IF;
  END IF;`,
  }[kind];
  const insertKey = {
    plain: '',
    keyed: `
  INSERT INTO ledger_deliveries (key, seq, recorded_at) VALUES (p_key, o_seq, p_recorded_at);`,
    unit: `
  IF p_key IS NOT NULL THEN
    INSERT INTO ledger_deliveries (key, seq, recorded_at) VALUES (p_key, o_seq, p_recorded_at);
  END IF;`,
  }[kind];
  const extraOut = kind === 'unit' ? ', INOUT o_occurred_at text DEFAULT NULL' : '';
  return `CREATE OR REPLACE PROCEDURE ${name}(
  ${keyParam}p_id text, p_type text, p_change text, p_incident text, p_service text, p_environment text,
  p_occurred_at text, p_recorded_at text, p_actor text, p_payload text, p_before text, p_after text,
  INOUT o_state text DEFAULT NULL, INOUT o_seq bigint DEFAULT NULL,
  INOUT o_prev_hash text DEFAULT NULL, INOUT o_hash text DEFAULT NULL${extraOut})
LANGUAGE plpgsql AS $rollwright$
DECLARE
  v_flush boolean := has_function_privilege('pg_logical_emit_message(boolean, text, text)', 'EXECUTE');
  h_seq bigint; h_hash text; t_hash text; t_computed text;
BEGIN
  IF v_flush THEN PERFORM set_config('synchronous_commit', 'off', true); END IF;
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK});${checkKey}
  SELECT seq, hash INTO h_seq, h_hash FROM ledger_head WHERE id = 1;
  IF NOT FOUND OR (h_seq = 0 AND h_hash <> '${GENESIS}') THEN o_state := 'head'; RETURN; END IF;
  IF h_seq > 0 THEN
    SELECT e.hash, encode(sha256(convert_to(e.prev_hash || ${sqlBody('e')}, 'UTF8')), 'hex')
      INTO t_hash, t_computed FROM ledger_events e WHERE e.seq = h_seq;
    IF NOT FOUND THEN o_state := 'missing'; RETURN; END IF;
    IF t_hash IS DISTINCT FROM h_hash OR t_computed IS DISTINCT FROM t_hash THEN o_state := 'edited'; RETURN; END IF;
  END IF;
  o_seq := h_seq + 1;
  o_prev_hash := h_hash;
  o_hash := encode(sha256(convert_to(h_hash || p_before || o_seq::text || p_after, 'UTF8')), 'hex');
  INSERT INTO ledger_events (seq, id, type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, prev_hash, hash)
    VALUES (o_seq, p_id, p_type, p_change, p_incident, p_service, p_environment, p_occurred_at, p_recorded_at, p_actor, p_payload, o_prev_hash, o_hash);${insertKey}
  UPDATE ledger_head SET seq = o_seq, hash = o_hash WHERE id = 1;
  IF v_flush THEN
    COMMIT;
    PERFORM pg_logical_emit_message(true, 'rollwright', 'flush');
  END IF;
  o_state := 'ok';
END
$rollwright$`;
}

/**
 * `rollwright_append_units` (migration 6): a group of units (concurrent webhook deliveries) in one
 * statement, with every check `rollwright_append_unit` makes for one event. The events come as
 * parallel arrays in chain order, `p_unit` numbering the unit of each (consecutive). Under the
 * ledger's advisory lock it checks the chain's end once, then appends unit by unit: an event whose
 * delivery key is recorded (before, or earlier in this group) records nothing (o_outcome
 * 'duplicate', o_seq the event recorded first); an event detecting an incident already detected
 * takes its whole unit back out (o_outcome 'detected' for it, with the first detection's o_seq and
 * o_occurred_at, 'dropped' for the unit's other events) and the next unit continues the chain where
 * the last whole unit ended. Commits and flushes as the one-event procedures do: the lock is never
 * held across a round trip to the client nor across the disk flush, and CALL returns once the group
 * is on disk. o_state is 'ok', or the chain's end is broken as for one event (nothing written).
 */
const PG_APPEND_UNITS_PROCEDURE = `CREATE OR REPLACE PROCEDURE rollwright_append_units(
  p_unit integer[], p_key text[], p_detects text[], p_id text[], p_type text[], p_change text[],
  p_incident text[], p_service text[], p_environment text[], p_occurred_at text[], p_recorded_at text,
  p_actor text[], p_payload text[], p_before text[], p_after text[],
  INOUT o_state text DEFAULT NULL, INOUT o_outcome text[] DEFAULT NULL, INOUT o_seq bigint[] DEFAULT NULL,
  INOUT o_prev_hash text[] DEFAULT NULL, INOUT o_hash text[] DEFAULT NULL, INOUT o_occurred_at text[] DEFAULT NULL)
LANGUAGE plpgsql AS $rollwright$
DECLARE
  v_flush boolean := has_function_privilege('pg_logical_emit_message(boolean, text, text)', 'EXECUTE');
  n integer := coalesce(array_length(p_id, 1), 0);
  h_seq bigint; h_hash text; t_hash text; t_computed text;
  u_start integer := 1; u_seq bigint; u_hash text; i integer; j integer;
  f_seq bigint; f_at text; v_seq bigint; v_hash text;
BEGIN
  IF v_flush THEN PERFORM set_config('synchronous_commit', 'off', true); END IF;
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK});
  SELECT seq, hash INTO h_seq, h_hash FROM ledger_head WHERE id = 1;
  IF NOT FOUND OR (h_seq = 0 AND h_hash <> '${GENESIS}') THEN o_state := 'head'; RETURN; END IF;
  IF h_seq > 0 THEN
    SELECT e.hash, encode(sha256(convert_to(e.prev_hash || ${sqlBody('e')}, 'UTF8')), 'hex')
      INTO t_hash, t_computed FROM ledger_events e WHERE e.seq = h_seq;
    IF NOT FOUND THEN o_state := 'missing'; o_seq := ARRAY[h_seq]; RETURN; END IF;
    IF t_hash IS DISTINCT FROM h_hash OR t_computed IS DISTINCT FROM t_hash THEN
      o_state := 'edited'; o_seq := ARRAY[h_seq]; RETURN;
    END IF;
  END IF;
  o_outcome := array_fill(NULL::text, ARRAY[n]); o_seq := array_fill(NULL::bigint, ARRAY[n]);
  o_prev_hash := array_fill(NULL::text, ARRAY[n]); o_hash := array_fill(NULL::text, ARRAY[n]);
  o_occurred_at := array_fill(NULL::text, ARRAY[n]);
  u_seq := h_seq; u_hash := h_hash;
  FOR i IN 1..n LOOP
    IF i > 1 AND p_unit[i] <> p_unit[i - 1] THEN u_start := i; u_seq := h_seq; u_hash := h_hash; END IF;
    IF o_outcome[i] IS NOT NULL THEN CONTINUE; END IF;
    IF p_key[i] IS NOT NULL THEN
      SELECT d.seq INTO f_seq FROM ledger_deliveries d WHERE d.key = p_key[i];
      IF FOUND THEN o_outcome[i] := 'duplicate'; o_seq[i] := f_seq; CONTINUE; END IF;
    END IF;
    IF p_detects[i] IS NOT NULL THEN
      SELECT e.seq, e.occurred_at INTO f_seq, f_at FROM ledger_events e
        WHERE e.type = 'incident.detected' AND e.incident_id = p_detects[i] ORDER BY e.seq LIMIT 1;
      IF FOUND THEN
        -- The whole unit records nothing: what it appended so far is taken back out.
        DELETE FROM ledger_deliveries WHERE seq > u_seq;
        DELETE FROM ledger_events WHERE seq > u_seq;
        h_seq := u_seq; h_hash := u_hash;
        j := u_start;
        WHILE j <= n AND p_unit[j] = p_unit[i] LOOP
          o_outcome[j] := 'dropped'; o_seq[j] := NULL; o_prev_hash[j] := NULL; o_hash[j] := NULL; j := j + 1;
        END LOOP;
        o_outcome[i] := 'detected'; o_seq[i] := f_seq; o_occurred_at[i] := f_at;
        CONTINUE;
      END IF;
    END IF;
    v_seq := h_seq + 1;
    v_hash := encode(sha256(convert_to(h_hash || p_before[i] || v_seq::text || p_after[i], 'UTF8')), 'hex');
    INSERT INTO ledger_events (seq, id, type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, prev_hash, hash)
      VALUES (v_seq, p_id[i], p_type[i], p_change[i], p_incident[i], p_service[i], p_environment[i], p_occurred_at[i],
        p_recorded_at, p_actor[i], p_payload[i], h_hash, v_hash);
    IF p_key[i] IS NOT NULL THEN
      INSERT INTO ledger_deliveries (key, seq, recorded_at) VALUES (p_key[i], v_seq, p_recorded_at);
    END IF;
    o_outcome[i] := 'ok'; o_seq[i] := v_seq; o_prev_hash[i] := h_hash; o_hash[i] := v_hash;
    h_seq := v_seq; h_hash := v_hash;
  END LOOP;
  UPDATE ledger_head SET seq = h_seq, hash = h_hash WHERE id = 1;
  IF v_flush THEN
    COMMIT;
    PERFORM pg_logical_emit_message(true, 'rollwright', 'flush');
  END IF;
  o_state := 'ok';
END
$rollwright$`;
