/**
 * The ledger's vocabulary as plain constants (no zod), so that the config schema and reporters can
 * name them without loading the payload schemas. The schemas per type live in events.ts.
 */

/**
 * Every event type `rollwright record` accepts, in the order of an incident's life; then
 * `score.recorded`, what `rollwright score` keeps of each run (its trend is against the previous one).
 */
export const EVENT_TYPES = [
  'change.declared',
  'change.assessed',
  'change.merged',
  'change.deployed',
  'incident.detected',
  'decision.made',
  'pause.started',
  'pause.ended',
  'recovery.executed',
  'recovery.verified',
  'evidence.attached',
  'incident.resolved',
  'postmortem.action',
  'score.recorded',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(s: string): s is EventType {
  return (EVENT_TYPES as readonly string[]).includes(s);
}

/** The evidence a rollback must produce (docs/concepts.md#evidence), in that page's order. */
export const EVIDENCE_ITEMS = [
  'change-id',
  'rollback-commit',
  'artifact-digest',
  'approval',
  'policy-result',
  'sync-log',
  'health-metrics',
  'drift-check',
  'postmortem-action',
] as const;
export type EvidenceItem = (typeof EVIDENCE_ITEMS)[number];

/** What a recovery can be (docs/concepts.md#transitions). */
export const TRANSITIONS = [
  'rollback',
  'rollforward',
  'compensate',
  'pause',
  'abort-rollout',
  'restore',
  'repair-state',
  'break-glass',
] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** The five SLO phases (docs/concepts.md#slo-phases), in order. */
export const SLO_PHASES = ['detect', 'decide', 'execute', 'verify', 'evidence'] as const;
export type SloPhase = (typeof SLO_PHASES)[number];

/** A duration as written in `.rollwright.yaml`: `5m`, `24h`, `1h30m`, `7d`, `45s`, `2w`. */
export const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/** The status of a readiness checklist item (`rollwright score`). */
export const SCORE_STATUSES = ['pass', 'partial', 'fail', 'unknown'] as const;
export type ScoreStatus = (typeof SCORE_STATUSES)[number];

/** A rule key, `<surface>/<rule-id>`, as `rollwright rules` lists them. */
export const RULE_KEY_RE = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;
