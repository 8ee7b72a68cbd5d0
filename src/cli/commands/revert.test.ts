/**
 * `rollwright revert` as a whole process, on real git repositories: the revert's own class and why,
 * conflicts with the user's tree untouched, schema and admission failures, `--apply` with its
 * trailers and ledger event, and bad input. Every run checks that no temporary worktree is left.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crd, deployment, replicaPolicy } from '../../surfaces/revert/testing/fixtures.js';
import { ledgerEnv } from '../../testing/ledger/cli-env.js';
import { rawSql } from '../../testing/ledger/raw.js';
import { CLI, cli, ensureBuilt } from '../../testing/cli.js';
import { GitFixture } from '../../testing/git-fixture.js';

const fixtures: GitFixture[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  await ensureBuilt();
});
afterAll(() => {
  for (const f of fixtures) f.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A repository whose config requires no declaration anywhere (the tests look at the revert's own class). */
function repo(): GitFixture {
  const f = GitFixture.create();
  fixtures.push(f);
  f.commit('init', {
    '.rollwright.yaml': 'environments:\n  staging:\n    paths: ["apps/**"]\n    requireDeclaration: false\n',
    'README.md': 'x\n',
  });
  return f;
}

/** A users table, then a commit adding a nullable column (with `extra` files); returns that commit. */
function addNullableColumn(f: GitFixture, extra: Record<string, string> = {}): string {
  f.commit('users', {
    'db/migrations/0001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
    'db/migrations/0001_users.down.sql': 'DROP TABLE users;\n',
  });
  return f.commit('nickname', {
    'db/migrations/0002_add_col.up.sql': 'ALTER TABLE users ADD COLUMN nickname text;\n',
    'db/migrations/0002_add_col.down.sql': 'ALTER TABLE users DROP COLUMN nickname;\n',
    ...extra,
  });
}

function revert(f: GitFixture, args: string[]) {
  return cli(['revert', ...args, '--repo', f.dir], { env: ledgerEnv() });
}

interface Json {
  schema: string;
  reverted: string[];
  clean: boolean;
  conflicts: string[];
  passed: boolean;
  reasons: string[];
  revertCommit: string | null;
  changeId: string | null;
  incident: string | null;
  assessment: {
    class: string;
    findings: Array<{ rule: string; messageId: string; class: string; message: string }>;
  } | null;
  schemaValidation: {
    schemaVersion: string;
    targetVersion: string;
    checked: Array<{ object: string; result: string }>;
  } | null;
  admission: { results: Array<{ verdict: string; policy: string; object: string }> } | null;
  applied: { commit: string; branch: string; ledgerEvent: number | null } | null;
}

function untouched(f: GitFixture) {
  const snap = f.snapshot();
  const leftovers = () => readdirSync(tmpdir()).filter((n) => n.startsWith('rollwright-revert-')).length;
  const before = leftovers();
  return () => {
    expect(f.snapshot()).toBe(snap);
    expect(
      f
        .git('worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')),
    ).toHaveLength(1);
    expect(leftovers()).toBeLessThanOrEqual(before);
  };
}

