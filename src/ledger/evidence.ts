import type { RollwrightConfig } from '../core/config.js';
import type { LedgerEvent } from './chain.js';
import { requiredEvidence } from './config.js';
import { summarize } from './events.js';
import { EVIDENCE_ITEMS, type EvidenceItem } from '../core/vocabulary.js';

/**
 * What evidence an incident (or a change) has, and what it still owes (docs/concepts.md#evidence). An item is present
 * when an `evidence.attached` event names it, or when another event already carries it:
 *
 * | item              | also provided by                                                     |
 * |-------------------|----------------------------------------------------------------------|
 * | change-id         | the incident's detection naming a change (`--change`); for a change, its first event |
 * | rollback-commit   | `recovery.executed` with `commit=`                                   |
 * | artifact-digest   | `recovery.executed` with `artifact=`                                 |
 * | sync-log          | `recovery.executed` with `log=`                                      |
 * | health-metrics    | `recovery.verified` (result passed) with `metrics=`                  |
 * | postmortem-action | `postmortem.action`                                                  |
 *
 * approval, policy-result and drift-check come only from `evidence.attached`. Which items are
 * required is configured per environment (`environments.<env>.evidence`); default all nine.
 */
export interface EvidenceItemState {
  item: EvidenceItem;
  required: boolean;
  present: boolean;
  /** What proves it (a commit, URL, digest, the change id). */
  ref: string | null;
  /** Who recorded the event that provided it. */
  recordedBy: string | null;
  /** When that event happened. */
  at: string | null;
  /** The event's sequence number and type. */
  event: number | null;
  via: string | null;
}

export interface TimelineEntry {
  seq: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  subject: LedgerEvent['subject'];
  summary: string;
  hash: string;
}

export interface EvidenceView {
  schema: 'rollwright.evidence/v1';
  id: string;
  kind: 'incident' | 'change';
  change: string | null;
  service: string | null;
  environment: string | null;
  /** Every event of the incident (and of the change it names), in the order they happened. */
  timeline: TimelineEntry[];
  items: EvidenceItemState[];
  /** Required items not yet present. */
  owed: EvidenceItem[];
  complete: boolean;
  /** When the last required item arrived (null while any is owed). */
  completedAt: string | null;
}

interface Provided {
  ref: string;
  event: LedgerEvent;
}

/**
 * The first event providing each item, among `own` (the incident's or change's own events).
 * Exported for the SLO report, which needs the completion time of every incident.
 */
export function providedItems(
  own: readonly LedgerEvent[],
  kind: 'incident' | 'change',
  id: string,
): Map<EvidenceItem, Provided> {
  const found = new Map<EvidenceItem, Provided>();
  const give = (item: EvidenceItem, ref: unknown, event: LedgerEvent) => {
    if (found.has(item) || typeof ref !== 'string' || ref === '') return;
    found.set(item, { ref, event });
  };
  for (const e of own) {
    const p = e.payload;
    switch (e.type) {
      case 'evidence.attached':
        give(p.item as EvidenceItem, p.ref, e);
        break;
      case 'incident.detected':
        if (kind === 'incident') give('change-id', e.subject.change, e);
        break;
      case 'recovery.executed':
        give('rollback-commit', p.commit, e);
        give('artifact-digest', p.artifact, e);
        give('sync-log', p.log, e);
        break;
      case 'recovery.verified':
        if (p.result === 'passed') give('health-metrics', p.metrics, e);
        break;
      case 'postmortem.action':
        give('postmortem-action', p.action, e);
        break;
    }
    if (kind === 'change') give('change-id', id, e);
  }
  return found;
}

/** When every required item is present: the latest of their times; else null. */
export function completionTime(
  provided: Map<EvidenceItem, Provided>,
  required: readonly EvidenceItem[],
): string | null {
  let latest: string | null = null;
  for (const item of required) {
    const p = provided.get(item);
    if (!p) return null;
    if (latest === null || p.event.occurredAt > latest) latest = p.event.occurredAt;
  }
  return latest;
}

/**
 * The evidence view of `id`: an incident when the ledger has events for an incident of that id,
 * else a change. `events` holds the incident's events and those of the change it names (or the
 * change's events), in chain order.
 */
export function evidenceView(
  id: string,
  kind: 'incident' | 'change',
  events: readonly LedgerEvent[],
  config: RollwrightConfig,
): EvidenceView {
  const own =
    kind === 'incident'
      ? events.filter((e) => e.subject.incident === id)
      : events.filter((e) => e.subject.change === id);
  const detection = kind === 'incident' ? own.find((e) => e.type === 'incident.detected') : undefined;
  const change =
    kind === 'change' ? id : (detection?.subject.change ?? own.find((e) => e.subject.change)?.subject.change ?? null);
  const deployed = [...events].reverse().find((e) => e.type === 'change.deployed' && e.subject.change === change);
  const declared = [...events].reverse().find((e) => e.type === 'change.declared' && e.subject.change === change);
  const service =
    detection?.subject.service ??
    deployed?.subject.service ??
    own.find((e) => e.subject.service)?.subject.service ??
    null;
  const environment =
    detection?.subject.environment ??
    deployed?.subject.environment ??
    (typeof declared?.payload.environment === 'string' ? declared.payload.environment : null) ??
    own.find((e) => e.subject.environment)?.subject.environment ??
    null;
  const required = requiredEvidence(config, environment);
  const provided = providedItems(own, kind, id);
  const items: EvidenceItemState[] = EVIDENCE_ITEMS.map((item) => {
    const p = provided.get(item);
    return {
      item,
      required: required.includes(item),
      present: p !== undefined,
      ref: p?.ref ?? null,
      recordedBy: p?.event.actor ?? null,
      at: p?.event.occurredAt ?? null,
      event: p?.event.seq ?? null,
      via: p?.event.type ?? null,
    };
  });
  const owed = items.filter((i) => i.required && !i.present).map((i) => i.item);
  const timeline = [...events]
    .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.seq - b.seq))
    .map((e) => ({
      seq: e.seq,
      type: e.type,
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      actor: e.actor,
      subject: e.subject,
      summary: summarize(e.type, e.payload),
      hash: e.hash,
    }));
  return {
    schema: 'rollwright.evidence/v1',
    id,
    kind,
    change,
    service,
    environment,
    timeline,
    items,
    owed,
    complete: owed.length === 0,
    completedAt: completionTime(provided, required),
  };
}
