import { describe, expect, it } from 'vitest';
import { validatePayload } from '../../ledger/events.js';
import { decisionPayload } from './record.js';
import { DECISION_SCHEMA, type Decision, type FactValue } from './types.js';

const base: Decision = {
  schema: DECISION_SCHEMA,
  change: 'abc123..def456',
  transition: 'rollback',
  containment: [],
  rationale: [],
  runbook: [],
  assumptions: [],
  evidenceOwed: [],
  playbook: 'bad-app-release',
  class: 'fully-reversible',
  environment: 'production',
  refused: [],
  overruled: [],
  resolution: { source: 'argument', how: '--change abc123..def456', commits: [], declarationOnly: false },
};

describe('decisionPayload: the decision.made payload decide and serve record', () => {
  const cases: Array<{ name: string; decision: Partial<Decision>; facts?: Array<[string, FactValue]>; want: object }> =
    [
      {
        name: 'a bare decision: no rationale, no optional keys',
        decision: {},
        want: {
          transition: 'rollback',
          class: 'fully-reversible',
          rationale: '(none)',
          playbook: 'bad-app-release',
          change: 'abc123..def456',
        },
      },
      {
        name: 'rationale numbered with each source; containment and assumptions kept',
        decision: {
          rationale: [
            { question: 'Q1 Is damage repeating?', answer: 'no', source: 'fact' },
            { question: 'Q2 Is a rollout in progress?', answer: 'yes', source: 'ledger' },
          ],
          containment: ['pause'],
          assumptions: ['data-changed=yes (assumed)'],
        },
        want: {
          rationale: '1. Q1 Is damage repeating? no [fact]\n2. Q2 Is a rollout in progress? yes [ledger]',
          containment: ['pause'],
          assumptions: ['data-changed=yes (assumed)'],
        },
      },
      {
        name: 'stated facts sorted by name, yes/no for booleans, empty values left out',
        decision: {},
        facts: [
          ['window-open', false],
          ['previous-artifact', 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64)],
          ['data-changed', true],
          ['empty', ''],
        ],
        want: {
          facts: {
            'data-changed': 'yes',
            'previous-artifact': 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64),
            'window-open': 'no',
          },
        },
      },
    ];
  cases.push({
    name: 'the commits assessed and where they were found',
    decision: {
      resolution: {
        source: 'ledger',
        how: 'change.deployed #2 recorded the merge',
        commits: [
          { sha: 'a'.repeat(40), subject: 'drop column', declarationOnly: false },
          { sha: 'b'.repeat(40), subject: 'declare', declarationOnly: true },
        ],
        declarationOnly: false,
      },
    },
    want: { commits: ['a'.repeat(40), 'b'.repeat(40)], 'commits-source': 'ledger' },
  });
  for (const c of cases)
    it(c.name, () => {
      const p = decisionPayload({ ...base, ...c.decision }, new Map(c.facts ?? []));
      expect(p).toMatchObject(c.want);
      if (!c.facts) expect(p).not.toHaveProperty('facts');
      expect(Object.keys(p).slice(0, 5)).toEqual(['transition', 'class', 'rationale', 'playbook', 'change']);
      expect(validatePayload('decision.made', p).ok).toBe(true);
    });

  it('cuts a rationale longer than the ledger takes, and the ledger accepts it', () => {
    const rationale = Array.from({ length: 400 }, (_, i) => ({
      question: `Q${i} ${'why '.repeat(15)}`,
      answer: 'no',
      source: 'assumed' as const,
    }));
    const p = decisionPayload({ ...base, rationale }, new Map());
    const text = p.rationale as string;
    expect(text.length).toBeLessThanOrEqual(16_384);
    expect(text.endsWith(' …')).toBe(true);
    expect(text.startsWith('1. Q0 why')).toBe(true);
    expect(validatePayload('decision.made', p).ok).toBe(true);
  });
});
