/**
 * `rollwright score` on the bundled example after its scripted incident: every checklist item is
 * scored with evidence, a run is recorded in the ledger, and a declaration added in a new commit
 * moves an item (with its trend against the recorded run). One example repository for the file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { SCORE_STATUSES } from '../../core/vocabulary.js';
import type { ScoreReport } from '../../engine/score/types.js';
import { recordEvent, type RecordInput } from '../../ledger/record.js';
import { Ledger } from '../../ledger/store.js';
import { fixtureGitEnv } from '../../testing/git-fixture.js';
import { buildExampleRepo, type ExampleStep } from '../../../examples/build-history.mjs';
import { command } from './score.js';

let tmp: string;
let repo: string;
let store: string;
let steps: ExampleStep[];
const INCIDENT = 'INC-2026-0042';

/** Minutes after the first step's commit, as the example's incident counts them. */
let at: (minutes: number) => string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'rollwright-score-'));
  repo = join(tmp, 'repo');
  execFileSync('mkdir', ['-p', repo]);
  steps = buildExampleRepo(repo).steps;
  const t0 = Number(
    execFileSync('git', ['-C', repo, 'log', '-1', '--format=%ct', steps[0]!.sha], { encoding: 'utf8' }),
  );
  at = (m) => new Date((t0 + m * 60) * 1000).toISOString();
  store = join(tmp, 'ledger.db');
  // The example's scripted incident (examples/run.mjs): the deployments around the first step's web
  // release, its detection and the decision; then what the runbook does: one Application paused, the
  // revert, its verification, the resume.
  const ledger = await Ledger.open({ kind: 'sqlite', path: store }, { create: true });
  const first = steps[0]!;
  const events: RecordInput[] = [
    { type: 'change.deployed', change: first.parent, service: 'web', environment: 'prod', at: at(-60), payload: {} },
    { type: 'change.deployed', change: first.sha, service: 'web', environment: 'prod', at: at(15), payload: {} },
    { type: 'incident.detected', incident: INCIDENT, change: first.sha, at: at(40), payload: { severity: 'sev2' } },
    {
      type: 'decision.made',
      incident: INCIDENT,
      at: at(50),
      payload: { transition: 'rollback', containment: ['pause'], change: first.sha },
    },
    {
      type: 'pause.started',
      incident: INCIDENT,
      at: at(52),
      payload: { target: 'argocd/shop-prod', controller: 'argocd' },
    },
    {
      type: 'recovery.executed',
      incident: INCIDENT,
      at: at(60),
      payload: { transition: 'rollback', commit: 'abc1234' },
    },
    { type: 'recovery.verified', incident: INCIDENT, at: at(70), payload: { result: 'passed' } },
    { type: 'pause.ended', incident: INCIDENT, at: at(75), payload: { target: 'argocd/shop-prod' } },
  ];
  try {
    for (const e of events) await recordEvent(ledger, { actor: 'sre', ...e });
  } finally {
    await ledger.close();
  }
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function score(...args: string[]): Promise<ScoreReport> {
  const r = await command.main(['--repo', repo, '--store', store, '--offline', '-o', 'json', ...args]);
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout!) as ScoreReport;
}

const item = (r: ScoreReport, id: string) => r.items.find((i) => i.id === id)!;

