import { HttpProblem } from './http.js';

/**
 * Paging of the API's lists that grow with the ledger (incidents, SLO incidents, windows): `limit`
 * items from an opaque `cursor`, answered with `next`, the cursor of the following page (null on the
 * last). A cursor is the sort key of the last item returned, so a page continues where the previous
 * one stopped even when items were added or removed in between: nothing is skipped or repeated.
 */
export type SortKey = ReadonlyArray<string | null>;

export interface Page<T> {
  items: T[];
  next: string | null;
}

/**
 * A page of `list`, which is sorted by `key` (ascending tuple order, or descending with `desc`; null
 * sorts after every string). Reads `limit` (1 to 1000, default 100) and `cursor` from the query.
 */
export function pageOf<T>(list: readonly T[], key: (item: T) => SortKey, desc: boolean, q: URLSearchParams): Page<T> {
  const limit = limitParam(q);
  const raw = q.get('cursor');
  let from = 0;
  if (raw !== null && raw !== '') {
    const cursor = decodeCursor(raw);
    // The first item strictly after the cursor in the list's order.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = compareKeys(key(list[mid]!), cursor);
      if (desc ? c >= 0 : c <= 0) lo = mid + 1;
      else hi = mid;
    }
    from = lo;
  }
  const items = list.slice(from, from + limit);
  const next = from + limit < list.length && items.length ? encodeCursor(key(items[items.length - 1]!)) : null;
  return { items, next };
}

export function limitParam(q: URLSearchParams, dflt = 100, max = 1000): number {
  const v = q.get('limit');
  if (v === null) return dflt;
  if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > max)
    throw new HttpProblem(400, 'Bad parameter', `limit: a whole number from 1 to ${max}`);
  return Number(v);
}

export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(raw: string): SortKey {
  let v: unknown;
  try {
    if (raw.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('not base64url');
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => x === null || typeof x === 'string'))
    throw new HttpProblem(400, 'Bad parameter', 'cursor: not a cursor this API returned (pass `next` as it came)');
  return v as SortKey;
}
