import type { LedgerEvent } from './chain.js';

/**
 * The one schema of both stores (created by migrations.ts). Times are ISO UTC text with milliseconds,
 * so text order is time order in SQLite and PostgreSQL alike; the payload is canonical JSON text (not
 * jsonb, which would reorder keys and change the bytes the hash covers). PostgreSQL returns BIGINT
 * columns as strings, hence `number | string` on the way out.
 */
export interface EventsTable {
  seq: number | string;
  id: string;
  type: string;
  change_id: string | null;
  incident_id: string | null;
  service: string | null;
  environment: string | null;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1): the sequence number and hash of the last event. Appends lock it. */
export interface HeadTable {
  id: number;
  seq: number | string;
  hash: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

/**
 * The delivery keys of events recorded from webhooks (`rollwright serve`): one row per event, written
 * in the append's own transaction, so a redelivered payload records nothing new.
 */
export interface DeliveriesTable {
  key: string;
  seq: number | string;
  recorded_at: string;
}

/** API tokens of `rollwright serve`: only the SHA-256 of each token is stored. */
export interface TokensTable {
  id: string;
  name: string;
  scope: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
}

/**
 * Signed checkpoints of the head (`ledger checkpoint`): one per sequence number and signing key. The
 * record is the signed checkpoint as written to a witness (checkpoint.ts); the other columns repeat
 * what it signs, for lookups.
 */
export interface CheckpointsTable {
  seq: number | string;
  key_id: string;
  hash: string;
  signed_at: string;
  record: string;
}

export interface LedgerDatabase {
  ledger_events: EventsTable;
  ledger_head: HeadTable;
  ledger_meta: MetaTable;
  ledger_migrations: MigrationsTable;
  ledger_deliveries: DeliveriesTable;
  ledger_tokens: TokensTable;
  ledger_checkpoints: CheckpointsTable;
}

export type EventRow = EventsTable;

export function rowToEvent(r: EventRow): LedgerEvent {
  return {
    seq: Number(r.seq),
    id: r.id,
    type: r.type,
    subject: { change: r.change_id, incident: r.incident_id, service: r.service, environment: r.environment },
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    actor: r.actor,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export const EVENT_COLUMNS = [
  'seq',
  'id',
  'type',
  'change_id',
  'incident_id',
  'service',
  'environment',
  'occurred_at',
  'recorded_at',
  'actor',
  'payload',
  'prev_hash',
  'hash',
] as const;
