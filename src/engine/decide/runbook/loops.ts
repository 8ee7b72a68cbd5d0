import { cmd, sh } from '../shell.js';
import type { DecisionInput, Reconciler, RunbookStep, WorkspaceRef } from '../types.js';
import { recordCmd, step } from './step.js';

// ---------------------------------------------------------------------------------------------
// Control loops: pause and resume (question 1), sync after the recovery

/** `argocd app set` takes `<namespace>/<name>` for Applications outside the control-plane namespace. */
export function argoAppRef(r: Pick<Reconciler, 'name' | 'namespace'>): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

/** How the ledger names a loop (`pause.started target=`): `<Kind>/<namespace>/<name>`. */
export function loopTarget(r: Pick<Reconciler, 'kind' | 'name' | 'namespace'>): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}

export function describeLoop(r: Reconciler): string {
  const who = r.controller === 'argocd' ? 'Argo CD' : 'Flux';
  return `${who} ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function fluxNoun(r: Reconciler): string {
  return r.kind === 'HelmRelease' ? 'helmrelease' : 'kustomization';
}

/** The ignore rule added to an ApplicationSet for a pause (Argo CD 2.9+, "Allow temporarily toggling auto-sync"). */
const IGNORE_SYNC_POLICY = { jsonPointers: ['/spec/syncPolicy'] };

/**
 * Pausing the Applications of an ApplicationSet: the ApplicationSet controller puts their sync policy
 * back to its template (argoproj/argo-cd#13329) unless `spec.ignoreApplicationDifferences` tells it to
 * leave `/spec/syncPolicy` alone; then their automated sync can be turned off one by one. They are
 * found by their owner reference (the ApplicationSet controller sets it on every Application it makes).
 */
function appSetPauseSteps(r: Reconciler): RunbookStep[] {
  const had = r.ignoreApplicationDifferences ?? null;
  const patch =
    had === null
      ? `kubectl patch applicationset ${sh(r.name)} -n ${sh(r.namespace)} --type merge -p ${sh(JSON.stringify({ spec: { ignoreApplicationDifferences: [IGNORE_SYNC_POLICY] } }))}`
      : `kubectl patch applicationset ${sh(r.name)} -n ${sh(r.namespace)} --type json -p ${sh(JSON.stringify([{ op: 'add', path: '/spec/ignoreApplicationDifferences/-', value: IGNORE_SYNC_POLICY }]))}`;
  return [
    step(
      `Make ApplicationSet ${r.namespace}/${r.name} leave the sync policy of its Applications alone (spec.ignoreApplicationDifferences on /spec/syncPolicy, Argo CD 2.9+); without it, it puts a changed sync policy back at once`,
      patch,
      `kubectl get applicationset ${sh(r.name)} -n ${sh(r.namespace)} -o jsonpath='{.spec.ignoreApplicationDifferences}' lists /spec/syncPolicy`,
    ),
    step(
      `Pause only the Applications of ApplicationSet ${r.namespace}/${r.name} that reconcile the change (${r.covers.join(', ')}): list its Applications by owner, then turn automated sync off on each (argocd app set ${r.namespace}/<app> --sync-policy none)`,
      `kubectl get applications -n ${sh(r.namespace)} -o custom-columns=NAME:.metadata.name,OWNER:.metadata.ownerReferences[0].name`,
      `argocd app get ${r.namespace}/<app> shows Sync Policy Manual for each, and it stays so`,
    ),
  ];
}

function appSetResumeSteps(r: Reconciler, record: string): RunbookStep[] {
  const had = r.ignoreApplicationDifferences ?? null;
  const restore =
    had === null
      ? `kubectl patch applicationset ${sh(r.name)} -n ${sh(r.namespace)} --type json -p ${sh(JSON.stringify([{ op: 'remove', path: '/spec/ignoreApplicationDifferences' }]))}`
      : `kubectl patch applicationset ${sh(r.name)} -n ${sh(r.namespace)} --type merge -p ${sh(JSON.stringify({ spec: { ignoreApplicationDifferences: JSON.parse(had) as unknown } }))}`;
  return [
    step(
      `Resume the Applications of ApplicationSet ${r.namespace}/${r.name}: put its ignoreApplicationDifferences back as it was at head, so it restores their sync policy from its template${r.syncPolicy ? ` (${r.syncPolicy})` : ''}`,
      restore,
      `its Applications show the template's sync policy again and sync automatically; then ${record}`,
    ),
  ];
}

