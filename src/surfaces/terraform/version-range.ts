import type SemverLib from 'semver';
import { compareVersions } from './versions.js';

/**
 * A Terraform version constraint (`>= 1.2, < 2.0`, `~> 4.15`, `1.0.2`) read as the interval of
 * versions it admits: from `lo` (inclusive) up to `hi` (exclusive, or inclusive for `<=` and an exact
 * version), `hi` undefined when the range is open above. `!=` terms exclude single releases and are
 * left out: they never move a range. Operators as Terraform documents them: `~>` lets only the
 * rightmost written component grow (`~> 1.0.4` is >= 1.0.4, < 1.1.0; `~> 1.1` is >= 1.1, < 2.0).
 */
export interface VersionRange {
  lo: SemverLib.SemVer;
  hi?: SemverLib.SemVer;
  hiInclusive: boolean;
}

/** How a constraint moved: the two ranges share versions, or the new one lies wholly above or below. */
export type RangeMove =
  | { kind: 'same' }
  | { kind: 'overlap'; top: 'same' | 'lower' | 'higher'; distance: Distance }
  | { kind: 'up' | 'down'; distance: Distance };

export type Distance = 'major' | 'minor' | 'patch';

/** One term of a constraint as written (`>= 5.40`): its operator (`=` when none is written) and the rest. */
export interface ConstraintTerm {
  op: '>=' | '<=' | '~>' | '!=' | '=' | '>' | '<';
  /** What follows the operator and an optional `v`, as written (a malformed term keeps its text). */
  version: string;
}

const TERM = /^(>=|<=|~>|!=|=|>|<)?\s*v?(.+)$/;
/** A version a range can be built from: up to three numbers and a pre-release. */
const SEMVER_TERM = /^(\d+(?:\.\d+){0,2})(-[0-9A-Za-z.-]+)?$/;
/** A version a floor is read from: any count of numbers. */
const NUMBERS = /^\d+(?:\.\d+)*$/;

/**
 * The terms of a provider or module version constraint, the one reader of their syntax: the range
 * (`parseConstraint`), the floor (`floorOf`) and the floor-only move (`onlyFloorMoves`) all read these.
 */
export function constraintTerms(text: string): ConstraintTerm[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = TERM.exec(t);
      return { op: (m?.[1] ?? '=') as ConstraintTerm['op'], version: m?.[2] ?? t };
    });
}

/** The range a constraint admits; undefined when a term is not a version constraint this reading knows. */
export function parseConstraint(semver: typeof SemverLib, text: string): VersionRange | undefined {
  let range: VersionRange = { lo: semver.parse('0.0.0')!, hiInclusive: false };
  let terms = 0;
  for (const { op, version } of constraintTerms(text)) {
    const m = SEMVER_TERM.exec(version);
    if (!m) return undefined;
    if (op === '!=') continue;
    const parts = m[1]!.split('.').map(Number);
    const v = semver.parse(`${parts[0]}.${parts[1] ?? 0}.${parts[2] ?? 0}${m[2] ?? ''}`);
    if (!v) return undefined;
    terms++;
    let lo: SemverLib.SemVer | undefined;
    let hi: SemverLib.SemVer | undefined;
    let hiInclusive = false;
    if (op === '=') [lo, hi, hiInclusive] = [v, v, true];
    else if (op === '>=' || op === '>') lo = v;
    else if (op === '<') hi = v;
    else if (op === '<=') [hi, hiInclusive] = [v, true];
    else {
      lo = v;
      const next = parts.length >= 3 ? `${parts[0]}.${parts[1]! + 1}.0` : `${parts[0]! + 1}.0.0`;
      hi = semver.parse(next)!;
    }
    range = intersect(semver, range, { lo: lo ?? range.lo, hi, hiInclusive });
  }
  return terms ? range : undefined;
}

