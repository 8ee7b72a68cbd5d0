import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { binaryBackedTests } from './test-suites.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the fast test target', () => {
  const slow = new Map(binaryBackedTests(ROOT).map((t) => [t.file, t.why]));

  it('leaves out the suites that drive a binary, each for its reason', () => {
    expect(slow.get('src/surfaces/terraform/fixtures/fixtures.test.ts')).toBe('runs terraform');
    expect(slow.get('src/rehearse/postgres.test.ts')).toBe('starts a PostgreSQL server');
    expect(slow.get('src/ledger/store.test.ts')).toBe('starts a PostgreSQL server');
    expect(slow.get('src/live/oci.test.ts')).toBe('starts a CNCF Distribution registry');
    expect(slow.get('src/cli/commands/decide.test.ts')).toBe('runs the built CLI as a process');
    expect(slow.get('examples/run.test.ts')).toBe('runs the built CLI as a process');
    expect(slow.has('src/server/alertmanager.test.ts')).toBe(true);
  });

  it('keeps the rule case tables, the architecture and the docs tests', () => {
    for (const f of [
      'src/surfaces/flux/rules/prune.test.ts',
      'src/surfaces/rollouts/rules/analysis-no-data-policy.test.ts',
      'src/architecture.test.ts',
      'src/registry.test.ts',
      'src/docs.test.ts',
      'src/engine/decide/decide.test.ts',
    ])
      expect(slow.has(f), f).toBe(false);
  });
});
