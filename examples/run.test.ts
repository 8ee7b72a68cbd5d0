/**
 * The bundled example must keep demonstrating what its README says: each commit of the scripted
 * history gets the expected class, at least six rules fire across it, and at least one declaration
 * fails the gate. The assessments run through the library on the built repository; the last tests
 * run `node examples/run.mjs` itself as a user would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RollbackClass } from '../src/core/classes.js';
import { assess, type Assessment } from '../src/engine/assess.js';
import { allRules, surfaces } from '../src/registry.js';
import { cleanEnv, cli, ensureBuilt, node, ROOT } from '../src/testing/cli.js';
import type { Decision } from '../src/engine/decide/types.js';
import { buildExampleRepo, EXAMPLE_DIR, loadSteps, type ExampleStep } from './build-history.mjs';

interface Expected {
  class: RollbackClass;
  /** Rules (`surface/id`) that must report on this commit. */
  rules: string[];
  /** The gate verdict, where the step exists to show it. */
  gate?: 'passed' | 'failed';
  /** A substring one gate reason must contain. */
  reason?: string;
}

const EXPECTED: Record<string, Expected> = {
  '01-web-digest-bump': { class: 'fully-reversible', rules: ['kubernetes/image-changed'], gate: 'passed' },
  '02-postgres-fast-storage': {
    class: 'reversible-with-manual-repair',
    rules: ['kubernetes/immutable-field-changed'],
    gate: 'passed',
  },
  '03-uploads-to-object-storage': {
    class: 'non-recoverable-without-restore',
    rules: ['kubernetes/stateful-object-deleted'],
    // The declaration owns the destruction (class and irreversible effect): honest, so the gate passes.
    gate: 'passed',
  },
  '04-staging-web-selector': {
    class: 'reversible-with-manual-repair',
    rules: ['kubernetes/immutable-field-changed'],
    gate: 'passed',
  },
  '05-staging-mutable-tag': {
    class: 'fully-reversible',
    rules: ['kubernetes/image-changed'], // digest to tag: one fact, said once by image-changed
  },
  '06-drop-web-config': {
    class: 'fully-reversible',
    rules: ['kubernetes/stateless-object-deleted', 'kubernetes/dangling-reference'],
    gate: 'passed',
  },
  '07-staging-db-secret': { class: 'compensatable', rules: ['kubernetes/plaintext-secret'], gate: 'failed' },
  '08-staging-hpa-autoscaling-v2': { class: 'forward-only', rules: ['kubernetes/removed-api-version'] },
  '09-checkout-v2-understated': {
    class: 'reversible-with-manual-repair',
    rules: ['kubernetes/immutable-configmap-changed'],
    gate: 'failed',
    reason: 'declared class fully-reversible is more optimistic than the evidence: reversible-with-manual-repair',
  },
  '10-staging-cache-ttl': { class: 'fully-reversible', rules: ['kubernetes/configmap-data-changed'] },
  '11-vpc-module-from-a-branch': {
    class: 'reversible-with-manual-repair',
    rules: ['terraform/module-source-unpinned', 'terraform/module-version-changed'],
    gate: 'passed',
  },
  '12-api-security-group-into-module': {
    class: 'reversible-with-manual-repair',
    rules: ['terraform/moved-block-missing'],
    gate: 'failed',
    reason: 'environment prod requires a change declaration',
  },
  '13-orders-db-encryption': {
    class: 'non-recoverable-without-restore',
    rules: ['terraform/plan-resource-destroyed', 'terraform/prevent-destroy-removed', 'terraform/plan-network-changed'],
    gate: 'failed',
    reason:
      'declared class reversible-with-manual-repair is more optimistic than the evidence: non-recoverable-without-restore',
  },
  '14-widgets-chart-2-with-crds': {
    class: 'reversible-with-manual-repair',
    rules: ['helm/chart-version-changed', 'helm/crds-changed', 'helm/not-rendered', 'crd/version-added'],
  },
  '15-inventory-name-prefix': {
    class: 'non-recoverable-without-restore',
    rules: ['kustomize/name-prefix-changed', 'kubernetes/stateful-object-deleted'],
  },
  '16-argocd-shop-self-heal': { class: 'fully-reversible', rules: ['argocd/self-heal', 'argocd/auto-prune'] },
  '17-flux-suspend-inventory': { class: 'fully-reversible', rules: ['flux/suspend-committed'] },
  '18-widgets-crd-stop-serving-v1': {
    class: 'reversible-with-manual-repair',
    rules: ['crd/served-version-removed', 'crd/storage-version-changed', 'helm/crds-changed'],
  },
  '19-kyverno-team-label-enforce': {
    class: 'fully-reversible',
    rules: ['policy/enforcement-changed'],
  },
  '20-payments-sops-rotation': { class: 'reversible-with-compatibility-window', rules: ['secrets/sops-rotated'] },
  '21-db-expand-nickname': {
    class: 'reversible-with-compatibility-window',
    rules: ['database/expand-statement', 'database/down-migration'],
    gate: 'passed',
  },
  '22-db-contract-legacy-phone': {
    class: 'non-recoverable-without-restore',
    rules: ['database/contract-statement'],
    gate: 'failed',
    reason: 'database/contract-statement at db/migrations/000005_drop_users_legacy_phone.up.sql:2',
  },
  // The down does not restore the schema: read statically (no DROP COLUMN for the ADD COLUMN), and
  // proved by `rollwright rehearse` (src/cli/commands/rehearse.test.ts).
  '23-db-coupons-down-not-inverse': {
    class: 'reversible-with-manual-repair',
    rules: ['database/expand-statement', 'database/constraint-added', 'database/down-not-inverse'],
    gate: 'passed',
  },
  '24-db-orders-shipped-at-no-down': { class: 'forward-only', rules: ['database/down-migration'], gate: 'passed' },
};

