import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { progressWanted, startProgress } from './progress.js';

const ERASE = '\r\u001b[K';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (s: string) => written.push(s) };
}

describe('progressWanted', () => {
  const cases: Array<{ name: string; isTTY?: boolean; TERM?: string; want: boolean }> = [
    { name: 'a terminal', isTTY: true, TERM: 'xterm-256color', want: true },
    { name: 'a terminal with no TERM', isTTY: true, want: true },
    { name: 'a terminal that cannot erase a line', isTTY: true, TERM: 'dumb', want: false },
    { name: 'a pipe or a CI log', isTTY: false, TERM: 'xterm', want: false },
    { name: 'a stream that does not say', want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const err = c.isTTY === undefined ? {} : { isTTY: c.isTTY };
      expect(progressWanted(err, c.TERM === undefined ? {} : { TERM: c.TERM })).toBe(c.want);
    });
  }
});

describe('startProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a run shorter than the delay writes nothing', () => {
    const err = stream(true);
    const p = startProgress('reading…', err, {}, 1000);
    p.update('assessing 3 files…');
    vi.advanceTimersByTime(999);
    p.done();
    vi.advanceTimersByTime(5000);
    expect(err.written).toEqual([]);
  });

  it('a longer run shows the latest line after the delay, rewrites it in place and erases it at the end', () => {
    const err = stream(true);
    const p = startProgress('reading the change…', err, {}, 1000);
    p.update('assessing 1,204 files…');
    vi.advanceTimersByTime(1000);
    expect(err.written).toEqual([`${ERASE}assessing 1,204 files…`]);
    p.update('rehearsing migrations…');
    p.done();
    p.update('too late');
    p.done();
    expect(err.written).toEqual([`${ERASE}assessing 1,204 files…`, `${ERASE}rehearsing migrations…`, ERASE]);
  });

  it('nothing at all when stderr is not a terminal, however long the run', () => {
    const err = stream(false);
    const p = startProgress('reading…', err, {}, 1000);
    vi.advanceTimersByTime(10_000);
    p.update('assessing 9 files…');
    p.done();
    expect(err.written).toEqual([]);
  });
});
