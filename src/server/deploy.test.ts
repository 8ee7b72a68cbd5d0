/**
 * The manifests that run `rollwright serve` (deploy/) are a change like any other: rollwright's own
 * assessment of adding them to a repository finds nothing of error severity.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli, ensureBuilt, ROOT } from '../testing/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rollwright-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('deploy/ passes rollwright assess with no error-severity finding', async () => {
  await ensureBuilt();
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
      stdio: 'pipe',
    });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), 'platform\n');
  git('add', '-A');
  git('commit', '-qm', 'base');
  cpSync(join(ROOT, 'deploy'), join(dir, 'deploy'), { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'deploy rollwright serve');
  const r = await cli(['assess', '--repo', dir, '--base', 'HEAD~1', '--head', 'HEAD', '-o', 'json']);
  expect([0, 1], r.stderr).toContain(r.code);
  const a = JSON.parse(r.stdout) as {
    findings: Array<{ severity: string; ruleId?: string; rule?: string; message: string }>;
  };
  const errors = a.findings.filter((f) => f.severity === 'error');
  expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  expect(a.findings.some((f) => /deploy\/rollwright\.yaml/.test(JSON.stringify(f)))).toBe(a.findings.length > 0);
});
