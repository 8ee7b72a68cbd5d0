import type SemverLib from 'semver';

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

const TERM = /^(>=|<=|~>|!=|=|>|<)?\s*v?(\d+(?:\.\d+){0,2})(-[0-9A-Za-z.-]+)?$/;

/** The range a constraint admits; undefined when a term is not a version constraint this reading knows. */
export function parseConstraint(semver: typeof SemverLib, text: string): VersionRange | undefined {
  let range: VersionRange = { lo: semver.parse('0.0.0')!, hiInclusive: false };
  let terms = 0;
  for (const raw of text.split(',')) {
    const t = raw.trim();
    if (!t) continue;
    const m = TERM.exec(t);
    if (!m) return undefined;
    const op = m[1] ?? '=';
    if (op === '!=') continue;
    const parts = m[2]!.split('.').map(Number);
    const v = semver.parse(`${parts[0]}.${parts[1] ?? 0}.${parts[2] ?? 0}${m[3] ?? ''}`);
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
