import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config.js';
import { RuleRunner } from '../runner.js';
import type { CheckedTarget } from '../targets.js';
import rule from './rollback-target-missing.js';

const target = (over: Partial<CheckedTarget>): CheckedTarget => ({
  kind: 'image',
  target: `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`,
  what: 'Deployment shop/web container web',
  file: 'apps/web.yaml',
  line: 18,
  replacedBy: `ghcr.io/acme/web@sha256:${'b'.repeat(64)}`,
  check: { kind: 'image', ref: `ghcr.io/acme/web@sha256:${'a'.repeat(64)}` },
  status: 'present',
  reason: 'exists',
  source: 'live',
  ...over,
});

async function run(targets: CheckedTarget[]) {
  const runner = new RuleRunner(defaultConfig());
  await runner.run([rule], { targets }, { file: 'x', line: 1 });
  return runner.findings;
}

describe('core/rollback-target-missing', () => {
  it.each([
    ['no target', []],
    [
      'every target present',
      [target({}), target({ kind: 'chart', target: 'chart web 1.2.0 (https://charts.example)' })],
    ],
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
          kind: 'chart',
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
        target({ status: 'unknown', reason: 'offline', source: 'offline' }),
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
