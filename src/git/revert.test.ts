import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { GitError, UsageError } from '../core/errors.js';
import { GitFixture } from '../testing/git-fixture.js';
import { makeRevert, resolveRevertTarget, revertMessage } from './revert.js';

const fixtures: GitFixture[] = [];
function repo(): GitFixture {
  const f = GitFixture.create();
  fixtures.push(f);
  return f;
}
afterEach(() => {
  for (const f of fixtures.splice(0)) f.cleanup();
});

function worktrees(f: GitFixture): string[] {
  return f
    .git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '));
}

function leftovers(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('rollwright-revert-'));
}

describe('resolveRevertTarget', () => {
  it('resolves one commit and a range, newest first', async () => {
    const f = repo();
    const a = f.commit('a', { 'a.txt': '1\n' });
    const b = f.commit('b', { 'b.txt': '1\n' });
    const c = f.commit('c', { 'c.txt': '1\n' });
    expect((await resolveRevertTarget(f.dir, c.slice(0, 10))).commits).toEqual([c]);
    const t = await resolveRevertTarget(f.dir, `${a}..HEAD`);
    expect(t.commits).toEqual([c, b]);
    expect(t.subjects).toEqual(['c', 'b']);
  });

  it('refuses unknown revisions, empty ranges, hostile names and root commits', async () => {
    const f = repo();
    const a = f.commit('a', { 'a.txt': '1\n' });
    f.commit('b', { 'a.txt': '2\n' });
    await expect(resolveRevertTarget(f.dir, 'deadbeefdeadbeef')).rejects.toThrow(GitError);
    await expect(resolveRevertTarget(f.dir, 'deadbeefdeadbeef')).rejects.toThrow(/unknown revision/);
    await expect(resolveRevertTarget(f.dir, 'HEAD..HEAD')).rejects.toThrow(/holds no commit/);
    await expect(resolveRevertTarget(f.dir, '--output=/tmp/x')).rejects.toThrow(UsageError);
    await expect(resolveRevertTarget(f.dir, 'HEAD;rm -rf /')).rejects.toThrow(UsageError);
    await expect(resolveRevertTarget(f.dir, '$(id)')).rejects.toThrow(UsageError);
    await expect(resolveRevertTarget(f.dir, 'a...b')).rejects.toThrow(/symmetric/);
    await expect(resolveRevertTarget(f.dir, '..HEAD')).rejects.toThrow(/both ends/);
    await expect(resolveRevertTarget(f.dir, `${a}..--upload-pack=x`)).rejects.toThrow(UsageError);
    await expect(resolveRevertTarget(f.dir, a)).rejects.toThrow(/root commit/);
  });

  it('refuses a merge in the range, naming it, unless --mainline is given', async () => {
    const f = repo();
    const base = f.commit('base', { 'a.txt': '1\n' });
    f.branch('topic');
    f.commit('topic', { 't.txt': '1\n' });
    f.switch('main');
    f.commit('main', { 'm.txt': '1\n' });
    f.git('-c', 'commit.gpgsign=false', 'merge', '--no-ff', '-q', '-m', 'merge topic', 'topic');
    const merge = f.head();
    await expect(resolveRevertTarget(f.dir, `${base}..HEAD`)).rejects.toThrow(
      new RegExp(`${merge.slice(0, 12)} is a merge commit`),
    );
    await expect(resolveRevertTarget(f.dir, 'HEAD')).rejects.toThrow(/--mainline 1/);
    const t = await resolveRevertTarget(f.dir, 'HEAD', { mainline: 1 });
    expect(t.commits).toEqual([merge]);
    const r = await makeRevert(f.dir, t, { mainline: 1 });
    expect(r.clean).toBe(true);
    expect(f.git('show', '--name-status', '--format=', r.commit!)).toBe('D\tt.txt');
  });
});

