import type { Finding } from '../../core/finding.js';
import { describeLoop, loopTarget, pauseSteps, recordPause } from './runbook/loops.js';
import { workspaceFor } from './runbook/terraform.js';
import type { DecisionInput, Reconciler, RunbookStep, WorkspaceRef } from './types.js';

/**
 * The control loops of a decision: which of the loops that reconcile the change is the narrowest,
 * which run, which would overwrite an imperative fix, which the ledger shows paused already, and the
 * parents that must be paused first so that a pause sticks.
 */

const KIND_RANK: Record<string, number> = { Application: 0, HelmRelease: 0, Kustomization: 1, ApplicationSet: 2 };

/**
 * The narrowest reconcilers of the change: for each changed file, the one covering it with the most
 * specific path (an Application or HelmRelease before a Kustomization, an ApplicationSet last).
 */
export function narrowestLoops(recs: readonly Reconciler[]): Reconciler[] {
  const covering = recs.filter((r) => r.covers.length > 0);
  if (covering.length === 0) return [];
  const picked = new Set<Reconciler>();
  const files = [...new Set(covering.flatMap((r) => r.covers))].sort();
  for (const file of files) {
    const candidates = covering
      .filter((r) => r.covers.includes(file))
      .sort(
        (a, b) =>
          (KIND_RANK[a.kind] ?? 1) - (KIND_RANK[b.kind] ?? 1) ||
          specificity(b, file) - specificity(a, file) ||
          loopTarget(a).localeCompare(loopTarget(b)),
      );
    picked.add(candidates[0]!);
  }
  return [...picked].sort((a, b) => loopTarget(a).localeCompare(loopTarget(b)));
}

function specificity(r: Reconciler, file: string): number {
  return Math.max(0, ...r.paths.filter((p) => file.startsWith(p.replace(/^\.\//, ''))).map((p) => p.length));
}

export function isRunning(r: Reconciler): boolean {
  return r.controller === 'argocd' ? r.automated : !r.suspended;
}

/**
 * Argo CD with selfHeal reverts live changes; a Flux Kustomization re-applies Git at every interval;
 * helm-controller sees a release rolled back outside it as out of sync with its HelmRelease and
 * upgrades it again. Argo CD automated sync without selfHeal leaves live changes until the next commit.
 */
export function overwritesImperativeFixes(r: Reconciler): boolean {
  if (r.controller === 'argocd') return r.automated && r.selfHeal;
  return !r.suspended;
}

export function activePause(input: DecisionInput, r: Reconciler): { since: string } | null {
  const names = new Set(
    [loopTarget(r), `${r.namespace}/${r.name}`, r.name, `${r.kind.toLowerCase()}/${r.namespace}/${r.name}`].map((s) =>
      s.toLowerCase(),
    ),
  );
  const hit = (input.ledger?.activePauses ?? []).find((p) => names.has(p.target.toLowerCase()));
  return hit ? { since: hit.since } : null;
}

export function relevantWorkspaces(input: DecisionInput, tfFindings: readonly Finding[]): WorkspaceRef[] {
  const out = new Map<string, WorkspaceRef>();
  for (const w of input.repository.workspaces) out.set(w.dir, w);
  if (out.size === 0) for (const f of tfFindings) out.set(workspaceFor(input, f.file).dir, workspaceFor(input, f.file));
  return [...out.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/** What a pause changes in a decision: the containment steps, and the loops paused so far. */
export interface Pauses {
  readonly input: DecisionInput;
  /** The containment section of the runbook. */
  readonly contain: RunbookStep[];
  readonly paused: {
    readonly loops: Reconciler[];
    /** Parents paused so that a child's pause sticks: resumed after every child, outermost last. */
    readonly parents: Reconciler[];
  };
}

/**
 * Before a loop is paused: the loops that sync its own manifest and would put its sync policy back
 * (an app of apps with selfHeal, a Flux Kustomization), paused first, outermost first, each one
 * alone; what the pause of the child says about them.
 */
export function pauseParents(
  { input, contain, paused }: Pauses,
  loop: Reconciler,
): { said: string[]; note: string | null } {
  const said: string[] = [];
  // The parents that put the policy back at once, inner to outer, each with the object it syncs; the
  // chain goes on only through parents that are paused (a parent's own pause must stick too).
  const holding: Array<[Reconciler, Reconciler]> = [];
  let note: string | null = null;
  for (let child = loop, p = loop.parent; p; child = p, p = p.parent) {
    if (!overwritesImperativeFixes(p)) {
      note = `${describeLoop(p)} syncs the manifest of ${describeLoop(child)} (${p.file}:${p.line}) automatically without selfHeal: it puts the sync policy back only when it syncs a new revision (the recovery's commit at the earliest), so it is left running`;
      break;
    }
    holding.push([p, child]);
  }
  for (const [p, child] of holding.reverse()) {
    if (paused.parents.includes(p) || paused.loops.some((l) => loopTarget(l) === loopTarget(p))) continue;
    const active = activePause(input, p);
    if (active) {
      // Already paused: not paused again, but its resume still ends the runbook.
      said.push(`${describeLoop(p)} is already paused since ${active.since} (ledger): not paused again`);
      paused.parents.push(p);
      continue;
    }
    said.push(
      `pause ${describeLoop(p)} first: it syncs the manifest of ${describeLoop(child)} (${p.file}:${p.line}) ${p.controller === 'argocd' ? 'with selfHeal' : 'at every interval'} and would put its sync policy back`,
    );
    contain.push(...pauseSteps(p), recordPause(input, p));
    paused.parents.push(p);
  }
  return { said, note };
}
