import type { Finding } from '../../core/finding.js';
import type { Transition } from '../../core/vocabulary.js';
import { FactBook } from './factbook.js';
import { isRunning, narrowestLoops, relevantWorkspaces } from './loops.js';
import type { Effect } from '../../core/effects.js';
import { hasEffect, pickPlaybook } from './playbooks.js';
import type { FailedCheck } from './questions/6-previous-state-checks.js';
import type {
  Decision,
  DecisionInput,
  PlaybookId,
  RationaleEntry,
  Reconciler,
  RunbookStep,
  WorkspaceRef,
} from './types.js';

/** The recovery as the data and previous-state questions leave it (before break-glass and aborts). */
export type Outcome = 'rollback' | 'rollforward' | 'restore' | 'compensate';

/**
 * One walk of the questions over a `DecisionInput`: what the questions read (the input, the facts,
 * the findings by effect, the loops of the change) and what they leave for the questions after them
 * and for the runbook (containment, refusals, the outcome, what was paused).
 */
export interface Walk {
  readonly input: DecisionInput;
  readonly facts: FactBook;
  readonly findings: readonly Finding[];
  /** The playbook the findings point to. */
  readonly playbook: PlaybookId;
  /** The findings with this effect. */
  by(e: Effect): Finding[];

  readonly rationale: RationaleEntry[];
  readonly containment: Transition[];
  readonly refused: Decision['refused'];
  /** Runbook sections the questions fill: containment steps first, compensation after the recovery. */
  readonly contain: RunbookStep[];
  readonly compensate: RunbookStep[];

  /** The narrowest loops that reconcile the change, and those of them that reconcile automatically. */
  readonly loops: Reconciler[];
  readonly running: Reconciler[];
  /** The Terraform findings, and the IaC workspaces they (or the change's paths) are in. */
  readonly terraformFindings: Finding[];
  readonly workspaces: WorkspaceRef[];
  /** What was paused: resumed last, children first, then parents outermost last, then workspaces. */
  readonly paused: {
    readonly loops: Reconciler[];
    readonly parents: Reconciler[];
    readonly workspaces: WorkspaceRef[];
  };

  /** Question 2: a rollout was aborted. */
  aborted: boolean;
  /** Question 5 (the findings by data effect, and what the answers ask of the runbook). */
  readonly data: {
    readonly destroyed: Finding[];
    readonly forwardOnly: Finding[];
    readonly expand: Finding[];
    readonly external: Finding[];
    readonly dataSurface: Finding[];
    rehearseFirst: boolean;
    keepSchema: boolean;
    checkOldReads: boolean;
  };
  /** Questions 5 and 6: the recovery so far. */
  outcome: Outcome;
  /** Question 6: the checks of the previous state that failed. */
  readonly failed: FailedCheck[];
  /** Question 7: the GitOps path is down. */
  breakGlass: boolean;
}

export function startWalk(input: DecisionInput): Walk {
  const findings = [...input.assessment.findings];
  const by = (e: Effect) => findings.filter((f) => hasEffect(f, e));
  const loops = narrowestLoops(input.repository.reconcilers);
  const terraformFindings = findings.filter((f) => f.surface === 'terraform');
  return {
    input,
    facts: new FactBook(input.facts),
    findings,
    playbook: pickPlaybook(findings),
    by,
    rationale: [],
    containment: [],
    refused: [],
    contain: [],
    compensate: [],
    loops,
    running: loops.filter(isRunning),
    terraformFindings,
    workspaces: relevantWorkspaces(input, terraformFindings),
    paused: { loops: [], parents: [], workspaces: [] },
    aborted: false,
    data: {
      destroyed: by('data-destroyed'),
      forwardOnly: by('data-forward-only'),
      expand: by('data-expand'),
      external: by('external-effects'),
      dataSurface: by('data-surface'),
      rehearseFirst: false,
      keepSchema: false,
      checkOldReads: false,
    },
    outcome: 'rollback',
    failed: [],
    breakGlass: false,
  };
}
