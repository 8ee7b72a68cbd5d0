/**
 * Chaining events after a head, with no store in sight: each event's sequence number and hash, a group
 * of units planned against the delivery keys and detections already recorded, the check of the
 * chain's end before extending it, and the checks of event text every store needs.
 */
import { randomUUID } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { canonicalJson } from './canonical.js';
import { bodyOf, chainHash, GENESIS, type Head, type LedgerEvent, type Subject } from './chain.js';
import { ChainBrokenError, IncidentDetectedError } from './errors.js';
import type { EventRow } from './schema.js';

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

/** Rows per INSERT statement (and per `IN` list) in bulk writes. */
export const INSERT_CHUNK = 500;

/** An event with its id and canonical payload text, checked, ready to chain. */
export interface PreparedEvent extends NewEvent {
  id: string;
  payloadText: string;
  recordedAt?: string;
}

export interface PreparedUnit {
  events: Array<{ event: PreparedEvent; key: string | undefined }>;
}

/** Events given their ids and canonical payload text, refused when a text field cannot be stored. */
export function prepareEvents(events: readonly NewEvent[]): PreparedEvent[] {
  const prepared = events.map((e) => ({ ...e, id: e.id ?? randomUUID(), payloadText: canonicalJson(e.payload) }));
  for (const p of prepared) checkText(p);
  return prepared;
}

export function prepareUnit(u: AppendUnit): PreparedUnit {
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
export function planUnits(
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

/** Checks the event the head points at: the chain's end must be intact to extend it. */
export function tailChecked(
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
export function chain(
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

/**
 * An insert that collided with a row already holding the next sequence number: a row beyond the
 * head, added outside rollwright (the walk before the first write finds them; this covers rows
 * added since). Other errors pass through.
 */
export function occupied(e: unknown, where: string): unknown {
  const code = (e as { code?: string }).code;
  const constraint = (e as { constraint?: string }).constraint;
  const seqTaken =
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    (code === 'SQLITE_CONSTRAINT_UNIQUE' && /ledger_events\.seq/.test((e as Error).message)) ||
    (code === '23505' && constraint === 'ledger_events_pkey');
  if (!seqTaken) return e;
  return new ChainBrokenError(
    `${where}: the next sequence number is already taken by a row beyond the head (added outside rollwright); ` +
      'run `rollwright ledger verify` to name the rows; nothing was recorded',
  );
}