describe('rollwright revert --check', () => {
  it('a reverted CRD storage version: forward-only, objects are stored at it', async () => {
    const f = repo();
    f.commit('widgets v1', { 'crds/widgets.yaml': crd([{ name: 'v1', storage: true }]) });
    const add = f.commit('widgets v2 as storage', {
      'crds/widgets.yaml': crd([{ name: 'v1' }, { name: 'v2', storage: true }]),
    });
    const check = untouched(f);
    const r = await revert(f, [add, '--check', '-o', 'json']);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as Json;
    expect(j.schema).toBe('rollwright.revert/v1');
    expect(j.reverted).toEqual([add]);
    expect(j.clean).toBe(true);
    expect(j.assessment!.class).toBe('forward-only');
    const rules = j.assessment!.findings.map((x) => `${x.rule}:${x.messageId}`);
    expect(rules).toContain('revert/crd-version-reverted:storedVersion');
    // The CRD surface sees the same fact (the version is gone): reported once, by the revert's rule.
    expect(rules).not.toContain('crd/served-version-removed:removed');
    expect(j.assessment!.findings.find((x) => x.rule === 'revert/crd-version-reverted')!.message).toMatch(
      /crd\/served-version-removed/,
    );
    expect(j.assessment!.findings.find((x) => x.rule === 'revert/crd-version-reverted')!.message).toMatch(
      /every object written since is stored at v2.*status\.storedVersions/,
    );
    expect(r.code).toBe(1);
    check();
  });

  it('a reverted served-only CRD version: the objects survive, the served version goes (a compatibility window)', async () => {
    const f = repo();
    f.commit('widgets v1', { 'crds/widgets.yaml': crd([{ name: 'v1', storage: true }]) });
    const add = f.commit('widgets v2 served', {
      'crds/widgets.yaml': crd([{ name: 'v1', storage: true }, { name: 'v2' }]),
    });
    const r = await revert(f, [add.slice(0, 12), '--check']);
    // Objects survive (stored at v1); clients of v2 fail until it is served again: a compatibility
    // window, which the gate of a change with no declared environment does not block.
    expect(r.stdout).toMatch(/class: reversible-with-compatibility-window/);
    expect(r.stdout).toMatch(/revert\/crd-version-reverted/);
    expect(r.stdout).toMatch(/never the storage version: objects written through it are stored at v1 and survive/);
    expect(r.stdout).toMatch(/also seen as: crd\/served-version-removed/);
    expect(r.stdout).toMatch(/revert check: PASSED/);
    expect(r.code).toBe(0);
  });

  it('a reverted nullable column (golang-migrate): nothing runs, the tool fails until repaired; the down would be a contract', async () => {
    const f = repo();
    const add = addNullableColumn(f);
    const check = untouched(f);
    const r = await revert(f, [add, '--check', '-o', 'json']);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.assessment!.class).toBe('reversible-with-manual-repair');
    const x = j.assessment!.findings.find((y) => y.rule === 'revert/expand-migration-reverted')!;
    expect(x.messageId).toBe('downDestroys');
    expect(x.class).toBe('reversible-with-manual-repair');
    expect(x.message).toMatch(/ADD COLUMN users\.nickname/);
    expect(x.message).toMatch(
      /revert a contract: users\.nickname and every value written to it since would be destroyed/,
    );
    expect(x.message).toMatch(/no migration found for version 0002/);
    expect(r.code).toBe(1);
    check();
  });

  it('a conflicting revert: the paths, exit 1, the tree, index and HEAD untouched, no worktree left', async () => {
    const f = repo();
    f.commit('web', { 'apps/web.yaml': deployment({ replicas: 2 }) });
    const bad = f.commit('scale 3', { 'apps/web.yaml': deployment({ replicas: 3 }) });
    f.commit('scale 4', { 'apps/web.yaml': deployment({ replicas: 4 }) });
    f.write({ 'notes.txt': 'untracked\n' });
    const check = untouched(f);
    const r = await revert(f, [bad, '--check', '-o', 'json']);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.clean).toBe(false);
    expect(j.conflicts).toEqual(['apps/web.yaml']);
    expect(j.assessment).toBeNull();
    expect(j.revertCommit).toBeNull();
    expect(j.reasons[0]).toMatch(/does not apply cleanly.*apps\/web\.yaml/);
    expect(r.code).toBe(1);
    check();
    const t = await revert(f, [bad, '--check']);
    expect(t.stdout).toMatch(/revert: CONFLICTS/);
    expect(t.stdout).toMatch(/^ {2}apps\/web\.yaml$/m);
  });

  it('a revert whose object fails its schema today', async () => {
    const f = repo();
    f.commit('web', { 'apps/web.yaml': deployment({ replicas: 'two' }) });
    const fix = f.commit('replicas as a number', { 'apps/web.yaml': deployment({ replicas: 2 }) });
    const r = await revert(f, [fix, '--check', '-o', 'json']);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.schemaValidation!.schemaVersion).toBe('1.36');
    expect(j.schemaValidation!.targetVersion).toBe('1.34');
    expect(j.schemaValidation!.checked).toEqual([
      expect.objectContaining({ object: 'apps/Deployment/shop/web', result: 'invalid' }),
    ]);
    expect(j.assessment!.findings.map((x) => `${x.rule}:${x.messageId}`)).toContain('revert/schema-invalid:invalid');
    expect(j.reasons.join('\n')).toMatch(/schema: 1 object\(s\) fail their schema: apps\/Deployment\/shop\/web/);
    expect(j.passed).toBe(false);
    expect(r.code).toBe(1);
  });

  it('a revert denied by a ValidatingAdmissionPolicy of the repository', async () => {
    const f = repo();
    f.commit('web', { 'apps/web.yaml': deployment({ replicas: 9 }) });
    const scale = f.commit('scale down', { 'apps/web.yaml': deployment({ replicas: 3 }) });
    f.commit('cap replicas', { 'policy/replica-cap.yaml': replicaPolicy(5) });
    const r = await revert(f, [scale, '--check', '-o', 'json']);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.clean).toBe(true);
    expect(j.admission!.results).toEqual([
      expect.objectContaining({ verdict: 'denied', policy: 'replica-cap', object: 'apps/Deployment/shop/web' }),
    ]);
    expect(j.assessment!.findings.map((x) => `${x.rule}:${x.messageId}`)).toContain('revert/admission-denied:denied');
    expect(j.reasons.join('\n')).toMatch(
      /admission: 1 request\(s\) denied: apps\/Deployment\/shop\/web by replica-cap/,
    );
    expect(r.code).toBe(1);
  });

  it('a reverted policy tightening re-allows what it denied (the policy surface says so)', async () => {
    const f = repo();
    const tighten = f.commit('cap replicas', { 'policy/replica-cap.yaml': replicaPolicy(5) });
    const r = await revert(f, [tighten, '--check', '-o', 'json']);
    const j = JSON.parse(r.stdout) as Json;
    const removed = j.assessment!.findings.find((x) => x.rule === 'policy/rule-removed')!;
    expect(removed.message).toMatch(/replica-cap-binding \(\[Deny\]\) is removed: what it denied is admitted/);
  });

  it('a clean, passing revert exits 0 and asks to verify the old digest', async () => {
    const f = repo();
    const old = `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`;
    f.commit('web', { 'apps/web.yaml': deployment({ image: old }) });
    const bump = f.commit('bump', {
      'apps/web.yaml': deployment({ image: `ghcr.io/acme/web@sha256:${'b'.repeat(64)}` }),
    });
    const check = untouched(f);
    const r = await revert(f, [bump, '--check']);
    expect(r.stdout).toMatch(new RegExp(`crane digest ${old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(r.stdout).toMatch(/revert check: PASSED/);
    expect(r.code).toBe(0);
    const md = await revert(f, [bump, '--check', '-o', 'markdown']);
    expect(md.stdout).toMatch(/^## rollwright revert `/);
    expect(md.stdout).toMatch(/- result: \*\*PASSED\*\*/);
    check();
  });

  it('a range is reverted newest first in one commit', async () => {
    const f = repo();
    const start = f.commit('web', { 'apps/web.yaml': deployment({ replicas: 2 }) });
    const a = f.commit('scale 3', { 'apps/web.yaml': deployment({ replicas: 3 }) });
    const b = f.commit('scale 4', { 'apps/web.yaml': deployment({ replicas: 4 }) });
    const r = await revert(f, [`${start}..${b}`, '--check', '-o', 'json']);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.reverted).toEqual([b, a]);
    expect(j.clean).toBe(true);
    expect(f.git('show', `${j.revertCommit}:apps/web.yaml`)).toBe(deployment({ replicas: 2 }).trimEnd());
    expect(r.code).toBe(0);
  });
});

