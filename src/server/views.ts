import type { RollwrightConfig } from '../core/config.js';
import type { LedgerEvent } from '../ledger/chain.js';
import { evidenceView, type EvidenceView } from '../ledger/evidence.js';
import { rowToEvent } from '../ledger/schema.js';
import { sloReport, type IncidentSlo, type SloReport } from '../ledger/slo.js';
import type { Ledger } from '../ledger/store.js';
import { verifyLedger, type VerifyResult } from '../ledger/verify.js';
import { computeWindows, type WindowsReport } from '../ledger/windows.js';
import { SLO_PHASES } from '../core/vocabulary.js';
import { compareKeys, type SortKey } from './paging.js';

/**
 * The server's read side: the ledger's events held in memory and brought up to date from the store
 * before each read (only the events after the last one seen are read, so any replica sees every
 * other replica's appends), and the views of the library computed over them once per new head.
 */
export class LedgerState {
  private events: LedgerEvent[] = [];
  private byIncident = new Map<string, LedgerEvent[]>();
  private byChange = new Map<string, LedgerEvent[]>();
  private lastSeq = 0;
  private refreshing: Promise<void> | undefined;
  private cache = new Map<string, { seq: number; at: number; value: unknown }>();
  verification: { result: VerifyResult; at: string } | undefined;

  constructor(
    readonly ledger: Ledger,
    readonly config: RollwrightConfig,
  ) {}

