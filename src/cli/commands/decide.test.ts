import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS } from '../../engine/decide/facts.js';
import { Ledger } from '../../ledger/store.js';
import { defaultLedgerPath } from '../../ledger/store-spec.js';
import { repositoryIdentity } from '../store-resolution.js';
import { rawSql } from '../../testing/ledger/raw.js';
import { CLI, cleanEnv, cli, ensureBuilt } from '../../testing/cli.js';
import { webDeployment, webProdApplication as app } from '../../engine/decide/fixtures.js';
import { GitFixture } from '../../testing/git-fixture.js';
import type { Decision } from '../../engine/decide/types.js';

const deployment = (digest: string) => webDeployment(`registry.example/web@sha256:${digest.repeat(64)}`);

const env = cleanEnv({ ROLLWRIGHT_ACTOR: 'oncall' });
let f: GitFixture;
let bad: string;
let ledgerPath: string;

async function rw(args: string[]) {
  return cli(args, { cwd: f.dir, env });
}

async function headSeq(): Promise<number> {
  const l = await Ledger.open({ kind: 'sqlite', path: ledgerPath }, { create: false });
  try {
    return (await l.head()).seq;
  } finally {
    await l.close();
  }
}

beforeAll(async () => {
  await ensureBuilt();
  f = GitFixture.create('rollwright-decide-cli-');
  f.commit('web v1', {
    'argocd/web-prod.yaml': app,
    'clusters/prod/web/deployment.yaml': deployment('1'),
    '.rollwright.yaml': 'environments:\n  prod:\n    paths: ["clusters/prod/**"]\n',
  });
  bad = f.commit('web v2\n\nChange-Id: CHG-100', {
    'clusters/prod/web/deployment.yaml': deployment('2'),
    '.rollwright/changes/CHG-100.yaml':
      'change:\n  id: CHG-100\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: git revert\n  rollbackWindow: 48h\n',
  });
  // The default store of the fixture (no origin remote: keyed by its first commit), in the tests' state directory.
  ledgerPath = defaultLedgerPath(await repositoryIdentity(f.dir), env);
  expect(ledgerPath.startsWith(env.XDG_STATE_HOME!)).toBe(true);
}, 240_000);

afterAll(() => f?.cleanup());

