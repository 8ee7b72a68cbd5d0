import { formatFactValue } from './facts.js';
import type { Decision, FactValue } from './types.js';

/** The longest rationale a decision.made event carries (the ledger's limit on free text). */
const RATIONALE_MAX = 16_384;

/**
 * The payload of the `decision.made` event that records a decision: its transition, class, numbered
 * rationale (each answer with its source), playbook, change, the commits assessed and where they
 * were found, containment, the facts it assumed and
 * the facts stated (sorted by name). `rollwright decide` and `POST /api/v1/decisions` both record it.
 */
export function decisionPayload(decision: Decision, facts: ReadonlyMap<string, FactValue>): Record<string, unknown> {
  const stated: Record<string, string> = {};
  for (const [k, v] of [...facts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const text = formatFactValue(v);
    if (text !== '') stated[k] = text;
  }
  const rationale = decision.rationale.map((r, i) => `${i + 1}. ${r.question} ${r.answer} [${r.source}]`).join('\n');
  return {
    transition: decision.transition,
    class: decision.class,
    rationale: rationale.length > RATIONALE_MAX ? `${rationale.slice(0, RATIONALE_MAX - 4)} …` : rationale || '(none)',
    playbook: decision.playbook,
    change: decision.change,
    ...(decision.resolution.commits.length
      ? { commits: decision.resolution.commits.map((c) => c.sha), 'commits-source': decision.resolution.source }
      : {}),
    ...(decision.containment.length ? { containment: decision.containment } : {}),
    ...(decision.assumptions.length ? { assumptions: decision.assumptions } : {}),
    ...(Object.keys(stated).length ? { facts: stated } : {}),
  };
}
