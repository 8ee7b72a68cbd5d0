import type { Resolved } from '../factbook.js';
import { factSpec, formatFactValue, type FactName } from '../facts.js';
import type { AnswerSource } from '../types.js';
import type { Walk } from '../walk.js';

export type QuestionId = 'loop' | 'rollout' | 'flag' | 'state' | 'data' | 'previous' | 'gitops';

/**
 * One of the seven ordered questions of an incident decision, shaped like a rule: its metadata (the
 * rationale quotes `text`, the README is generated from it, `facts` lists the facts it may need in the
 * order the prompt asks them) and one function that answers it on a walk.
 */
export interface DecisionQuestion {
  id: QuestionId;
  /** Its place in the order. */
  n: number;
  /** A short name (`Control loops`). */
  title: string;
  /** The question as the rationale quotes it. */
  text: string;
  facts: readonly FactName[];
  /** What a yes leads to, in one line. */
  leadsTo: string;
  ask(ctx: QuestionContext): void;
}

export interface QuestionContext {
  walk: Walk;
  /** Records the question's answer in the rationale. */
  say(answer: string, source: AnswerSource): void;
  /**
   * Records the answer a fact gives: the question's first fact answers the question itself; its
   * others are sub-questions, quoted as the prompt asks them.
   */
  sayFact(name: FactName, r: Resolved, answer: string): void;
}

export function defineQuestion(q: DecisionQuestion): DecisionQuestion {
  return q;
}

/** The context in which `q` is asked on `walk`. */
export function questionContext(q: DecisionQuestion, walk: Walk): QuestionContext {
  return {
    walk,
    say: (answer, source) => walk.rationale.push({ question: q.text, answer, source }),
    sayFact: (name, r, answer) =>
      walk.rationale.push({
        question: q.facts[0] === name ? q.text : factSpec(name)!.question,
        answer: `${formatFactValue(r.value) || 'unknown'}: ${answer}${r.source === 'fact' ? ` (stated --fact ${name})` : ''}`,
        source: r.source,
      }),
  };
}
