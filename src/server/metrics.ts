import { SLO_PHASES } from '../core/vocabulary.js';
import type { SloReport } from '../ledger/slo.js';
import type { IncidentSummary, LedgerState } from './views.js';

/**
 * `/metrics` in the Prometheus text format (version 0.0.4). Every name starts with `rollwright_`.
 * Ledger-derived series (SLO phases, windows, evidence, chain) are computed from the ledger, so every
 * replica reports the same values; request and ingest counters are this process's own.
 */
export class Counters {
  private readonly ingest = new Map<string, number>();
  private readonly http = new Map<string, number>();

  countIngest(source: string, outcome: 'recorded' | 'duplicate' | 'ignored' | 'rejected', n = 1): void {
    const k = `${source}\u0000${outcome}`;
    this.ingest.set(k, (this.ingest.get(k) ?? 0) + n);
  }

  countRequest(route: string, status: number): void {
    const k = `${route}\u0000${status}`;
    this.http.set(k, (this.http.get(k) ?? 0) + 1);
  }

  ingestSeries(): Array<[string, string, number]> {
    return [...this.ingest].map(([k, v]) => {
      const [s, o] = k.split('\u0000') as [string, string];
      return [s, o, v];
    });
  }

  httpSeries(): Array<[string, string, number]> {
    return [...this.http].map(([k, v]) => {
      const [r, c] = k.split('\u0000') as [string, string];
      return [r, c, v];
    });
  }
}

/** Histogram buckets of phase durations, in seconds: 1 minute to 3 days. */
export const PHASE_BUCKETS = [60, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400, 259200];

export function renderMetrics(state: LedgerState, counters: Counters, started: number): string {
  const out: string[] = [];
  const help = (name: string, type: string, text: string) =>
    out.push(`# HELP ${name} ${text}`, `# TYPE ${name} ${type}`);

  help(
    'rollwright_rollback_phase_seconds',
    'histogram',
    'Rollback SLO phase durations per service and phase (completed phases of every incident in the ledger).',
  );
  const slo = state.slo();
  out.push(...phaseHistograms(slo));

  help(
    'rollwright_rollback_phase_breaches',
    'gauge',
    'Incidents whose phase exceeded (or, still running, already exceeds) its target, per service and phase.',
  );
  for (const [service, stats] of Object.entries(slo.services))
    for (const p of SLO_PHASES)
      out.push(`rollwright_rollback_phase_breaches{service="${esc(service)}",phase="${p}"} ${stats[p].breaches}`);

  help('rollwright_open_windows', 'gauge', 'Open rollback windows per environment.');
  for (const [env, n] of [...state.openWindowCount()].sort())
    out.push(`rollwright_open_windows{environment="${esc(env)}"} ${n}`);

  help('rollwright_incidents_open', 'gauge', 'Incidents detected and not resolved, per service.');
  help('rollwright_evidence_owed', 'gauge', 'Evidence items still owed by incidents, per service.');
  out.push(...incidentGauges(state.incidents()));

  help(
    'rollwright_ingest_total',
    'counter',
    'Webhook and event deliveries by source and outcome (recorded, duplicate, ignored, rejected), since this process started.',
  );
  for (const [s, o, v] of counters.ingestSeries().sort())
    out.push(`rollwright_ingest_total{source="${esc(s)}",outcome="${o}"} ${v}`);

  help('rollwright_http_requests_total', 'counter', 'HTTP requests by route and status, since this process started.');
  for (const [r, c, v] of counters.httpSeries().sort())
    out.push(`rollwright_http_requests_total{route="${esc(r)}",code="${c}"} ${v}`);

  help('rollwright_ledger_events', 'gauge', 'Events in the ledger (the head sequence number this process has read).');
  out.push(`rollwright_ledger_events ${state.seq}`);
  help(
    'rollwright_ledger_chain_valid',
    'gauge',
    '1 when the last verification of the hash chain passed, 0 when it found a broken link, -1 before the first.',
  );
  const v = state.verification;
  out.push(`rollwright_ledger_chain_valid ${v ? (v.result.ok ? 1 : 0) : -1}`);
  help('rollwright_ledger_verified_timestamp_seconds', 'gauge', 'When the chain was last verified (Unix time).');
  out.push(`rollwright_ledger_verified_timestamp_seconds ${v ? Date.parse(v.at) / 1000 : 0}`);
  help('rollwright_process_start_time_seconds', 'gauge', 'When this server started (Unix time).');
  out.push(`rollwright_process_start_time_seconds ${started / 1000}`);
  return out.join('\n') + '\n';
}

// The series computed over every incident are kept per version of the view they come from (the
// state hands out the same report and list until an incident changes), so a scrape after an append
// that touched no incident does not walk them all again.
const histogramsOf = new WeakMap<SloReport, string[]>();
const gaugesOf = new WeakMap<readonly IncidentSummary[], string[]>();

function phaseHistograms(slo: SloReport): string[] {
  const hit = histogramsOf.get(slo);
  if (hit) return hit;
  const out: string[] = [];
  const byKey = new Map<string, number[]>();
  for (const i of slo.incidents)
    for (const p of SLO_PHASES) {
      const s = i.phases[p].seconds;
      if (s === null) continue;
      const k = `${i.service ?? '(unknown)'}\u0000${p}`;
      const list = byKey.get(k);
      if (list) list.push(s);
      else byKey.set(k, [s]);
    }
  for (const k of [...byKey.keys()].sort()) {
    const [service, phase] = k.split('\u0000') as [string, string];
    const values = byKey.get(k)!;
    const l = `service="${esc(service)}",phase="${phase}"`;
    for (const b of PHASE_BUCKETS)
      out.push(`rollwright_rollback_phase_seconds_bucket{${l},le="${b}"} ${values.filter((v) => v <= b).length}`);
    out.push(`rollwright_rollback_phase_seconds_bucket{${l},le="+Inf"} ${values.length}`);
    out.push(`rollwright_rollback_phase_seconds_sum{${l}} ${values.reduce((a, b) => a + b, 0)}`);
    out.push(`rollwright_rollback_phase_seconds_count{${l}} ${values.length}`);
  }
  histogramsOf.set(slo, out);
  return out;
}

function incidentGauges(incidents: readonly IncidentSummary[]): string[] {
  const hit = gaugesOf.get(incidents);
  if (hit) return hit;
  const out: string[] = [];
  const open = new Map<string, number>();
  const owed = new Map<string, number>();
  for (const i of incidents) {
    const s = i.service ?? '(unknown)';
    if (i.open) open.set(s, (open.get(s) ?? 0) + 1);
    owed.set(s, (owed.get(s) ?? 0) + i.owed.length);
  }
  for (const [s, n] of [...open].sort()) out.push(`rollwright_incidents_open{service="${esc(s)}"} ${n}`);
  for (const [s, n] of [...owed].sort()) out.push(`rollwright_evidence_owed{service="${esc(s)}"} ${n}`);
  gaugesOf.set(incidents, out);
  return out;
}

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