/** The plaintext value committed in step 07: it must never be printed. */
const SECRET_VALUE = 's3cr3t-Staging-Pa55word';

let dir: string;
let steps: ExampleStep[];
const results = new Map<string, Assessment>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollwright-example-test-'));
  steps = buildExampleRepo(dir).steps;
  for (const s of steps)
    results.set(
      s.slug,
      // A step with a plan.json is assessed with it, as examples/run.mjs does with --plan.
      await assess({
        repo: dir,
        base: s.parent,
        head: s.sha,
        surfaces,
        rules: allRules(),
        ...(s.plan ? { plan: s.plan } : {}),
      }),
    );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/gitops history', () => {
  it('has exactly the steps this test and the README describe', () => {
    expect(loadSteps().map((s) => s.slug)).toEqual(Object.keys(EXPECTED));
    const readme = readFileSync(join(EXAMPLE_DIR, '..', 'README.md'), 'utf8');
    for (const slug of Object.keys(EXPECTED)) expect(readme, `README mentions ${slug}`).toContain(slug);
  });

  it('builds the same commits on every run (fixed identity and dates)', () => {
    const again = mkdtempSync(join(tmpdir(), 'rollwright-example-test-'));
    try {
      expect(buildExampleRepo(again).steps.map((s) => s.sha)).toEqual(steps.map((s) => s.sha));
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it.each(Object.entries(EXPECTED))('%s', (slug, want) => {
    const a = results.get(slug)!;
    const fired = [...new Set(a.findings.map((f) => f.rule))].sort();
    const summary = a.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.class} ${f.severity}`);
    expect(a.class, summary.join('\n')).toBe(want.class);
    expect(fired).toEqual(expect.arrayContaining(want.rules));
    if (want.gate) expect(a.gate.passed ? 'passed' : 'failed', a.gate.reasons.join('\n')).toBe(want.gate);
    if (want.reason) expect(a.gate.reasons.join('\n')).toContain(want.reason);
  });

  it('fires at least six distinct rules and fails at least one declaration', () => {
    const rules = new Set([...results.values()].flatMap((a) => a.findings.map((f) => f.rule)));
    expect(rules.size, [...rules].join(', ')).toBeGreaterThanOrEqual(6);
    const understated = [...results.values()].filter(
      (a) => a.declaration && a.gate.reasons.some((r) => /more optimistic than the evidence/.test(r)),
    );
    expect(understated.length).toBeGreaterThanOrEqual(1);
  });

  it('reads each declaration form: a file, trailers, none', () => {
    expect(results.get('01-web-digest-bump')!.declaration?.source).toBe('.rollwright/changes/CHG-2026-0142.yaml');
    expect(results.get('02-postgres-fast-storage')!.declaration).toMatchObject({
      rollbackClass: 'reversible-with-manual-repair',
      rollbackWindow: '7d',
      source: expect.stringMatching(/^trailer:[0-9a-f]{12}$/),
    });
    expect(results.get('04-staging-web-selector')!.declaration).toBeNull();
    expect(results.get('04-staging-web-selector')!.environments).toEqual(['staging']);
  });

  it('gives the moved block a Terraform rename needs (step 12), and names the dependents of the replaced database (step 13)', () => {
    const moved = results
      .get('12-api-security-group-into-module')!
      .findings.find((f) => f.rule === 'terraform/moved-block-missing')!;
    expect(moved.data?.moved).toBe(
      'moved { from = aws_security_group.api  to = module.api_security.aws_security_group.this }',
    );
    const db = results
      .get('13-orders-db-encryption')!
      .findings.find((f) => f.rule === 'terraform/plan-resource-destroyed')!;
    expect(db).toMatchObject({ object: 'aws_db_instance.orders', class: 'non-recoverable-without-restore' });
    expect(db.message).toContain('replacing it also updates 1 dependent (aws_route53_record.orders_db)');
  });

  it('never carries the plaintext Secret value in an assessment', () => {
    for (const a of results.values()) expect(JSON.stringify(a)).not.toContain(SECRET_VALUE);
  });

  it('names the rotated SOPS key, never a value, encrypted or not (step 20)', () => {
    const a = JSON.stringify(results.get('20-payments-sops-rotation'));
    expect(a).toContain('payments.api_key');
    for (const v of ['ENC[', 'Zr8Wm2Kq5nB7xV3cL0p', 'q1l4mZ3vN0xYk2pR8sT']) expect(a).not.toContain(v);
  });
});

describe('rollwright lint -o json on the example at HEAD', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 240_000);

  it('finds the smells the history leaves: mutable tag, unpinned module, Flux suspend, migration without a down', async () => {
    const r = await cli(['lint', '--repo', dir, '-o', 'json'], { env: cleanEnv() });
    // The plaintext Secret of step 07 is still at HEAD: an error finding, so exit 1.
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      schema: string;
      commit: string;
      findings: Array<{ rule: string; file: string; line: number; object: string | null; fix: string | null }>;
    };
    expect(doc.schema).toBe('rollwright.lint/v1');
    expect(doc.commit).toBe(steps[steps.length - 1]!.sha);
    const at = (rule: string) => doc.findings.filter((f) => f.rule === rule).map((f) => `${f.file}:${f.line}`);
    expect(at('kubernetes/mutable-image-tag')).toEqual(['clusters/staging/shop/web.yaml:22']);
    expect(at('terraform/module-source-unpinned')).toEqual(['infra/terraform/prod/network.tf:3']);
    expect(at('flux/suspend-committed')).toEqual(['platform/flux/inventory.yaml:21']);
    expect(at('database/down-migration')).toEqual(['db/migrations/000007_add_orders_shipped_at.up.sql:1']);
    expect(at('kubernetes/plaintext-secret')).toEqual(['clusters/staging/shop/postgres-credentials.yaml:9']);
    for (const f of doc.findings) expect(f.fix, f.rule).toEqual(expect.any(String));
    // What each step changed but the tree does not hold as a property (a CRD change, a rule added) is not a smell.
    expect(doc.findings.map((f) => f.rule)).not.toContain('helm/crds-changed');
    expect(doc.findings.map((f) => f.rule)).not.toContain('policy/enforcing-rule-added');
    expect(r.stdout).not.toContain(SECRET_VALUE);
  });
});

describe('node examples/run.mjs', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 240_000);
  const script = join(ROOT, 'examples', 'run.mjs');

  it('prints a report per commit and a summary table, and exits 0 although gates fail', async () => {
    const r = await node(script, [], { env: cleanEnv() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stdout).not.toContain(SECRET_VALUE);
    for (const s of steps)
      expect(r.stdout).toContain(`$ rollwright assess --base ${s.parent.slice(0, 7)} --head ${s.sha.slice(0, 7)}`);
    const summary = r.stdout.slice(r.stdout.lastIndexOf('── summary'));
    const rows = summary.split('\n').filter((l) => /^\d{2} {2}[0-9a-f]{7} {2}/.test(l));
    expect(rows).toHaveLength(steps.length);
    for (const [i, s] of steps.entries()) {
      const a = results.get(s.slug)!;
      expect(rows[i]).toMatch(new RegExp(`^${String(i + 1).padStart(2, '0')}  ${s.sha.slice(0, 7)}  `));
      expect(rows[i]).toContain(s.subject);
      expect(rows[i]).toContain(a.class);
      expect(rows[i]!.endsWith(a.gate.passed ? 'PASSED' : 'FAILED')).toBe(true);
    }
    expect(summary).toMatch(new RegExp(`${loadSteps().length} commits assessed: \\d+ gates passed, [1-9]\\d* failed`));
    // It ends with the incident decision, in text.
    const part = r.stdout.slice(r.stdout.indexOf('── incident'));
    expect(part).toContain('$ rollwright decide --change ');
    expect(part).toMatch(/^Decision: rollback after pause$/m);
    expect(part).toContain('$ argocd app set argocd/shop-prod --sync-policy none');
    // docs/decide.md carries this transcript, commands and decision, as the example prints it. The
    // live check's answer depends on the machine's network (the example's registry does not exist),
    // so its reason is left out of the comparison.
    const doc = readFileSync(join(ROOT, 'docs', 'decide.md'), 'utf8');
    const start = doc.indexOf('```\n$ rollwright record change.deployed') + 4;
    const transcript = doc.slice(start, doc.indexOf('\n```', start));
    const liveReason = (t: string) => t.replace(/; live check: (\w+) \(.*\)$/gm, '; live check: $1 (…)');
    expect(start, 'docs/decide.md has the transcript block').toBeGreaterThan(3);
    expect(liveReason(transcript)).toBe(liveReason(part.slice(part.indexOf('\n') + 1).trimEnd()));
  });

  it('-o json passes the assessments through as one document; --keep keeps the repository', async () => {
    const r = await node(script, ['-o', 'json', '--keep'], { env: cleanEnv() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      repository: string;
      stateHome: string;
      commits: Array<{ step: string; commit: string; parent: string; exitCode: number; assessment: Assessment }>;
    };
    try {
      expect(r.stderr).toBe(
        `repository kept at ${doc.repository}; its ledger is the default store under XDG_STATE_HOME=${doc.stateHome}\n`,
      );
      expect(existsSync(join(doc.repository, '.git'))).toBe(true);
      expect(doc.commits.map((c) => [c.step, c.commit, c.parent])).toEqual(steps.map((s) => [s.slug, s.sha, s.parent]));
      for (const c of doc.commits) {
        expect(c.assessment.class).toBe(results.get(c.step)!.class);
        expect(c.exitCode).toBe(c.assessment.gate.passed ? 0 : 1);
      }
      expect(r.stdout).not.toContain(SECRET_VALUE);

      // The incident: the first commit's web release, under the Argo CD Application with self-heal
      // that a later commit added, with the loop said to repeat the damage.
      const d = (doc as unknown as { decision: Decision }).decision;
      expect(d.schema).toBe('rollwright.decision/v1');
      expect(d.change).toBe(steps[0]!.sha);
      expect(d.transition).toBe('rollback');
      expect(d.containment).toEqual(['pause']);
      expect(d.playbook).toBe('bad-app-release');
      const commands = d.runbook.map((s) => s.command).filter((c): c is string => c !== null);
      expect(commands[0]).toBe('argocd app set argocd/shop-prod --sync-policy none');
      expect(commands.at(-1)).toBe('argocd app set argocd/shop-prod --sync-policy automated --self-heal --auto-prune');
      // The incident is known: the revert is checked for it and applied by rollwright, which records it.
      expect(commands).toContain(`rollwright revert ${steps[0]!.sha} --check --incident INC-2026-0042`);
      expect(commands).toContain(`rollwright revert ${steps[0]!.sha} --apply --incident INC-2026-0042`);
      expect(commands.some((c) => c.startsWith('git revert'))).toBe(false);
      expect(commands.some((c) => c.startsWith('rollwright record recovery.executed'))).toBe(false);
      expect(commands.some((c) => c.includes('kubectl rollout undo'))).toBe(false);
      expect(d.rationale.find((q) => q.question.startsWith('Is the rollback window'))).toMatchObject({
        source: 'ledger',
        answer: expect.stringContaining('open until'),
      });
      // The decision is in the ledger, after the deployments and the detection, on an intact chain.
      // The repository's default store, outside its work tree: nothing in the repository but its files.
      expect(existsSync(join(doc.repository, '.rollwright', 'ledger.db'))).toBe(false);
      const stateEnv = cleanEnv({ XDG_STATE_HOME: doc.stateHome });
      const exported = await cli(['ledger', 'export', '--repo', doc.repository], { env: stateEnv });
      expect(exported.code).toBe(0);
      const types = exported.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type);
      expect(types).toEqual(['change.deployed', 'change.deployed', 'incident.detected', 'decision.made']);
      expect((await cli(['ledger', 'verify', '--repo', doc.repository], { env: stateEnv })).code).toBe(0);

      // Every command of the runbook that rollwright provides runs and succeeds, in order, in the repository.
      const own = commands.filter((c) => c.startsWith('rollwright '));
      expect(own.length).toBeGreaterThanOrEqual(3);
      for (const c of own) {
        const r = await cli(shellWords(c).slice(1), {
          cwd: doc.repository,
          env: { ...stateEnv, ROLLWRIGHT_ACTOR: 'oncall' },
        });
        expect(r.code, `${c}\n${r.stdout}\n${r.stderr}`).toBe(0);
      }
      const after = (await cli(['ledger', 'export', '--repo', doc.repository], { env: stateEnv })).stdout
        .trim()
        .split('\n')
        .map(
          (l) => JSON.parse(l) as { type: string; subject: { incident?: string }; payload: Record<string, unknown> },
        );
      expect(after.slice(4).map((e) => e.type)).toEqual(['pause.started', 'recovery.executed']);
      expect(after.at(-1)).toMatchObject({
        subject: { incident: 'INC-2026-0042' },
        payload: { transition: 'rollback' },
      });
      const git = (...a: string[]) => spawnSync('git', ['-C', doc.repository, ...a], { encoding: 'utf8' }).stdout;
      expect(git('log', '-1', '--format=%B')).toContain(`Rollback-Incident: INC-2026-0042`);
      // The revert undoes the release commit: its manifest and the declaration it added.
      expect(git('show', '--format=', '--name-only', 'HEAD').trim().split('\n')).toEqual([
        '.rollwright/changes/CHG-2026-0142.yaml',
        'clusters/prod/shop/web.yaml',
      ]);
      expect((await cli(['ledger', 'verify', '--repo', doc.repository], { env: stateEnv })).code).toBe(0);

      // From the alert: the web service's latest prod deployment is the release, and the detect phase
      // of the new incident is measured from the alert's start, 15 minutes before it was recorded.
      const started = await cli(
        ['incident', 'start', '--service', 'web', '--env', 'prod', '--alert-started-at', '-15m', '--no-decide'],
        { cwd: doc.repository, env: { ...stateEnv, ROLLWRIGHT_ACTOR: 'oncall' } },
      );
      expect(started.code, started.stderr).toBe(0);
      expect(started.stdout).toContain(`Deployment: ${steps[0]!.sha} of web in prod`);
      const id = /incident\.detected (\S+)/.exec(started.stdout)![1]!;
      const slo = JSON.parse(
        (await cli(['slo', 'report', '-o', 'json', '--repo', doc.repository], { env: stateEnv })).stdout,
      ) as { incidents: Array<{ id: string; phases: { detect: { seconds: number } } }> };
      const detect = slo.incidents.find((i) => i.id === id)!.phases.detect.seconds;
      expect(detect).toBeGreaterThanOrEqual(900);
      expect(detect).toBeLessThan(960);
    } finally {
      for (const d of [doc.repository, doc.stateHome]) rmSync(d, { recursive: true, force: true });
    }
  }, 240_000);

  it('colours the report when asked, and refuses unknown arguments with exit 2', async () => {
    const coloured = await node(script, [], { env: cleanEnv({ FORCE_COLOR: '1' }) });
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain('\u001b[');
    const bad = await node(script, ['--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown argument "--frobnicate"/);
  });
});

/** A runbook command as words: words are separated by spaces, and single-quoted text is one word (how the runbook quotes). */
function shellWords(command: string): string[] {
  if (/[$`"\\|;&<>]/.test(command)) throw new Error(`not a plain command: ${command}`);
  const words: string[] = [];
  for (const m of command.matchAll(/'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2]!);
  return words;
}
