import type { LedgerEvent } from './chain.js';
import { parseDuration, toIso } from './time.js';

/**
 * Rollback windows (docs/concepts.md#windows): declared per change, as one value or per surface, each either a
 * duration (`48h`, `2h unless compromise suspected`) or an event condition (`until-contract-phase`,
 * `before old resource deletion`). A window opens at the change's first deployment to an environment.
 *
 * - A duration closes at deployment + duration. Text after it (`unless compromise suspected`) is a
 *   condition for people, shown as is.
 * - An event condition closes at the first later `change.deployed` whose `phase` names it (phase
 *   `contract` or `contract-phase` closes `until-contract-phase`), for the same change, or for the same
 *   service in the same environment (the contract phase is usually its own change).
 */
export interface Window {
  change: string;
  service: string | null;
  environment: string;
  /** The surface for per-surface windows (`databaseSchema`), null for a single window. */
  surface: string | null;
  /** As declared. */
  window: string;
  kind: 'duration' | 'event';
  opensAt: string;
  /** Durations: when the window closes. */
  closesAt: string | null;
  /** Event conditions: the phase whose deployment closes it. */
  closesOn: string | null;
  /** Text after a duration (`unless compromise suspected`). */
  condition: string | null;
  open: boolean;
  /** The event that closed an event-condition window. */
  closedBy: { seq: number; type: string; change: string | null; at: string } | null;
  /** Seconds left for an open duration window. */
  remainingSeconds: number | null;
}

export interface WindowsReport {
  schema: 'rollwright.windows/v1';
  at: string;
  windows: Window[];
}

export interface WindowOptions {
  env?: string;
  /** Include closed windows. */
  all?: boolean;
  /** Evaluate as of this time (ISO); default now. */
  now?: string;
}

/**
 * `events` holds the ledger's change.declared and change.deployed events in chain order;
 * `repoDeclarations` the rollbackWindow of declarations found in the repository, by change id,
 * used for deployed changes the ledger has no `change.declared` for.
 */
export function computeWindows(
  events: readonly LedgerEvent[],
  repoDeclarations: ReadonlyMap<string, unknown> = new Map(),
  opts: WindowOptions = {},
): WindowsReport {
  const now = opts.now ?? new Date().toISOString();
  const declared = new Map<string, unknown>();
  const firstDeploy = new Map<string, LedgerEvent>();
  const phases: LedgerEvent[] = [];
  for (const e of events) {
    const change = e.subject.change;
    if (change === null) continue;
    if (e.type === 'change.declared') declared.set(change, e.payload.rollbackWindow);
    if (e.type === 'change.deployed') {
      const key = `${change}\u0000${e.subject.environment}`;
      const seen = firstDeploy.get(key);
      if (!seen || e.occurredAt < seen.occurredAt) firstDeploy.set(key, e);
      if (typeof e.payload.phase === 'string') phases.push(e);
    }
  }
  const windows: Window[] = [];
  for (const deploy of firstDeploy.values()) {
    const change = deploy.subject.change!;
    if (opts.env !== undefined && (deploy.subject.environment ?? '') !== opts.env) continue;
    const declaredWindow = declared.has(change) ? declared.get(change) : repoDeclarations.get(change);
    for (const w of deployWindows(deploy, declaredWindow, phases, now)) if (opts.all || w.open) windows.push(w);
  }
  windows.sort(compareWindows);
  return { schema: 'rollwright.windows/v1', at: now, windows };
}

/** The windows a change's first deployment in an environment opens, by its declared window(s). */
export function deployWindows(
  deploy: LedgerEvent,
  declaredWindow: unknown,
  phases: readonly LedgerEvent[],
  now: string,
): Window[] {
  if (declaredWindow === undefined || declaredWindow === null) return [];
  const entries: Array<[string | null, string]> =
    typeof declaredWindow === 'object'
      ? Object.entries(declaredWindow as Record<string, unknown>).map(([k, v]) => [k, String(v)])
      : [[null, String(declaredWindow)]];
  const out: Window[] = [];
  for (const [surface, text] of entries) {
    const w = windowOf(text, deploy, surface, phases, now);
    if (w) out.push(w);
  }
  return out;
}

/** The order of window lists: soonest closing first (event windows last), then change, surface, environment. */
export function compareWindows(a: Window, b: Window): number {
  const ka = a.closesAt ?? '\uffff';
  const kb = b.closesAt ?? '\uffff';
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.change !== b.change) return a.change < b.change ? -1 : 1;
  const sa = a.surface ?? '';
  const sb = b.surface ?? '';
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0;
}

/** A duration window as of `now`: open while it has time left (event windows do not depend on the clock). */
export function windowAt(w: Window, now: number): Window {
  if (w.kind !== 'duration' || w.closesAt === null) return w;
  const remaining = (Date.parse(w.closesAt) - now) / 1000;
  return { ...w, open: remaining > 0, remainingSeconds: remaining > 0 ? Math.round(remaining) : null };
}

function windowOf(
  text: string,
  deploy: LedgerEvent,
  surface: string | null,
  phases: readonly LedgerEvent[],
  now: string,
): Window | undefined {
  const base = {
    change: deploy.subject.change!,
    service: deploy.subject.service,
    environment: deploy.subject.environment ?? '',
    surface,
    window: text,
    opensAt: deploy.occurredAt,
  };
  const trimmed = text.trim();
  const [first, ...rest] = trimmed.split(/\s+/);
  const seconds = /^\d/.test(trimmed) ? parseDuration(first!) : undefined;
  if (seconds !== undefined) {
    const closes = Date.parse(deploy.occurredAt) + seconds * 1000;
    const remaining = (closes - Date.parse(now)) / 1000;
    return {
      ...base,
      kind: 'duration',
      closesAt: toIso(closes),
      closesOn: null,
      condition: rest.length ? rest.join(' ') : null,
      open: remaining > 0,
      closedBy: null,
      remainingSeconds: remaining > 0 ? Math.round(remaining) : null,
    };
  }
  if (/^\d/.test(trimmed)) return undefined; // not a duration, not a condition: refused at record time
  const wanted = phaseSlug(trimmed.replace(/^(until|before)\b[\s-]*/i, ''));
  const closer = phases.find(
    (p) =>
      p.occurredAt >= deploy.occurredAt &&
      p.occurredAt <= now &&
      phaseSlug(String(p.payload.phase)) === wanted &&
      (p.subject.change === deploy.subject.change ||
        (p.subject.service !== null &&
          p.subject.service === deploy.subject.service &&
          p.subject.environment === deploy.subject.environment)),
  );
  return {
    ...base,
    kind: 'event',
    closesAt: closer ? closer.occurredAt : null,
    closesOn: wanted,
    condition: null,
    open: !closer,
    closedBy: closer
      ? { seq: closer.seq, type: closer.type, change: closer.subject.change, at: closer.occurredAt }
      : null,
    remainingSeconds: null,
  };
}

/** `until-contract-phase` → `contract`; `old resource deletion` → `old-resource-deletion`. */
export function phaseSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-phase$/, '');
}
