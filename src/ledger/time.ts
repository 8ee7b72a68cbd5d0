import { DURATION_RE } from '../core/vocabulary.js';

/**
 * Times and durations. Times are ISO 8601 with an explicit zone (`Z` or `±hh:mm`), stored as UTC
 * with milliseconds (`2026-01-05T09:04:00.000Z`) so that text order is time order in both stores.
 * A time without a zone is refused: on a CI runner "09:00" could be any of 24 instants.
 */
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Milliseconds since the epoch, or undefined when `text` is not an ISO 8601 time with a zone. */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (!z) {
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    const offset = (Number(oh) * 60 + Number(om)) * 60_000;
    t += sign === '+' ? -offset : offset;
  }
  return t;
}

export function isIsoTime(text: string): boolean {
  return parseIsoTime(text) !== undefined;
}

/** The stored form: UTC with milliseconds. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Clock skew tolerated between the recording machine and `--at`. */
export const FUTURE_TOLERANCE_MS = 5_000;

export type TimeCheck = { ok: true; ms: number } | { ok: false; reason: string };

/** Validates a time given on the command line: parseable, with a zone, not in the future. */
export function checkEventTime(text: string, now = Date.now()): TimeCheck {
  const ms = parseIsoTime(text);
  if (ms === undefined)
    return {
      ok: false,
      reason: `${JSON.stringify(text)} is not an ISO 8601 time with a zone (e.g. 2026-01-05T09:04:00Z or 2026-01-05T11:04:00+02:00)`,
    };
  if (ms > now + FUTURE_TOLERANCE_MS)
    return { ok: false, reason: `${JSON.stringify(text)} is in the future (now is ${toIso(now)})` };
  return { ok: true, ms };
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `5m` → 300, `1h30m` → 5400; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!DURATION_RE.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return total;
}

/** 300 → `5m`, 5400 → `1h30m`, 86400 → `24h`, 259200 → `3d`, 42 → `42s`; negative values keep their sign. */
export function formatDuration(seconds: number): string {
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  let s = Math.round(seconds);
  if (s === 0) return '0s';
  const parts: string[] = [];
  // Days only from two days on: 24h and 36h read better than 1d and 1d12h.
  for (const [unit, size] of [
    ['d', s >= 2 * 86400 ? 86400 : Number.POSITIVE_INFINITY],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('');
}