  /** Reads the events appended since the last refresh (one query when there are none). */
  async refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    this.refreshing = (async () => {
      for await (const page of this.ledger.pages({ afterSeq: this.lastSeq, pageSize: 5_000 })) {
        for (const row of page) {
          const e = rowToEvent(row);
          this.events.push(e);
          if (e.subject.incident !== null) push(this.byIncident, e.subject.incident, e);
          else if (e.subject.change !== null) push(this.byChange, e.subject.change, e);
        }
        this.lastSeq = this.events.length ? this.events[this.events.length - 1]!.seq : 0;
      }
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  get seq(): number {
    return this.lastSeq;
  }

  all(): readonly LedgerEvent[] {
    return this.events;
  }

  /** A view computed once per head (and at most every `maxAgeMs` for views that depend on the clock). */
  private memo<T>(name: string, maxAgeMs: number, fn: () => T): T {
    const hit = this.cache.get(name);
    const now = Date.now();
    if (hit && hit.seq === this.lastSeq && now - hit.at < maxAgeMs) return hit.value as T;
    const value = fn();
    this.cache.set(name, { seq: this.lastSeq, at: now, value });
    return value;
  }

  slo(): SloReport {
    return this.memo('slo', 5_000, () => sloReport(this.events, this.config));
  }

  /** The SLO report's incidents newest first (the API's order), each with its detection time. */
  sloNewestFirst(): Array<IncidentSlo & { detectedAt: string }> {
    return this.memo('slo-newest', 5_000, () => {
      const at = new Map(this.incidents().map((i) => [i.id, i.detectedAt]));
      return this.slo()
        .incidents.map((i) => ({ ...i, detectedAt: at.get(i.id) ?? '' }))
        .sort((a, b) => -compareKeys(incidentKey(a), incidentKey(b)));
    });
  }

  windows(opts: { env?: string; all?: boolean } = {}): WindowsReport {
    const key = `windows:${opts.env ?? ''}:${opts.all ? 1 : 0}`;
    return this.memo(key, 5_000, () =>
      computeWindows(
        this.events.filter((e) => e.type === 'change.declared' || e.type === 'change.deployed'),
        new Map(),
        opts,
      ),
    );
  }

  /** The events of an incident and of the change it names (what `evidence show` reads). */
  incidentEvents(id: string): LedgerEvent[] {
    const own = this.byIncident.get(id) ?? [];
    const change =
      own.find((e) => e.type === 'incident.detected')?.subject.change ??
      own.find((e) => e.subject.change)?.subject.change;
    const ofChange = change ? (this.byChange.get(change) ?? []) : [];
    return [...own, ...ofChange].sort((a, b) => a.seq - b.seq);
  }

  evidence(id: string): EvidenceView | undefined {
    const events = this.incidentEvents(id);
    if (!events.some((e) => e.subject.incident === id)) return undefined;
    return evidenceView(id, 'incident', events, this.config);
  }

  /** Every incident with its SLO phases, evidence owed and state, newest first. */
  incidents(): IncidentSummary[] {
    return this.memo('incidents', 5_000, () => {
      const slo = this.slo();
      const byId = new Map<string, IncidentSlo>(slo.incidents.map((i) => [i.id, i]));
      const out: IncidentSummary[] = [];
      for (const [id, own] of this.byIncident) {
        const detection = own.find((e) => e.type === 'incident.detected');
        if (!detection) continue;
        const resolved = own.find((e) => e.type === 'incident.resolved');
        const s = byId.get(id);
        const ev = evidenceView(id, 'incident', this.incidentEvents(id), this.config);
        out.push({
          id,
          service: detection.subject.service,
          environment: detection.subject.environment,
          change: detection.subject.change,
          detectedAt: detection.occurredAt,
          resolvedAt: resolved?.occurredAt ?? null,
          open: !resolved,
          severity: typeof detection.payload.severity === 'string' ? detection.payload.severity : null,
          description: typeof detection.payload.description === 'string' ? detection.payload.description : null,
          phases: s?.phases ?? null,
          owed: ev.owed,
          complete: ev.complete,
          timeline: ev.timeline.map((t) => ({
            seq: t.seq,
            type: t.type,
            occurredAt: t.occurredAt,
            actor: t.actor,
            summary: t.summary,
          })),
        });
      }
      // Newest first; the id breaks ties, so the order is total (the API pages by this key).
      out.sort((a, b) => -compareKeys(incidentKey(a), incidentKey(b)));
      return out;
    });
  }

  /** The latest changes: what each is (class, gate), where it went, and when. */
  changes(limit = 20): ChangeSummary[] {
    return this.memo('changes', 60_000, () => {
      const by = new Map<string, ChangeSummary & { last: number }>();
      for (const e of this.events) {
        const id = e.subject.change;
        if (id === null || e.subject.incident !== null) continue;
        let c = by.get(id);
        if (!c) {
          c = {
            change: id,
            service: null,
            environment: null,
            class: null,
            gate: null,
            declaredClass: null,
            deployedAt: null,
            mergedAt: null,
            last: 0,
          };
          by.set(id, c);
        }
        c.last = e.seq;
        if (e.type === 'change.assessed') {
          c.class = typeof e.payload.class === 'string' ? e.payload.class : c.class;
          c.gate = typeof e.payload.gate === 'string' ? e.payload.gate : c.gate;
        } else if (e.type === 'change.declared') {
          c.declaredClass = typeof e.payload.rollbackClass === 'string' ? e.payload.rollbackClass : c.declaredClass;
        } else if (e.type === 'change.deployed') {
          c.deployedAt = e.occurredAt;
          c.service = e.subject.service;
          c.environment = e.subject.environment;
        } else if (e.type === 'change.merged') c.mergedAt = e.occurredAt;
      }
      return [...by.values()]
        .sort((a, b) => b.last - a.last)
        .slice(0, limit)
        .map(({ last: _last, ...c }) => c);
    });
  }

  /** Per service: each phase's p50, p90 and breaches against its target (the chart's data). */
  services(): ServiceSlo[] {
    const slo = this.slo();
    return Object.entries(slo.services).map(([service, stats]) => {
      const targets: Record<string, number | null> = {};
      for (const p of SLO_PHASES)
        targets[p] = slo.incidents.find((i) => (i.service ?? '(unknown)') === service)?.phases[p].target ?? null;
      return { service, phases: SLO_PHASES.map((p) => ({ phase: p, ...stats[p], target: targets[p] ?? null })) };
    });
  }

  /** Walks the whole chain (`ledger verify`); remembered for the dashboard and /metrics. */
  async verify(): Promise<{ result: VerifyResult; at: string }> {
    const result = await verifyLedger(this.ledger);
    this.verification = { result, at: new Date().toISOString() };
    return this.verification;
  }
}

/** The order of incident lists in the API: newest detection first, then id. */
export function incidentKey(i: { detectedAt: string; id: string }): SortKey {
  return [i.detectedAt, i.id];
}

function push(map: Map<string, LedgerEvent[]>, key: string, e: LedgerEvent): void {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

export interface IncidentSummary {
  id: string;
  service: string | null;
  environment: string | null;
  change: string | null;
  detectedAt: string;
  resolvedAt: string | null;
  open: boolean;
  severity: string | null;
  description: string | null;
  phases: IncidentSlo['phases'] | null;
  owed: string[];
  complete: boolean;
  timeline: Array<{ seq: number; type: string; occurredAt: string; actor: string; summary: string }>;
}

export interface ChangeSummary {
  change: string;
  service: string | null;
  environment: string | null;
  class: string | null;
  gate: string | null;
  declaredClass: string | null;
  deployedAt: string | null;
  mergedAt: string | null;
}

export interface ServiceSlo {
  service: string;
  phases: Array<{
    phase: string;
    p50: number | null;
    p90: number | null;
    max: number | null;
    breaches: number;
    target: number | null;
  }>;
}
