import type { Finding } from '../../core/finding.js';
import type { Window } from '../../ledger/windows.js';
import { EVIDENCE_ITEMS, type Transition } from '../../core/vocabulary.js';
import { factSpec, formatFactValue, type FactName } from './facts.js';
import { EFFECTS, hasEffect, pickPlaybook, type Effect } from './playbooks.js';
import { previousCheck, question, type PreviousStateCheck, type QuestionId } from './questions.js';
import {
  abortSteps,
  argoAppRef,
  describeLoop,
  dirOf,
  flagOffSteps,
  imperativeUndoSteps,
  loopTarget,
  parseObject,
  parseWorkload,
  pauseSteps,
  recordCmd,
  repairStateSteps,
  resumeSteps,
  revertRange,
  revertSteps,
  step,
  syncSteps,
  tf,
  workspaceFor,
  workspacePauseStep,
  workspaceResumeStep,
} from './runbook.js';
import { cmd, sh } from './shell.js';
import {
  DECISION_SCHEMA,
  type AnswerSource,
  type Decision,
  type DecisionInput,
  type FactValue,
  type PlaybookId,
  type RationaleEntry,
  type Reconciler,
  type RunbookStep,
  type WorkspaceRef,
} from './types.js';

/**
 * The incident decision (SPEC §4–§5, issue 7): walks the seven ordered questions over a gathered
 * `DecisionInput` and returns the transition, its rationale and a runbook. Pure and deterministic:
 * no clock, no I/O; the same input gives the same decision byte for byte.
 */
export function decide(input: DecisionInput): Decision {
  return walk(input).decision;
}

/**
 * The facts `decide()` would have to assume for this input, in question order: what the CLI asks for
 * on a TTY. It is the same walk, so it lists exactly the facts behind `decision.assumptions`. An answer
 * can make another fact matter (or stop one mattering): call it again after answers until it is empty.
 */
export function unresolvedFacts(input: DecisionInput): FactName[] {
  return walk(input).assumed;
}

// ---------------------------------------------------------------------------------------------
// Fact resolution

interface Resolved {
  value: FactValue;
  source: AnswerSource;
  /** What the assessment, ledger or repository showed, for the rationale. */
  evidence: string | null;
}

interface Inferred {
  value: FactValue;
  source: 'assessment' | 'ledger' | 'repository';
  evidence: string;
}

class FactBook {
  readonly assumed: FactName[] = [];
  readonly assumptions: string[] = [];
  readonly overruled: Decision['overruled'] = [];
  private readonly seen = new Map<FactName, Resolved>();

  constructor(private readonly stated: ReadonlyMap<string, FactValue>) {}

  /**
   * A fact that matters: what the assessment, ledger or repository show wins; then the stated value;
   * else the spec's safe assumption, listed under `assumptions`. A stated value the evidence
   * contradicts is kept in `overruled`.
   */
  get(name: FactName, inferred?: Inferred): Resolved {
    const memo = this.seen.get(name);
    if (memo) return memo;
    const spec = factSpec(name)!;
    const stated = this.stated.get(name);
    let r: Resolved;
    if (inferred) {
      if (stated !== undefined && stated !== inferred.value)
        this.overruled.push({ fact: name, stated: formatFactValue(stated), evidence: inferred.evidence });
      r = { value: inferred.value, source: inferred.source, evidence: inferred.evidence };
    } else if (stated !== undefined) {
      r = { value: stated, source: 'fact', evidence: null };
    } else {
      const value = spec.assume;
      this.assumed.push(name);
      const why = typeof value === 'boolean' ? (value ? spec.ifYes : spec.ifNo) : spec.ifNo;
      this.assumptions.push(
        typeof value === 'string' && value === ''
          ? `assumed ${name} unknown: ${why}`
          : `assumed ${name}=${formatFactValue(value)}: ${why}`,
      );
      r = { value, source: 'assumed', evidence: null };
    }
    this.seen.set(name, r);
    return r;
  }

  yes(name: FactName, inferred?: Inferred): boolean {
    return this.get(name, inferred).value === true;
  }
}

// ---------------------------------------------------------------------------------------------
// The walk

interface Walk {
  decision: Decision;
  assumed: FactName[];
}

type Outcome = 'rollback' | 'rollforward' | 'restore' | 'compensate';

/** The rationale entry said when the decision has no ledger record of the change. */
export const LEDGER_QUESTION = 'Does the ledger record the change (deployment, windows, phases, pauses)?';

