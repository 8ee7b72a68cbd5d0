import { InputError } from '../../../core/errors.js';
import type { LedgerEvent } from '../../../ledger/chain.js';
import type { StoreSpec } from '../../../ledger/store-spec.js';
import type { LedgerFacts } from '../types.js';

/**
 * What the ledger knows of the change: when and where it deployed, what ran before it, its windows,
 * the phases passed, the pauses still on, the evidence attached to the incident. Reads only; never
 * creates a ledger.
 */

export interface LedgerQuery {
  changeKeys: string[];
  commits: string[];
  environment: string | null;
  at: string;
  incident?: string;
  declaredWindow: unknown;
}

/** The ledger's record of the change as of `at`; facts null when the ledger knows nothing of it. */
export async function readLedger(spec: StoreSpec, q: LedgerQuery): Promise<{ facts: LedgerFacts | null }> {
  const [{ Ledger }, { computeWindows }, { providedItems }] = await Promise.all([
    import('../../../ledger/store.js'),
    import('../../../ledger/windows.js'),
    import('../../../ledger/evidence.js'),
  ]);
  const ledger = await Ledger.open(spec, { create: false });
  try {
    const asOf = (e: LedgerEvent) => e.occurredAt <= q.at;
    // The change as the ledger names it: one of our keys, else a change whose recorded commit is ours.
    let changeId: string | null = null;
    const byKey = (await ledger.select({ changes: q.changeKeys })).filter(asOf);
    if (byKey.length) {
      changeId = q.changeKeys.find((k) => byKey.some((e) => e.subject.change === k)) ?? null;
    } else {
      const withCommit = (await ledger.select({ types: ['change.merged', 'change.deployed'] })).filter(asOf);
      const hit = withCommit.find(
        (e) =>
          typeof e.payload.commit === 'string' &&
          e.payload.commit.length >= 7 &&
          q.commits.some((c) => c.startsWith(String(e.payload.commit))),
      );
      changeId = hit?.subject.change ?? null;
    }

    let incident: string | null = null;
    if (q.incident !== undefined) {
      const detected = await ledger.first('incident.detected', { incident: q.incident });
      if (!detected)
        throw new InputError(
          `--incident ${q.incident}: no such incident in the ledger ${ledger.where} (record incident.detected first)`,
        );
      incident = q.incident;
      changeId ??= detected.subject.change;
    } else if (changeId !== null) {
      const detections = (await ledger.select({ changes: [changeId], types: ['incident.detected'] })).filter(asOf);
      incident = detections.length ? detections[detections.length - 1]!.subject.incident : null;
    }
    if (changeId === null && incident === null) return { facts: null };

    const changeEvents = changeId ? (await ledger.select({ changes: [changeId] })).filter(asOf) : [];
    const deploys = changeEvents.filter(
      (e) => e.type === 'change.deployed' && (q.environment === null || e.subject.environment === q.environment),
    );
    const firstDeploy = deploys.reduce<LedgerEvent | undefined>(
      (m, e) => (m === undefined || e.occurredAt < m.occurredAt ? e : m),
      undefined,
    );
    const artifactDeploy = [...deploys].reverse().find((e) => typeof e.payload.artifact === 'string');
    const service = firstDeploy?.subject.service ?? null;
    const environment = firstDeploy?.subject.environment ?? q.environment;

    const allDeploys = (await ledger.select({ types: ['change.declared', 'change.deployed'] })).filter(asOf);
    let previousArtifact: string | null = null;
    if (firstDeploy && service !== null) {
      const prev = allDeploys
        .filter(
          (e) =>
            e.type === 'change.deployed' &&
            e.subject.change !== changeId &&
            e.subject.service === service &&
            e.subject.environment === environment &&
            e.occurredAt <= firstDeploy.occurredAt &&
            typeof e.payload.artifact === 'string',
        )
        .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.seq - b.seq));
      previousArtifact = prev.length ? String(prev[prev.length - 1]!.payload.artifact) : null;
    }

    const repoDecl = new Map<string, unknown>();
    if (changeId && q.declaredWindow !== undefined) repoDecl.set(changeId, q.declaredWindow);
    const windows = changeId
      ? computeWindows(allDeploys, repoDecl, {
          ...(environment !== null ? { env: environment } : {}),
          all: true,
          now: q.at,
        }).windows.filter((w) => w.change === changeId)
      : [];

    const phases = new Set<string>();
    if (firstDeploy)
      for (const e of allDeploys)
        if (
          e.type === 'change.deployed' &&
          typeof e.payload.phase === 'string' &&
          e.occurredAt >= firstDeploy.occurredAt &&
          (e.subject.change === changeId ||
            (service !== null && e.subject.service === service && e.subject.environment === environment))
        )
          phases.add(e.payload.phase);

    const incidentEvents = incident ? (await ledger.select({ incidents: [incident] })).filter(asOf) : [];
    const pauseEvents = [...changeEvents, ...incidentEvents]
      .filter((e) => e.type === 'pause.started' || e.type === 'pause.ended')
      .filter((e, i, all) => all.findIndex((x) => x.seq === e.seq) === i)
      .sort((a, b) => a.seq - b.seq);
    const open = new Map<string, { target: string; controller: string | null; since: string }>();
    for (const e of pauseEvents) {
      const target = String(e.payload.target);
      if (e.type === 'pause.started')
        open.set(target, {
          target,
          controller: typeof e.payload.controller === 'string' ? e.payload.controller : null,
          since: e.occurredAt,
        });
      else open.delete(target);
    }
    const evidence = incident ? [...providedItems(incidentEvents, 'incident', incident).keys()].sort() : [];

    return {
      facts: {
        store: ledger.where,
        incident,
        deployedAt: firstDeploy?.occurredAt ?? null,
        previousArtifact,
        artifact: artifactDeploy ? String(artifactDeploy.payload.artifact) : null,
        windows,
        phasesPassed: [...phases].sort(),
        activePauses: [...open.values()].sort((a, b) => (a.since < b.since ? -1 : 1)),
        evidenceAttached: evidence,
      },
    };
  } finally {
    await ledger.close();
  }
}

