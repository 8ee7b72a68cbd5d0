import { activePause, overwritesImperativeFixes, pauseParents } from '../loops.js';
import { argoAppRef, describeLoop, pauseSteps, recordPause, workspacePauseStep } from '../runbook/loops.js';
import { recordCmd, step } from '../runbook/step.js';
import { defineQuestion } from './question.js';

export default defineQuestion({
  id: 'loop',
  n: 1,
  title: 'Control loops',
  text: 'Is a control loop repeating damage?',
  facts: ['loop-repeating-damage'],
  leadsTo:
    'containment `pause` of the one Argo CD Application, Flux Kustomization or HelmRelease (or IaC workspace) that reconciles the changed paths, never the controller; its resume is the last step',
  ask({ walk, say, sayFact }) {
    const { input, facts, containment, contain, rationale, paused, loops, running, workspaces } = walk;
    const unread = input.repository.unreadLoops ?? [];
    if (running.length === 0 && workspaces.length === 0 && unread.length > 0) {
      // A definition that could not be read is not "no loop": say what is unknown, and why.
      say(
        `unknown: no readable Argo CD or Flux object reconciles the changed paths, but ${unread.length === 1 ? 'a file' : `${unread.length} files`} that may define one could not be read (${unread
          .map((u) => `${u.file}:${u.line}: ${u.reason}`)
          .join('; ')}); a loop may reconcile the change unseen and revert an imperative fix`,
        'repository',
      );
    } else if (running.length === 0 && workspaces.length === 0) {
      say(
        loops.length === 0
          ? 'no: no Argo CD or Flux object in the repository reconciles the changed paths, and no IaC workspace is touched'
          : `no: ${loops.map(describeLoop).join(', ')} does not reconcile automatically (automated sync off or suspended)`,
        'repository',
      );
    } else {
      const r = facts.get('loop-repeating-damage');
      if (r.value === true) {
        containment.push('pause');
        const targets = running.length > 0 ? running : [];
        const parts: string[] = [];
        for (const loop of targets) {
          const active = activePause(input, loop);
          if (active) {
            parts.push(`${describeLoop(loop)} is already paused since ${active.since} (ledger): not paused again`);
          } else {
            const parents = pauseParents(walk, loop);
            parts.push(...parents.said, `pause ${describeLoop(loop)} only`, ...(parents.note ? [parents.note] : []));
            contain.push(...pauseSteps(loop), recordPause(input, loop));
          }
          paused.loops.push(loop);
        }
        if (targets.length === 0)
          for (const w of workspaces) {
            parts.push(`pause the apply queue of workspace ${w.dir} only`);
            contain.push(workspacePauseStep(w));
            contain.push(
              step(
                `Record the pause of workspace ${w.dir}`,
                recordCmd(input, 'pause.started', [['target', `workspace/${w.dir}`]]),
                null,
              ),
            );
            paused.workspaces.push(w);
          }
        sayFact('loop-repeating-damage', r, `${parts.join('; ')}; a pause buys time, it is not the recovery`);
      } else {
        sayFact('loop-repeating-damage', r, 'no pause; the recovery goes through the normal GitOps path');
      }
    }
    for (const loop of loops.filter((l) => overwritesImperativeFixes(l)))
      rationale.push({
        question: 'Will the controller overwrite an imperative fix in the cluster?',
        answer:
          loop.controller === 'argocd'
            ? `yes: Argo CD ${loop.kind} ${argoAppRef(loop)} syncs automatically with selfHeal (${loop.file}:${loop.line}); a manual rollback is reverted, so the recovery goes through Git${paused.loops.includes(loop) ? ' while it is paused' : ''}`
            : loop.kind === 'HelmRelease'
              ? `yes: Flux HelmRelease ${loop.namespace}/${loop.name} (${loop.file}:${loop.line}) upgrades a release rolled back outside it back to its spec; the recovery goes through Git`
              : `yes: Flux Kustomization ${loop.namespace}/${loop.name} re-applies Git at every interval (${loop.file}:${loop.line}); a manual fix is reverted, so the recovery goes through Git`,
        source: 'repository',
      });
  },
});