describe('rollwright revert: a revert made for a recovery declares itself', () => {
  /** Production requires a declaration for every change under clusters/prod and db/. */
  function prod(): GitFixture {
    const f = GitFixture.create();
    fixtures.push(f);
    f.commit('init', {
      '.rollwright.yaml':
        'environments:\n  prod:\n    paths: ["clusters/prod/**", "db/**"]\n    requireDeclaration: true\n',
      'README.md': 'x\n',
    });
    return f;
  }

  it('a digest-to-digest rollback for an incident: declared with its own class, method and incident, and the gate passes', async () => {
    const f = prod();
    f.commit('web', { 'clusters/prod/web.yaml': deployment({ image: `ghcr.io/acme/web@sha256:${'a'.repeat(64)}` }) });
    const bump = f.commit('bump', {
      'clusters/prod/web.yaml': deployment({ image: `ghcr.io/acme/web@sha256:${'b'.repeat(64)}` }),
    });
    // Not for a recovery (no incident, no declared change): a production change without a declaration.
    const bare = JSON.parse((await revert(f, [bump, '--check', '--offline', '-o', 'json'])).stdout) as Json;
    expect(bare.passed).toBe(false);
    expect(bare.reasons.join('\n')).toContain('environment prod requires a change declaration');

    const r = await revert(f, [bump, '--check', '--offline', '--incident', 'INC-1', '-o', 'json']);
    const j = JSON.parse(r.stdout) as Json & { assessment: { declaration: Record<string, unknown> } };
    expect(j.reasons).toEqual([]);
    expect(j.assessment.declaration).toEqual({
      rollbackClass: 'fully-reversible',
      rollbackMethod: 'git revert',
      source: `the revert of ${bump.slice(0, 12)} for incident INC-1`,
    });
    expect(r.code).toBe(0);
  });

  it("the gate judges the revert's real risks: its own class worse than the change declared", async () => {
    const f = prod();
    const add = addNullableColumn(f, {
      '.rollwright/changes/CHG-9.yaml':
        'change:\n  id: CHG-9\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: down migration\n  verification: [signup works]\n',
    });
    const r = await revert(f, [add, '--check', '--offline', '--incident', 'INC-2', '-o', 'json']);
    const j = JSON.parse(r.stdout) as Json & { assessment: { declaration: Record<string, unknown> } };
    expect(j.changeId).toBe('CHG-9');
    expect(j.assessment.declaration).toMatchObject({
      id: 'CHG-9',
      environment: 'prod',
      rollbackClass: 'reversible-with-manual-repair',
      rollbackMethod: 'git revert',
      verification: ['signup works'],
      source: `the revert of ${add.slice(0, 12)} for incident INC-2 (change CHG-9)`,
    });
    const reasons = j.reasons.join('\n');
    expect(reasons).not.toContain('requires a change declaration');
    expect(reasons).toContain(
      "the revert's own class reversible-with-manual-repair is worse than the reverted change's fully-reversible (.rollwright/changes/CHG-9.yaml)",
    );
    // Deleting the migration files runs nothing: the revert destroys nothing, it needs its history repaired.
    expect(reasons).not.toMatch(/irreversible effects/);
    expect(r.code).toBe(1);
  });
});

