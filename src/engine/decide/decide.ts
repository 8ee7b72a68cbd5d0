import { EVIDENCE_ITEMS } from '../../core/vocabulary.js';
import type { FactName } from './facts.js';
import { QUESTIONS } from './questions/index.js';
import { declaredText } from './questions/6-previous-state-checks.js';
import { questionContext } from './questions/question.js';
import { recoveryRunbook } from './runbook/index.js';
import { DECISION_SCHEMA, type Decision, type DecisionInput } from './types.js';
import { startWalk, type Walk } from './walk.js';

export { narrowestLoops } from './loops.js';

/**
 * The incident decision: walks the seven ordered questions (questions/) over a gathered
 * `DecisionInput` and returns the transition, its rationale and a runbook (runbook/). Pure and
 * deterministic: no clock, no I/O; the same input gives the same decision byte for byte.
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

/** The rationale entry said when the decision has no ledger record of the change. */
export const LEDGER_QUESTION = 'Does the ledger record the change (deployment, windows, phases, pauses)?';

function walk(input: DecisionInput): { decision: Decision; assumed: FactName[] } {
  const w = startWalk(input);
  if (!input.ledger) noLedger(w);
  for (const q of QUESTIONS) q.ask(questionContext(q, w));
  const { transition, runbook } = recoveryRunbook(w);
  const attached = new Set(input.ledger?.evidenceAttached ?? []);
  const decision: Decision = {
    schema: DECISION_SCHEMA,
    change: input.change,
    transition,
    containment: w.containment,
    rationale: w.rationale,
    runbook,
    assumptions: w.facts.assumptions,
    evidenceOwed: EVIDENCE_ITEMS.filter((e) => !attached.has(e)),
    playbook: w.playbook,
    class: input.assessment.class,
    environment: input.environment,
    refused: w.refused,
    overruled: w.facts.overruled,
    resolution: input.resolution ?? {
      source: 'argument',
      how: `${input.commits.length} ${input.commits.length === 1 ? 'commit' : 'commits'}`,
      commits: input.commits.map((sha) => ({ sha, subject: '', declarationOnly: false })),
      declarationOnly: false,
    },
  };
  return { decision, assumed: w.facts.assumed };
}

/** Before the questions: without a ledger record, what is unknown, and that no declared window is assumed open. */
function noLedger({ input, rationale }: Walk): void {
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
