/**
 * `rollwright score`: the production-readiness checklist scored from the tree, its history and the
 * ledger (docs/score.md). `gather` reads the repository, `judgeAll` judges each item, and this file
 * adds the overall score and the trend against the previous run the ledger holds.
 */
import { SCORE_STATUSES, type ScoreStatus } from '../../core/vocabulary.js';
import type { LedgerEvent } from '../../ledger/chain.js';
import { judgeAll } from './items.js';
import { SCORE_SCHEMA, type ScoreInput, type ScoreItem, type ScoreReport, type Trend } from './types.js';

export { CHECKLIST, judgeAll, scopedTarget } from './items.js';
export { gather, lintTreeFacts, targetsTreeFacts, withLintFindings, MAX_ASSESSED, type TreeFactsSource } from './gather.js';
export * from './types.js';

const WEIGHT: Record<ScoreStatus, number | null> = { pass: 1, partial: 0.5, fail: 0, unknown: null };
const RANK: Record<ScoreStatus, number> = { unknown: -1, fail: 0, partial: 1, pass: 2 };

/** pass 1, partial 0.5, fail 0, averaged over the decided items, as a whole percentage; null when none is decided. */
export function overallScore(items: readonly Pick<ScoreItem, 'status'>[]): number | null {
  const weights = items.map((i) => WEIGHT[i.status]).filter((w): w is number => w !== null);
  if (weights.length === 0) return null;
  return Math.round((100 * weights.reduce((a, b) => a + b, 0)) / weights.length);
}

export function trendOf(now: ScoreStatus, before: ScoreStatus | undefined): Trend {
  if (before === undefined) return 'new';
  if (RANK[now] === RANK[before]) return 'same';
  return RANK[now] > RANK[before] ? 'up' : 'down';
}

/** The last `score.recorded` of this repository in the ledger. */
export function previousRun(events: readonly LedgerEvent[], repository: string): LedgerEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'score.recorded' && e.payload.repository === repository) return e;
  }
  return undefined;
}

export function scoreReport(input: ScoreInput): ScoreReport {
  const items = judgeAll(input);
  const prev = input.ledger ? previousRun(input.ledger.events, input.repository) : undefined;
  const before = (prev?.payload.items ?? {}) as Record<string, ScoreStatus>;
  for (const item of items)
    if (prev) {
      item.trend = trendOf(item.status, before[item.id]);
      if (before[item.id] !== undefined) item.previous = before[item.id];
    }
  const counts = Object.fromEntries(
    SCORE_STATUSES.map((s) => [s, items.filter((i) => i.status === s).length]),
  ) as Record<ScoreStatus, number>;
  return {
    schema: SCORE_SCHEMA,
    repository: input.repository,
    name: input.name,
    head: input.head,
    since: input.since.given,
    windowStart: input.since.start,
    score: overallScore(items),
    counts,
    items,
    ledger: input.ledger?.where ?? null,
    previous: prev
      ? {
          seq: prev.seq,
          at: prev.occurredAt,
          score: typeof prev.payload.score === 'number' ? prev.payload.score : null,
        }
      : null,
    recorded: null,
  };
}

/** The payload of the `score.recorded` event of a report. */
export function recordedPayload(r: ScoreReport): Record<string, unknown> {
  return {
    repository: r.repository,
    head: r.head,
    ...(r.score !== null ? { score: r.score } : {}),
    items: Object.fromEntries(r.items.map((i) => [i.id, i.status])),
  };
}
