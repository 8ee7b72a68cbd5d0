import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSingleYaml } from '../src/core/yaml.js';
import { ensureBuilt, ROOT } from '../src/testing/cli.js';
import { startFakeForge, type FakeForge } from '../src/testing/fake-forge.js';
import { fixtureGitEnv, type GitFixture } from '../src/testing/git-fixture.js';
import { claimDeletionOrigin } from '../src/testing/pr-origin.js';

const TEMPLATE = join(ROOT, 'ci', 'gitlab', 'rollwright.gitlab-ci.yml');
const TOKEN = 'glpat-template-test';

interface Job {
  variables: Record<string, string>;
  before_script: string[];
  script: string[];
  artifacts: { when: string; reports: { codequality: string } };
}

let origin: GitFixture;
let forge: FakeForge;
let tmp: string;

beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'rollwright-gitlab-'));
  ({ origin } = claimDeletionOrigin());
  forge = await startFakeForge({ token: TOKEN });
}, 120_000);

afterAll(async () => {
  await forge?.close();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(origin.dir, { recursive: true, force: true });
});

describe('the GitLab CI template', () => {
  it('runs its job script in a merge request pipeline: Code Quality report, one sticky note, the gate as exit code', async () => {
    const job = (parseSingleYaml(readFileSync(TEMPLATE, 'utf8')).value as Record<string, Job>)['.rollwright']!;
    expect(job.variables.GIT_DEPTH).toBe('0');
    expect(job.artifacts).toMatchObject({ when: 'always', reports: { codequality: 'gl-code-quality-report.json' } });
    const dir = join(tmp, 'clone');
    execFileSync('git', ['clone', '-q', '--branch', 'feature', `file://${origin.dir}`, dir], { env: fixtureGitEnv() });
    // The image's rollwright: this build, on PATH (so the template's npm install is skipped).
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'rollwright'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist', 'cli.cjs')}" "$@"\n`,
    );
    chmodSync(join(bin, 'rollwright'), 0o755);
    const env = {
      ...fixtureGitEnv(),
      ...Object.fromEntries(Object.entries(job.variables).filter(([k]) => k.startsWith('ROLLWRIGHT_'))),
      PATH: `${bin}:${process.env.PATH}`,
      GITLAB_CI: 'true',
      CI_PIPELINE_SOURCE: 'merge_request_event',
      CI_MERGE_REQUEST_DIFF_BASE_SHA: origin.rev('main'),
      CI_COMMIT_SHA: origin.rev('feature'),
      CI_MERGE_REQUEST_IID: '12',
      CI_PROJECT_ID: '42',
      CI_API_V4_URL: forge.gitlabApi,
      GITLAB_TOKEN: TOKEN,
      ROLLWRIGHT_ENV: 'prod',
    };
    // GitLab runs before_script and script in one shell with errexit (bash -eo pipefail).
    const script = [...job.before_script, ...job.script].join('\n');
    const run = () =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          'bash',
          ['-eo', 'pipefail', '-c', script],
          { cwd: dir, env, encoding: 'utf8' },
          (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
        ),
      );
    const first = await run();
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout, first.stdout + first.stderr).toContain('gate: FAILED');
    const report = JSON.parse(readFileSync(join(dir, 'gl-code-quality-report.json'), 'utf8'));
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({
      check_name: 'kubernetes/stateful-object-deleted',
      severity: 'critical',
      location: { path: 'deploy/prod/pvc.yaml', lines: { begin: 1 } },
    });
    const notes = () => forge.threads.get('42!12')!;
    expect(notes()).toHaveLength(1);
    expect(notes()[0]!.body.split('\n')[0]).toBe('<!-- rollwright:assess env=prod -->');

    const second = await run();
    expect(second.code).toBe(1);
    expect(notes()).toHaveLength(1);
    // The same assessment twice: the note is found and left as it is (nothing new is posted).
    expect(second.stdout).toMatch(/^unchanged comment \d+ on 42!12$/m);
    expect(forge.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(TOKEN);
  }, 120_000);
});