describe('makeRevert', () => {
  it('commits the revert in a temporary worktree and leaves the user repository untouched', async () => {
    const f = repo();
    f.commit('a', { 'a.txt': '1\n' });
    const b = f.commit('add b', { 'b.txt': 'b\n' });
    f.write({ 'dirty.txt': 'untracked\n', 'a.txt': 'edited\n' });
    const before = f.snapshot();
    const branches = f.git('for-each-ref');
    const r = await makeRevert(f.dir, await resolveRevertTarget(f.dir, b), {
      trailers: [['Rollback-Incident', 'INC-1']],
    });
    expect(r.clean).toBe(true);
    expect(r.empty).toBe(false);
    expect(r.onto).toBe(b);
    expect(f.git('rev-parse', `${r.commit}^`)).toBe(b);
    expect(f.git('show', '--name-status', '--format=', r.commit!)).toBe('D\tb.txt');
    const msg = f.git('log', '-1', '--format=%B', r.commit!);
    expect(msg).toContain('Revert "add b"');
    expect(msg).toContain(`This reverts commit ${b}.`);
    expect(f.git('log', '-1', '--format=%(trailers:only,unfold)', r.commit!).trim()).toBe(
      `Reverts: ${b}\nRollback-Incident: INC-1`,
    );
    expect(f.snapshot()).toBe(before);
    expect(f.git('for-each-ref')).toBe(branches);
    expect(worktrees(f)).toHaveLength(1);
    expect(existsSync(`${f.dir}/.git/worktrees`) ? readdirSync(`${f.dir}/.git/worktrees`) : []).toEqual([]);
  });

  it('reports conflicting paths, does not pretend, and removes the worktree', async () => {
    const f = repo();
    f.commit('a', { 'app.yaml': 'replicas: 1\n' });
    const b = f.commit('b', { 'app.yaml': 'replicas: 2\n' });
    f.commit('c', { 'app.yaml': 'replicas: 3\n' });
    const before = f.snapshot();
    const left = leftovers();
    const r = await makeRevert(f.dir, await resolveRevertTarget(f.dir, b));
    expect(r.clean).toBe(false);
    expect(r.commit).toBeUndefined();
    expect(r.conflicts).toEqual(['app.yaml']);
    expect(f.snapshot()).toBe(before);
    expect(worktrees(f)).toHaveLength(1);
    expect(leftovers()).toEqual(left);
  });

  it('says when the revert changes nothing (already reverted)', async () => {
    const f = repo();
    f.commit('a', { 'a.txt': '1\n' });
    const b = f.commit('b', { 'a.txt': '2\n' });
    f.commit('undo b by hand', { 'a.txt': '1\n' });
    const r = await makeRevert(f.dir, await resolveRevertTarget(f.dir, b));
    expect(r.clean).toBe(true);
    expect(r.empty).toBe(true);
  });

  it('works without any git identity configured', async () => {
    const f = repo();
    f.commit('a', { 'a.txt': '1\n' });
    const b = f.commit('b', { 'a.txt': '2\n' });
    const saved = { ...process.env };
    try {
      for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL'])
        delete process.env[k];
      process.env.GIT_CONFIG_GLOBAL = '/dev/null';
      const r = await makeRevert(f.dir, await resolveRevertTarget(f.dir, b));
      expect(r.clean).toBe(true);
      expect(f.git('log', '-1', '--format=%an <%ae>', r.commit!)).toBe('rollwright <rollwright@localhost.invalid>');
    } finally {
      process.env = saved;
    }
  });

  it('names a range in its message, newest first', () => {
    const m = revertMessage({ spec: 'a..b', commits: ['2'.repeat(40), '1'.repeat(40)], subjects: ['two', 'one'] });
    expect(m).toContain('Revert 2 commits (a..b)');
    expect(m.indexOf('two')).toBeLessThan(m.indexOf('one'));
    expect(m).toContain(`Reverts: ${'2'.repeat(40)}\nReverts: ${'1'.repeat(40)}`);
  });
});
