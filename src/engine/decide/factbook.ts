import { factSpec, formatFactValue, type FactName } from './facts.js';
import type { AnswerSource, Decision, FactValue } from './types.js';

/** A fact as the decision took it: its value and who gave it. */
export interface Resolved {
  value: FactValue;
  source: AnswerSource;
  /** What the assessment, ledger or repository showed, for the rationale. */
  evidence: string | null;
}

/** A fact's value shown by the assessment, the ledger, the repository or a live check: it wins over a stated one. */
export interface Inferred {
  value: FactValue;
  source: 'assessment' | 'ledger' | 'repository' | 'live';
  evidence: string;
}

/**
 * The facts of one decision, each resolved once, in the order the questions ask them: what the
 * evidence shows, else what was stated, else the safe assumption (listed under `assumptions`).
 */
export class FactBook {
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
}