function walk(input: DecisionInput): Walk {
  const facts = new FactBook(input.facts);
  const findings = [...input.assessment.findings];
  const by = (e: Effect) => findings.filter((f) => hasEffect(f, e));
  const playbook = pickPlaybook(findings);
  const rationale: RationaleEntry[] = [];
  const containment: Transition[] = [];
  const refused: Decision['refused'] = [];
  const say = (id: QuestionId, answer: string, source: AnswerSource) =>
    rationale.push({ question: question(id).text, answer, source });
  // A question's first fact answers the question itself; the others are sub-questions asked as the prompt asks them.
  const sayFact = (id: QuestionId, name: FactName, r: Resolved, answer: string) =>
    rationale.push({
      question: question(id).facts[0] === name ? question(id).text : factSpec(name)!.question,
      answer: `${formatFactValue(r.value) || 'unknown'}: ${answer}${r.source === 'fact' ? ` (stated --fact ${name})` : ''}`,
      source: r.source,
    });

  // Runbook sections, joined in this order at the end; resumes are always last.
  const contain: RunbookStep[] = [];
  const recover: RunbookStep[] = [];
  const compensateSteps: RunbookStep[] = [];
  const resumes: RunbookStep[] = [];
  const pausedLoops: Reconciler[] = [];
  /** Parents paused so that a child's pause sticks: resumed after every child, outermost last. */
  const pausedParents: Reconciler[] = [];
  const pausedWorkspaces: WorkspaceRef[] = [];
  /**
   * Before a loop is paused: the loops that sync its own manifest and would put its sync policy back
   * (an app of apps with selfHeal, a Flux Kustomization), paused first, outermost first, each one
   * alone; what the pause of the child says about them.
   */
  const pauseParents = (loop: Reconciler): { said: string[]; note: string | null } => {
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
      if (pausedParents.includes(p) || pausedLoops.some((l) => loopTarget(l) === loopTarget(p))) continue;
      const active = activePause(input, p);
      if (active) {
        // Already paused: not paused again, but its resume still ends the runbook.
        said.push(`${describeLoop(p)} is already paused since ${active.since} (ledger): not paused again`);
        pausedParents.push(p);
        continue;
      }
      said.push(
        `pause ${describeLoop(p)} first: it syncs the manifest of ${describeLoop(child)} (${p.file}:${p.line}) ${p.controller === 'argocd' ? 'with selfHeal' : 'at every interval'} and would put its sync policy back`,
      );
      contain.push(...pauseSteps(p), recordPause(input, p));
      pausedParents.push(p);
    }
    return { said, note };
  };

  // -- 0. the ledger ------------------------------------------------------------------------------
  if (!input.ledger) {
    const declared = input.declaration?.rollbackWindow ?? input.assessment.declaration?.rollbackWindow;
    rationale.push({
      question: LEDGER_QUESTION,
      answer: `no ledger record of the change (no ledger, or it knows nothing of the change): deployment time, windows, phases and pauses unknown; ${
        declared !== undefined
          ? `the declared window (${declaredText(declared)}) is not assumed open (window-open=no unless stated)`
          : 'no window is declared for the change, so none is checked'
      }`,
      source: 'ledger',
    });
  }

  // -- 1. control loops ------------------------------------------------------------------------
  const loops = narrowestLoops(input.repository.reconcilers);
  const running = loops.filter(isRunning);
  const terraformFindings = findings.filter((f) => f.surface === 'terraform');
  const workspaces = relevantWorkspaces(input, terraformFindings);
  const unread = input.repository.unreadLoops ?? [];
  if (running.length === 0 && workspaces.length === 0 && unread.length > 0) {
    // A definition that could not be read is not "no loop": say what is unknown, and why.
    say(
      'loop',
      `unknown: no readable Argo CD or Flux object reconciles the changed paths, but ${unread.length === 1 ? 'a file' : `${unread.length} files`} that may define one could not be read (${unread
        .map((u) => `${u.file}:${u.line}: ${u.reason}`)
        .join('; ')}); a loop may reconcile the change unseen and revert an imperative fix`,
      'repository',
    );
  } else if (running.length === 0 && workspaces.length === 0) {
    say(
      'loop',
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
          const parents = pauseParents(loop);
          parts.push(...parents.said, `pause ${describeLoop(loop)} only`, ...(parents.note ? [parents.note] : []));
          contain.push(...pauseSteps(loop), recordPause(input, loop));
        }
        pausedLoops.push(loop);
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
          pausedWorkspaces.push(w);
        }
      sayFact('loop', 'loop-repeating-damage', r, `${parts.join('; ')}; a pause buys time, it is not the recovery`);
    } else {
      sayFact('loop', 'loop-repeating-damage', r, 'no pause; the recovery goes through the normal GitOps path');
    }
  }
  for (const loop of loops.filter((l) => overwritesImperativeFixes(l)))
    rationale.push({
      question: 'Will the controller overwrite an imperative fix in the cluster?',
      answer:
        loop.controller === 'argocd'
          ? `yes: Argo CD ${loop.kind} ${argoAppRef(loop)} syncs automatically with selfHeal (${loop.file}:${loop.line}); a manual rollback is reverted, so the recovery goes through Git${pausedLoops.includes(loop) ? ' while it is paused' : ''}`
          : loop.kind === 'HelmRelease'
            ? `yes: Flux HelmRelease ${loop.namespace}/${loop.name} (${loop.file}:${loop.line}) upgrades a release rolled back outside it back to its spec; the recovery goes through Git`
            : `yes: Flux Kustomization ${loop.namespace}/${loop.name} re-applies Git at every interval (${loop.file}:${loop.line}); a manual fix is reverted, so the recovery goes through Git`,
      source: 'repository',
    });

  // -- 2. progressive rollouts ----------------------------------------------------------------
  let aborted = false;
  const unreadRollouts = input.repository.unreadRollouts ?? [];
  if (input.repository.rollouts.length === 0 && unreadRollouts.length > 0) {
    // As for loops: a definition that could not be read is not "no rollout".
    say(
      'rollout',
      `unknown: no readable Argo Rollout or Flagger Canary covers the change, but ${unreadRollouts.length === 1 ? 'a file' : `${unreadRollouts.length} files`} that may define one could not be read (${unreadRollouts
        .map((u) => `${u.file}:${u.line}: ${u.reason}`)
        .join(
          '; ',
        )}); if one is mid-rollout, aborting it may be the recovery: check with \`kubectl argo rollouts list rollouts -A\` (Flagger: \`kubectl get canaries -A\`) before acting`,
      'repository',
    );
  } else if (input.repository.rollouts.length === 0) {
    say('rollout', 'no: the change touches no Argo Rollout or Flagger Canary', 'repository');
  } else {
    const promoted = (input.ledger?.phasesPassed ?? []).find((p) =>
      /^(promoted|full|full-promotion|promote)$/i.test(p),
    );
    const r = facts.get(
      'rollout-in-progress',
      promoted ? { value: false, source: 'ledger', evidence: `phase ${promoted} deployed` } : undefined,
    );
    const names = input.repository.rollouts.map((x) => `${x.kind} ${x.namespace}/${x.name}`).join(', ');
    if (r.value === true) {
      aborted = true;
      containment.push('abort-rollout');
      for (const ro of input.repository.rollouts) contain.push(...abortSteps(ro));
      sayFact('rollout', 'rollout-in-progress', r, `abort ${names}: the stable version keeps serving`);
    } else {
      sayFact(
        'rollout',
        'rollout-in-progress',
        r,
        promoted
          ? `${names} fully promoted (ledger phase ${promoted}); abort is no longer a recovery`
          : `${names} is fully promoted; abort is no longer a recovery`,
      );
    }
  }

  // -- 3. feature flags -------------------------------------------------------------------------
  if (input.repository.flags.length === 0) {
    say('flag', 'no: the change references or changes no feature flag', 'repository');
  } else {
    const r = facts.get('flag-contains-impact');
    const keys = input.repository.flags.map((f) => f.key).join(', ');
    if (r.value === true) {
      containment.push('rollforward');
      for (const f of input.repository.flags) contain.push(...flagOffSteps(f, input.change));
      sayFact(
        'flag',
        'flag-contains-impact',
        r,
        `turn ${keys} off in Git first (a forward change of the flag), then decide about the code`,
      );
    } else {
      sayFact('flag', 'flag-contains-impact', r, `flag ${keys} does not contain the impact; decide about the code now`);
    }
  }

  // -- 4. IaC state -----------------------------------------------------------------------------
  if (terraformFindings.length === 0 && input.repository.workspaces.length === 0) {
    say('state', 'no: the change touches no Terraform/OpenTofu workspace', 'assessment');
  } else {
    const wrong = by('state-wrong');
    const r = facts.get(
      'state-drift',
      wrong.length > 0 ? { value: true, source: 'assessment', evidence: cite(wrong[0]!) } : undefined,
    );
    if (r.value === true) {
      containment.push('repair-state');
      const ws = workspaces.length > 0 ? workspaces : [workspaceFor(input, terraformFindings[0]?.file ?? '.')];
      contain.push(...repairStateSteps(ws, wrong, input));
      sayFact(
        'state',
        'state-drift',
        r,
        `${r.evidence ? `${r.evidence}; ` : ''}repair state before any apply (${ws.map((w) => w.dir).join(', ')}); never apply blindly`,
      );
    } else {
      sayFact('state', 'state-drift', r, 'recorded state can be planned against as it is');
    }
  }

  // -- 5. data and external state --------------------------------------------------------------
  let outcome: Outcome = 'rollback';
  const destroyed = by('data-destroyed');
  const forwardOnly = by('data-forward-only');
  const expand = by('data-expand');
  const external = by('external-effects');
  const dataSurface = by('data-surface');
  let rehearseFirst = false;
  let keepSchema = false;
  let checkOldReads = false;
  const dataMatters =
    destroyed.length + forwardOnly.length + expand.length + external.length + dataSurface.length > 0 ||
    playbook === 'bad-database-migration';
  if (!dataMatters) {
    say('data', 'no: the change touches no data-bearing object, schema or external effect', 'assessment');
  } else if (destroyed.length > 0) {
    const dc = facts.get('data-changed', { value: true, source: 'assessment', evidence: cite(destroyed[0]!) });
    const backup = facts.get('backup-available');
    outcome = backup.value === true ? 'restore' : 'rollforward';
    const overruled = facts.overruled.find((o) => o.fact === 'data-changed');
    say(
      'data',
      `yes: ${dc.evidence}${overruled ? ` (the stated data-changed=${overruled.stated} is overruled: the assessment wins)` : ''}; never rollback: ${
        outcome === 'restore' ? 'restore from the backup' : 'roll forward'
      }`,
      'assessment',
    );
    sayFact(
      'data',
      'backup-available',
      backup,
      backup.value === true
        ? 'a backup from before the change exists: restore what was destroyed'
        : 'no backup from before the change: roll forward and compensate',
    );
    refused.push({
      transition: 'rollback',
      reason: `data destroyed: ${cite(destroyed[0]!)}`,
      alternative: outcome,
    });
  } else if (forwardOnly.length > 0) {
    outcome = 'rollforward';
    say('data', `yes, forward-only: ${cite(forwardOnly[0]!)}; no rollback, roll forward`, 'assessment');
    refused.push({
      transition: 'rollback',
      reason: `forward-only data change: ${cite(forwardOnly[0]!)}`,
      alternative: 'rollforward',
    });
  } else {
    const dc = facts.get(
      'data-changed',
      external.length > 0 ? { value: true, source: 'assessment', evidence: cite(external[0]!) } : undefined,
    );
    if (expand.length > 0) {
      const reads = facts.get('reads-switched');
      rehearseFirst = reads.value === true;
      keepSchema = dc.value === true;
      sayFact(
        'data',
        'data-changed',
        dc,
        `expand-only (${cite(expand[0]!)}): rollback stays possible inside the window${keepSchema ? '; keep the expanded schema (do not run the down migration): the old version ignores it and the new values stay' : ''}`,
      );
      sayFact(
        'data',
        'reads-switched',
        reads,
        rehearseFirst
          ? 'the application reads the new schema: rehearse the rollback first'
          : 'the old read path is intact',
      );
    } else {
      checkOldReads = dc.value === true && dataSurface.length > 0;
      sayFact(
        'data',
        'data-changed',
        dc,
        dc.value !== true
          ? 'data does not stand in the way of a rollback'
          : dataSurface.length > 0
            ? `stateful objects are involved (${cite(dataSurface[0]!)}): check that the previous version reads what the new one wrote before relying on a rollback`
            : `${dc.evidence ?? 'data was written'}: a rollback of the code does not remove what was written`,
      );
    }
  }
  if (dataMatters && (external.length > 0 || playbook === 'bad-database-migration' || dataSurface.length > 0)) {
    const ext = facts.get(
      'external-effects',
      external.length > 0 ? { value: true, source: 'assessment', evidence: cite(external[0]!) } : undefined,
    );
    if (ext.value === true) {
      compensateSteps.push(
        step(
          `List the external effects since the change deployed${input.ledger?.deployedAt ? ` (${input.ledger.deployedAt})` : ''}: ${
            external.length > 0 ? external.map(cite).join('; ') : 'notifications, billing events, partner calls'
          }`,
          null,
          'each effect is listed with its owner',
        ),
        step(
          'Compensate each effect with a domain action (a corrective record, a credit, a follow-up message); a rollback does not undo them',
          null,
          'each listed effect has a compensating action recorded',
        ),
      );
      if (external.length > 0 && outcome === 'rollback') outcome = 'compensate';
    }
    sayFact(
      'data',
      'external-effects',
      ext,
      ext.value === true
        ? 'effects outside the system cannot be rolled back: compensate them'
        : 'nothing outside the system needs compensating',
    );
  }

  // -- 6. is the previous state still valid? ---------------------------------------------------
  const failed: Array<{ check: PreviousStateCheck; why: string }> = [];
  if (outcome === 'rollback' || outcome === 'compensate') {
    const checks = previousStateChecks(input, findings, facts, playbook);
    for (const c of checks) {
      rationale.push({
        question: c.check.text,
        answer: c.answer.startsWith('unknown:') ? c.answer : `${c.ok ? 'yes' : 'no'}: ${c.answer}`,
        source: c.source,
      });
      if (!c.ok) failed.push({ check: c.check, why: c.answer });
    }
    if (failed.length > 0) {
      outcome = 'rollforward';
      for (const f of failed)
        refused.push({ transition: 'rollback', reason: `${f.check.text} No: ${f.why}`, alternative: 'rollforward' });
    }
    say(
      'previous',
      failed.length === 0
        ? 'yes: every check passed; rollback by declarative revert through Git'
        : `no (${failed.map((f) => f.check.id).join(', ')}): roll forward: ${failed.map((f) => f.check.forwardFix).join('; ')}`,
      failed.length === 0
        ? worstSource(checks.map((c) => c.source))
        : worstSource(checks.filter((c) => !c.ok).map((c) => c.source)),
    );
  } else {
    say(
      'previous',
      `not asked: ${outcome === 'restore' ? 'restore' : 'rollforward'} is decided by the data question`,
      'assessment',
    );
  }

  // -- 7. GitOps path -------------------------------------------------------------------------
  const gitops = facts.get('gitops-path-available');
  const breakGlass = gitops.value === false;
  sayFact(
    'gitops',
    'gitops-path-available',
    gitops,
    breakGlass
      ? 'break-glass: the imperative action, logged, then the reconciliation commit at once'
      : 'recover through Git; the controller applies the fix',
  );

  // -- the recovery's runbook ---------------------------------------------------------------------
  const loopsToSync = loops.length > 0 ? loops : [];
  const syncAll = () => loopsToSync.flatMap((l) => syncSteps(l, pausedLoops.includes(l)));
  // What the recovery's plan may change depends on the transition: a revert undoes the change (in
  // reverse); a forward fix adds only the fix on top of the current state; a restore adopts what came back.
  const planCheck = (o: Outcome): string => {
    if (o === 'rollback' || o === 'compensate') return 'the plan changes only what the change changed, in reverse';
    if (o === 'restore') return 'the plan imports the restored objects and changes nothing else';
    if (playbook === 'bad-iam-change' && failed.some((f) => f.check.id === 'iam')) {
      const addresses = [
        ...new Set(
          by('iam')
            .map((f) => String(f.data?.address ?? ''))
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
  const driftDeferred = playbook === 'bad-controller-upgrade' && pausedLoops.some((l) => l.controller === 'flux');
  const drift = playbook === 'bad-controller-upgrade' ? driftSteps(input, findings) : [];
  const driftNow = (): RunbookStep[] => (driftDeferred ? [] : drift);
  let driftAfterResume: RunbookStep[] = [];

  const intended: Outcome = outcome;
  if (intended === 'rollback' || (intended === 'compensate' && failed.length === 0)) {
    recover.push(...playbookBefore(input, findings, playbook, rehearseFirst, checkOldReads));
    recover.push(...revertSteps(input));
    if (keepSchema)
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
  if (intended === 'rollback' && aborted && playbook === 'bad-app-release') {
    // The abort is the recovery: the stable version serves; the revert only makes Git agree.
    transition = 'abort-rollout';
    containment.splice(containment.indexOf('abort-rollout'), 1);
  }

  let runbookRecover = recover;
  if (breakGlass) {
    transition = 'break-glass';
    const guard: RunbookStep[] = [];
    for (const loop of running.filter((l) => !pausedLoops.includes(l) && overwritesImperativeFixes(l))) {
      const before = contain.length;
      pauseParents(loop);
      guard.push(...contain.splice(before));
      guard.push(...pauseSteps(loop), recordPause(input, loop));
      pausedLoops.push(loop);
    }
    if (guard.length > 0 && !containment.includes('pause')) containment.unshift('pause');
    const imperative =
      intended === 'rollback' || intended === 'compensate'
        ? imperativeUndoSteps(input, findings)
        : [
            step(
              `Break-glass: apply the forward fix directly from a reviewed local checkout (${intendedText(intended)})`,
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
    runbookRecover = [
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
  const recordRecovery = breakGlass
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
  for (const loop of [...pausedLoops, ...[...pausedParents].reverse()])
    resumes.push(...resumeSteps(loop, recordCmd(input, 'pause.ended', [['target', loopTarget(loop)]])));
  for (const w of pausedWorkspaces)
    resumes.push(workspaceResumeStep(w, recordCmd(input, 'pause.ended', [['target', `workspace/${w.dir}`]])));

  if (driftDeferred && intended !== 'restore' && (!breakGlass || intended === 'rollforward')) driftAfterResume = drift;
  const runbook = [
    ...contain,
    ...runbookRecover,
    ...compensateSteps,
    ...recordRecovery,
    ...verification,
    ...resumes,
    ...driftAfterResume,
  ];
  const attached = new Set(input.ledger?.evidenceAttached ?? []);
  const decision: Decision = {
    schema: DECISION_SCHEMA,
    change: input.change,
    transition,
    containment,
    rationale,
    runbook,
    assumptions: facts.assumptions,
    evidenceOwed: EVIDENCE_ITEMS.filter((e) => !attached.has(e)),
    playbook,
    class: input.assessment.class,
    environment: input.environment,
    refused,
    overruled: facts.overruled,
  };
  return { decision, assumed: facts.assumed };
}

function intendedText(o: Outcome): string {
  return o === 'restore' ? 'restore' : 'roll forward';
}

function worstSource(sources: AnswerSource[]): AnswerSource {
  const order: AnswerSource[] = ['assumed', 'fact', 'ledger', 'assessment', 'repository'];
  return order.find((s) => sources.includes(s)) ?? 'assessment';
}

/** `<message> (<file>:<line>)` */
export function cite(f: Finding): string {
  return `${f.message} (${f.file}:${f.line})`;
}

// ---------------------------------------------------------------------------------------------
// Loops

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

function isRunning(r: Reconciler): boolean {
  return r.controller === 'argocd' ? r.automated : !r.suspended;
}

/**
 * Argo CD with selfHeal reverts live changes; a Flux Kustomization re-applies Git at every interval;
 * helm-controller sees a release rolled back outside it as out of sync with its HelmRelease and
 * upgrades it again. Argo CD automated sync without selfHeal leaves live changes until the next commit.
 */
function overwritesImperativeFixes(r: Reconciler): boolean {
  if (r.controller === 'argocd') return r.automated && r.selfHeal;
  return !r.suspended;
}

function activePause(input: DecisionInput, r: Reconciler): { since: string } | null {
  const names = new Set(
    [loopTarget(r), `${r.namespace}/${r.name}`, r.name, `${r.kind.toLowerCase()}/${r.namespace}/${r.name}`].map((s) =>
      s.toLowerCase(),
    ),
  );
  const hit = (input.ledger?.activePauses ?? []).find((p) => names.has(p.target.toLowerCase()));
  return hit ? { since: hit.since } : null;
}

function relevantWorkspaces(input: DecisionInput, tfFindings: readonly Finding[]): WorkspaceRef[] {
  const out = new Map<string, WorkspaceRef>();
  for (const w of input.repository.workspaces) out.set(w.dir, w);
  if (out.size === 0) for (const f of tfFindings) out.set(workspaceFor(input, f.file).dir, workspaceFor(input, f.file));
  return [...out.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

// ---------------------------------------------------------------------------------------------
// Question 6

interface CheckResult {
  check: PreviousStateCheck;
  ok: boolean;
  answer: string;
  source: AnswerSource;
}

const WINDOW_SURFACES: Record<string, readonly string[]> = {
  appImage: ['kubernetes', 'kustomize', 'helm', 'rollouts', 'argocd', 'flux', 'flags'],
  databaseSchema: ['database'],
  secretRotation: ['secrets'],
  infrastructureModule: ['terraform'],
  policyRule: ['policy'],
  controllerUpgrade: ['controllers', 'crd'],
};

function windowApplies(w: Window, surfaces: ReadonlySet<string>): boolean {
  if (w.surface === null) return true;
  const mapped = WINDOW_SURFACES[w.surface];
  return mapped === undefined || mapped.some((s) => surfaces.has(s));
}

export function windowName(w: Window): string {
  const closed = w.closesAt
    ? `closed at ${w.closesAt}`
    : w.closedBy
      ? `closed by ${w.closedBy.type}${w.closesOn ? ` phase ${w.closesOn}` : ''} at ${w.closedBy.at}`
      : 'closed';
  return `${w.surface ? `${w.surface} ` : ''}rollback window ${JSON.stringify(w.window)} (${closed})`;
}

function declaredText(declared: unknown): string {
  return typeof declared === 'string'
    ? declared
    : declared && typeof declared === 'object'
      ? Object.entries(declared as Record<string, unknown>)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')
      : String(declared);
}

function previousStateChecks(
  input: DecisionInput,
  findings: readonly Finding[],
  facts: FactBook,
  playbook: PlaybookId,
): CheckResult[] {
  const out: CheckResult[] = [];
  const by = (e: Effect) => findings.filter((f) => hasEffect(f, e));
  const push = (id: PreviousStateCheck['id'], ok: boolean, answer: string, source: AnswerSource) =>
    out.push({ check: previousCheck(id), ok, answer, source });
  const withFact = (answer: string, r: Resolved, name: FactName) =>
    r.source === 'fact'
      ? `${answer} (stated --fact ${name})`
      : r.source === 'assumed'
        ? `${answer} (assumed ${name}=${formatFactValue(r.value)})`
        : answer;

  const unassessed = by('unassessed');
  if (unassessed.length > 0) push('assessed', false, cite(unassessed[0]!), 'assessment');

  const artifacts = by('artifact');
  if (artifacts.length > 0 || input.ledger?.previousArtifact) {
    const images = previousImages(findings);
    const prevInferred: Inferred | undefined = input.ledger?.previousArtifact
      ? {
          value: input.ledger.previousArtifact,
          source: 'ledger',
          evidence: `change.deployed before this change ran ${input.ledger.previousArtifact}`,
        }
      : images.length > 0
        ? { value: images[0]!, source: 'assessment', evidence: `the change replaced ${images[0]}` }
        : undefined;
    const prev = prevInferred
      ? facts.get('previous-artifact', prevInferred)
      : input.facts.has('previous-artifact')
        ? facts.get('previous-artifact')
        : null;
    const avail = facts.get('artifact-available');
    const named = artifacts.find((f) => f.rule !== 'kubernetes/image-changed' && f.data?.from !== undefined);
    const what =
      prev && prev.value !== ''
        ? String(prev.value)
        : named
          ? `${String(named.data?.what ?? named.data?.address ?? named.data?.image ?? 'the artifact')} ${String(named.data!.from)}`
          : 'the previous artifact';
    push(
      'artifact',
      avail.value === true,
      withFact(
        avail.value === true
          ? `${what} is expected to exist; the runbook checks it before reverting`
          : `${what} no longer exists or does not verify: there is no rollback`,
        avail,
        'artifact-available',
      ),
      avail.source,
    );
  }

  if (findings.some((f) => f.surface === 'policy')) {
    const r = facts.get('policy-denies-old');
    push(
      'policy',
      r.value !== true,
      withFact(
        r.value === true
          ? "today's admission policy denies the previous manifests"
          : 'admission lets the previous state back in',
        r,
        'policy-denies-old',
      ),
      r.source,
    );
  }

  const immutable = by('immutable');
  if (immutable.length > 0)
    push(
      'immutable',
      false,
      `${cite(immutable[0]!)}: the revert needs the object deleted and re-created`,
      'assessment',
    );

  const invalid = by('previous-invalid');
  if (invalid.length > 0) push('served', false, cite(invalid[0]!), 'assessment');

  const exposed = by('secret-exposed');
  const rotated = by('secret-rotated');
  const revokedCred = by('credential-revoked');
  if (exposed.length + rotated.length + revokedCred.length > 0) {
    const comp = facts.get(
      'secret-compromised',
      exposed.length > 0 ? { value: true, source: 'assessment', evidence: cite(exposed[0]!) } : undefined,
    );
    if (comp.value === true) {
      push(
        'secret',
        false,
        comp.evidence ?? withFact('the secret is suspected compromised: rotate forward', comp, 'secret-compromised'),
        comp.source,
      );
    } else {
      const rev = facts.get(
        'old-secret-revoked',
        revokedCred.length > 0 ? { value: true, source: 'assessment', evidence: cite(revokedCred[0]!) } : undefined,
      );
      push(
        'secret',
        rev.value !== true,
        rev.value === true
          ? (rev.evidence ?? withFact('the old secret is revoked at its provider', rev, 'old-secret-revoked'))
          : withFact('the old secret is still valid and not compromised', rev, 'old-secret-revoked'),
        rev.value === true ? rev.source : worstSource([comp.source, rev.source]),
      );
    }
  }

  const iam = by('iam').filter((f) => f.messageId !== 'granted');
  if (iam.length > 0) {
    const r = facts.get('old-iam-over-broad');
    push(
      'iam',
      r.value !== true,
      withFact(
        r.value === true
          ? `the policy before ${String(iam[0]!.data?.address ?? 'the change')} was over-broad: restoring it reintroduces the over-permission`
          : 'the previous policy was not over-broad',
        r,
        'old-iam-over-broad',
      ),
      r.source,
    );
  }

  const declared = input.declaration?.rollbackWindow ?? input.assessment.declaration?.rollbackWindow;
  if (!input.ledger && declared !== undefined) {
    // No ledger: when the change deployed and which phases passed are unknown, so whether the declared
    // window is still open is unknown too. It is not assumed open: a stated window-open=yes is needed.
    const r = facts.get('window-open');
    push(
      'window',
      r.value === true,
      withFact(
        r.value === true
          ? `the declared window (${declaredText(declared)}) is open`
          : `no ledger record of the deployment, so whether the declared window (${declaredText(declared)}) is still open is unknown; it is not assumed open: state --fact window-open=yes after checking, or record change.deployed`,
        r,
        'window-open',
      ),
      r.source,
    );
  }
  if (input.ledger) {
    const surfaces = new Set(findings.map((f) => f.surface));
    const closed = input.ledger.windows.filter((w) => !w.open && windowApplies(w, surfaces));
    const open = input.ledger.windows.filter((w) => w.open && windowApplies(w, surfaces));
    if (closed.length > 0) push('window', false, `the ${closed.map(windowName).join(', ')} has closed`, 'ledger');
    else if (open.length > 0)
      push(
        'window',
        true,
        open
          .map(
            (w) =>
              `${w.surface ? `${w.surface} ` : ''}window ${JSON.stringify(w.window)} open${w.closesAt ? ` until ${w.closesAt}` : ''}`,
          )
          .join(', '),
        'ledger',
      );
  }

  const crd = by('crd-incompatible');
  if (crd.length > 0 || playbook === 'bad-controller-upgrade') {
    const fromAssessment = crd.find((f) => f.surface === 'crd');
    const r = facts.get(
      'crds-compatible',
      fromAssessment ? { value: false, source: 'assessment', evidence: cite(fromAssessment) } : undefined,
    );
    push(
      'crds',
      r.value === true,
      r.evidence ??
        withFact(
          r.value === true
            ? "the previous controller's CRD versions serve every stored object"
            : 'a downgrade may strand stored objects',
          r,
          'crds-compatible',
        ),
      r.source,
    );
  }
  return out;
}

function previousImages(findings: readonly Finding[]): string[] {
  return [
    ...new Set(
      findings
        .filter((f) => f.rule === 'kubernetes/image-changed' && typeof f.data?.from === 'string')
        .map((f) => String(f.data!.from)),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Playbook steps around the recovery

function playbookBefore(
  input: DecisionInput,
  findings: readonly Finding[],
  playbook: PlaybookId,
  rehearseFirst: boolean,
  checkOldReads: boolean,
): RunbookStep[] {
  const out: RunbookStep[] = [];
  for (const image of previousImages(findings))
    out.push(
      step(
        `Check the previous image still exists in the registry${/@sha256:/.test(image) ? '' : ' (it is a tag: note the digest it names now, the tag may have moved)'}`,
        `docker manifest inspect ${sh(image)}`,
        'exits 0: the rollback target exists',
      ),
    );
  const stated = input.facts.get('previous-artifact');
  const prev = input.ledger?.previousArtifact ?? (typeof stated === 'string' ? stated : null);
  if (
    prev &&
    !previousImages(findings).includes(prev) &&
    /^[\w.-]+(?::\d+)?\/[^\s]+(?:@sha256:[0-9a-f]{64}|:[\w.-]+)$/.test(prev)
  )
    out.push(
      step(
        `Check the previously deployed artifact (${input.ledger?.previousArtifact ? 'ledger' : 'stated'}) still exists`,
        `docker manifest inspect ${sh(prev)}`,
        'exits 0: the rollback target exists',
      ),
    );
  if (checkOldReads)
    out.push(
      step(
        'Check the previous version reads what the new one wrote: start it against a copy (snapshot) of the data in staging',
        null,
        'the previous version starts and serves reads from the copied data',
      ),
    );
  if (rehearseFirst) {
    const dirs = [...new Set(findings.filter((f) => f.surface === 'database').map((f) => dirOf(f.file)))];
    for (const d of dirs)
      out.push(
        step(
          'Rehearse the migrations (up, old queries, down, up again) before rolling back',
          cmd`rollwright rehearse --dir ${d}`,
          'the rehearsal reports no failed old query and no rows lost',
        ),
      );
  }
  if (playbook === 'bad-policy-rule') out.push(...policyCaptureSteps(findings));
  if (playbook === 'bad-controller-upgrade') out.push(...crdCheckSteps(findings));
  if (playbook === 'bad-iac-module') out.push(...moduleSteps(input, findings));
  return out;
}

function playbookAfter(input: DecisionInput, findings: readonly Finding[], playbook: PlaybookId): RunbookStep[] {
  const out: RunbookStep[] = [];
  if (playbook === 'bad-config-reference') {
    const seen = new Set<string>();
    for (const f of findings) {
      if (!(
        f.rule === 'kubernetes/dangling-reference' ||
        (f.rule === 'kubernetes/configmap-data-changed' && (f.messageId === 'env' || f.messageId === 'subPath'))
      ))
        continue;
      const w = parseWorkload(f.data?.workload);
      if (!w || !['Deployment', 'StatefulSet', 'DaemonSet'].includes(w.kind)) continue;
      const key = `${w.kind}/${w.namespace}/${w.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        step(
          `Restart ${w.kind} ${w.namespace}/${w.name}: it reads the ${f.rule === 'kubernetes/dangling-reference' ? 'restored reference' : 'ConfigMap'} only at pod start`,
          `kubectl rollout restart ${w.kind.toLowerCase()}/${sh(w.name)} -n ${sh(w.namespace)}`,
          `kubectl rollout status ${w.kind.toLowerCase()}/${sh(w.name)} -n ${sh(w.namespace)} completes`,
        ),
      );
    }
  }
  if (playbook === 'bad-network-change') {
    for (const f of findings.filter((x) => x.rule === 'terraform/plan-network-changed'))
      out.push(
        step(
          `Connectivity check for ${String(f.data?.address ?? f.file)}: from the affected clients, reach what it routes or admits`,
          null,
          'connections succeed from every affected client, and nothing newly reachable that should not be',
        ),
      );
    out.push(
      step(
        'Keep a break-glass path ready if this pipeline reaches its targets through the changed network (console or out-of-band access, logged)',
        null,
        null,
      ),
    );
  }
  if (playbook === 'bad-iac-module') {
    for (const w of relevantWorkspaces(
      input,
      findings.filter((f) => f.surface === 'terraform'),
    ))
      out.push(
        step(
          `Compare desired, recorded and actual state of workspace ${w.dir} after the recovery`,
          tf(w, 'plan -refresh-only -detailed-exitcode'),
          'exits 0: recorded state matches reality; a normal plan shows no changes',
        ),
      );
  }
  return out;
}

/**
 * After a controller upgrade is undone: the drift the upgraded controller left while it was degraded,
 * checked with that controller's own tools (the controllers finding names it in `data.controller`),
 * once the loop that installs it runs the recovery's revision (its sync step comes before, with its
 * own Ready/Healthy check). The loops that reconcile the changed files are not the upgraded controller:
 * an Argo CD installed by a Flux HelmRelease is checked with `argocd`, its installer with `flux`.
 */
/** The ledger record of a pause (`pause.started`), right after the pause itself. */
function recordPause(input: DecisionInput, loop: Reconciler): RunbookStep {
  return step(
    `Record the pause of ${loopTarget(loop)}`,
    recordCmd(input, 'pause.started', [
      ['target', loopTarget(loop)],
      ['controller', loop.controller],
    ]),
    null,
  );
}

function driftSteps(input: DecisionInput, findings: readonly Finding[]): RunbookStep[] {
  const upgrades = findings.filter(
    (f) => f.rule === 'controllers/controller-upgraded' && typeof f.data?.controller === 'string',
  );
  const upgraded = [...new Set(upgrades.map((f) => String(f.data!.controller)))].sort();
  const loops = narrowestLoops(input.repository.reconcilers);
  const out: RunbookStep[] = [];
  if (upgraded.length === 0) {
    // No controller was upgraded (a CRD change): what the stored objects need, then the loops that
    // apply the change, healthy after the fix. No controller was degraded, so no drift to reconcile.
    const crds = [
      ...new Set(
        findings
          .filter((f) => f.object?.startsWith('apiextensions.k8s.io/CustomResourceDefinition/'))
          .map((f) => f.object!.slice(f.object!.lastIndexOf('/') + 1)),
      ),
    ].sort();
    for (const name of crds)
      out.push(
        step(
          `Check the versions objects of ${name} are stored at: each one in status.storedVersions must stay served by the CRD the fix leaves in place`,
          `${cmd`kubectl get crd ${name}`} -o jsonpath='{.status.storedVersions}'`,
          'every stored version is served by the CRD at the fix; a version still listed cannot be removed until its objects are migrated',
        ),
      );
    const controllers = new Set(input.repository.reconcilers.map((r) => r.controller));
    if (controllers.has('argocd'))
      out.push(
        step(
          'Check the Argo CD Applications that apply the change are Synced and Healthy at the fix',
          'argocd app list -o wide',
          'no Application shows STATUS OutOfSync or HEALTH Degraded, Missing or Unknown',
        ),
      );
    if (controllers.has('flux'))
      out.push(
        step(
          'Check the Flux objects that apply the change are Ready at the fix',
          'flux get all --all-namespaces --status-selector ready=false',
          'every Kustomization and HelmRelease Ready at the current revision',
        ),
      );
    return out;
  }
  for (const c of upgraded) {
    // The loops that install it: those covering the files where its version changed.
    const files = new Set(upgrades.filter((f) => String(f.data!.controller) === c).map((f) => f.file));
    const installers = loops.filter((l) => l.covers.some((f) => files.has(f))).map(describeLoop);
    const after =
      installers.length > 0 ? ` (after ${installers.join(', ')}, which installs it, runs the recovery's revision)` : '';
    out.push(...controllerDriftSteps(c, after));
  }
  return out;
}

/** The drift and health check of one upgraded controller, with its own CLI (`argocd app list` has no status filter: read the table). */
function controllerDriftSteps(controller: string, after: string): RunbookStep[] {
  switch (controller) {
    case 'Argo CD':
      return [
        step(
          `Reconcile the drift created while Argo CD was degraded${after}: list the Applications OutOfSync or Degraded, then diff and sync each (argocd app diff <app>, argocd app sync <app>)`,
          'argocd app list -o wide',
          'no Application shows STATUS OutOfSync or HEALTH Degraded, Missing or Unknown',
        ),
      ];
    case 'Flux':
      return [
        step(
          `Reconcile the drift created while Flux was degraded${after}: list the Flux objects not Ready and reconcile each with its source`,
          'flux get all --all-namespaces --status-selector ready=false',
          'every Kustomization and HelmRelease Ready at the current revision',
        ),
      ];
    case 'cert-manager':
      return [
        step(
          `Check the certificates cert-manager should have renewed or issued while it was degraded${after}`,
          'kubectl get certificates --all-namespaces',
          'every Certificate READY True',
        ),
      ];
    case 'External Secrets':
      return [
        step(
          `Check the ExternalSecrets that should have refreshed while External Secrets was degraded${after}`,
          'kubectl get externalsecrets --all-namespaces',
          'every ExternalSecret READY True (SecretSynced)',
        ),
      ];
    case 'Crossplane':
      return [
        step(
          `Check the managed resources Crossplane reconciles for drift left while it was degraded${after}`,
          'kubectl get managed',
          'every managed resource SYNCED True and READY True',
        ),
      ];
    default:
      return [
        step(
          `Check the objects ${controller} reconciles for failures left while it was degraded${after}: their status conditions and events`,
          null,
          `no object of ${controller} reports a failed or stale condition`,
        ),
      ];
  }
}

function policyCaptureSteps(findings: readonly Finding[]): RunbookStep[] {
  const units = [
    ...new Set(
      findings
        .filter((f) => f.surface === 'policy')
        .map((f) => String(f.data?.unit ?? f.data?.object ?? f.data?.where ?? f.file)),
    ),
  ];
  return [
    step(
      `Capture the denied input before changing anything: the admission request or policy report that ${units.join(', ')} denied`,
      'kubectl get events --all-namespaces --field-selector reason=PolicyViolation',
      'the denied object and the message of the rule are saved with the incident',
    ),
    step(
      'Add the denied input as a regression test of the policy (it must be admitted after the fix)',
      null,
      'the policy tests fail on the bad rule and pass on the fix',
    ),
    step(
      'If the rule itself must stay, use a scoped exception with an expiry (one namespace or object, a TTL) rather than disabling the policy bundle',
      null,
      'the exception names its scope and expiry',
    ),
  ];
}

function crdCheckSteps(findings: readonly Finding[]): RunbookStep[] {
  const crds = [
    ...new Set(
      findings
        .filter((f) => f.surface === 'crd')
        .map((f) => String(f.data?.crd ?? f.data?.name ?? ''))
        .filter((s) => /\./.test(s)),
    ),
  ];
  const out = crds.map((name) =>
    step(
      `Check CRD ${name} before any downgrade: every stored version must be served by the previous controller`,
      `kubectl get crd ${sh(name)} -o jsonpath='{.status.storedVersions}'`,
      'every listed version is served by the previous release',
    ),
  );
  if (out.length === 0)
    out.push(
      step(
        'Check the CRDs of the controller before a downgrade: every stored version must be served by the previous release',
        `kubectl get crd -o custom-columns=NAME:.metadata.name,STORED:.status.storedVersions`,
        'every stored version is served by the previous release',
      ),
    );
  return out;
}

function moduleSteps(input: DecisionInput, findings: readonly Finding[]): RunbookStep[] {
  const modules = findings.filter((f) => f.rule === 'terraform/module-version-changed');
  const out: RunbookStep[] = [];
  for (const m of modules) {
    const address = String(m.data?.address ?? m.file);
    out.push(
      step(
        `Freeze promotion of ${address} ${String(m.data?.to ?? 'the new release')} to other stacks`,
        null,
        'no pipeline promotes the release while the incident is open',
      ),
    );
    out.push(
      step(
        `Find the stacks that use the release (${String(m.data?.to ?? '')})`,
        `${cmd`git grep -n ${String(m.data?.to ?? address)}`} -- '*.tf'`,
        'the list of stacks already on it',
      ),
    );
    out.push(
      step(
        `Pin the previous version ${String(m.data?.from ?? '')} for ${address} (the revert does it for this stack)`,
        null,
        `${m.file} names ${String(m.data?.from ?? 'the previous version')}`,
      ),
    );
  }
  for (const w of relevantWorkspaces(
    input,
    findings.filter((f) => f.surface === 'terraform'),
  ))
    out.push(
      step(
        `Fresh plan of workspace ${w.dir} before anything is applied`,
        tf(w, 'plan'),
        'the plan changes only what the module release changed',
      ),
    );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Restore and rollforward

function restoreSteps(input: DecisionInput, destroyed: readonly Finding[]): RunbookStep[] {
  const before = input.ledger?.deployedAt ? `before ${input.ledger.deployedAt}` : 'before the change deployed';
  const out: RunbookStep[] = [];
  for (const f of destroyed) {
    if (f.surface === 'database') {
      out.push(
        step(
          `Restore the database to a point ${before} into a separate instance (point-in-time recovery; never over the live database)`,
          null,
          `the restored instance holds ${String(f.data?.target ?? f.data?.table ?? 'the destroyed data')}`,
        ),
        step(
          `Roll the schema forward to receive the data again: a new migration that re-creates ${String(f.data?.target ?? f.data?.table ?? 'what was dropped')} (nullable, expand-only)`,
          null,
          cmd`rollwright rehearse --dir ${dirOf(f.file)}` + ' passes',
        ),
        step(
          'Copy the destroyed values back from the restored instance by primary key, newer writes kept',
          null,
          'row counts and checksums match the restored instance',
        ),
      );
    } else if (f.surface === 'terraform') {
      out.push(
        step(
          `Restore ${String(f.data?.address ?? 'the destroyed resource')} from its latest snapshot or backup ${before}`,
          null,
          'the restored object holds the data',
        ),
        step(
          `Adopt the restored object into state with an import block (import { to = ${String(f.data?.address ?? '<address>')}, id = "<restored id>" })`,
          null,
          tf(workspaceFor(input, f.file), 'plan') + ' shows an import and no create',
        ),
      );
    } else {
      const o = parseObject(f.object);
      out.push(
        step(
          `Restore ${o ? `${o.kind} ${o.namespace}/${o.name}` : f.file} from its backup or volume snapshot ${before} (a new claim with the snapshot as dataSource)`,
          null,
          'the restored volume is Bound and holds the data',
        ),
      );
    }
  }
  out.push(...revertStepsForRestore(input));
  return out;
}

/** After a restore, Git must still stop doing the destructive thing: the fix is a forward change. */
function revertStepsForRestore(_input: DecisionInput): RunbookStep[] {
  return [
    step(
      'Commit the forward change that stops the destruction (remove or guard what destroyed the data) and push it',
      null,
      'rollwright assess on the fix shows no destroyed data',
    ),
    step('Push it through the normal review path', 'git push', 'the pipeline checks pass'),
  ];
}

function rollforwardSteps(
  input: DecisionInput,
  findings: readonly Finding[],
  playbook: PlaybookId,
  failed: ReadonlyArray<{ check: PreviousStateCheck; why: string }>,
  destroyed: readonly Finding[],
  forwardOnly: readonly Finding[],
): RunbookStep[] {
  const out: RunbookStep[] = [];
  const head = input.commits.length > 0 ? input.commits[input.commits.length - 1]! : input.change;
  if (playbook === 'bad-iam-change' && failed.some((f) => f.check.id === 'iam')) {
    const iam = findings.filter((f) => hasEffect(f, 'iam'));
    for (const f of iam)
      out.push(
        step(
          `Narrow forward fix: grant ${String(f.data?.address ?? 'the principal')} only the permission the incident shows missing (from the denied call in the audit log); do not restore the previous, over-broad policy`,
          null,
          'the denied call now succeeds, and the policy grants nothing else new',
        ),
      );
    for (const w of relevantWorkspaces(
      input,
      findings.filter((f) => f.surface === 'terraform'),
    ))
      out.push(
        step(
          `Plan the narrow fix in workspace ${w.dir}`,
          tf(w, 'plan'),
          `the plan changes only ${iam.map((f) => String(f.data?.address ?? '')).join(', ')}`,
        ),
      );
  } else if (destroyed.length > 0 || forwardOnly.length > 0) {
    const f = (destroyed[0] ?? forwardOnly[0])!;
    if (f.surface === 'database') {
      out.push(
        step(
          `Write a forward migration: ${f.rule === 'database/contract-statement' ? `re-create ${String(f.data?.target ?? 'what was dropped')} as nullable so the running version works again, or deploy code that no longer uses it` : 'correct the schema forward (the old state cannot come back)'}`,
          null,
          "the running version's queries succeed against the new schema",
        ),
        step(
          'Rehearse the forward migration on PostgreSQL',
          cmd`rollwright rehearse --dir ${dirOf(f.file)}`,
          'no failed old query, no rows lost',
        ),
      );
    } else {
      out.push(
        step(`Write the forward fix for ${cite(f)}`, null, 'the fix keeps the new state and corrects the fault'),
      );
    }
  } else {
    for (const f of failed) out.push(step(`Forward fix (${f.check.id}): ${f.check.forwardFix}`, null, f.why));
    if (failed.length === 0) out.push(step('Write the forward fix on top of the current state', null, null));
  }
  out.push(
    step(
      'Assess the fix like any change before it merges',
      `rollwright assess --base ${sh(head)} --head HEAD`,
      'its class is no worse than needed and the gate passes',
    ),
    step('Push the fix through the normal review path', 'git push', 'the pipeline checks pass on the fix'),
  );
  return out;
}

/** For the README and tests: the effect table's text. */
export function effectMeaning(e: Effect): string {
  return EFFECTS[e];
}
