import { hash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

/**
 * The hash chain. Each event's hash is `sha256(prevHash + body)` in lower-case hex, where `body` is
 * the canonical JSON (canonical.ts) of everything recorded about the event except the hashes:
 *
 *   {"actor":…,"id":…,"occurredAt":…,"payload":{…},"recordedAt":…,"seq":N,
 *    "subject":{"change":…,"environment":…,"incident":…,"service":…},"type":…}
 *
 * The first event's prevHash is GENESIS (64 zeros). The sequence number is inside the body, so an
 * event cannot move; the previous hash is inside the hash, so an event cannot be removed or replaced
 * without breaking the link of the one after it. The ledger's head row (seq, hash) closes the chain at
 * its end, so removing the last events is detected too.
 */
export const GENESIS = '0'.repeat(64);

/** The end of a chain: the sequence number and hash of its last event (0 and GENESIS when empty). */
export interface Head {
  seq: number;
  hash: string;
}

export interface Subject {
  change: string | null;
  incident: string | null;
  service: string | null;
  environment: string | null;
}

/** An event as stored: everything hashed, plus the two hashes. */
export interface LedgerEvent {
  seq: number;
  id: string;
  type: string;
  subject: Subject;
  /** When it happened (given with --at, or the time of recording), ISO UTC with milliseconds. */
  occurredAt: string;
  /** When the ledger recorded it, ISO UTC with milliseconds. */
  recordedAt: string;
  actor: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface BodyFields {
  seq: number;
  id: string;
  type: string;
  change: string | null;
  incident: string | null;
  service: string | null;
  environment: string | null;
  occurredAt: string;
  recordedAt: string;
  actor: string;
}

/**
 * The hashed body around its sequence number: body = before + seq + after. PostgreSQL appends hash
 * in SQL, where the sequence number is only known under the head lock (store.ts).
 */
export function bodyParts(e: Omit<BodyFields, 'seq'>, payloadText: string): [string, string] {
  // Keys in canonical (sorted) order; a test keeps this equal to canonicalJson() of the same object.
  return [
    `{"actor":${q(e.actor)},"id":${q(e.id)},"occurredAt":${q(e.occurredAt)},` +
      `"payload":${payloadText},"recordedAt":${q(e.recordedAt)},"seq":`,
    `,"subject":{"change":${q(e.change)},"environment":${q(e.environment)},` +
      `"incident":${q(e.incident)},"service":${q(e.service)}},"type":${q(e.type)}}`,
  ];
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls, lone surrogates (checked conservatively). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string or null, without its cost for the plain strings a ledger is made of. */
export function q(s: string | null): string {
  if (s === null) return 'null';
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * The body from a row's values in EVENT_COLUMNS order (seq, id, type, change_id, incident_id,
 * service, environment, occurred_at, recorded_at, actor, payload, …): the verify loop's form.
 */
export function bodyOfValues(v: ReadonlyArray<unknown>): string {
  return (
    `{"actor":${q(v[9] as string)},"id":${q(v[1] as string)},"occurredAt":${q(v[7] as string)},"payload":${v[10] as string},` +
    `"recordedAt":${q(v[8] as string)},"seq":${Number(v[0])},"subject":{"change":${q(v[3] as string | null)},` +
    `"environment":${q(v[6] as string | null)},"incident":${q(v[4] as string | null)},"service":${q(v[5] as string | null)}},` +
    `"type":${q(v[2] as string)}}`
  );
}

/** The hashed body, built from already-canonical payload text (the stored form) without re-parsing it. */
export function bodyOf(e: BodyFields, payloadText: string): string {
  const [before, after] = bodyParts(e, payloadText);
  return before + e.seq + after;
}

/** sha256(prevHash + body), lower-case hex (one-shot crypto.hash: the verify loop's hot spot). */
export function chainHash(prevHash: string, body: string): string {
  return hash('sha256', prevHash + body, 'hex');
}

/** The hash an event should have, from its fields (payload canonicalised here). */
export function hashOf(e: Omit<LedgerEvent, 'hash'>): string {
  return chainHash(
    e.prevHash,
    bodyOf(
      {
        seq: e.seq,
        id: e.id,
        type: e.type,
        ...e.subject,
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
        actor: e.actor,
      },
      canonicalJson(e.payload),
    ),
  );
}

export const HASH_RE = /^[0-9a-f]{64}$/;
