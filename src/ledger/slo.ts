import type { RollwrightConfig } from '../core/config.js';
import type { LedgerEvent } from './chain.js';
import { requiredEvidence, sloTargets } from './config.js';
import { completionTime, providedItems } from './evidence.js';
import { SLO_PHASES, type SloPhase } from '../core/vocabulary.js';

/**
 * Rollback SLOs (docs/concepts.md#slo-phases): per incident, five phase durations against the service's targets.
 *
 * | phase    | from                                                                 | to                                        |
 * |----------|----------------------------------------------------------------------|-------------------------------------------|
 * | detect   | bad state: the detection's `started-at`, else the `change.deployed` of the change it names | `incident.detected` |
 * | decide   | `incident.detected`                                                  | first `decision.made` at or after it       |
 * | execute  | that decision                                                        | first `recovery.executed` at or after it   |
 * | verify   | that recovery                                                        | first `recovery.verified` (passed) after it|
 * | evidence | that verification                                                    | the last required evidence item arriving   |
 *
 * A phase whose start or end is missing has `seconds: null` (unknown, never zero). An unfinished
 * phase whose start is known and whose elapsed time already exceeds its target is breached even
 * though its duration is unknown; otherwise `breached` is null when unknown. Times are the events'
 * `occurredAt` (what `--at` recorded), so back-dated events measure what really happened.
 */
export interface PhaseResult {
  seconds: number | null;
  target: number | null;
  breached: boolean | null;
}

export interface IncidentSlo {
  id: string;
  service: string | null;
  change: string | null;
  phases: Record<SloPhase, PhaseResult>;
}

export interface PhaseStats {
  p50: number | null;
  p90: number | null;
  max: number | null;
  breaches: number;
}

export interface SloReport {
  schema: 'rollwright.slo/v1';
  incidents: IncidentSlo[];
  services: Record<string, Record<SloPhase, PhaseStats>>;
}

export interface SloOptions {
  service?: string;
  /** Only incidents detected at or after this time (ISO). */
  since?: string;
  /** "Now", for phases still running (ISO); default the current time. */
  now?: string;
}

/** The event types the report reads (the command loads only these). */
export const SLO_EVENT_TYPES = [
  'change.deployed',
  'incident.detected',
  'decision.made',
  'recovery.executed',
  'recovery.verified',
  'evidence.attached',
  'postmortem.action',
] as const;

/** The key of incidents without a service in `services`. */
export const UNKNOWN_SERVICE = '(unknown)';

export function sloReport(events: readonly LedgerEvent[], config: RollwrightConfig, opts: SloOptions = {}): SloReport {
  const now = opts.now ?? new Date().toISOString();
  const byIncident = new Map<string, LedgerEvent[]>();
  const deploys = new Map<string, LedgerEvent[]>();
  for (const e of events) {
    if (e.type === 'change.deployed' && e.subject.change !== null) {
      const list = deploys.get(e.subject.change);
      if (list) list.push(e);
      else deploys.set(e.subject.change, [e]);
    }
    const inc = e.subject.incident;
    if (inc === null) continue;
    const list = byIncident.get(inc);
    if (list) list.push(e);
    else byIncident.set(inc, [e]);
  }
  const measured: Array<{ slo: IncidentSlo; detectedAt: string }> = [];
  for (const [id, own] of byIncident) {
    const m = incidentSlo(id, own, (change) => deploys.get(change), config, now);
    if (!m) continue;
    if (opts.since !== undefined && m.detectedAt < opts.since) continue;
    if (opts.service !== undefined && m.slo.service !== opts.service) continue;
    measured.push(m);
  }
  measured.sort((a, b) =>
    a.detectedAt < b.detectedAt
      ? -1
      : a.detectedAt > b.detectedAt
        ? 1
        : a.slo.id < b.slo.id
          ? -1
          : a.slo.id > b.slo.id
            ? 1
            : 0,
  );
  const incidents = measured.map((m) => m.slo);
  return { schema: 'rollwright.slo/v1', incidents, services: serviceStats(incidents) };
}

/**
 * One incident's phases, from its own events (chain order) and the deployments of the change its
 * detection names; undefined when it has no detection. `changesAt` is when the result next changes
 * with the clock alone (a running phase passes its target and becomes breached; Unix ms, the result
 * changes once `now` is past it), null when only a new event can change it.
 */