/** What the ledger recorded as shipped for a change: a commit (or a range) and the event that says so. */
export interface LedgerCommit {
  /** `commit=` as recorded: a commit, or a range `A..B`. */
  commit: string;
  type: 'change.merged' | 'change.deployed';
  seq: number;
  environment: string | null;
  occurredAt: string;
}

/**
 * The commit the ledger recorded for a change id, as it shipped: the latest `change.deployed` with
 * `commit=` in the environment (when one is given), else the latest `change.deployed` with one, else the
 * latest `change.merged` with one.
 */
export async function ledgerCommit(
  store: StoreSpec,
  id: string,
  environment: string | null = null,
): Promise<LedgerCommit | undefined> {
  const { Ledger } = await import('../../../ledger/store.js');
  const ledger = await Ledger.open(store, { create: false });
  try {
    const events = (await ledger.select({ changes: [id], types: ['change.merged', 'change.deployed'] })).filter(
      (e) => typeof e.payload.commit === 'string' && e.payload.commit !== '',
    );
    const latest = (keep: (e: LedgerEvent) => boolean) => [...events].reverse().find(keep);
    const e =
      (environment !== null
        ? latest((x) => x.type === 'change.deployed' && x.subject.environment === environment)
        : undefined) ??
      latest((x) => x.type === 'change.deployed') ??
      latest((x) => x.type === 'change.merged');
    if (!e) return undefined;
    return {
      commit: String(e.payload.commit),
      type: e.type as LedgerCommit['type'],
      seq: e.seq,
      environment: e.subject.environment,
      occurredAt: e.occurredAt,
    };
  } finally {
    await ledger.close();
  }
}
