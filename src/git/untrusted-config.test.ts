/**
 * A repository whose git configuration names commands (every setting git's documentation lists as
 * running one: the fsmonitor, hooks, pager, editors, external diff, diff/filter/merge drivers named
 * by .gitattributes, credential helpers, signing programs, transports, trailers, includes and
 * conditional includes that bring more of them), each writing a marker file. `assess` (a range and
 * `--worktree`), `revert --check` (a temporary worktree, a merge that conflicts, a commit) and
 * `decide` must leave no marker; plain git in the same repository leaves them, so the plant works.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, ensureBuilt } from '../testing/cli.js';
import { fixtureGitEnv, GitFixture } from '../testing/git-fixture.js';

const cm = (name: string, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  key: "${v}"\n`;

let f: GitFixture;
let scripts: string;
let markers: string;
let first: string;
let second: string;

/** A script that leaves a marker named `name` and passes its input through (a filter must). */
function plant(name: string): string {
  const path = join(scripts, name);
  writeFileSync(path, `#!/bin/sh\ntouch '${join(markers, name)}'\ncat 2>/dev/null\nexit 0\n`);
  chmodSync(path, 0o755);
  return path;
}

function left(): string[] {
  return readdirSync(markers).sort();
}

/** The test's own git commands in the planted repository, with what was planted switched off. */
function quietly(...args: string[]): void {
  const off = [
    'core.fsmonitor=false',
    'core.hooksPath=/dev/null',
    ...['evil', 'included', 'wtonly'].flatMap((d) => [
      `filter.${d}.clean=`,
      `filter.${d}.smudge=`,
      `filter.${d}.process=`,
    ]),
    'filter.evil.required=false',
  ].flatMap((c) => ['-c', c]);
  execFileSync('git', [...off, '-C', f.dir, ...args], { env: fixtureGitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  await ensureBuilt();
  scripts = mkdtempSync(join(tmpdir(), 'rollwright-evil-scripts-'));
  markers = mkdtempSync(join(tmpdir(), 'rollwright-evil-markers-'));
  f = GitFixture.create('rollwright-evil-repo-');
  f.commit('init', {
    '.rollwright.yaml': 'environments:\n  staging:\n    paths: ["apps/**"]\n    requireDeclaration: false\n',
    '.gitattributes': [
      'apps/a.yaml diff=evil filter=evil merge=evil',
      'apps/b.yaml filter=included merge=included diff=included',
      'apps/c.yaml filter=wtonly merge=wtonly',
      '',
    ].join('\n'),
    'apps/a.yaml': cm('a', '1'),
    'apps/b.yaml': cm('b', '1'),
    'apps/c.yaml': cm('c', '1'),
  });
  first = f.commit('two', { 'apps/a.yaml': cm('a', '2'), 'apps/b.yaml': cm('b', '2'), 'apps/c.yaml': cm('c', '2') });
  second = f.commit('three\n\nSigned-off-by: x <x@example.invalid>', {
    'apps/a.yaml': cm('a', '3'),
    'apps/b.yaml': cm('b', '3'),
    'apps/c.yaml': cm('c', '3'),
  });
  // A commit with a signature header: `log.showSignature` would hand it to gpg.program.
  const raw = f
    .git('cat-file', 'commit', 'HEAD')
    .replace(/\n\n/, '\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\n');
  second = f.gitWithInput(raw, 'hash-object', '-t', 'commit', '-w', '--stdin');
  f.git('update-ref', 'refs/heads/main', second);

  const set = (k: string, v: string) => f.git('config', '--local', k, v);
  set('core.fsmonitor', plant('fsmonitor'));
  set('core.pager', plant('pager'));
  set('pager.log', plant('pager-log'));
  set('core.editor', plant('editor'));
  set('sequence.editor', plant('sequence-editor'));
  set('core.sshCommand', plant('ssh'));
  set('core.askPass', plant('askpass'));
  set('core.gitProxy', plant('git-proxy'));
  set('core.alternateRefsCommand', plant('alternate-refs'));
  set('credential.helper', `!${plant('credential')}`);
  set('diff.external', plant('external-diff'));
  set('diff.evil.command', plant('diff-command'));
  set('diff.evil.textconv', plant('textconv'));
  set('filter.evil.clean', plant('clean'));
  set('filter.evil.smudge', plant('smudge'));
  set('filter.evil.required', 'true');
  set('merge.evil.driver', `${plant('merge-driver')} %O %A %B`);
  set('gpg.program', plant('gpg'));
  set('gpg.ssh.program', plant('gpg-ssh'));
  set('log.showSignature', 'true');
  set('trailer.signed-off-by.command', plant('trailer'));
  set('uploadpack.packObjectsHook', plant('pack-objects-hook'));
  set('protocol.ext.allow', 'always');
  set('submodule.recurse', 'true');
  set('core.hooksPath', join(f.dir, '.git', 'evil-hooks'));
  // An include brings more drivers; a conditional include brings one only in linked worktrees.
  const included = join(f.dir, '.git', 'included.cfg');
  writeFileSync(
    included,
    `[filter "included"]\n\tprocess = ${plant('filter-process')}\n\tsmudge = ${plant('included-smudge')}\n` +
      `[merge "included"]\n\tdriver = ${plant('included-merge')} %O %A %B\n[diff "included"]\n\ttextconv = ${plant('included-textconv')}\n`,
  );
  set('include.path', included);
  const wtOnly = join(f.dir, '.git', 'worktrees-only.cfg');
  writeFileSync(
    wtOnly,
    `[filter "wtonly"]\n\tsmudge = ${plant('worktree-smudge')}\n\tclean = ${plant('worktree-clean')}\n` +
      `[merge "wtonly"]\n\tdriver = ${plant('worktree-merge')} %O %A %B\n[core]\n\tfsmonitor = ${plant('worktree-fsmonitor')}\n`,
  );
  set('includeIf.gitdir:**/worktrees/**.path', wtOnly);
  // Hooks where git looks by default and where core.hooksPath points.
  for (const dir of ['hooks', 'evil-hooks']) {
    mkdirSync(join(f.dir, '.git', dir), { recursive: true });
    for (const hook of [
      'pre-commit',
      'prepare-commit-msg',
      'commit-msg',
      'post-commit',
      'post-checkout',
      'post-merge',
      'post-rewrite',
      'reference-transaction',
      'post-index-change',
      'pre-auto-gc',
    ]) {
      const path = join(f.dir, '.git', dir, hook);
      writeFileSync(path, `#!/bin/sh\ntouch '${join(markers, `hook-${dir}-${hook}`)}'\nexit 0\n`);
      chmodSync(path, 0o755);
    }
  }
  expect(left()).toEqual([]);
}, 240_000);

afterAll(() => {
  f?.cleanup();
  for (const d of [scripts, markers]) if (d) rmSync(d, { recursive: true, force: true });
});

/** Inherited variables that would point git elsewhere or inject configuration: all ignored. */
const hostileEnv = () =>
  cleanEnv({
    GIT_DIR: '/nonexistent/elsewhere.git',
    GIT_WORK_TREE: '/',
    GIT_INDEX_FILE: '/nonexistent/index',
    GIT_CONFIG_PARAMETERS: `'core.fsmonitor=${join(scripts, 'fsmonitor')}'`,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'core.fsmonitor',
    GIT_CONFIG_VALUE_0: join(scripts, 'fsmonitor'),
    GIT_EXTERNAL_DIFF: join(scripts, 'external-diff'),
    GIT_PAGER: join(scripts, 'pager'),
    ROLLWRIGHT_STORE: `sqlite:${join(markers, '..', `rollwright-evil-ledger-${process.pid}.db`)}`,
  });

describe('a repository whose git configuration runs commands', () => {
  it('assess of a range runs none of them', async () => {
    const r = await cli(['assess', '--repo', f.dir, '--base', first, '--head', second, '-o', 'json'], {
      env: hostileEnv(),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stats.filesChanged).toBe(3);
    expect(left()).toEqual([]);
  });

  it('assess --worktree (modified, renamed and untracked files, stale index stat data) runs none of them', async () => {
    f.write({ 'apps/a.yaml': cm('a', '4'), 'apps/new.yaml': cm('new', '1') });
    quietly('mv', 'apps/b.yaml', 'apps/b-renamed.yaml');
    // Same size and a new mtime: git must re-read the file (through the clean filter, if it ran one).
    f.write({ 'apps/c.yaml': cm('c', '9') });
    const r = await cli(['assess', '--repo', f.dir, '--worktree', '-o', 'json'], { env: hostileEnv() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = JSON.parse(r.stdout).stats.filesChanged;
    expect(files).toBeGreaterThanOrEqual(3);
    expect(left()).toEqual([]);
    quietly('mv', 'apps/b-renamed.yaml', 'apps/b.yaml');
    f.remove('apps/new.yaml');
    quietly('checkout', '-q', '--', 'apps');
    expect(left()).toEqual([]);
  });

  it('revert --check (a worktree checked out, a merge that conflicts, a clean revert committed) runs none of them', async () => {
    // Reverting the middle commit conflicts on every file: git would call the merge drivers.
    const conflicting = await cli(['revert', first, '--check', '--repo', f.dir, '-o', 'json'], { env: hostileEnv() });
    expect(conflicting.code).toBe(1);
    expect(JSON.parse(conflicting.stdout).conflicts).toEqual(['apps/a.yaml', 'apps/b.yaml', 'apps/c.yaml']);
    // Reverting the newest commit is clean: a checkout, a revert and a commit in the temporary worktree.
    const clean = await cli(['revert', second, '--check', '--repo', f.dir, '-o', 'json'], { env: hostileEnv() });
    expect(clean.stderr).toBe('');
    expect(JSON.parse(clean.stdout).clean).toBe(true);
    expect(left()).toEqual([]);
  });

  it('decide runs none of them', async () => {
    const r = await cli(['decide', '--change', second, '--repo', f.dir, '--no-record', '-o', 'json'], {
      env: hostileEnv(),
    });
    expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
    expect(JSON.parse(r.stdout).transition).toBeTruthy();
    expect(left()).toEqual([]);
  });

  it('--worktree refuses a repository whose configuration moves its work tree', async () => {
    const g = GitFixture.create('rollwright-evil-worktree-');
    try {
      g.commit('init', { 'a.yaml': cm('a', '1') });
      g.git('config', 'core.worktree', tmpdir());
      const r = await cli(['assess', '--repo', g.dir, '--worktree'], { env: hostileEnv() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--worktree: git reads the work tree of .* at .*core\.worktree/);
    } finally {
      g.cleanup();
    }
  });

  // Last: plain git in the same repository runs what was planted, so the checks above can fail (the
  // pager and the editors need a terminal; the transports a fetch).
  it('the planted settings do run under plain git', () => {
    const env = fixtureGitEnv();
    const run = (...args: string[]) => {
      try {
        execFileSync('git', ['-C', f.dir, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch {
        /* a planted command may make git fail; the marker is what counts */
      }
    };
    f.write({ 'apps/a.yaml': cm('a', '5') });
    run('status');
    run('diff', 'HEAD');
    run('log', '-1', second);
    run('log', '-p', '-1', '--textconv', '--no-ext-diff', second);
    run('checkout', '-q', '--', 'apps/a.yaml');
    // The included process filter is no real long-running filter: off, so that the merge is reached.
    run('-c', 'filter.included.process=', 'revert', '--no-edit', first);
    const got = left();
    for (const m of [
      'fsmonitor',
      'diff-command',
      'textconv',
      'gpg',
      'smudge',
      'clean',
      'merge-driver',
      'filter-process',
      'included-merge',
      'included-textconv',
    ])
      expect(got, m).toContain(m);
    expect(got.some((m) => m.startsWith('hook-evil-hooks-'))).toBe(true);
  });
});