export function incidentSlo(
  id: string,
  own: readonly LedgerEvent[],
  deploysOf: (change: string) => readonly LedgerEvent[] | undefined,
  config: RollwrightConfig,
  now: string,
): { slo: IncidentSlo; detectedAt: string; changesAt: number | null } | undefined {
  const detection = own.find((e) => e.type === 'incident.detected');
  if (!detection) return undefined;
  const service = detection.subject.service;
  const change = detection.subject.change;
  const alertAt = detection.occurredAt;
  const startedAt = detection.payload['started-at'];
  let badAt: string | null = typeof startedAt === 'string' ? startedAt : null;
  if (badAt === null && change !== null) {
    // The change's deployment that preceded the alert, in the incident's environment when known.
    const env = detection.subject.environment;
    const candidates = (deploysOf(change) ?? []).filter((d) => d.occurredAt <= alertAt);
    const sameEnv = env === null ? candidates : candidates.filter((d) => d.subject.environment === env);
    const pick = (sameEnv.length ? sameEnv : candidates).reduce<LedgerEvent | undefined>(
      (best, d) => (!best || d.occurredAt > best.occurredAt ? d : best),
      undefined,
    );
    badAt = pick?.occurredAt ?? null;
  }
  const firstAfter = (type: string, from: string | null, ok: (e: LedgerEvent) => boolean = () => true) => {
    if (from === null) return null;
    let best: string | null = null;
    for (const e of own)
      if (e.type === type && e.occurredAt >= from && ok(e) && (best === null || e.occurredAt < best))
        best = e.occurredAt;
    return best;
  };
  // Each phase ends at the first matching event after the previous milestone; a missing milestone
  // makes its own phases unknown, not the later ones (they search from the last known milestone).
  const decidedAt = firstAfter('decision.made', alertAt);
  const executedAt = firstAfter('recovery.executed', decidedAt ?? alertAt);
  const verifiedAt = firstAfter(
    'recovery.verified',
    executedAt ?? decidedAt ?? alertAt,
    (e) => e.payload.result !== 'failed',
  );
  const completeAt = completionTime(
    providedItems(own, 'incident', id),
    requiredEvidence(config, detection.subject.environment),
  );
  const evidenceEnd =
    completeAt === null || verifiedAt === null ? null : completeAt < verifiedAt ? verifiedAt : completeAt;
  const targets = sloTargets(config, service);
  const spans: Array<[SloPhase, string | null, string | null]> = [
    ['detect', badAt, alertAt],
    ['decide', alertAt, decidedAt],
    ['execute', decidedAt, executedAt],
    ['verify', executedAt, verifiedAt],
    ['evidence', verifiedAt, evidenceEnd],
  ];
  const phases = {} as Record<SloPhase, PhaseResult>;
  let changesAt: number | null = null;
  for (const [name, from, to] of spans) {
    const p = (phases[name] = phase(from, to, targets[name], now));
    // A running phase within its target is breached once the clock passes it, and only then.
    if (from !== null && to === null && p.target !== null && p.breached === null) {
      const at = Date.parse(from) + p.target * 1000;
      if (changesAt === null || at < changesAt) changesAt = at;
    }
  }
  return { slo: { id, service, change, phases }, detectedAt: alertAt, changesAt };
}

/** Per service (sorted by name): each phase's p50, p90, max and breaches over its incidents. */
export function serviceStats(incidents: readonly IncidentSlo[]): SloReport['services'] {
  const grouped = new Map<string, IncidentSlo[]>();
  for (const i of incidents) {
    const key = i.service ?? UNKNOWN_SERVICE;
    const list = grouped.get(key);
    if (list) list.push(i);
    else grouped.set(key, [i]);
  }
  const services: SloReport['services'] = {};
  for (const name of [...grouped.keys()].sort()) {
    const list = grouped.get(name)!;
    const stats = {} as Record<SloPhase, PhaseStats>;
    for (const p of SLO_PHASES) {
      const values = list
        .map((i) => i.phases[p].seconds)
        .filter((s): s is number => s !== null)
        .sort((a, b) => a - b);
      stats[p] = {
        p50: percentile(values, 50),
        p90: percentile(values, 90),
        max: values.length ? values[values.length - 1]! : null,
        breaches: list.filter((i) => i.phases[p].breached === true).length,
      };
    }
    services[name] = stats;
  }
  return services;
}

function phase(from: string | null, to: string | null, target: number | null, now: string): PhaseResult {
  if (from === null) return { seconds: null, target, breached: null };
  if (to === null) {
    const elapsed = (Date.parse(now) - Date.parse(from)) / 1000;
    return { seconds: null, target, breached: target !== null && elapsed > target ? true : null };
  }
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  return { seconds, target, breached: target === null ? null : seconds > target };
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
