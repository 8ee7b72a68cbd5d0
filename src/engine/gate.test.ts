import { describe, expect, it } from 'vitest';
import type { RollbackClass } from '../core/classes.js';
import type { Declaration } from '../core/declaration.js';
import type { Finding } from '../core/finding.js';
import { defaultConfig } from '../core/config.js';
import { evaluateGate, type GateInput } from './gate.js';

function finding(cls: RollbackClass, severity: Finding['severity'] = 'warning', rule = 'kubernetes/x'): Finding {
  return {
    rule,
    surface: 'kubernetes',
    class: cls,
    severity,
    message: `a ${cls} effect`,
    messageId: 'm',
    file: 'a.yaml',
    line: 3,
  };
}

const honest: Declaration = {
  source: '.rollwright/changes/CHG-1.yaml',
  id: 'CHG-1',
  environment: 'prod',
  rollbackClass: 'reversible-with-compatibility-window',
  rollbackWindow: '48h',
  rollbackMethod: 'revert-image-digest',
  verification: ['error-rate < 1%'],
  irreversibleEffects: ['none expected'],
};

function gate(over: Partial<GateInput>) {
  return evaluateGate({
    inferred: 'fully-reversible',
    findings: [],
    declaration: null,
    declarationProblems: [],
    environments: [],
    config: defaultConfig(),
    ...over,
  });
}

describe('evaluateGate (docs/gate.md)', () => {
  const cases: Array<{ name: string; input: Partial<GateInput>; passed: boolean; reason?: RegExp }> = [
    { name: 'no environment needs a declaration', input: { environments: ['staging'] }, passed: true },
    {
      name: 'prod without a declaration',
      input: { environments: ['prod'] },
      passed: false,
      reason: /environment prod requires a change declaration/,
    },
    {
      name: 'environment configured to require one',
      input: {
        environments: ['staging'],
        config: { ...defaultConfig(), environments: { staging: { paths: [], requireDeclaration: true } } },
      },
      passed: false,
      reason: /environment staging requires/,
    },
    {
      name: 'honest declaration',
      input: {
        environments: ['prod'],
        declaration: honest,
        inferred: 'reversible-with-compatibility-window',
        findings: [finding('reversible-with-compatibility-window')],
      },
      passed: true,
    },
    {
      name: 'declared class more optimistic than the evidence',
      input: {
        environments: ['prod'],
        declaration: { ...honest, rollbackClass: 'fully-reversible' },
        inferred: 'reversible-with-manual-repair',
        findings: [finding('reversible-with-manual-repair', 'warning', 'kubernetes/immutable-field-changed')],
      },
      passed: false,
      reason:
        /declared class fully-reversible is more optimistic than the evidence: reversible-with-manual-repair \(kubernetes\/immutable-field-changed at a\.yaml:3\)/,
    },
    {
      name: 'a more pessimistic declaration is allowed',
      input: { declaration: { ...honest, rollbackClass: 'forward-only' }, inferred: 'fully-reversible' },
      passed: true,
    },
    {
      name: 'method missing',
      input: { declaration: { ...honest, rollbackMethod: undefined } as Declaration },
      passed: false,
      reason: /no rollbackMethod/,
    },
    {
      name: 'verification empty for a class other than fully-reversible',
      input: { declaration: { ...honest, verification: [] } },
      passed: false,
      reason: /no verification, required for class reversible-with-compatibility-window/,
    },
    {
      name: 'verification may be empty for fully-reversible',
      input: {
        declaration: {
          ...honest,
          rollbackClass: 'fully-reversible',
          verification: [],
          rollbackWindow: undefined,
        } as Declaration,
      },
      passed: true,
    },
    {
      name: 'window missing for a compatibility-window class',
      input: { declaration: { ...honest, rollbackWindow: undefined } as Declaration },
      passed: false,
      reason: /no rollbackWindow/,
    },
    {
      name: 'per-surface windows count as a window',
      input: {
        declaration: { ...honest, rollbackWindow: { appImage: '24h', databaseSchema: 'until-contract-phase' } },
      },
      passed: true,
    },
    {
      name: 'window required when the evidence (not the declaration) is compatibility-window',
      input: {
        declaration: { ...honest, rollbackClass: 'fully-reversible', rollbackWindow: undefined } as Declaration,
        inferred: 'reversible-with-compatibility-window',
      },
      passed: false,
      reason: /no rollbackWindow/,
    },
    {
      name: 'irreversible effects inferred but declared none',
      input: {
        declaration: { ...honest, rollbackClass: 'non-recoverable-without-restore' },
        inferred: 'non-recoverable-without-restore',
        findings: [finding('non-recoverable-without-restore')],
      },
      passed: false,
      reason: /irreversible effects that the declaration does not list/,
    },
    {
      name: 'irreversible effects inferred and declared',
      input: {
        declaration: {
          ...honest,
          rollbackClass: 'non-recoverable-without-restore',
          irreversibleEffects: ['uploads PVC deleted'],
        },
        inferred: 'non-recoverable-without-restore',
        findings: [finding('non-recoverable-without-restore')],
      },
      passed: true,
    },
    {
      name: 'schema problems in the declaration fail the gate',
      input: { declaration: honest, declarationProblems: ['x.yaml: change.rollbackClass: invalid'] },
      passed: false,
      reason: /declaration is invalid: x\.yaml/,
    },
    {
      name: 'error findings without a declaration fail the gate',
      input: {
        findings: [finding('non-recoverable-without-restore', 'error', 'kubernetes/stateful-object-deleted')],
        inferred: 'non-recoverable-without-restore',
      },
      passed: false,
      reason: /1 error finding and no declaration that accepts it: kubernetes\/stateful-object-deleted at a\.yaml:3/,
    },
    {
      name: 'an honest declaration accepts an error finding (the destruction is declared)',
      input: {
        declaration: {
          ...honest,
          rollbackClass: 'non-recoverable-without-restore',
          irreversibleEffects: ['uploads PVC deleted'],
        },
        findings: [finding('non-recoverable-without-restore', 'error', 'kubernetes/stateful-object-deleted')],
        inferred: 'non-recoverable-without-restore',
      },
      passed: true,
    },
    {
      name: 'blocking findings fail whatever is declared',
      input: {
        declaration: { ...honest, rollbackClass: 'forward-only' },
        findings: [finding('forward-only', 'error', 'kubernetes/plaintext-secret')],
        inferred: 'forward-only',
        blocking: new Set(['kubernetes/plaintext-secret']),
      },
      passed: false,
      reason: /1 finding that no declaration can accept: kubernetes\/plaintext-secret at a\.yaml:3/,
    },
    {
      name: 'a warning of a blocking rule does not block',
      input: {
        findings: [finding('reversible-with-manual-repair', 'warning', 'kubernetes/invalid-manifest')],
        inferred: 'reversible-with-manual-repair',
        blocking: new Set(['kubernetes/invalid-manifest']),
      },
      passed: true,
    },
    {
      name: '--fail-on at the class',
      input: { inferred: 'forward-only', failOn: 'forward-only' },
      passed: false,
      reason: /class forward-only is at or worse than --fail-on forward-only/,
    },
    {
      name: '--fail-on above the class',
      input: { inferred: 'fully-reversible', failOn: 'forward-only' },
      passed: true,
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const r = gate(c.input);
    expect(r.passed, r.reasons.join('\n')).toBe(c.passed);
    if (c.passed) expect(r.reasons).toEqual([]);
    if (c.reason) expect(r.reasons.join('\n')).toMatch(c.reason);
  });
});
