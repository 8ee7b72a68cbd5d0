import { describe, expect, it } from 'vitest';
import { loadSemver } from '../../core/semver.js';
import { constraintTerms, floorOf, onlyFloorMoves, parseConstraint, rangeMove, topOf } from './version-range.js';

const move = async (a: string, b: string) => {
  const semver = await loadSemver();
  return rangeMove(semver, parseConstraint(semver, a)!, parseConstraint(semver, b)!);
};

describe('parseConstraint', () => {
  it.each([
    ['~> 1.0.4', '1.0.4', '1.1.0', false],
    ['~> 1.1', '1.1.0', '2.0.0', false],
    ['~> 2', '2.0.0', '3.0.0', false],
    ['>= 1.2.0, < 2.0.0, != 1.3.0', '1.2.0', '2.0.0', false],
    ['1.0.2', '1.0.2', '1.0.2', true],
    ['= v3.0', '3.0.0', '3.0.0', true],
    ['>= 4.45', '4.45.0', undefined, false],
    ['>= 1.0, <= 1.5', '1.0.0', '1.5.0', true],
  ])('%s admits [%s, %s)', async (text, lo, hi, inclusive) => {
    const r = parseConstraint(await loadSemver(), text)!;
    expect(r.lo.version).toBe(lo);
    expect(r.hi?.version).toBe(hi);
    expect(r.hiInclusive).toBe(inclusive);
  });
  it('refuses what is not a constraint', async () => {
    expect(parseConstraint(await loadSemver(), 'latest')).toBeUndefined();
    expect(parseConstraint(await loadSemver(), '')).toBeUndefined();
  });
  it('names the newest release a range admits', async () => {
    const semver = await loadSemver();
    expect(topOf(parseConstraint(semver, '~> 1.11')!)).toEqual([1, Infinity, Infinity]);
    expect(topOf(parseConstraint(semver, '~> 2.1.2')!)).toEqual([2, 1, Infinity]);
    expect(topOf(parseConstraint(semver, '< 2.0.3')!)).toEqual([2, 0, 2]);
  });
});

describe('rangeMove', () => {
  it.each([
    ['~> 5.1', '>= 5.1.0, < 6.0.0', { kind: 'same' }],
    ['>= 1.11', '~> 2.0', { kind: 'overlap', top: 'lower', distance: 'major' }],
    ['~> 2.1.2', '~> 2.0', { kind: 'overlap', top: 'higher', distance: 'minor' }],
    ['~> 4.15', '~> 4.21.1', { kind: 'overlap', top: 'lower', distance: 'minor' }],
    ['~> 1.1', '~> 1.5', { kind: 'overlap', top: 'same', distance: 'patch' }],
    ['~> 1.11', '~> 2.0', { kind: 'up', distance: 'major' }],
    ['~> 5.40.1', '~> 5.41.0', { kind: 'up', distance: 'minor' }],
    ['1.0.2', '1.1.0', { kind: 'up', distance: 'minor' }],
    ['5.1.0', '5.1.2', { kind: 'up', distance: 'patch' }],
    ['6.0.0', '5.9.0', { kind: 'down', distance: 'major' }],
    ['~> 3.0', '~> 2.0', { kind: 'down', distance: 'major' }],
    ['~> 2.1.2', '>= 2.3', { kind: 'up', distance: 'major' }],
  ])('%s -> %s', async (a, b, expected) => {
    expect(await move(a, b)).toEqual(expected);
  });
});

describe('the one reader of constraint terms', () => {
  it('splits a constraint into operators and versions', () => {
    expect(constraintTerms('>= 5.40, < 6.0,, v1.2 ')).toEqual([
      { op: '>=', version: '5.40' },
      { op: '<', version: '6.0' },
      { op: '=', version: '1.2' },
    ]);
    expect(constraintTerms('latest')).toEqual([{ op: '=', version: 'latest' }]);
  });

  it('reads the floor from the lower-bound terms only', () => {
    expect(floorOf('>= 5.25, < 6.0')).toBe('5.25');
    expect(floorOf('~> 5.30, >= 5.31.1')).toBe('5.31.1');
    expect(floorOf('= 5.31.0')).toBe('5.31.0');
    expect(floorOf('v5.31')).toBe('5.31');
    expect(floorOf('< 6.0, != 5.1')).toBeUndefined();
    expect(floorOf('>= 5.0-beta')).toBeUndefined();
    expect(floorOf('v 5.0')).toBeUndefined();
  });

  it('tells a floor-only move from a moved ceiling', () => {
    expect(onlyFloorMoves('>= 2.38', '>= 2.44')).toBe(true);
    expect(onlyFloorMoves('>= 5.40, < 6.0', '>= 5.60, < 6.0')).toBe(true);
    expect(onlyFloorMoves('~> 5.40', '~> 5.60')).toBe(true);
    expect(onlyFloorMoves('~> 5.40.1', '~> 5.41.0')).toBe(false);
    expect(onlyFloorMoves('~> 5.40', '~> 6.0')).toBe(false);
    expect(onlyFloorMoves('~> 5', '~> 6')).toBe(false);
    expect(onlyFloorMoves('>= 5.40, < 6.0', '>= 5.40, < 7.0')).toBe(false);
    expect(onlyFloorMoves('>= 5.40', '~> 5.40')).toBe(false);
  });
});