describe('rollwright decide', () => {
  it('--help lists the flags and exit codes; decide is a command', async () => {
    const r = await rw(['decide', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--change',
      '--fact',
      '--strict',
      '--no-record',
      '--incident',
      '--at',
      '--store',
      '-o, --output',
    ])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/^Exit codes:\n  0  decided/m);
    const top = await rw(['--help']);
    expect(top.stdout).toMatch(/decide\s+decide the safest recovery/);
  });

  it('usage errors exit 2 before anything is read: no --change, bad -o, unknown fact, wrong value, twice', async () => {
    const cases: Array<[string[], string]> = [
      [['decide'], 'decide needs --change'],
      [['decide', '--change', bad, '-o', 'sarif'], '--output: "sarif" is not one of text, json, markdown'],
      [['decide', '--change', bad, '--fact', 'moon-phase=full'], '--fact: unknown fact "moon-phase"'],
      [['decide', '--change', bad, '--fact', 'data-changed=maybe'], '--fact data-changed="maybe": must be yes or no'],
      [['decide', '--change', bad, '--fact', 'data-changed'], 'expected name=value'],
      [
        ['decide', '--change', bad, '--fact', 'data-changed=yes', '--fact', 'data-changed=no'],
        'stated twice with different values',
      ],
      [['decide', '--change', bad, '--at', 'yesterday'], '--at:'],
      [['decide', '--change', bad, '--at', '2999-01-01T00:00:00Z'], '--at is in the future'],
      [['decide', bad], 'decide takes no arguments'],
    ];
    for (const [args, message] of cases) {
      const r = await rw(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(ledgerPath)).toBe(false);
  });

  it('input errors exit 2: an unknown change id, a hostile ref, a range with a merge', async () => {
    const r = await rw(['decide', '--change', 'CHG-404']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--change "CHG-404" matches nothing');
    const r2 = await rw(['decide', '--change', 'HEAD..--upload-pack=x']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('invalid revision');
    const m = GitFixture.create('rollwright-decide-merge-');
    try {
      const base = m.commit('one', { 'a.yaml': 'a: 1\n' });
      m.branch('topic').commit('topic', { 'b.yaml': 'b: 1\n' });
      m.switch('main').commit('main', { 'c.yaml': 'c: 1\n' });
      m.git('-c', 'commit.gpgsign=false', 'merge', '--no-ff', '-q', '-m', 'Merge topic', 'topic');
      const r3 = await cli(['decide', '--change', `${base}..HEAD`], { cwd: m.dir, env });
      expect(r3.code).toBe(2);
      expect(r3.stderr).toContain(`the range holds the merge commit ${m.head().slice(0, 12)} ("Merge topic")`);
      expect(existsSync(join(m.dir, '.rollwright'))).toBe(false);
    } finally {
      m.cleanup();
    }
  });

  it('no ledger: decides, says nothing was recorded and how to record, creates no ledger', async () => {
    const r = await rw(['decide', '--change', bad, '-o', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(d.schema).toBe('rollwright.decision/v1');
    expect(d.change).toBe(bad);
    expect(d.environment).toBe('prod');
    expect(r.stderr).toContain(
      `rollwright: no ledger at ${ledgerPath} (the default store of the repository whose first commit is `,
    );
    expect(r.stderr).toContain('the decision was not recorded, and it was made without a deployment record');
    expect(r.stderr).toContain('rollwright record incident.detected --incident ID --change CHG-100');
    expect(existsSync(ledgerPath)).toBe(false);
    // Without a ledger the decision says so, and the declared 48h window is not assumed open.
    const rationale = d.rationale as Array<{ question: string; answer: string; source: string }>;
    expect(rationale[0]).toMatchObject({ source: 'ledger' });
    expect(rationale[0]!.answer).toMatch(
      /^no ledger record of the change .*the declared window \(48h\) is not assumed open/,
    );
    expect(d.transition).toBe('rollforward');
    expect((d.assumptions as string[]).some((a) => a.startsWith('assumed window-open=no'))).toBe(true);
    const strict = await rw(['decide', '--change', bad, '--strict', '--no-record']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('--fact window-open=yes|no');
    const open = await rw(['decide', '--change', bad, '-o', 'json', '--no-record', '--fact', 'window-open=yes']);
    expect(JSON.parse(open.stdout).transition).toBe('rollback');
    // The change id finds the same commit.
    const byId = await rw(['decide', '--change', 'CHG-100', '-o', 'json', '--no-record']);
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout).change).toBe('CHG-100');
  });

  it('with an incident: records decision.made with transition, class, rationale, assumptions; nothing on failure', async () => {
    for (const args of [
      [
        'record',
        'change.deployed',
        '--change',
        'CHG-100',
        '--service',
        'web',
        '--env',
        'prod',
        '--at',
        '2026-01-05T10:00:00Z',
        '--data',
        'artifact=registry.example/web@sha256:' + '2'.repeat(64),
      ],
      ['record', 'incident.detected', '--incident', 'INC-9', '--change', 'CHG-100', '--at', '2026-01-05T11:00:00Z'],
    ]) {
      const r = await rw(args);
      expect(r.code, r.stderr).toBe(0);
    }
    const before = await headSeq();

    // Failures write nothing.
    for (const args of [
      ['decide', '--change', 'CHG-100', '--fact', 'nope=yes'],
      ['decide', '--change', 'CHG-100', '--incident', 'INC-404'],
      ['decide', '--change', 'CHG-100', '--strict'],
    ]) {
      const r = await rw(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(await headSeq()).toBe(before);
    }
    const strict = await rw(['decide', '--change', 'CHG-100', '--strict', '--at', '2026-01-05T12:00:00Z']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toContain('--strict');
    expect(strict.stderr).toMatch(/--fact [a-z-]+=yes\|no/);
    expect(strict.stderr).toContain('Nothing was recorded.');
    const unknownIncident = await rw(['decide', '--change', 'CHG-100', '--incident', 'INC-404']);
    expect(unknownIncident.code).toBe(2);
    expect(unknownIncident.stderr).toContain('--incident INC-404: no such incident');

    // --no-record decides without writing.
    const dry = await rw(['decide', '--change', 'CHG-100', '--no-record', '--at', '2026-01-05T12:00:00Z']);
    expect(dry.code).toBe(0);
    expect(await headSeq()).toBe(before);

    const r = await rw([
      'decide',
      '--change',
      'CHG-100',
      '--at',
      '2026-01-05T12:00:00Z',
      '--fact',
      'loop-repeating-damage=yes',
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as {
      transition: string;
      class: string;
      containment: string[];
      rationale: Array<{ question: string; answer: string; source: string }>;
      assumptions: string[];
      playbook: string;
      resolution: { source: string; commits: Array<{ sha: string }> };
    };
    expect(r.stderr).toContain(`recorded decision.made #${before + 1}`);
    expect(r.stderr).toContain('for incident INC-9');
    expect(await headSeq()).toBe(before + 1);

    const l = await Ledger.open({ kind: 'sqlite', path: ledgerPath }, { create: false });
    try {
      const [e] = await l.select({ incidents: ['INC-9'], types: ['decision.made'] });
      expect(e!.actor).toBe('oncall');
      expect(e!.occurredAt).toBe('2026-01-05T12:00:00.000Z');
      expect(e!.subject).toEqual({ change: 'CHG-100', incident: 'INC-9', service: 'web', environment: 'prod' });
      expect(e!.payload).toEqual({
        transition: d.transition,
        class: d.class,
        playbook: d.playbook,
        change: 'CHG-100',
        commits: d.resolution.commits.map((c) => c.sha),
        'commits-source': 'trailer',
        rationale: d.rationale.map((x, i) => `${i + 1}. ${x.question} ${x.answer} [${x.source}]`).join('\n'),
        ...(d.containment.length ? { containment: d.containment } : {}),
        ...(d.assumptions.length ? { assumptions: d.assumptions } : {}),
        facts: { 'loop-repeating-damage': 'yes' },
      });
    } finally {
      await l.close();
    }
    // The SLO decide phase fills itself in.
    const slo = await rw(['slo', 'report', '-o', 'json', '--at', '2026-01-05T13:00:00Z']);
    expect(slo.code, slo.stderr).toBe(0);
    const inc = (
      JSON.parse(slo.stdout) as { incidents: Array<{ id: string; phases: { decide: { seconds: number } } }> }
    ).incidents.find((i) => i.id === 'INC-9');
    expect(inc!.phases.decide.seconds).toBe(3600);
  });

  it('--strict with every fact stated decides', async () => {
    const facts = FACTS.flatMap((s) => [
      '--fact',
      `${s.name}=${s.type === 'boolean' ? 'no' : 'sha256:' + '1'.repeat(64)}`,
    ]);
    const r = await rw(['decide', '--change', bad, '--strict', '--no-record', '-o', 'json', ...facts]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { assumptions: string[] }).assumptions).toEqual([]);
  });

  it('text and markdown render the same decision', async () => {
    const text = await rw(['decide', '--change', bad, '--no-record']);
    expect(text.code).toBe(0);
    expect(text.stdout.length).toBeGreaterThan(0);
    const md = await rw(['decide', '--change', bad, '--no-record', '-o', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('#');
  });

  // A terminal for the CLI: util-linux `script` runs it on a pseudo-terminal and forwards our stdin.
  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasScript)(
    'on a terminal: asks each unresolved fact with its consequences, and decides on the answers',
    async () => {
      const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
      const command = [process.execPath, CLI, 'decide', '--change', bad, '--no-record', '-o', 'json'].map(q).join(' ');
      const out = await new Promise<string>((resolve, reject) => {
        const child = execFile(
          'script',
          ['-qec', command, '/dev/null'],
          { cwd: f.dir, env, timeout: 60_000 },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        );
        // loop-repeating-damage: yes; every later question: Enter (left assumed).
        child.stdin!.end('y\n\n\n\n\n\n');
      });
      const text = out.replace(/\r/g, '');
      expect(text).toContain(
        'Is a control loop (sync, reconciliation, apply queue, image automation) repeating the damage?',
      );
      expect(text).toContain(
        '  yes: pause the one Application, Kustomization, HelmRelease or workspace that reconciles the change, then decide',
      );
      expect(text).toContain('(left assumed)');
      const json = JSON.parse(text.slice(text.indexOf('{\n  "schema"'))) as {
        containment: string[];
        runbook: Array<{ command: string | null }>;
      };
      expect(json.containment).toEqual(['pause']);
      expect(json.runbook[0]!.command).toBe('argocd app set argocd/web-prod --sync-policy none');
    },
  );

  it.each<[string, (seq: number) => string, string, RegExp]>([
    [
      'an event edited in the middle',
      () => "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 1",
      "UPDATE ledger_events SET actor = 'oncall' WHERE seq = 1",
      /event #1 \(change\.deployed change CHG-100, id .*\) was edited: its content does not match its hash/,
    ],
    [
      'rows beyond the head',
      (head) =>
        `INSERT INTO ledger_events SELECT seq + 2, 'extra', type, change_id, incident_id, service, environment, occurred_at, recorded_at, actor, payload, hash, hash FROM ledger_events WHERE seq = ${head}`,
      "DELETE FROM ledger_events WHERE id = 'extra'",
      /events #\d+–#\d+ lie beyond the head \(#\d+\): they were added outside rollwright/,
    ],
  ])(
    'a ledger with %s: the decision is printed, not recorded, exit 1 naming the break',
    async (_n, tamper, undo, message) => {
      const store = { kind: 'sqlite' as const, path: ledgerPath };
      const before = await headSeq();
      const rows = async () =>
        (await rawSql(store, 'SELECT seq, hash FROM ledger_events ORDER BY seq')).map((r) => `${r.seq}:${r.hash}`);
      await rawSql(store, tamper(before));
      const tampered = await rows();
      try {
        const r = await rw(['decide', '--change', 'CHG-100', '--at', '2026-01-05T12:20:00Z', '-o', 'json']);
        expect(r.code, r.stderr).toBe(1);
        expect(JSON.parse(r.stdout).schema).toBe('rollwright.decision/v1');
        expect(r.stderr).toContain('rollwright: the decision was not recorded: ');
        expect(r.stderr).toContain("the ledger's chain is broken, so nothing is added to it");
        expect(r.stderr).toMatch(message);
        expect(await rows()).toEqual(tampered);
      } finally {
        await rawSql(store, undo);
      }
      expect(await headSeq()).toBe(before);
    },
  );

  // Last: it breaks the ledger of the shared fixture.
  it('a ledger whose last event was edited: the decision is printed, not recorded, exit 1', async () => {
    const before = await headSeq();
    await rawSql(
      { kind: 'sqlite', path: ledgerPath },
      `UPDATE ledger_events SET actor = 'mallory' WHERE seq = ${before}`,
    );
    const r = await rw(['decide', '--change', 'CHG-100', '--at', '2026-01-05T12:30:00Z', '-o', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).schema).toBe('rollwright.decision/v1');
    expect(r.stderr).toContain('rollwright: the decision was not recorded:');
    expect(r.stderr).toContain('was edited');
    const rows = await rawSql({ kind: 'sqlite', path: ledgerPath }, 'SELECT max(seq) AS n FROM ledger_events');
    expect(Number(rows[0]!.n)).toBe(before);
  });
});

describe('rollwright decide: a change resolved the way it shipped', () => {
  it('a merge workflow: the change.deployed merge commit names the real commits, which destroy data; the declaration commits alone would not', async () => {
    const m = GitFixture.create('rollwright-decide-merge-workflow-');
    try {
      const decl = (extra = '') =>
        `change:\n  id: CHG-42\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: git revert\n${extra}`;
      m.commit('shop: schema and storage', {
        '.rollwright.yaml': 'environments:\n  prod:\n    paths: ["db/**", "infra/**"]\n',
        'db/migrations/0001_users.up.sql':
          'CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_phone text);\n',
        'db/migrations/0001_users.down.sql': 'DROP TABLE users;\n',
        'infra/storage.tf':
          'resource "aws_s3_bucket" "exports" {\n  bucket = "shop-exports"\n}\n\nresource "aws_s3_bucket" "uploads" {\n  bucket = "shop-uploads"\n}\n',
      });
      m.branch('chg-42');
      const drop = m.commit('users: drop legacy_phone', {
        'db/migrations/0002_drop_legacy_phone.up.sql': 'ALTER TABLE users DROP COLUMN legacy_phone;\n',
        'db/migrations/0002_drop_legacy_phone.down.sql': 'ALTER TABLE users ADD COLUMN legacy_phone text;\n',
      });
      const bucket = m.commit('storage: retire the exports bucket', {
        'infra/storage.tf': 'resource "aws_s3_bucket" "uploads" {\n  bucket = "shop-uploads"\n}\n',
      });
      const declared = m.commit('CHG-42: declaration', { '.rollwright/changes/CHG-42.yaml': decl() });
      const edited = m.commit('CHG-42: verification', {
        '.rollwright/changes/CHG-42.yaml': decl('  verification: [checkout error-rate < 1%]\n'),
      });
      m.switch('main');
      m.git('-c', 'commit.gpgsign=false', 'merge', '--no-ff', '-q', '-m', 'Merge CHG-42', 'chg-42');
      const merge = m.head();
      const store = `sqlite:${join(m.dir, '.rollwright', 'ledger.db')}`;
      const run = (args: string[]) => cli([...args, '--store', store], { cwd: m.dir, env });

      // Without the ledger, the declaration's history is followed to the merge that brought it in.
      const before = await cli(['decide', '--change', 'CHG-42', '--no-record', '-o', 'json'], { cwd: m.dir, env });
      expect(before.code, before.stderr).toBe(0);
      expect(JSON.parse(before.stdout).resolution.source).toBe('declaration');

      const deployed = ['record', 'change.deployed', '--change', 'CHG-42', '--service', 'shop', '--env', 'prod'];
      expect((await run([...deployed, '--data', `commit=${merge}`, '--at', '2026-01-05T15:00:00Z'])).code).toBe(0);
      expect(
        (
          await run([
            'record',
            'incident.detected',
            '--incident',
            'INC-7',
            '--change',
            'CHG-42',
            '--at',
            '2026-01-05T16:00:00Z',
          ])
        ).code,
      ).toBe(0);

      const r = await run(['decide', '--change', 'CHG-42', '--at', '2026-01-05T16:10:00Z', '-o', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const d = JSON.parse(r.stdout) as Decision;
      expect(d.change).toBe('CHG-42');
      expect(d.resolution.source).toBe('ledger');
      expect(d.resolution.how).toContain(
        `change.deployed #1 (prod) recorded the merge ${merge.slice(0, 12)} ("Merge CHG-42")`,
      );
      expect(d.resolution.commits).toEqual([
        { sha: drop, subject: 'users: drop legacy_phone', declarationOnly: false },
        { sha: bucket, subject: 'storage: retire the exports bucket', declarationOnly: false },
        { sha: declared, subject: 'CHG-42: declaration', declarationOnly: true },
        { sha: edited, subject: 'CHG-42: verification', declarationOnly: true },
      ]);
      expect(d.resolution.declarationOnly).toBe(false);
      expect(d.class).toBe('non-recoverable-without-restore');
      expect(d.transition).not.toBe('rollback');
      expect(d.refused).toContainEqual(
        expect.objectContaining({ transition: 'rollback', reason: expect.stringContaining('legacy_phone') }),
      );
      expect(d.rationale.find((q) => q.question === 'Did the change mutate data or external state?')).toMatchObject({
        source: 'assessment',
        answer: expect.stringMatching(/^yes: DROP COLUMN users.legacy_phone: its data is destroyed/),
      });
      expect(d.runbook.map((s) => s.command).join('\n')).not.toMatch(/git revert|rollwright revert .* --apply/);

      // The text view names them first; the decision.made records them.
      const text = await run(['decide', '--change', 'CHG-42', '--at', '2026-01-05T16:10:00Z', '--no-record']);
      const lines = text.stdout.split('\n');
      expect(lines[2]).toBe(
        `Commits:  from the ledger: change.deployed #1 (prod) recorded the merge ${merge.slice(0, 12)} ("Merge CHG-42"): the 4 commits it brought in (${m.git('merge-base', 'main~1', 'chg-42').slice(0, 12)}..${edited.slice(0, 12)})`,
      );
      expect(lines[3]).toBe(`          ${drop.slice(0, 12)}  users: drop legacy_phone`);
      expect(lines[5]).toBe(`          ${declared.slice(0, 12)}  CHG-42: declaration  (declaration only)`);
      const made = (await run(['ledger', 'export'])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; payload: Record<string, unknown> })
        .find((e) => e.type === 'decision.made')!;
      expect(made.payload).toMatchObject({ commits: [drop, bucket, declared, edited], 'commits-source': 'ledger' });
    } finally {
      m.cleanup();
    }
  }, 240_000);

  it('declaration-only commits: warned on stderr with what to do, and the decision says so', async () => {
    const s = GitFixture.create('rollwright-decide-declaration-only-');
    try {
      s.commit('base', { 'clusters/prod/web/deployment.yaml': deployment('1') });
      s.commit('web v2', { 'clusters/prod/web/deployment.yaml': deployment('2') });
      s.commit('declare CHG-50', {
        '.rollwright/changes/CHG-50.yaml':
          'change:\n  id: CHG-50\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: git revert\n',
      });
      const r = await cli(['decide', '--change', 'CHG-50', '--no-record'], { cwd: s.dir, env });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('rollwright: warning: CHG-50 resolved to');
      expect(r.stderr).toContain('which change only change declarations');
      expect(r.stderr).toContain("Name the change's commits with --change A..B");
      expect(r.stdout).toContain('  ! the commits found change only change declarations');
    } finally {
      s.cleanup();
    }
  }, 240_000);
});
