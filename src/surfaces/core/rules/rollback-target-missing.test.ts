import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../core/config.js';
import { RuleRunner } from '../../../testing/engine.js';
import rule, { type TargetStatus } from './rollback-target-missing.js';

const target = (over: Partial<TargetStatus>): TargetStatus => ({
  target: `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`,
  what: 'Deployment shop/web container web',
  file: 'apps/web.yaml',
  line: 18,
  status: 'present',
  reason: 'exists',
  ...over,
});

async function run(targets: TargetStatus[]) {
  const runner = new RuleRunner(defaultConfig());
  await runner.run([rule], { targets }, { file: 'x', line: 1 });
  return runner.findings;
}

describe('core/rollback-target-missing', () => {
  it.each([
    ['no target', []],
    ['every target present', [target({}), target({ target: 'chart web 1.2.0 (https://charts.example)' })]],
  ])('valid: %s', async (_name, targets) => {
    expect(await run(targets)).toEqual([]);
  });

  it.each([
    [
      'a deleted digest',
      [target({ status: 'missing', reason: 'manifest unknown' })],
      [{ messageId: 'missing', class: 'reversible-with-manual-repair', severity: 'warning', line: 18 }],
      /the rollback target ghcr\.io\/acme\/web@sha256:a{64} no longer exists \(manifest unknown\)/,
    ],
    [
      'a chart version dropped from the index',
      [
        target({
          target: 'chart web 1.2.0 (https://charts.example)',
          what: 'HelmRelease shop/web',
          status: 'missing',
          reason: 'not in index.yaml',
        }),
      ],
      [{ messageId: 'missing', severity: 'warning' }],
      /HelmRelease shop\/web: the rollback target chart web 1\.2\.0/,
    ],
    [
      'unreachable and offline are said, as info, without raising the class',
      [
        target({ status: 'unreachable', reason: 'connection refused' }),
        target({ status: 'unknown', reason: 'offline' }),
      ],
      [
        { messageId: 'unchecked', class: 'fully-reversible', severity: 'info' },
        { messageId: 'unchecked', class: 'fully-reversible', severity: 'info' },
      ],
      /could not be checked \(unreachable: connection refused\)/,
    ],
  ])('invalid: %s', async (_name, targets, want, message) => {
    const got = await run(targets);
    expect(got).toMatchObject(want.map((w) => ({ rule: 'core/rollback-target-missing', ...w })));
    expect(got[0]!.message).toMatch(message);
  });
});