function intersect(semver: typeof SemverLib, a: VersionRange, b: VersionRange): VersionRange {
  const lo = semver.gt(a.lo, b.lo) ? a.lo : b.lo;
  if (!a.hi) return { lo, hi: b.hi, hiInclusive: b.hiInclusive };
  if (!b.hi) return { lo, hi: a.hi, hiInclusive: a.hiInclusive };
  const c = semver.compare(a.hi, b.hi);
  const pick = c < 0 ? a : c > 0 ? b : a.hiInclusive ? b : a;
  return { lo, hi: pick.hi, hiInclusive: pick.hiInclusive };
}

/** The newest release a range admits, as [major, minor, patch] (Infinity where any number goes). */
export function topOf(r: VersionRange): [number, number, number] {
  if (!r.hi) return [Infinity, Infinity, Infinity];
  const { major, minor, patch } = r.hi;
  if (r.hiInclusive) return [major, minor, patch];
  if (patch > 0) return [major, minor, patch - 1];
  if (minor > 0) return [major, minor - 1, Infinity];
  return [major - 1, Infinity, Infinity];
}

function distanceOf(a: [number, number, number], b: [number, number, number]): Distance {
  return a[0] !== b[0] ? 'major' : a[1] !== b[1] ? 'minor' : 'patch';
}

function cmpTop(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Whether `v` lies below the range's upper end (so a range starting at `v` shares versions with it). */
function belowTop(semver: typeof SemverLib, v: SemverLib.SemVer, r: VersionRange): boolean {
  if (!r.hi) return true;
  const c = semver.compare(v, r.hi);
  return c < 0 || (c === 0 && r.hiInclusive);
}

/**
 * How the range moved from `from` to `to`: `same` when both admit the same versions; `overlap` when
 * they share versions, with where the new newest admitted release lies against the old one (`top`) and
 * how far apart the two are; `up`/`down` when the new range admits none of the old versions, with the
 * distance between the newest releases each admits (an open range counts as a major away).
 */
export function rangeMove(semver: typeof SemverLib, from: VersionRange, to: VersionRange): RangeMove {
  const ta = topOf(from);
  const tb = topOf(to);
  const top = cmpTop(tb, ta);
  if (semver.eq(from.lo, to.lo) && top === 0) return { kind: 'same' };
  const distance = distanceOf(ta, tb);
  if (belowTop(semver, to.lo, from) && belowTop(semver, from.lo, to))
    return { kind: 'overlap', top: top === 0 ? 'same' : top < 0 ? 'lower' : 'higher', distance };
  return { kind: semver.gt(to.lo, from.lo) ? 'up' : 'down', distance };
}

/** The lowest version a constraint admits (`>= 5.25`, `~> 5.30`, `= 5.31.0`, `5.31.0`); undefined for none. */
export function floorOf(constraint: string): string | undefined {
  let low: string | undefined;
  for (const { op, version } of constraintTerms(constraint)) {
    if (op === '<' || op === '<=' || op === '!=' || !NUMBERS.test(version)) continue;
    if (low === undefined || compareVersions(version, low) > 0) low = version;
  }
  return low;
}

/**
 * Whether a constraint change only moves its lower bound: `>= 2.38` -> `>= 2.44`, `>= 5.40, < 6.0` ->
 * `>= 5.60, < 6.0`, or `~> 5.40` -> `~> 5.60` (the same upper bound, 6.0). For a provider such a change
 * selects nothing by itself: the lock file does, and a revert does not take the selected provider back.
 */
export function onlyFloorMoves(from: string, to: string): boolean {
  const a = constraintTerms(from);
  const b = constraintTerms(to);
  if (a.length !== b.length || a.length === 0) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    const [vx, vy] = [x.version.trim(), y.version.trim()];
    if (x.op !== y.op) return false;
    if (vx === vy) return true;
    if (x.op === '>=' || x.op === '>') return true;
    if (x.op !== '~>') return false;
    // `~> 5.40` allows up to 6.0, `~> 5.40.1` up to 5.41: the same upper bound when all but the last part agree.
    const px = vx.split('.');
    const py = vy.split('.');
    return px.length === py.length && px.length > 1 && px.slice(0, -1).join('.') === py.slice(0, -1).join('.');
  });
}
