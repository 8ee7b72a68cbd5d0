import { describe, expect, it } from 'vitest';
import { checkEventTime, formatDuration, parseDuration, parseHumanTime, parseIsoTime, toIso } from './time.js';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);

describe('times', () => {
  it.each([
    ['2026-01-05T09:04:00Z', '2026-01-05T09:04:00.000Z'],
    ['2026-01-05T09:04Z', '2026-01-05T09:04:00.000Z'],
    ['2026-01-05T11:04:00+02:00', '2026-01-05T09:04:00.000Z'],
    ['2026-01-05T04:04:00-0500', '2026-01-05T09:04:00.000Z'],
    ['2026-01-05T09:04:00.123456Z', '2026-01-05T09:04:00.123Z'],
    ['2026-01-05 09:04:00z', '2026-01-05T09:04:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(toIso(parseIsoTime(text)!)).toBe(iso);
  });

  it.each([
    '2026-01-05T09:04:00',
    '2026-01-05',
    'yesterday',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-05T24:00:00Z',
    '1736067840',
    '',
  ])('%j is refused', (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
    const r = checkEventTime(text, NOW);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/is not an ISO 8601 time with a zone/);
  });

  it('refuses times in the future beyond a few seconds of clock skew', () => {
    expect(checkEventTime('2026-01-05T12:00:04Z', NOW)).toEqual({ ok: true, ms: NOW + 4000 });
    const r = checkEventTime('2026-01-05T13:00:00Z', NOW);
    expect(r).toEqual({
      ok: false,
      reason: '"2026-01-05T13:00:00Z" is in the future (now is 2026-01-05T12:00:00.000Z)',
    });
  });
});

describe('durations', () => {
  it.each([
    ['5m', 300],
    ['10m', 600],
    ['24h', 86400],
    ['1h30m', 5400],
    ['7d', 604800],
    ['2w', 1209600],
    ['45s', 45],
    ['1.5h', 5400],
    ['500ms', 0.5],
  ])('%s = %d s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['5', 'm5', '5 m', '5min', '', '-5m'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [240, '4m'],
    [0, '0s'],
    [5400, '1h30m'],
    [86400, '24h'],
    [129600, '36h'],
    [259200, '3d'],
    [90061, '25h1m1s'],
    [-60, '-1m'],
  ])('%d s reads %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});

describe('times as a person types them (parseHumanTime)', () => {
  const now = Date.parse('2026-12-04T21:40:00.000Z');
  const withZone = <T>(tz: string, f: () => T): T => {
    const old = process.env.TZ;
    process.env.TZ = tz;
    try {
      return f();
    } finally {
      if (old === undefined) delete process.env.TZ;
      else process.env.TZ = old;
    }
  };

  it.each([
    ['-15m', '2026-12-04T21:25:00.000Z', '2026-12-04T21:25:00.000Z (15m ago)'],
    ['-1h30m', '2026-12-04T20:10:00.000Z', '2026-12-04T20:10:00.000Z (1h30m ago)'],
    ['45s ago', '2026-12-04T21:39:15.000Z', '2026-12-04T21:39:15.000Z (45s ago)'],
    ['now', '2026-12-04T21:40:00.000Z', 'now (2026-12-04T21:40:00.000Z)'],
    ['2026-12-04T22:10:00+02:00', '2026-12-04T20:10:00.000Z', '2026-12-04T20:10:00.000Z'],
  ])('%s is %s', (text, iso, said) => {
    const r = parseHumanTime(text, now);
    expect(r).toEqual({ ok: true, ms: Date.parse(iso), said });
  });

  it('a time of day is read in the local zone, today, or yesterday when still to come, and said back in UTC', () => {
    withZone('Europe/Berlin', () => {
      // 21:40Z is 22:40 in Berlin: 02:47 today is 01:47Z; 23:10 today is still to come, so yesterday's.
      expect(parseHumanTime('02:47', now)).toEqual({
        ok: true,
        ms: Date.parse('2026-12-04T01:47:00.000Z'),
        said: '2026-12-04T01:47:00.000Z (02:47 today, Europe/Berlin)',
      });
      expect(parseHumanTime('23:10:30', now)).toMatchObject({
        ok: true,
        ms: Date.parse('2026-12-03T22:10:30.000Z'),
        said: '2026-12-03T22:10:30.000Z (23:10:30 yesterday, Europe/Berlin)',
      });
    });
    withZone('America/New_York', () => {
      expect(parseHumanTime('02:47', now)).toMatchObject({ ms: Date.parse('2026-12-04T07:47:00.000Z') });
    });
  });

  it.each([
    ['02:47pm', 'is not a time'],
    ['25:00', 'is not a time of day'],
    ['-15x', 'is not a duration'],
    ['2026-12-05T09:00:00Z', 'is in the future'],
    ['2026-12-04T09:00:00', 'is not a time'],
    ['yesterday', 'is not a time'],
  ])('%s is refused (%s)', (text, why) => {
    const r = parseHumanTime(text, now);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toContain(why);
  });
});
