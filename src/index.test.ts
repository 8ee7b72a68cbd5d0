import { describe, expect, it } from 'vitest';
import * as lib from './index.js';

describe('the public library API', () => {
  it('offers every command as a function, the decision and revert included', () => {
    for (const name of [
      'assess',
      'assessChangeSet',
      'evaluateGate',
      'decide',
      'unresolvedFacts',
      'gatherDecisionInput',
      'renderDecision',
      'checkRevert',
      'computeWindows',
      'sloReport',
      'parseStoreSpec',
      'parseFacts',
    ])
      expect(typeof (lib as Record<string, unknown>)[name], name).toBe('function');
    expect(typeof lib.Ledger.open).toBe('function');
    expect(lib.DECISION_SCHEMA).toBe('rollwright.decision/v1');
    expect(lib.REVERT_SCHEMA).toBe('rollwright.revert/v1');
    expect(lib.FACTS.map((f) => f.name)).toContain('loop-repeating-damage');
  });
});
