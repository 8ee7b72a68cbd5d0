import loop from './1-loop.js';
import rollout from './2-rollout.js';
import flag from './3-flag.js';
import state from './4-state.js';
import data from './5-data.js';
import previousState from './6-previous-state.js';
import gitops from './7-gitops.js';
import type { DecisionQuestion, QuestionId } from './question.js';

export { PREVIOUS_STATE_CHECKS, type PreviousStateCheck } from './6-previous-state-checks.js';
export type { DecisionQuestion, QuestionContext, QuestionId } from './question.js';

/** The seven questions of an incident decision, in the order they are asked. */
export const QUESTIONS: readonly DecisionQuestion[] = [loop, rollout, flag, state, data, previousState, gitops];

export function question(id: QuestionId): DecisionQuestion {
  return QUESTIONS.find((q) => q.id === id)!;
}
