import type { Transition } from '../../../core/vocabulary.js';
import type { RunbookStep } from '../types.js';
import type { Outcome, Walk } from '../walk.js';
import { breakGlassSteps } from './break-glass.js';
import { driftSteps } from './drift.js';
import { loopTarget, resumeSteps, syncSteps, workspaceResumeStep } from './loops.js';
import { playbookAfter, playbookBefore } from './playbook.js';
import { restoreSteps, rollforwardSteps } from './recovery.js';
import { revertSteps } from './revert.js';
import { recordCmd, step } from './step.js';
import { tf } from './terraform.js';
import { addressOf } from '../findings.js';

/**
 * The runbook of a walked decision, in order: containment, the recovery (revert, restore or forward
 * fix, with the playbook's steps around it, or break-glass), compensation, the ledger record of the
 * recovery, verification, and every resume last; and the transition it carries out.
 */
export function recoveryRunbook(walk: Walk): { transition: Transition; runbook: RunbookStep[] } {
  const { input, findings, playbook, by, containment, contain, loops, workspaces, paused, failed, data, breakGlass } =
    walk;
  const { destroyed, forwardOnly } = data;
  const recover: RunbookStep[] = [];
  const resumes: RunbookStep[] = [];
  const loopsToSync = loops.length > 0 ? loops : [];
  const syncAll = () => loopsToSync.flatMap((l) => syncSteps(l, paused.loops.includes(l)));
  // What the recovery's plan may change depends on the transition: a revert undoes the change (in
  // reverse); a forward fix adds only the fix on top of the current state; a restore adopts what came back.
  const planCheck = (o: Outcome): string => {
    if (o === 'rollback' || o === 'compensate') return 'the plan changes only what the change changed, in reverse';
    if (o === 'restore') return 'the plan imports the restored objects and changes nothing else';
    if (playbook === 'bad-iam-change' && failed.some((f) => f.check.id === 'iam')) {
      const addresses = [
        ...new Set(
          by('iam')
            .map((f) => String(addressOf(f) ?? ''))
            .filter(Boolean),
        ),
      ];
      return `the plan changes only ${addresses.length ? addresses.join(', ') : 'the narrowed policy'}: the one missing permission added, nothing else widened, the previous policy not restored`;
    }
    return 'the plan changes only what the forward fix changes, on top of the current state; nothing of the change is undone';
  };
  const wsApply = (o: Outcome): RunbookStep[] =>
    loopsToSync.length > 0
      ? []
      : workspaces.flatMap((w) => [
          step(`Plan workspace ${w.dir} at the new revision`, tf(w, 'plan -out=recovery.tfplan'), planCheck(o)),
          step(
            `Apply the reviewed plan of workspace ${w.dir} through the pipeline`,
            tf(w, 'apply recovery.tfplan'),
            tf(w, 'plan -detailed-exitcode') + ' exits 0 (no changes)',
          ),
        ]);
  const noController = loopsToSync.length === 0 && workspaces.length === 0;
  const deployStep = (): RunbookStep[] =>
    noController
      ? [
          step(
            'Let the deployment pipeline deploy the new revision',
            null,
            'the pipeline reports the new revision deployed',
          ),
        ]
      : [];

  // A controller upgrade's drift is judged once the controller runs the recovery's revision: at once
  // after the sync, or after the resume when a paused Flux loop installs it (suspended, it applies
  // nothing until resumed, and resumes are the last steps).
  const driftDeferred = playbook === 'bad-controller-upgrade' && paused.loops.some((l) => l.controller === 'flux');
  const drift = playbook === 'bad-controller-upgrade' ? driftSteps(input, findings) : [];
  const driftNow = (): RunbookStep[] => (driftDeferred ? [] : drift);
  let driftAfterResume: RunbookStep[] = [];

  const intended: Outcome = walk.outcome;
  // A plain rollback for a known incident: `rollwright revert --apply` commits the checked revert and
  // records recovery.executed itself (an abort or a break-glass records its own transition).
  const revertApplies =
    intended === 'rollback' &&
    !breakGlass &&
    !(walk.aborted && playbook === 'bad-app-release') &&
    (input.ledger?.incident ?? null) !== null;
  if (intended === 'rollback' || (intended === 'compensate' && failed.length === 0)) {
    recover.push(...playbookBefore(input, findings, playbook, data.rehearseFirst, data.checkOldReads));
    recover.push(...revertSteps(input, revertApplies));
    if (data.keepSchema)
      recover.push(
        step(
          'Keep the expanded schema: do not run the down migration (the old version ignores the new columns and tables; their values stay)',
          null,
          null,
        ),
      );
    recover.push(...syncAll(), ...wsApply('rollback'), ...deployStep());
    recover.push(...playbookAfter(input, findings, playbook));
    recover.push(...driftNow());
  } else if (intended === 'restore') {
    recover.push(...restoreSteps(input, destroyed));
    recover.push(...syncAll(), ...wsApply('restore'), ...deployStep());
  } else {
    recover.push(...rollforwardSteps(input, findings, playbook, failed, destroyed, forwardOnly));
    recover.push(...syncAll(), ...wsApply('rollforward'), ...deployStep());
    recover.push(...playbookAfter(input, findings, playbook));
    recover.push(...driftNow());
  }

  let transition: Transition = intended;
  if (intended === 'rollback' && walk.aborted && playbook === 'bad-app-release') {
    // The abort is the recovery: the stable version serves; the revert only makes Git agree.
    transition = 'abort-rollout';
    containment.splice(containment.indexOf('abort-rollout'), 1);
  }

  const runbookRecover = breakGlass ? breakGlassSteps(walk, intended, recover) : recover;
  if (breakGlass) transition = 'break-glass';

  // verification (declaration), recovery record, then every resume last
  const verification = (input.declaration?.verification ?? input.assessment.declaration?.verification ?? []).map((v) =>
    step(`Verify: ${v}`, null, v),
  );
  if (verification.length === 0)
    verification.push(
      step(
        'Verify the service is healthy (no verification declared for the change)',
        null,
        'error rate and latency back to their baseline',
      ),
    );
  const recordRecovery =
    breakGlass || revertApplies
      ? []
      : [
          step(
            'Record the recovery in the ledger',
            recordCmd(input, 'recovery.executed', [['transition', transition]], {
              needsIncident: true,
              raw:
                intended === 'rollback' || intended === 'rollforward'
                  ? '--data commit="$(git rev-parse HEAD)"'
                  : undefined,
            }),
            null,
          ),
        ];
  for (const loop of [...paused.loops, ...[...paused.parents].reverse()])
    resumes.push(...resumeSteps(loop, recordCmd(input, 'pause.ended', [['target', loopTarget(loop)]])));
  for (const w of paused.workspaces)
    resumes.push(workspaceResumeStep(w, recordCmd(input, 'pause.ended', [['target', `workspace/${w.dir}`]])));

  if (driftDeferred && intended !== 'restore' && (!breakGlass || intended === 'rollforward')) driftAfterResume = drift;
  const runbook = [
    ...contain,
    ...runbookRecover,
    ...walk.compensate,
    ...recordRecovery,
    ...verification,
    ...resumes,
    ...driftAfterResume,
  ];
  return { transition, runbook };
}
