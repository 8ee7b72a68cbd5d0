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

/** A time as a person types it at an incident, resolved: the instant, and how it was read (said back in UTC). */
export type HumanTime = { ok: true; ms: number; said: string } | { ok: false; reason: string };

const CLOCK_RE = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const AGO_RE = /^-\s*(\S+)$|^(\S+)\s+ago$/i;

/**
 * A time typed by a person: ISO 8601 with a zone (as `--at` takes it), `now`, a duration before now
 * (`-15m`, `-1h30m`, `15m ago`), or a wall-clock time in the local zone (`02:47`, `02:47:30`): today's,
 * or yesterday's when today's is still to come. `said` repeats the instant in UTC with how it was read,
 * so the person sees which instant they named. Scripts keep the strict form (`checkEventTime`).
 */
export function parseHumanTime(text: string, now = Date.now()): HumanTime {
  const t = text.trim();
  if (/^now$/i.test(t)) return { ok: true, ms: now, said: `now (${toIso(now)})` };
  const iso = parseIsoTime(t);
  if (iso !== undefined) {
    const c = checkEventTime(t, now);
    return c.ok ? { ok: true, ms: c.ms, said: toIso(c.ms) } : c;
  }
  const ago = AGO_RE.exec(t);
  if (ago) {
    const d = parseDuration(ago[1] ?? ago[2]!);
    if (d === undefined)
      return {
        ok: false,
        reason: `${JSON.stringify(text)}: ${JSON.stringify(ago[1] ?? ago[2])} is not a duration (e.g. -15m, -1h30m)`,
      };
    const ms = now - Math.round(d * 1000);
    return { ok: true, ms, said: `${toIso(ms)} (${formatDuration(d)} ago)` };
  }
  const clock = CLOCK_RE.exec(t);
  if (clock) {
    const [h, mi, s] = [Number(clock[1]), Number(clock[2]), clock[3] === undefined ? 0 : Number(clock[3])];
    if (h > 23 || mi > 59 || s > 59) return { ok: false, reason: `${JSON.stringify(text)} is not a time of day` };
    const today = new Date(now);
    let at = new Date(today.getFullYear(), today.getMonth(), today.getDate(), h, mi, s).getTime();
    let day = 'today';
    if (at > now + FUTURE_TOLERANCE_MS) {
      const y = new Date(now - 86_400_000);
      at = new Date(y.getFullYear(), y.getMonth(), y.getDate(), h, mi, s).getTime();
      day = 'yesterday';
    }
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
    return { ok: true, ms: at, said: `${toIso(at)} (${t} ${day}, ${zone})` };
  }
  return {
    ok: false,
    reason: `${JSON.stringify(text)} is not a time: use ISO 8601 with a zone (2026-01-05T09:04:00Z), a duration before now (-15m), or a time of day in the local zone (02:47)`,
  };
}
