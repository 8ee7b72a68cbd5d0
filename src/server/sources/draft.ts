import { HttpProblem } from '../http.js';
import type { RecordInput } from '../../ledger/record.js';
import { isIsoTime, parseIsoTime, toIso } from '../../ledger/time.js';

/**
 * What a webhook payload asks the ledger to record, before the ledger is read: each draft is one
 * event with its delivery key (the identity a redelivery repeats) and, where the payload cannot name
 * it, what to look up (the service's latest deployment; the service's open incident).
 */
export interface Draft {
  /** `<source>:<identity>`: the same payload delivered again yields the same key. */
  key: string;
  record: RecordInput;
  /** Fill `change` from the latest change.deployed of the service in the environment. */
  changeFromDeployment?: boolean;
  /** Fill `incident` from the service's open incident in the environment; skip when there is none. */
  incidentFromService?: boolean;
  /** Skip (not an error) when the incident is not in the ledger. */
  skipUnknownIncident?: boolean;
}

/** A payload item understood and deliberately not recorded (a failed sync, an action we do not map). */
export interface Ignored {
  reason: string;
}

export interface Mapped {
  drafts: Draft[];
  ignored: Ignored[];
}

/** Settings the mappers read: which alert labels name the service and the environment. */
export interface MapOptions {
  serviceLabel: string;
  environmentLabel: string;
  now: number;
}

/** A 422 naming the field: the payload parsed but is not what the source sends. */
export function invalid(source: string, field: string, problem: string): HttpProblem {
  return new HttpProblem(422, 'Invalid payload', `${source} payload: ${field}: ${problem}; nothing was recorded`, {
    field,
  });
}

export function obj(v: unknown, source: string, field: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(source, field, 'must be an object');
  return v as Record<string, unknown>;
}

export function optObj(v: unknown, source: string, field: string): Record<string, unknown> {
  return v === undefined || v === null ? {} : obj(v, source, field);
}

export function str(v: unknown, source: string, field: string): string {
  if (typeof v !== 'string' || v === '') throw invalid(source, field, 'must be a non-empty string');
  return v;
}

export function optStr(v: unknown, source: string, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalid(source, field, 'must be a string');
  return v;
}

/** An ISO 8601 time as stored (UTC, milliseconds); Go's zero time (`0001-01-01T00:00:00Z`) is absent. */
export function optTime(v: unknown, source: string, field: string): string | undefined {
  const s = optStr(v, source, field);
  if (s === undefined || s.startsWith('0001-01-01')) return undefined;
  if (!isIsoTime(s))
    throw invalid(source, field, `must be an ISO 8601 time with a zone, got ${JSON.stringify(s.slice(0, 64))}`);
  return toIso(parseIsoTime(s)!);
}

/** A time for `record --at`: never later than now (a sender's clock a little ahead is clamped). */
export function atMost(t: string | undefined, now: number): string | undefined {
  if (t === undefined) return undefined;
  return Date.parse(t) > now ? toIso(now) : t;
}

/** Text for a payload field: at most 4,096 characters, so a verbose message never fails an event. */
export function clip(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = s.replace(/\u0000/g, '');
  return t.length > 4096 ? `${t.slice(0, 4093)}...` : t || undefined;
}

/** A Git commit in a revision string: `main@sha1:<hex>`, `main/<hex>`, `<hex>`. */
export function commitOf(revision: string): string | undefined {
  const m = /(?:^|[@/:])([0-9a-f]{40}|[0-9a-f]{64})$/.exec(revision);
  return m ? m[1] : undefined;
}

/** Drops undefined values (the payload schemas are strict, and canonical JSON has no undefined). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}
