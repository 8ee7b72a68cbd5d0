import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSingleYaml } from '../src/core/yaml.js';
import { cli, ensureBuilt, ROOT } from '../src/testing/cli.js';
import { GitFixture } from '../src/testing/git-fixture.js';
import { PVC_MANIFEST } from '../src/testing/pr-origin.js';

let repo: GitFixture;
beforeAll(async () => {
  await ensureBuilt();
  repo = GitFixture.create('rollwright-pre-commit-');
  repo.commit('base', { 'deploy/prod/pvc.yaml': PVC_MANIFEST });
}, 120_000);
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

describe('the pre-commit hook manifest (.pre-commit-hooks.yaml)', () => {
  const hooks = parseSingleYaml(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')).value as Array<
    Record<string, unknown>
  >;
  const hook = hooks.find((h) => h.id === 'rollwright')!;

  it("has pre-commit's required fields, and takes no file names (rollwright reads the change from git)", () => {
    for (const k of ['id', 'name', 'entry', 'language']) expect(typeof hook[k], k).toBe('string');
    expect(hook.language).toBe('node');
    expect(hook.pass_filenames).toBe(false);
    expect(hook.always_run).toBe(true);
    // The stage names pre-commit uses since 3.2.0.
    expect(hook.stages).toEqual(['pre-commit', 'pre-push', 'manual']);
    expect(hook.minimum_pre_commit_version).toBe('3.2.0');
  });

  it('runs as its entry says: an uncommitted claim deletion fails, a clean tree passes', async () => {
    const [bin, ...args] = String(hook.entry).split(' ');
    expect(bin).toBe('rollwright');
    expect(args).toContain('--worktree');
    const clean = await cli(args, { cwd: repo.dir });
    expect(clean.code, clean.stderr).toBe(0);
    repo.remove('deploy/prod/pvc.yaml');
    repo.git('add', '-A');
    const r = await cli(args, { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('kubernetes/stateful-object-deleted');
    expect(r.stdout).toContain('gate: FAILED');
  });
});
