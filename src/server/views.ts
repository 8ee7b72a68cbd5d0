import type { RollwrightConfig } from '../core/config.js';
import type { LedgerEvent } from '../ledger/chain.js';
import { sloTargets } from '../ledger/config.js';
import { evidenceView, type EvidenceView } from '../ledger/evidence.js';
import { rowToEvent } from '../ledger/schema.js';
import { incidentSlo, serviceStats, UNKNOWN_SERVICE, type IncidentSlo, type SloReport } from '../ledger/slo.js';
import type { Ledger } from '../ledger/store.js';
import type { VerifyResult } from '../ledger/verify.js';
import { compareWindows, deployWindows, windowAt, type Window, type WindowsReport } from '../ledger/windows.js';
import { SLO_PHASES } from '../core/vocabulary.js';
import { compareKeys, pageOf, type SortKey } from './paging.js';

/** How often the views that depend on the clock (running SLO phases) are brought up to date. */
const CLOCK_MS = 5_000;

/**
 * The server's read side: the ledger's events held in memory and brought up to date from the store
 * before each read (only the events after the last one seen are read, so any replica sees every
 * other replica's appends), and the library's views kept over them incrementally. Each view is
 * computed per incident and per deployment (with the library's own functions: the SLO phases, the
 * evidence view, the windows), and a new event recomputes only the incidents and windows it
 * touches: with 100,000 events in the ledger, a read after an append costs the few views the
 * append changed, not a pass over the ledger. Running SLO phases, whose breach depends on the
 * clock, are brought up to date every 5 s, each incident only once its running phase has passed
 * its target (before that, and after, the clock changes nothing in it); window countdowns at each
 * read, the list of open windows when the clock passes the next closing time.
 */
export class LedgerState {
  private events: LedgerEvent[] = [];
  /** The events of each incident. */
  private byIncident = new Map<string, LedgerEvent[]>();
  /** The events of each change that belong to no incident. */
  private byChange = new Map<string, LedgerEvent[]>();
  /** Every event naming a change (with an incident or not), for the events API's filter. */
  private ofChange = new Map<string, LedgerEvent[]>();
  private deploys = new Map<string, LedgerEvent[]>();
  /** The incidents whose events name a change (their views read the change's events). */
  private incidentsOfChange = new Map<string, Set<string>>();
  private lastSeq = 0;
  private refreshing: Promise<void> | undefined;

  private incidentViews = new Map<string, IncidentView>();
  private dirtyIncidents = new Set<string>();
  /** Incidents whose view changes with the clock alone, and when (a running phase passes its target). */
  private dueAt = new Map<string, number>();
  private clockAt = 0;
  private incidentVersion = 0;

  private declared = new Map<string, unknown>();
  private firstDeploy = new Map<string, LedgerEvent>();
  private deployKeysOfChange = new Map<string, Set<string>>();
  private phaseDeploys: LedgerEvent[] = [];
  private windowViews = new Map<string, Window[]>();
  private eventWindowKeys = new Set<string>();
  private dirtyWindows = new Set<string>();
  private windowVersion = 0;

  private memos = new Map<string, { version: string; value: unknown }>();
  verification: { result: VerifyResult; at: string } | undefined;

  constructor(
    readonly ledger: Ledger,
    readonly config: RollwrightConfig,
    /** The clock (tests move it). */
    private readonly clock: () => number = Date.now,
  ) {}