describe('rollwright score on the bundled example after its incident', () => {
  let first: ScoreReport;
  beforeAll(async () => {
    first = await score();
  });

  it('scores every checklist item with the evidence that decided it (rollwright.score/v1)', () => {
    expect(first.schema).toBe('rollwright.score/v1');
    expect(first.items.map((i) => i.id)).toEqual([
      'declarations',
      'method-reviewed',
      'digests',
      'compatibility-tested',
      'expand-contract',
      'secret-rotation',
      'iac-pinned',
      'state-repair-governed',
      'pause-scoped',
      'policy-exceptions',
      'controller-upgrades',
      'break-glass-reconciled',
      'rollback-evidence',
      'rollback-slos',
    ]);
    for (const i of first.items) {
      expect(SCORE_STATUSES).toContain(i.status);
      expect(i.evidence.length, i.id).toBeGreaterThan(0);
      expect(i.title.length).toBeGreaterThan(0);
      // A fix whenever the item does not pass; none when it does.
      expect(i.fix === '', i.id).toBe(i.status === 'pass');
    }
    const sum = first.counts.pass + first.counts.partial + first.counts.fail + first.counts.unknown;
    expect(sum).toBe(14);
    const decided = first.items.filter((i) => i.status !== 'unknown');
    const expected = Math.round(
      (100 * decided.reduce((a, i) => a + (i.status === 'pass' ? 1 : i.status === 'partial' ? 0.5 : 0), 0)) /
        decided.length,
    );
    expect(first.score).toBe(expected);
  });

  it('judges each item from the example’s history, tree and ledger', () => {
    const step = (slug: string) => steps.find((s) => s.slug === slug)!.sha.slice(0, 7);
    // Step 12 is the one production change without a declaration.
    expect(item(first, 'declarations')).toMatchObject({ status: 'partial' });
    expect(item(first, 'declarations').evidence.join('\n')).toMatch(
      /8 touched production paths: 7 declared a class \(4 by file, 3 by trailers\), 0 declared after the fact, 1 undeclared/,
    );
    expect(item(first, 'declarations').evidence.join('\n')).toContain(
      `undeclared: ${step('12-api-security-group-into-module')}`,
    );
    expect(item(first, 'method-reviewed').status).toBe('pass');
    // The staging web image on a tag (step 05), outside production: partial; retention unchecked offline.
    expect(item(first, 'digests').status).toBe('partial');
    expect(item(first, 'digests').evidence.join('\n')).toContain('registry.example.com/shop/web:1.9 (tag 1.9)');
    expect(item(first, 'digests').evidence.join('\n')).toContain('retention not checked: offline');
    // The prod VPC module on ?ref=main (step 11).
    expect(item(first, 'iac-pinned').status).toBe('fail');
    expect(item(first, 'iac-pinned').evidence.join('\n')).toContain('(ref main) at infra/terraform/prod/network.tf:1');
    // Step 22 contracts a column the running version still selects.
    expect(item(first, 'expand-contract').status).toBe('partial');
    expect(item(first, 'expand-contract').evidence.join('\n')).toContain(step('22-db-contract-legacy-phone'));
    // The plaintext Secret (step 07) and the SOPS rotation (step 20), neither declared.
    expect(item(first, 'secret-rotation').status).toBe('fail');
    expect(item(first, 'secret-rotation').evidence.join('\n')).toContain(step('20-payments-sops-rotation'));
    // One Kyverno policy, no test.
    expect(item(first, 'policy-exceptions').status).toBe('fail');
    // The incident's pause named one Application and was resumed.
    expect(item(first, 'pause-scoped')).toMatchObject({ status: 'pass' });
    expect(item(first, 'pause-scoped').evidence[0]).toBe(
      '1 pauses recorded: 1 name one object, 0 do not; 0 never resumed',
    );
    // The recovery owes evidence (approval, policy result...).
    expect(item(first, 'rollback-evidence').status).toBe('fail');
    expect(item(first, 'rollback-evidence').evidence.join('\n')).toMatch(new RegExp(`owed: ${INCIDENT} \\(.*approval`));
    // No break-glass in the ledger, no controller upgrade or state repair in the history: unknown, said why.
    expect(item(first, 'break-glass-reconciled').status).toBe('unknown');
    expect(item(first, 'break-glass-reconciled').evidence[0]).toMatch(
      /^no break-glass decision or recovery in the ledger/,
    );
    expect(item(first, 'controller-upgrades').status).toBe('unknown');
    // The example configures no rollback SLO.
    expect(item(first, 'rollback-slos')).toMatchObject({ status: 'fail' });
    expect(first.recorded?.seq).toBe(9);
    expect(first.previous).toBeNull();
  });

  it('moves an item when a declaration is added in a new commit, with its trend against the recorded run', async () => {
    const undeclared = steps.find((s) => s.slug === '12-api-security-group-into-module')!.sha;
    const file = join(repo, '.rollwright', 'changes', 'late-security-group-move.yaml');
    writeFileSync(
      file,
      `change:\n  id: ${undeclared}\n  environment: prod\n  rollbackClass: reversible-with-manual-repair\n` +
        `  rollbackMethod: add the moved block, plan, apply\n  verification:\n    - terraform plan shows no change\n`,
    );
    const env = fixtureGitEnv(Math.floor(Date.parse(at(24 * 60)) / 1000));
    execFileSync('git', ['-C', repo, 'add', '-A'], { env });
    execFileSync('git', ['-C', repo, 'commit', '-q', '-m', 'declare the security group move after the fact'], { env });

    const second = await score();
    expect(item(second, 'declarations')).toMatchObject({ status: 'pass', trend: 'up', previous: 'partial', fix: '' });
    expect(item(second, 'declarations').evidence.join('\n')).toContain(
      `declared after the fact: ${undeclared.slice(0, 7)} "network: move the API security group into a module" (.rollwright/changes/late-security-group-move.yaml)`,
    );
    expect(item(second, 'iac-pinned')).toMatchObject({ status: 'fail', trend: 'same' });
    expect(second.previous).toEqual({ seq: 9, at: expect.any(String), score: first.score });
    expect(second.score!).toBeGreaterThan(first.score!);
    expect(second.recorded?.seq).toBe(10);
  });

  it('writes a badge and a markdown page; --no-record leaves the ledger as it was', async () => {
    const badge = join(tmp, 'readiness.svg');
    const r = await command.main([
      '--repo',
      repo,
      '--store',
      store,
      '--offline',
      '--no-record',
      '-o',
      'markdown',
      '--badge',
      badge,
    ]);
    expect(r.exitCode).toBe(0);
    const svg = readFileSync(badge, 'utf8');
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="20" role="img" aria-label="rollback readiness: \d+%">/,
    );
    expect(r.stdout).toContain('# Production readiness');
    expect(r.stdout).toContain('![rollback readiness](readiness.svg)');
    // Against the run just before it, which already passed.
    expect(r.stdout).toContain('| [Every production change declares a rollback class](#declarations) | **pass** | = |');
    const after = await score('--no-record');
    expect(after.recorded).toBeNull();
    expect(after.previous?.seq).toBe(10);
  });

  it('without a ledger, the ledger items are unknown and say so, and no ledger is created', async () => {
    const none = join(tmp, 'none.db');
    const r = await command.main(['--repo', repo, '--store', none, '--offline', '-o', 'json']);
    const report = JSON.parse(r.stdout!) as ScoreReport;
    for (const id of ['pause-scoped', 'break-glass-reconciled', 'rollback-evidence'])
      expect(item(report, id)).toMatchObject({ status: 'unknown', evidence: [expect.stringMatching(/^no ledger/)] });
    expect(report.ledger).toBeNull();
    expect(report.recorded).toBeNull();
    expect(existsSync(none)).toBe(false);
  });

  it('names a change it cannot assess (a declaration that does not parse) instead of failing the run', async () => {
    writeFileSync(join(repo, '.rollwright', 'changes', 'broken.yaml'), 'change:\n  id: [unclosed\n');
    const env = fixtureGitEnv(Math.floor(Date.parse(at(25 * 60)) / 1000));
    execFileSync('git', ['-C', repo, 'add', '-A'], { env });
    execFileSync('git', ['-C', repo, 'commit', '-q', '-m', 'a broken declaration'], { env });
    const sha = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const r = await score('--no-record');
    expect(item(r, 'declarations').status).toBe('pass');
    expect(item(r, 'declarations').evidence.join('\n')).toMatch(
      new RegExp(`1 could not be assessed: ${sha.slice(0, 7)} \\(.*declaration does not parse`),
    );
  });

  it('refuses a repository or a revision that is not there', async () => {
    await expect(command.main(['--repo', join(tmp, 'nowhere')])).rejects.toThrow(/does not exist/);
    await expect(command.main(['--repo', repo, '--store', store, '--rev', 'no-such-branch'])).rejects.toThrow(
      /unknown revision "no-such-branch"/,
    );
  });

  it('refuses a window that is neither a duration nor a date', async () => {
    await expect(command.main(['--repo', repo, '--since', 'last spring'])).rejects.toThrow(UsageError);
    await expect(command.main(['--repo', repo, '--since', '0d'])).rejects.toThrow(/not a duration/);
  });
});