describe('rollwright revert --apply', () => {
  function withChange(): { f: GitFixture; bump: string; store: string } {
    const f = repo();
    f.commit('web', { 'apps/web.yaml': deployment({ image: `ghcr.io/acme/web@sha256:${'a'.repeat(64)}` }) });
    const bump = f.commit('bump', {
      'apps/web.yaml': deployment({ image: `ghcr.io/acme/web@sha256:${'b'.repeat(64)}` }),
      '.rollwright/changes/CHG-7.yaml':
        'change:\n  id: CHG-7\n  environment: staging\n  rollbackClass: fully-reversible\n  rollbackMethod: revert-image-digest\n',
    });
    const d = mkdtempSync(join(tmpdir(), 'rw-revert-test-ledger-'));
    dirs.push(d);
    return { f, bump, store: `sqlite:${join(d, 'ledger.db')}` };
  }

  async function events(
    store: string,
  ): Promise<Array<{ type: string; subject: { incident: string | null }; payload: Record<string, unknown> }>> {
    const r = await cli(['ledger', 'export', '--store', store], { env: ledgerEnv() });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as never);
  }

  it('commits the checked revert with trailers and records recovery.executed', async () => {
    const { f, bump, store } = withChange();
    const det = await cli(
      ['record', 'incident.detected', '--incident', 'INC-7', '--change', 'CHG-7', '--env', 'staging', '--store', store],
      { env: ledgerEnv() },
    );
    expect(det.code, det.stderr).toBe(0);
    const r = await revert(f, [bump, '--apply', '--incident', 'INC-7', '--store', store, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.applied!.commit).toBe(f.head());
    expect(j.applied!.commit).toBe(j.revertCommit);
    expect(j.applied!.branch).toBe('refs/heads/main');
    expect(f.git('rev-parse', 'HEAD^')).toBe(bump);
    expect(f.git('status', '--porcelain')).toBe('');
    expect(f.git('log', '-1', '--format=%(trailers:only,unfold)').trim().split('\n')).toEqual([
      `Reverts: ${bump}`,
      'Rollback-Incident: INC-7',
      'Rollback-Change: CHG-7',
    ]);
    const ev = await events(store);
    expect(ev.map((e) => e.type)).toEqual(['incident.detected', 'recovery.executed']);
    expect(ev[1]!.payload).toEqual({ transition: 'rollback', commit: f.head() });
    expect(j.applied!.ledgerEvent).toBe(2);
  });

  it('finds the open incident of the reverted change when --incident is not given', async () => {
    const { f, bump, store } = withChange();
    await cli(
      ['record', 'incident.detected', '--incident', 'INC-8', '--change', 'CHG-7', '--env', 'staging', '--store', store],
      { env: ledgerEnv() },
    );
    const r = await revert(f, [bump, '--apply', '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ledger: recovery\.executed #2 \(transition=rollback\) for incident INC-8/);
    expect(f.git('log', '-1', '--format=%(trailers:key=Rollback-Incident,valueonly)').trim()).toBe('INC-8');
  });

  it('a ledger whose chain is broken refuses the record before the branch moves: nothing applied, exit 1', async () => {
    const { f, bump, store } = withChange();
    for (const args of [
      ['record', 'change.deployed', '--change', 'CHG-7', '--service', 'web', '--env', 'staging'],
      ['record', 'incident.detected', '--incident', 'INC-10', '--change', 'CHG-7', '--env', 'staging'],
    ]) {
      const r = await cli([...args, '--store', store], { env: ledgerEnv() });
      expect(r.code, r.stderr).toBe(0);
    }
    await rawSql(
      { kind: 'sqlite', path: store.slice('sqlite:'.length) },
      "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 1",
    );
    const head = f.head();
    const r = await revert(f, [bump, '--apply', '--incident', 'INC-10', '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the ledger's chain is broken, so nothing is added to it: event #1 .* was edited/);
    expect(f.head()).toBe(head);
    expect(f.git('status', '--porcelain')).toBe('');
    const rows = await rawSql(
      { kind: 'sqlite', path: store.slice('sqlite:'.length) },
      'SELECT count(*) AS n FROM ledger_events',
    );
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it('on failure nothing is applied or recorded', async () => {
    const { f, bump, store } = withChange();
    await cli(
      ['record', 'incident.detected', '--incident', 'INC-9', '--change', 'CHG-7', '--env', 'staging', '--store', store],
      { env: ledgerEnv() },
    );
    const head = f.head();
    // An incident the ledger does not know: refused before the branch moves.
    const unknown = await revert(f, [bump, '--apply', '--incident', 'INC-404', '--store', store]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no incident INC-404/);
    // A dirty tree.
    f.write({ 'apps/web.yaml': 'edited\n' });
    const dirty = await revert(f, [bump, '--apply', '--incident', 'INC-9', '--store', store]);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toMatch(/uncommitted changes \(apps\/web\.yaml\)/);
    f.git('checkout', '--', 'apps/web.yaml');
    // A revert that conflicts.
    f.commit('bump again', { 'apps/web.yaml': deployment({ image: `ghcr.io/acme/web@sha256:${'c'.repeat(64)}` }) });
    const moved = f.head();
    const conflict = await revert(f, [bump, '--apply', '--incident', 'INC-9', '--store', store]);
    expect(conflict.code).toBe(1);
    expect(f.head()).toBe(moved);
    expect(head).not.toBe(moved);
    expect((await events(store)).map((e) => e.type)).toEqual(['incident.detected']);
  });
});

describe('rollwright revert: bad input', () => {
  it('refuses unknown revisions, ranges with merges, hostile names and a missing action', async () => {
    const f = repo();
    const base = f.head();
    f.branch('topic');
    f.commit('topic', { 'apps/t.yaml': deployment() });
    f.switch('main');
    f.commit('main', { 'apps/m.yaml': deployment() });
    f.git('-c', 'commit.gpgsign=false', 'merge', '--no-ff', '-q', '-m', 'merge topic', 'topic');
    const merge = f.head();
    const check = untouched(f);
    const cases: Array<[string[], RegExp]> = [
      [['deadbeef1234', '--check'], /unknown revision "deadbeef1234"/],
      [[`${base}..HEAD`, '--check'], new RegExp(`${merge.slice(0, 12)} is a merge commit.*--mainline 1`)],
      [['--upload-pack=evil', '--check'], /Unknown option|invalid revision/],
      [['HEAD;touch /tmp/pwned', '--check'], /invalid revision/],
      [['$(id)..HEAD', '--check'], /invalid revision/],
      [['HEAD'], /needs an action: --check .* or --apply/],
      [[], /needs the commit or range/],
      [['HEAD', 'HEAD~1', '--check'], /takes one commit or range/],
      [['HEAD', '--check', '--mainline', 'x'], /--mainline: "x" is not a parent number/],
    ];
    for (const [args, re] of cases) {
      const r = await revert(f, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stdout).toBe('');
    }
    check();
    const ok = await revert(f, ['HEAD', '--check', '--mainline', '1', '-o', 'json']);
    expect((JSON.parse(ok.stdout) as Json).reverted).toEqual([merge]);
  });
});

describe('rollwright revert: signals', () => {
  it('removes the temporary worktree when the process is terminated mid-revert', async () => {
    const f = repo();
    f.commit('web', { 'apps/web.yaml': deployment({ replicas: 2 }) });
    const bad = f.commit('scale', { 'apps/web.yaml': deployment({ replicas: 3 }) });
    const check = untouched(f);
    // A `git` first on PATH that stalls on `revert` (test harness only), so the signal lands mid-revert.
    const bin = mkdtempSync(join(tmpdir(), 'rw-revert-test-bin-'));
    dirs.push(bin);
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = revert ] && sleep 10; done\nexec ${real} "$@"\n`,
      { mode: 0o755 },
    );
    const child = spawn(process.execPath, [CLI, 'revert', bad, '--check', '--repo', f.dir], {
      env: { ...ledgerEnv(), PATH: `${bin}:${process.env.PATH ?? ''}` },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const n = f
        .git('worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')).length;
      if (n === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(
      f
        .git('worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')),
    ).toHaveLength(2);
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    check();
  }, 240_000);
});