export function pauseSteps(r: Reconciler): RunbookStep[] {
  if (r.controller === 'argocd' && r.kind === 'ApplicationSet') return appSetPauseSteps(r);
  if (r.controller === 'argocd') {
    const ref = argoAppRef(r);
    return [
      step(
        `Pause the one Argo CD Application ${ref}: turn its automated sync off (not the controller)`,
        cmd`argocd app set ${ref} --sync-policy none`,
        `${cmd`argocd app get ${ref}`} shows Sync Policy Manual (<none> in older CLIs)`,
      ),
    ];
  }
  const noun = fluxNoun(r);
  return [
    step(
      `Pause the one Flux ${r.kind} ${r.namespace}/${r.name} (not the controller)`,
      `flux suspend ${noun} ${sh(r.name)} -n ${sh(r.namespace)}`,
      `flux get ${noun === 'helmrelease' ? 'helmreleases' : 'kustomizations'} ${sh(r.name)} -n ${sh(r.namespace)} shows SUSPENDED True`,
    ),
  ];
}

/** The restore of a paused loop, exactly as it was at head (`r.automated/selfHeal/prune`). */
export function resumeSteps(r: Reconciler, record: string): RunbookStep[] {
  if (r.controller === 'argocd' && r.kind === 'ApplicationSet') return appSetResumeSteps(r, record);
  if (r.controller === 'argocd') {
    const ref = argoAppRef(r);
    const flags = [r.selfHeal ? ' --self-heal' : '', r.prune ? ' --auto-prune' : ''].join('');
    const was = r.syncPolicy ? `syncPolicy ${r.syncPolicy}` : 'the previous sync policy';
    return [
      step(
        `Restore the sync policy of Argo CD Application ${ref} exactly as it was (automated${r.selfHeal ? ', selfHeal' : ''}${r.prune ? ', prune' : ''})`,
        `argocd app set ${sh(ref)} --sync-policy automated${flags}`,
        `${cmd`argocd app get ${ref}`} shows ${was}, Synced and Healthy at the recovery's revision; then ${record}`,
      ),
    ];
  }
  const noun = fluxNoun(r);
  return [
    step(
      `Resume Flux ${r.kind} ${r.namespace}/${r.name} (it reconciles at once, applying what Git now holds)`,
      `flux resume ${noun} ${sh(r.name)} -n ${sh(r.namespace)}`,
      `flux get ${noun === 'helmrelease' ? 'helmreleases' : 'kustomizations'} ${sh(r.name)} -n ${sh(r.namespace)} shows Ready True at the recovery's revision; then ${record}`,
    ),
  ];
}

export function workspacePauseStep(w: WorkspaceRef): RunbookStep {
  return step(
    `Pause the apply queue of workspace ${w.dir} only (turn auto-apply off or lock the workspace in the pipeline)`,
    null,
    'no run of this workspace is queued or applying',
  );
}

export function workspaceResumeStep(w: WorkspaceRef, record: string): RunbookStep {
  return step(
    `Resume the apply queue of workspace ${w.dir} (auto-apply back on, lock released)`,
    null,
    `the next run of ${w.dir} plans only what Git holds; then ${record}`,
  );
}

/** Syncing after a push: Argo CD (manual sync while paused, else wait), Flux (reconcile with source). */
export function syncSteps(r: Reconciler, paused: boolean): RunbookStep[] {
  if (r.controller === 'argocd') {
    const ref = argoAppRef(r);
    if (paused || !r.automated)
      return [
        step(
          `Sync Argo CD Application ${ref} to the new revision (automated sync is off)`,
          cmd`argocd app sync ${ref}`,
          `${cmd`argocd app wait ${ref} --health --timeout 600`} exits 0`,
        ),
      ];
    return [
      step(
        `Let Argo CD Application ${ref} sync the new revision`,
        cmd`argocd app wait ${ref} --sync --health --timeout 600`,
        'exits 0: Synced and Healthy at the new revision',
      ),
    ];
  }
  const noun = fluxNoun(r);
  if (paused)
    return [
      step(
        `Flux ${r.kind} ${r.namespace}/${r.name} is suspended: the new revision is applied when it is resumed (last step)`,
        null,
        null,
      ),
    ];
  return [
    step(
      `Reconcile Flux ${r.kind} ${r.namespace}/${r.name} with its source`,
      `flux reconcile ${noun} ${sh(r.name)} -n ${sh(r.namespace)} --with-source`,
      `flux get ${noun === 'helmrelease' ? 'helmreleases' : 'kustomizations'} ${sh(r.name)} -n ${sh(r.namespace)} shows Ready True at the new revision`,
    ),
  ];
}

/** The ledger record of a pause (`pause.started`), right after the pause itself. */
export function recordPause(input: DecisionInput, loop: Reconciler): RunbookStep {
  return step(
    `Record the pause of ${loopTarget(loop)}`,
    recordCmd(input, 'pause.started', [
      ['target', loopTarget(loop)],
      ['controller', loop.controller],
    ]),
    null,
  );
}
