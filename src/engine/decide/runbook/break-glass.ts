import type { Finding } from '../../../core/finding.js';
import { cmd, sh } from '../shell.js';
import { overwritesImperativeFixes, pauseParents } from '../loops.js';
import type { DecisionInput, RunbookStep } from '../types.js';
import type { Outcome, Walk } from '../walk.js';
import { pauseSteps, recordPause } from './loops.js';
import { revertRange } from './revert.js';
import { parseObject, recordCmd, step } from './step.js';
import { tf, workspaceFor } from './terraform.js';

/** The imperative undo of break-glass, per kind of object the change touched. */
export function imperativeUndoSteps(input: DecisionInput, findings: readonly Finding[]): RunbookStep[] {
  const out: RunbookStep[] = [];
  const seen = new Set<string>();
  const add = (key: string, s: RunbookStep) => {
    if (!seen.has(key)) {
      seen.add(key);
      out.push(s);
    }
  };
  for (const r of input.repository.rollouts)
    if (r.kind === 'Rollout')
      add(
        `rollout/${r.namespace}/${r.name}`,
        step(
          `Break-glass: roll Argo Rollout ${r.namespace}/${r.name} back to its previous revision`,
          `kubectl argo rollouts undo ${sh(r.name)} -n ${sh(r.namespace)}`,
          `kubectl argo rollouts get rollout ${sh(r.name)} -n ${sh(r.namespace)} shows the previous revision Healthy`,
        ),
      );
  for (const r of input.repository.reconcilers)
    if (r.kind === 'HelmRelease' && r.covers.length > 0)
      add(
        `hr/${r.namespace}/${r.name}`,
        step(
          `Break-glass: roll Helm release ${r.name} back to its previous revision (Flux names the release after the HelmRelease unless spec.releaseName or targetNamespace says otherwise)`,
          `helm rollback ${sh(r.name)} -n ${sh(r.namespace)}`,
          `helm history ${sh(r.name)} -n ${sh(r.namespace)} shows a new revision deployed from the previous chart and values`,
        ),
      );
  for (const f of findings) {
    const o = parseObject(f.object);
    if (!o) continue;
    if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind) && o.group === 'apps')
      add(
        `${o.kind}/${o.namespace}/${o.name}`,
        step(
          `Break-glass: roll ${o.kind} ${o.namespace}/${o.name} back to its previous ReplicaSet/revision`,
          `kubectl rollout undo ${o.kind.toLowerCase()}/${sh(o.name)} -n ${sh(o.namespace)}`,
          `kubectl rollout status ${o.kind.toLowerCase()}/${sh(o.name)} -n ${sh(o.namespace)} completes`,
        ),
      );
  }
  const before = input.commits.length > 0 ? `${input.commits[0]}^` : `${input.change}^`;
  const tfFindings = findings.filter((f) => f.surface === 'terraform');
  if (out.length === 0 && tfFindings.length > 0) {
    const dir = '/tmp/rollwright-break-glass';
    out.push(
      step(
        'Break-glass: check out the previous revision beside the working tree',
        cmd`git worktree add ${dir} ${before}`,
        null,
      ),
    );
    const seenWs = new Set<string>();
    for (const f of tfFindings) {
      const w = workspaceFor(input, f.file);
      if (seenWs.has(w.dir)) continue;
      seenWs.add(w.dir);
      const local = { ...w, dir: `${dir}/${w.dir}` };
      out.push(
        step(
          `Break-glass: plan the previous revision of workspace ${w.dir} with the operator's credentials`,
          tf(local, 'plan -out=break-glass.tfplan'),
          'the plan undoes only what the change did',
        ),
        step(
          `Break-glass: apply that reviewed plan`,
          tf(local, 'apply break-glass.tfplan'),
          tf(local, 'plan -detailed-exitcode') + ' exits 0',
        ),
      );
    }
  }
  if (out.length === 0) {
    const files = [...new Set(findings.map((f) => f.file))].filter((f) => /\.ya?ml$/.test(f));
    for (const file of files)
      add(
        `file/${file}`,
        step(
          `Break-glass: apply the previous revision of ${file} directly`,
          `git show ${sh(`${before}:${file}`)} | kubectl apply -f -`,
          'kubectl apply reports the objects configured',
        ),
      );
  }
  if (out.length === 0)
    out.push(
      step(
        'Break-glass: undo the change directly on the system it changed, by hand, logging every command',
        null,
        'the previous behaviour is back',
      ),
    );
  return out;
}

/**
 * Break-glass: the loops that would overwrite an imperative fix paused first (with their parents),
 * the imperative undo (or the forward fix applied directly), its ledger record, and the
 * reconciliation commit that makes Git agree at once.
 */
export function breakGlassSteps(walk: Walk, intended: Outcome, recover: readonly RunbookStep[]): RunbookStep[] {
  const { input, findings, containment, contain, running, paused } = walk;
  const guard: RunbookStep[] = [];
  for (const loop of running.filter((l) => !paused.loops.includes(l) && overwritesImperativeFixes(l))) {
    const before = contain.length;
    pauseParents(walk, loop);
    guard.push(...contain.splice(before));
    guard.push(...pauseSteps(loop), recordPause(input, loop));
    paused.loops.push(loop);
  }
  if (guard.length > 0 && !containment.includes('pause')) containment.unshift('pause');
  const imperative =
    intended === 'rollback' || intended === 'compensate'
      ? imperativeUndoSteps(input, findings)
      : [
          step(
            `Break-glass: apply the forward fix directly from a reviewed local checkout (${intended === 'restore' ? 'restore' : 'roll forward'})`,
            null,
            'the fix is live and healthy',
          ),
        ];
  const reconcile =
    intended === 'rollback' || intended === 'compensate'
      ? [
          step(
            'Reconciliation commit at once: make Git agree with what was done imperatively',
            cmd`git revert --no-edit ${revertRange(input.commits, input.change)}`,
            `${cmd`rollwright revert ${revertRange(input.commits, input.change)} --check`} passes for the same revert`,
          ),
          step(
            'Push the reconciliation commit as soon as the Git path is back',
            'git push',
            'the controller shows the cluster in sync with Git, no diff',
          ),
        ]
      : [
          step(
            'Reconciliation commit at once: commit the same forward fix to Git and push it as soon as the path is back',
            null,
            'the controller shows the cluster in sync with Git, no diff',
          ),
        ];
  return [
    ...guard,
    ...imperative,
    step(
      'Log the break-glass action in the ledger',
      recordCmd(input, 'recovery.executed', [['transition', 'break-glass']], { needsIncident: true }),
      'the event is in the ledger; attach the terminal log with rollwright record evidence.attached (item=sync-log)',
    ),
    ...reconcile,
    ...(intended === 'restore' || intended === 'rollforward' ? recover : []),
  ];
}