  /** Reads the events appended since the last refresh (one query when there are none). */
  async refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    this.refreshing = (async () => {
      for await (const page of this.ledger.pages({ afterSeq: this.lastSeq, pageSize: 5_000 })) {
        for (const row of page) this.add(rowToEvent(row));
        this.lastSeq = this.events.length ? this.events[this.events.length - 1]!.seq : 0;
      }
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Files one new event and marks the views it changes. */
  private add(e: LedgerEvent): void {
    this.events.push(e);
    const { incident, change } = e.subject;
    if (change !== null) push(this.ofChange, change, e);
    if (incident !== null) {
      push(this.byIncident, incident, e);
      this.dirtyIncidents.add(incident);
      if (change !== null) {
        let set = this.incidentsOfChange.get(change);
        if (!set) this.incidentsOfChange.set(change, (set = new Set()));
        set.add(incident);
      }
    } else if (change !== null) {
      push(this.byChange, change, e);
      for (const i of this.incidentsOfChange.get(change) ?? []) this.dirtyIncidents.add(i);
    }
    if (change === null) return;
    if (e.type === 'change.declared') {
      this.declared.set(change, e.payload.rollbackWindow);
      for (const k of this.deployKeysOfChange.get(change) ?? []) this.dirtyWindows.add(k);
    } else if (e.type === 'change.deployed') {
      push(this.deploys, change, e);
      const key = `${change}\u0000${e.subject.environment}`;
      const seen = this.firstDeploy.get(key);
      if (!seen || e.occurredAt < seen.occurredAt) {
        this.firstDeploy.set(key, e);
        this.dirtyWindows.add(key);
        let keys = this.deployKeysOfChange.get(change);
        if (!keys) this.deployKeysOfChange.set(change, (keys = new Set()));
        keys.add(key);
      }
      // A deployment completing a phase may close event windows of this change or of its service.
      if (typeof e.payload.phase === 'string') {
        this.phaseDeploys.push(e);
        for (const k of this.eventWindowKeys) this.dirtyWindows.add(k);
      }
    }
  }

  get seq(): number {
    return this.lastSeq;
  }

  all(): readonly LedgerEvent[] {
    return this.events;
  }

  /** Events of an incident, or naming a change, in chain order (the events API's filters). */
  eventsOf(by: { incident: string } | { change: string }): readonly LedgerEvent[] {
    return ('incident' in by ? this.byIncident.get(by.incident) : this.ofChange.get(by.change)) ?? [];
  }

  /** A value computed once per version of what it reads. */
  private memo<T>(name: string, version: string, fn: () => T): T {
    const hit = this.memos.get(name);
    if (hit && hit.version === version) return hit.value as T;
    const value = fn();
    this.memos.set(name, { version, value });
    return value;
  }

  // --- incidents ---------------------------------------------------------------------------------

  /** Brings the incident views up to date: those with new events, and every 5 s those the clock changed. */
  private syncIncidents(): void {
    const now = this.clock();
    const iso = new Date(now).toISOString();
    let changed = false;
    for (const id of this.dirtyIncidents) {
      this.computeIncident(id, iso, true);
      changed = true;
    }
    this.dirtyIncidents.clear();
    if (now - this.clockAt >= CLOCK_MS) {
      for (const [id, at] of [...this.dueAt]) {
        if (now <= at) continue;
        this.computeIncident(id, iso, false);
        changed = true;
      }
      this.clockAt = now;
    }
    if (changed) this.incidentVersion++;
  }

  private computeIncident(id: string, now: string, withEvidence: boolean): void {
    const own = this.byIncident.get(id) ?? [];
    const m = incidentSlo(id, own, (c) => this.deploys.get(c), this.config, now);
    if (!m) {
      this.incidentViews.delete(id);
      this.dueAt.delete(id);
      return;
    }
    if (m.changesAt === null) this.dueAt.delete(id);
    else this.dueAt.set(id, m.changesAt);
    const before = this.incidentViews.get(id);
    if (!withEvidence && before) {
      this.incidentViews.set(id, { ...before, slo: m.slo, summary: { ...before.summary, phases: m.slo.phases } });
      return;
    }
    const detection = own.find((e) => e.type === 'incident.detected')!;
    const resolved = own.find((e) => e.type === 'incident.resolved');
    const ev = evidenceView(id, 'incident', this.incidentEvents(id), this.config);
    this.incidentViews.set(id, {
      slo: m.slo,
      summary: {
        id,
        service: detection.subject.service,
        environment: detection.subject.environment,
        change: detection.subject.change,
        detectedAt: detection.occurredAt,
        resolvedAt: resolved?.occurredAt ?? null,
        open: !resolved,
        severity: typeof detection.payload.severity === 'string' ? detection.payload.severity : null,
        description: typeof detection.payload.description === 'string' ? detection.payload.description : null,
        phases: m.slo.phases,
        owed: ev.owed,
        complete: ev.complete,
        timeline: ev.timeline.map((t) => ({
          seq: t.seq,
          type: t.type,
          occurredAt: t.occurredAt,
          actor: t.actor,
          summary: t.summary,
        })),
      },
    });
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

  /** An incident's SLO phases (null when it has no detection). */
  phasesOf(id: string): IncidentSlo['phases'] | null {
    this.syncIncidents();
    return this.incidentViews.get(id)?.slo.phases ?? null;
  }

  /** Every incident with its SLO phases, evidence owed and state, newest first (detection time, then id). */
  incidents(): IncidentSummary[] {
    this.syncIncidents();
    return this.memo('incidents', String(this.incidentVersion), () =>
      [...this.incidentViews.values()]
        .map((v) => v.summary)
        .sort((a, b) => -compareKeys(incidentKey(a), incidentKey(b))),
    );
  }

  /** `slo report -o json` over the whole ledger: incidents oldest first, per-service statistics. */
  slo(): SloReport {
    const list = this.incidents();
    return this.memo('slo', String(this.incidentVersion), () => {
      const incidents: IncidentSlo[] = [];
      for (let k = list.length - 1; k >= 0; k--) incidents.push(this.incidentViews.get(list[k]!.id)!.slo);
      return { schema: 'rollwright.slo/v1', incidents, services: serviceStats(incidents) };
    });
  }

  /** The SLO report's incidents newest first (the API's order), each with its detection time. */
  sloNewestFirst(): Array<IncidentSlo & { detectedAt: string }> {
    const list = this.incidents();
    return this.memo('slo-newest', String(this.incidentVersion), () =>
      list.map((i) => ({ ...this.incidentViews.get(i.id)!.slo, detectedAt: i.detectedAt })),
    );
  }

  /** Per service: each phase's p50, p90 and breaches against its target (the chart's data). */
  services(): ServiceSlo[] {
    const slo = this.slo();
    return this.memo('services', String(this.incidentVersion), () =>
      Object.entries(slo.services).map(([service, stats]) => {
        const targets = sloTargets(this.config, service === UNKNOWN_SERVICE ? null : service);
        return { service, phases: SLO_PHASES.map((p) => ({ phase: p, ...stats[p], target: targets[p] })) };
      }),
    );
  }

  // --- windows -----------------------------------------------------------------------------------

  /** Every window of the ledger's declared and deployed changes, in window order, as last computed. */
  private allWindows(): { list: Window[]; closes: number[] } {
    if (this.dirtyWindows.size) {
      const now = new Date(this.clock()).toISOString();
      let changed = false;
      for (const key of this.dirtyWindows) {
        const deploy = this.firstDeploy.get(key)!;
        const list = deployWindows(deploy, this.declared.get(deploy.subject.change!), this.phaseDeploys, now);
        // A deployment of a change that declares no window (most of them) changes nothing here.
        if (list.length) this.windowViews.set(key, list);
        else if (!this.windowViews.delete(key)) continue;
        changed = true;
        if (list.some((w) => w.kind === 'event')) this.eventWindowKeys.add(key);
        else this.eventWindowKeys.delete(key);
      }
      this.dirtyWindows.clear();
      if (changed) this.windowVersion++;
    }
    return this.memo('windows', String(this.windowVersion), () => {
      const list = [...this.windowViews.values()].flat().sort(compareWindows);
      return { list, closes: list.map((w) => (w.kind === 'duration' ? Date.parse(w.closesAt!) : NaN)) };
    });
  }

  /**
   * The windows that `windows` lists as of `now` (all of them with `all`, else the open ones; of one
   * environment with `env`), in window order, not yet given their countdown (`windowAt`). Kept until
   * the list changes or the clock passes the next closing time: a read lists or pages what it returns
   * without a pass over every window of the ledger.
   */
  private matchingWindows(opts: { env?: string; all?: boolean }, now: number): readonly Window[] {
    const { list, closes } = this.allWindows();
    if (opts.all && opts.env === undefined) return list;
    if (this.windowCache.version !== this.windowVersion || now >= this.windowCache.until) {
      // The next duration window to close after now: until then, the open ones stay the same.
      let until = Infinity;
      for (const c of closes) if (c > now && c < until) until = c;
      this.windowCache = { version: this.windowVersion, until, lists: new Map(), open: undefined };
    }
    const key = `${opts.all ? 'all' : 'open'}\u0000${opts.env ?? ''}`;
    let got = this.windowCache.lists.get(key);
    if (!got) {
      got = [];
      for (let k = 0; k < list.length; k++) {
        const w = list[k]!;
        if (opts.env !== undefined && w.environment !== opts.env) continue;
        if (!opts.all && !(w.kind === 'duration' ? closes[k]! > now : w.open)) continue;
        got.push(w);
      }
      this.windowCache.lists.set(key, got);
    }
    return got;
  }

  private windowCache: {
    version: number;
    until: number;
    lists: Map<string, Window[]>;
    open: Map<string, number> | undefined;
  } = { version: -1, until: 0, lists: new Map(), open: undefined };

  /** `windows -o json` as of now: open ones (all with `all`), of one environment with `env`. */
  windows(opts: { env?: string; all?: boolean; limit?: number } = {}): WindowsReport {
    const now = this.clock();
    const list = this.matchingWindows(opts, now);
    const out = list.slice(0, opts.limit ?? list.length).map((w) => windowAt(w, now));
    return { schema: 'rollwright.windows/v1', at: new Date(now).toISOString(), windows: out };
  }

  /** A page of `windows` (the API's): only the windows of the page are given their countdown. */
  windowsPage(opts: { env?: string; all?: boolean }, q: URLSearchParams): WindowsReport & { next: string | null } {
    const now = this.clock();
    const page = pageOf(this.matchingWindows(opts, now), windowKey, false, q);
    return {
      schema: 'rollwright.windows/v1',
      at: new Date(now).toISOString(),
      windows: page.items.map((w) => windowAt(w, now)),
      next: page.next,
    };
  }

  /** Open windows per environment (for /metrics and the dashboard's count). */
  openWindowCount(): Map<string, number> {
    const open = this.matchingWindows({}, this.clock());
    if (!this.windowCache.open) {
      const per = new Map<string, number>();
      for (const w of open) per.set(w.environment, (per.get(w.environment) ?? 0) + 1);
      this.windowCache.open = per;
    }
    return new Map(this.windowCache.open);
  }

  // --- changes -----------------------------------------------------------------------------------

  /** The latest changes (most recently recorded first): what each is (class, gate), where it went, and when. */
  changes(limit = 20): ChangeSummary[] {
    return this.memo('changes', String(this.lastSeq), () => {
      const ids: string[] = [];
      const seen = new Set<string>();
      for (let k = this.events.length - 1; k >= 0 && ids.length < limit; k--) {
        const e = this.events[k]!;
        const id = e.subject.change;
        if (id === null || e.subject.incident !== null || seen.has(id)) continue;
        seen.add(id);
        ids.push(id);
      }
      return ids.map((id) => {
        const c: ChangeSummary = {
          change: id,
          service: null,
          environment: null,
          class: null,
          gate: null,
          declaredClass: null,
          deployedAt: null,
          mergedAt: null,
        };
        for (const e of this.byChange.get(id) ?? []) {
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
        return c;
      });
    });
  }

  /** Computes every view once (at start, so that the first reader does not wait for it). */
  warm(): void {
    this.incidents();
    this.services();
    this.allWindows();
  }

  /** Walks the whole chain (`ledger verify`); remembered for the dashboard and /metrics. */
  async verify(): Promise<{ result: VerifyResult; at: string }> {
    const result = await this.ledger.verify();
    this.verification = { result, at: new Date().toISOString() };
    return this.verification;
  }
}

interface IncidentView {
  slo: IncidentSlo;
  summary: IncidentSummary;
}

function push(map: Map<string, LedgerEvent[]>, key: string, e: LedgerEvent): void {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

/** The order of incident lists in the API: newest detection first, then id. */
/** The sort key of a window in the API's pages: closing time, change, surface, environment. */
export function windowKey(w: Window): SortKey {
  return [w.closesAt, w.change, w.surface ?? '', w.environment];
}

export function incidentKey(i: { detectedAt: string; id: string }): SortKey {
  return [i.detectedAt, i.id];
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
