import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, node, ROOT } from '../src/testing/cli.js';
import { startFakeForge, type FakeForge } from '../src/testing/fake-forge.js';
import { fixtureGitEnv, type GitFixture } from '../src/testing/git-fixture.js';
import { claimDeletionOrigin } from '../src/testing/pr-origin.js';
import { parseSingleYaml } from '../src/core/yaml.js';
import { FIXTURE_RULES, fixtureAssessment } from '../src/reporters/fixtures.js';
import { renderSarif } from '../src/reporters/sarif.js';
import { conclusion, ensureBase, rangeOf, sarifForUpload } from './github-action.mjs';

const SCRIPT = join(ROOT, 'scripts', 'github-action.mjs');
const TOKEN = 'ghs_action-test-token';

let origin: GitFixture;
let base: string;
let forge: FakeForge;
let tmp: string;

/** A clone the way actions/checkout makes one by default: one commit deep. */
function shallowClone(name: string): string {
  const dir = join(tmp, name);
  execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin.dir}`, dir], {
    env: fixtureGitEnv(),
  });
  return dir;
}

/** `node scripts/github-action.mjs run` in `dir` as a workflow runs it, with this build's CLI and the local API. */
function runStep(dir: string, env: Record<string, string>) {
  return node(SCRIPT, ['run'], {
    cwd: dir,
    env: {
      ...fixtureGitEnv(),
      PATH: process.env.PATH,
      RW_ROLLWRIGHT: join(ROOT, 'dist', 'cli.cjs'),
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: forge.githubApi,
      GITHUB_REPOSITORY: 'acme/deploy',
      RUNNER_TEMP: tmp,
      ...env,
    },
  });
}

const isShallow = (dir: string) =>
  execFileSync('git', ['-C', dir, 'rev-parse', '--is-shallow-repository'], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'rollwright-action-'));
  ({ origin, base } = claimDeletionOrigin({ mainCommits: 3, featureCommits: 3 }));
  forge = await startFakeForge({ token: TOKEN });
}, 120_000);

afterAll(async () => {
  await forge?.close();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(origin.dir, { recursive: true, force: true });
});

describe('the GitHub Action steps (scripts/github-action.mjs)', () => {
  it('reads the range from the inputs, else the pull request, else the push', () => {
    expect(rangeOf({ pull_request: { base: { sha: 'abc' } } }, {})).toEqual({ base: 'abc', head: 'HEAD' });
    expect(rangeOf({ before: 'def' }, { head: 'v2' })).toEqual({ base: 'def', head: 'v2' });
    expect(rangeOf({ before: '0'.repeat(40) }, {})).toEqual({ base: '', head: 'HEAD' });
    expect(rangeOf({ pull_request: { base: { sha: 'abc' } } }, { base: 'main' })).toEqual({
      base: 'main',
      head: 'HEAD',
    });
  });

  it('fetches the base into a one-commit clone and deepens until it is an ancestor of head', async () => {
    const dir = shallowClone('deepen');
    expect(isShallow(dir)).toBe('true');
    const did = await ensureBase(dir, base, 'HEAD', { step: 1 });
    expect(did[0]).toBe(`git fetch --no-tags --depth=1 origin ${base}`);
    expect(did.slice(1).every((d) => d.startsWith('git fetch --no-tags --deepen='))).toBe(true);
    execFileSync('git', ['-C', dir, 'merge-base', '--is-ancestor', base, 'HEAD']);
    // A second call has nothing to do.
    expect(await ensureBase(dir, base, 'HEAD', { step: 1 })).toEqual([]);
    await expect(ensureBase(dir, '--upload-pack=evil', 'HEAD')).rejects.toThrow(/is not a revision/);
  });

  it('assesses a pull request in a shallow clone, writes the summary, and keeps one sticky comment', async () => {
    const dir = shallowClone('pr');
    const event = join(tmp, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { sha: base } } }));
    const run = async (n: number) => {
      const files = { summary: join(tmp, `summary-${n}.md`), output: join(tmp, `output-${n}.txt`) };
      for (const f of Object.values(files)) writeFileSync(f, '');
      const r = await runStep(dir, {
        RW_ENV: 'prod',
        GITHUB_EVENT_PATH: event,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_OUTPUT: files.output,
      });
      const outputs = Object.fromEntries(
        readFileSync(files.output, 'utf8')
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      return { ...r, outputs, summary: readFileSync(files.summary, 'utf8') };
    };

    const first = await run(1);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`rollwright: git fetch --no-tags --depth=50 origin ${base}`);
    expect(first.stdout).toContain('kubernetes/stateful-object-deleted');
    expect(first.stdout).toContain(
      '::error::rollwright: the rollback gate failed (class non-recoverable-without-restore)',
    );
    expect(first.outputs).toMatchObject({ 'exit-code': '1', gate: 'failed', class: 'non-recoverable-without-restore' });
    expect(first.summary.startsWith('### :x: rollwright: gate **failed**')).toBe(true);
    const sarif = JSON.parse(readFileSync(first.outputs.sarif!, 'utf8'));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      'kubernetes/stateful-object-deleted',
    ]);
    // Nothing is accepted here, so code scanning receives the same results.
    expect(JSON.parse(readFileSync(first.outputs['sarif-upload']!, 'utf8')).runs[0].results).toEqual(
      sarif.runs[0].results,
    );

    const thread = forge.threads.get('acme/deploy#7')!;
    expect(thread).toHaveLength(1);
    expect(thread[0]!.body.split('\n')[0]).toBe('<!-- rollwright:assess env=prod -->');
    expect(thread[0]!.body).toContain(first.summary.trim().split('\n')[0]);
    expect(first.outputs['comment-id']).toBe(String(thread[0]!.id));
    expect(first.stdout + first.stderr).not.toContain(TOKEN);

    const second = await run(2);
    expect(second.code, second.stderr).toBe(0);
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id']);
    expect(forge.threads.get('acme/deploy#7')).toHaveLength(1);
    expect(forge.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  }, 120_000);

  it('warns, and does not fail the step, when the token may not comment (a fork)', async () => {
    const dir = shallowClone('fork');
    const event = join(tmp, 'event-fork.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 9, base: { sha: base } } }));
    const output = join(tmp, 'output-fork.txt');
    writeFileSync(output, '');
    forge.failNext({ status: 403, message: 'Resource not accessible by integration' });
    const r = await runStep(dir, { GITHUB_EVENT_PATH: event, GITHUB_OUTPUT: output });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::rollwright could not post the pull request comment: .*HTTP 403/);
    expect(readFileSync(output, 'utf8')).toContain('exit-code=1');
  }, 120_000);

  it('leaves accepted and ignored findings out of the SARIF code scanning receives, unless asked', () => {
    const a = fixtureAssessment();
    const owned = a.findings[0]!;
    a.findings[0] = { ...owned, suppression: { kind: 'accepted', reason: 'moved to the shared gateway', source: 'change.yaml:7', inSource: false } };
    const sarif = JSON.parse(renderSarif(a, { color: false, rules: FIXTURE_RULES }));
    const all = sarif.runs[0].results as { ruleId: string; suppressions?: unknown[] }[];
    expect(all).toHaveLength(a.findings.length);
    expect(all.filter((r) => r.suppressions)).toHaveLength(1);
    const upload = sarifForUpload(sarif, false);
    expect(upload.runs[0].results).toEqual(all.filter((r) => !r.suppressions));
    expect(upload.runs[0].tool).toEqual(sarif.runs[0].tool);
    expect(sarifForUpload(sarif, true)).toBe(sarif);
    // The report itself is unchanged.
    expect(sarif.runs[0].results).toHaveLength(a.findings.length);
  });

  it('maps the exit codes to the job result', async () => {
    expect(conclusion('0', true).exit).toBe(0);
    expect(conclusion('1', true).exit).toBe(1);
    expect(conclusion('1', false)).toEqual({
      exit: 0,
      message: 'the gate failed (fail-on-gate is false: reported, not failing the job)',
    });
    expect(conclusion('2', false).exit).toBe(2);
    expect(conclusion('3', true).exit).toBe(3);
    expect(conclusion('', true).exit).toBe(3);
    const r = await node(SCRIPT, ['conclude'], { env: { ...process.env, RW_EXIT_CODE: '1', RW_FAIL_ON_GATE: 'true' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('rollwright: the gate failed\n');
  });

  it('action.yml hands every input to the script, and the script reads no variable action.yml does not set', () => {
    const action = parseSingleYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')).value as {
      inputs: Record<string, unknown>;
      runs: {
        using: string;
        steps: Array<{
          id?: string;
          run?: string;
          uses?: string;
          env?: Record<string, string>;
          with?: Record<string, string>;
        }>;
      };
    };
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    const script = readFileSync(SCRIPT, 'utf8');
    const read = new Set([...script.matchAll(/env\.(RW_[A-Z_]+)/g)].map((m) => m[1]!));
    const set = new Set(steps.flatMap((st) => Object.keys(st.env ?? {})).filter((k) => k.startsWith('RW_')));
    // RW_ROLLWRIGHT and RW_WORKING_DIRECTORY are for running the script elsewhere (the test, a local run).
    for (const k of read) if (k !== 'RW_ROLLWRIGHT' && k !== 'RW_WORKING_DIRECTORY') expect(set, k).toContain(k);
    const used = JSON.stringify(steps);
    for (const input of Object.keys(action.inputs)) expect(used, input).toContain(`inputs.${input}`);
    expect(steps.find((st) => st.id === 'assess')!.run).toBe(
      'node "$GITHUB_ACTION_PATH/scripts/github-action.mjs" run',
    );
    const upload = steps.find((st) => st.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with!.category).toMatch(/^rollwright/);
    expect(upload.with!.sarif_file).toBe('${{ steps.assess.outputs.sarif-upload }}');
  });

  it('docs/ci.md lists exactly the inputs and outputs of action.yml, with their defaults', () => {
    const action = parseSingleYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')).value as {
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, unknown>;
    };
    const doc = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-z-]+)` +\| ([^|]+?) +\|/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    expect([...rows.keys()].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, input] of Object.entries(action.inputs))
      if (input.default === 'true' || input.default === 'false') expect(rows.get(name), name).toBe(`\`${input.default}\``);
    const outputs = doc.slice(doc.indexOf('Outputs:'), doc.indexOf('\n\n', doc.indexOf('Outputs:')));
    for (const name of Object.keys(action.outputs)) expect(outputs, name).toContain(`\`${name}\``);
  });
});
