import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangedFile } from '../core/change.js';
import { GitError, UsageError } from '../core/errors.js';
import { GitFixture } from '../testing/git-fixture.js';
import { gitStats } from './exec.js';
import { GitRepo, WORKTREE, decode } from './repo.js';
import { EMPTY_TREE_SHA1 } from './revs.js';

const all = { wants: () => true, maxFileBytes: 1024 * 1024 };
const cm = (name: string, data = 'v') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: ${data}\n`;

async function withRepo<T>(dir: string, fn: (r: GitRepo) => Promise<T>): Promise<T> {
  const r = await GitRepo.open(dir);
  try {
    return await fn(r);
  } finally {
    r.close();
  }
}

function byPath(files: ChangedFile[]): Record<string, ChangedFile> {
  return Object.fromEntries(files.map((f) => [f.path, f]));
}

describe('GitRepo.open', () => {
  it('refuses a directory that does not exist', async () => {
    await expect(GitRepo.open('/nonexistent/rollwright/repo')).rejects.toThrow(
      new UsageError('--repo: the directory "/nonexistent/rollwright/repo" does not exist'),
    );
  });

  it('refuses a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollwright-file-'));
    try {
      writeFileSync(join(dir, 'f'), 'x');
      await expect(GitRepo.open(join(dir, 'f'))).rejects.toThrow(/is not a directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when the directory is not a repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollwright-norepo-'));
    try {
      const err = await withRepo(dir, (r) => r.resolveRange({})).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitError);
      expect((err as Error).message).toBe(`${dir} is not a git repository`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GitRepo ranges and change sets', () => {
  let repo: GitFixture;
  const sha: Record<string, string> = {};
  beforeAll(() => {
    repo = GitFixture.create();
    sha.root = repo.commit('root: add everything', {
      'keep.yaml': cm('keep'),
      'edit.yaml': cm('edit', 'one'),
      'gone.yaml':
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: gone\nspec:\n  resources: {requests: {storage: 1Gi}}\n',
      'move.yaml': cm('move'),
      'moveedit.yaml': cm('moveedit') + '# a long comment so that a small edit keeps the rename detectable\n',
      'README.md': '# readme\n',
    });
    sha.second = repo.commit(
      'second: edit, delete, move\n\nWhy this change.\n\nRollback-Class: fully-reversible\nRollback-Verification: a\nRollback-Verification: b\n',
      { 'edit.yaml': cm('edit', 'two'), 'new.yaml': cm('new'), 'README.md': '# readme v2\n' },
      {
        delete: ['gone.yaml'],
        move: [
          ['move.yaml', 'apps/moved.yaml'],
          ['moveedit.yaml', 'apps/moveedit.yaml'],
        ],
      },
    );
    repo.write({ 'apps/moveedit.yaml': repo.read('apps/moveedit.yaml').replace('k: v', 'k: w') });
    sha.third = repo.commit('third: small edit');
    // A side branch from root that never meets main.
    repo.branch('side', sha.root);
    sha.side = repo.commit('side: diverge', { 'side.yaml': cm('side') });
    repo.switch('main');
  });
  afterAll(() => repo.cleanup());

  it('resolves the default base to the first parent of head', async () => {
    const range = await withRepo(repo.dir, (r) => r.resolveRange({ head: sha.second }));
    expect(range).toEqual({ base: sha.root, head: sha.second, baseIsEmptyTree: false, headRev: sha.second });
    const head = await withRepo(repo.dir, (r) => r.resolveRange({}));
    expect(head).toMatchObject({ base: sha.second, head: sha.third, headRev: 'HEAD' });
  });

  it('assesses a root commit against the empty tree', async () => {
    const cs = await withRepo(repo.dir, async (r) => {
      expect(await r.resolveRange({ head: sha.root })).toEqual({
        base: EMPTY_TREE_SHA1,
        head: sha.root,
        baseIsEmptyTree: true,
        headRev: sha.root,
      });
      const cs = await r.changeSet(all);
      expect(await r.readText('base', 'keep.yaml')).toBeUndefined();
      expect(await r.listDir('base', '')).toEqual([]);
      expect(await r.readText('head', 'keep.yaml')).toBe(cm('keep'));
      return cs;
    });
    expect(cs.base).toBe(EMPTY_TREE_SHA1);
    expect(cs.files.map((f) => [f.status, f.path])).toEqual([
      ['added', 'README.md'],
      ['added', 'edit.yaml'],
      ['added', 'gone.yaml'],
      ['added', 'keep.yaml'],
      ['added', 'move.yaml'],
      ['added', 'moveedit.yaml'],
    ]);
    expect(cs.commits.map((c) => c.subject)).toEqual(['root: add everything']);
  });

  it('lists every status with both texts, and renames as renames', async () => {
    const cs = await withRepo(repo.dir, async (r) => {
      await r.resolveRange({ base: sha.root, head: sha.second });
      return r.changeSet(all);
    });
    const f = byPath(cs.files);
    expect(Object.keys(f).sort()).toEqual([
      'README.md',
      'apps/moved.yaml',
      'apps/moveedit.yaml',
      'edit.yaml',
      'gone.yaml',
      'new.yaml',
    ]);
    expect(f['edit.yaml']).toMatchObject({
      status: 'modified',
      oldText: cm('edit', 'one'),
      newText: cm('edit', 'two'),
    });
    expect(f['gone.yaml']).toMatchObject({ status: 'deleted', oldText: expect.stringContaining('name: gone') });
    expect(f['gone.yaml']!.newText).toBeUndefined();
    expect(f['new.yaml']).toMatchObject({ status: 'added', newText: cm('new') });
    expect(f['new.yaml']!.oldText).toBeUndefined();
    expect(f['apps/moved.yaml']).toMatchObject({
      status: 'renamed',
      oldPath: 'move.yaml',
      oldText: cm('move'),
      newText: cm('move'),
    });
    expect(f['apps/moveedit.yaml']).toMatchObject({ status: 'renamed', oldPath: 'moveedit.yaml' });
  });

  it('detects a rename with a small edit across commits', async () => {
    const cs = await withRepo(repo.dir, async (r) => {
      await r.resolveRange({ base: sha.root, head: sha.third });
      return r.changeSet(all);
    });
    const f = byPath(cs.files)['apps/moveedit.yaml']!;
    expect(f.status).toBe('renamed');
    expect(f.oldPath).toBe('moveedit.yaml');
    expect(f.oldText).toContain('k: v');
    expect(f.newText).toContain('k: w');
  });

  it('lists commits oldest first with subject, body and trailers', async () => {
    const cs = await withRepo(repo.dir, async (r) => {
      await r.resolveRange({ base: sha.root, head: sha.third });
      return r.changeSet(all);
    });
    expect(cs.commits).toEqual([
      {
        sha: sha.second,
        subject: 'second: edit, delete, move',
        body: 'Why this change.\n\nRollback-Class: fully-reversible\nRollback-Verification: a\nRollback-Verification: b',
        trailers: [
          ['Rollback-Class', 'fully-reversible'],
          ['Rollback-Verification', 'a'],
          ['Rollback-Verification', 'b'],
        ],
      },
      { sha: sha.third, subject: 'third: small edit', body: '', trailers: [] },
    ]);
  });

  it('reads only the files a surface wants', async () => {
    const cs = await withRepo(repo.dir, async (r) => {
      await r.resolveRange({ base: sha.root, head: sha.second });
      return r.changeSet({ wants: (p) => p.endsWith('.yaml'), maxFileBytes: 1 << 20 });
    });
    const readme = byPath(cs.files)['README.md']!;
    expect(readme).toMatchObject({ status: 'modified' });
    expect(readme.oldText).toBeUndefined();
    expect(readme.newText).toBeUndefined();
    expect(byPath(cs.files)['new.yaml']!.newText).toBe(cm('new'));
  });

  it('finds files by name with their blob ids, and reads a text shared by both sides once', async () => {
    const r = GitFixture.create();
    try {
      const k = 'resources: [a.yaml]\n';
      const base = r.commit('one', { 'a/kustomization.yaml': k, 'b/kustomization.yaml': k, 'b/x.yaml': 'x: 1\n' });
      const head = r.commit('two', { 'b/kustomization.yaml': 'resources: [x.yaml]\n', 'c/Kustomization': k });
      await withRepo(r.dir, async (g) => {
        await g.resolveRange({ base, head });
        const names = ['kustomization.yaml', 'Kustomization'];
        const at = { base: await g.findBlobs('base', names), head: await g.findBlobs('head', names) };
        for (const s of ['base', 'head'] as const) {
          expect(at[s]!.map((b) => b.path)).toEqual(await g.findFiles(s, names));
          for (const b of at[s]!) {
            expect(b.oid).toBe(r.git('rev-parse', `${s === 'base' ? base : head}:${b.path}`));
            expect(await g.readBlobText(b.oid)).toBe(await g.readText(s, b.path));
          }
        }
        // The same text at both sides has one blob id, read once.
        const oid = at.base!.find((b) => b.path === 'a/kustomization.yaml')!.oid;
        expect(at.head!.filter((b) => b.oid === oid).map((b) => b.path)).toEqual([
          'a/kustomization.yaml',
          'c/Kustomization',
        ]);
        expect(g.readBlobText(oid)).toBe(g.readBlobText(oid));
      });
      // A work tree has no blob ids.
      await withRepo(r.dir, async (g) => {
        await g.resolveRange({ worktree: true });
        expect(await g.findBlobs('head', ['kustomization.yaml'])).toBeUndefined();
      });
    } finally {
      r.cleanup();
    }
  });

  it('starts a fixed number of git processes however many files change', async () => {
    const big = GitFixture.create();
    try {
      big.commit('one', { 'x.yaml': 'x: 0\n' });
      const files: Record<string, string> = {};
      for (let i = 0; i < 40; i++) files[`apps/f${i}.yaml`] = cm(`f${i}`);
      big.commit('many', files);
      const before = gitStats.processes;
      const cs = await withRepo(big.dir, async (r) => {
        await r.resolveRange({});
        return r.changeSet(all);
      });
      expect(cs.files).toHaveLength(40);
      expect(cs.files.every((f) => f.newText !== undefined)).toBe(true);
      // cat-file --batch-command, diff --raw, log
      expect(gitStats.processes - before).toBe(3);
    } finally {
      big.cleanup();
    }
  });

  it('from 256 files, a second cat-file process reads half the blobs: every text still lands on its file', async () => {
    const big = GitFixture.create();
    try {
      const base: Record<string, string> = {};
      for (let i = 0; i < 150; i++) base[`apps/m${i}.yaml`] = cm(`old${i}`);
      big.commit('one', base);
      const files: Record<string, string> = {};
      for (let i = 0; i < 150; i++) files[`apps/m${i}.yaml`] = cm(`new${i}`);
      for (let i = 0; i < 200; i++) files[`apps/a${i}.yaml`] = cm(`a${i}`);
      big.commit('many', files);
      const before = gitStats.processes;
      const cs = await withRepo(big.dir, async (r) => {
        await r.resolveRange({});
        return r.changeSet(all);
      });
      const f = byPath(cs.files);
      expect(cs.files).toHaveLength(350);
      for (let i = 0; i < 150; i++) {
        expect(f[`apps/m${i}.yaml`]).toMatchObject({ oldText: cm(`old${i}`), newText: cm(`new${i}`) });
      }
      for (let i = 0; i < 200; i++) expect(f[`apps/a${i}.yaml`]!.newText).toBe(cm(`a${i}`));
      // two cat-file --batch-command, diff --raw, log
      expect(gitStats.processes - before).toBe(4);
    } finally {
      big.cleanup();
    }
  });

  it('an empty range has no files and no commits', async () => {
    const cs = await withRepo(repo.dir, async (r) => {
      await r.resolveRange({ base: sha.third, head: sha.third });
      return r.changeSet(all);
    });
    expect(cs).toEqual({ base: sha.third, head: sha.third, files: [], commits: [] });
  });

  it('refuses a base that is not an ancestor and names the merge base', async () => {
    const err = await withRepo(repo.dir, async (r) => {
      await r.resolveRange({ base: 'side', head: 'main' });
      return r.changeSet(all);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as Error).message).toBe(
      `--base side (${sha.side.slice(0, 12)}) is not an ancestor of --head main (${sha.third.slice(0, 12)}); ` +
        `their merge base is ${sha.root.slice(0, 12)}: pass --base ${sha.root} to assess what head adds`,
    );
  });

  it('refuses unknown and invalid revisions, naming the flag', async () => {
    await expect(withRepo(repo.dir, (r) => r.resolveRange({ head: 'nope' }))).rejects.toThrow(
      new GitError(`--head: unknown revision "nope" in ${repo.dir}`),
    );
    await expect(withRepo(repo.dir, (r) => r.resolveRange({ base: 'HEAD..main' }))).rejects.toThrow(UsageError);
    await expect(withRepo(repo.dir, (r) => r.resolveRange({ base: '--output=x' }))).rejects.toThrow(
      /--base: invalid revision "--output=x"/,
    );
  });

  it('reads beyond the change set: texts, directories and grep at both sides', async () => {
    await withRepo(repo.dir, async (r) => {
      await r.resolveRange({ base: sha.root, head: sha.second });
      await r.changeSet(all);
      expect(await r.readText('base', 'move.yaml')).toBe(cm('move'));
      expect(await r.readText('head', 'move.yaml')).toBeUndefined();
      expect(await r.readText('head', 'apps/moved.yaml')).toBe(cm('move'));
      // A path that leaves the repository is absent, and does not break later reads.
      expect(await r.readText('head', '../outside')).toBeUndefined();
      expect(await r.readText('head', 'apps/../../outside')).toBeUndefined();
      expect(await r.listDir('head', '..')).toEqual([]);
      expect(await r.readText('head', './apps/../edit.yaml')).toBe(cm('edit', 'two'));
      expect(await r.listDir('head', 'apps')).toEqual([
        { name: 'moved.yaml', type: 'blob' },
        { name: 'moveedit.yaml', type: 'blob' },
      ]);
      expect((await r.listDir('head', '')).map((e) => `${e.name}:${e.type}`)).toEqual([
        'README.md:blob',
        'apps:tree',
        'edit.yaml:blob',
        'keep.yaml:blob',
        'new.yaml:blob',
      ]);
      expect(await r.listDir('head', 'nope')).toEqual([]);
      expect(await r.grep('head', ['name: keep', 'name: move'], ['**/*.yaml'])).toEqual([
        'apps/moved.yaml',
        'apps/moveedit.yaml',
        'keep.yaml',
      ]);
      expect(await r.grep('head', ['name: keep'], ['apps/**'])).toEqual([]);
      expect(await r.grep('base', ['name: gone'], ['**/*.yaml'])).toEqual(['gone.yaml']);
      expect(await r.listDir('head', 'apps/')).toHaveLength(2);
      expect(await r.grep('head', ['name: gone'], ['**/*.yaml'])).toEqual([]);
      // A fixed string is never a pattern or an option.
      expect(await r.grep('head', ['--all-match', '.*'], ['**/*.yaml'])).toEqual([]);
    });
  });

  it('gives the tree id of a directory (git’s), the same for the same files, none for a file or a missing path', async () => {
    await withRepo(repo.dir, async (r) => {
      await r.resolveRange({ base: sha.root, head: sha.second });
      await r.changeSet(all);
      const apps = await r.treeId('head', 'apps');
      expect(apps).toBe(repo.git('rev-parse', `${sha.second}:apps`).trim());
      expect(await r.treeId('head', '')).toBe(repo.git('rev-parse', `${sha.second}^{tree}`).trim());
      expect(await r.treeId('head', 'edit.yaml')).toBeUndefined();
      expect(await r.treeId('head', 'nope')).toBeUndefined();
      expect(await r.treeId('head', '../x')).toBeUndefined();
      expect(await r.treeId('base', '')).not.toBe(await r.treeId('head', ''));
    });
  });
});

describe('GitRepo unreadable files', () => {
  let repo: GitFixture;
  beforeAll(() => {
    repo = GitFixture.create();
    repo.commit('one', { 'a.yaml': 'a: 1\n' });
    repo.commit('two', {
      'bin.yaml': Buffer.concat([Buffer.from('apiVersion: v1\n'), Buffer.from([0, 0xff, 0xfe, 0])]),
      'big.yaml': 'x: 1\n'.repeat(1000),
      'bom.yaml': '\ufeffa: 1\n',
    });
  });
  afterAll(() => repo.cleanup());

  it('reports binary and too-large files without their text, and strips a BOM', async () => {
    const cs = await withRepo(repo.dir, async (r) => {
      await r.resolveRange({});
      return r.changeSet({ wants: () => true, maxFileBytes: 4000 });
    });
    const f = byPath(cs.files);
    expect(f['bin.yaml']).toMatchObject({ status: 'added', unreadable: 'binary', newSize: 19 });
    expect(f['bin.yaml']!.newText).toBeUndefined();
    expect(f['big.yaml']).toMatchObject({ status: 'added', unreadable: 'too-large', newSize: 5000 });
    expect(f['big.yaml']!.newText).toBeUndefined();
    expect(f['bom.yaml']!.newText).toBe('a: 1\n');
  });

  it('decode treats a NUL in the first 8000 bytes as binary', () => {
    expect(decode(Buffer.from('a\0b'))).toEqual({ size: 3, unreadable: 'binary' });
    expect(decode(Buffer.concat([Buffer.alloc(8000, 0x61), Buffer.from([0])]))).toMatchObject({
      text: expect.any(String),
    });
  });
});

describe('GitRepo --worktree', () => {
  let repo: GitFixture;
  afterEach(() => repo?.cleanup());

  it('sees staged, unstaged and untracked changes against HEAD, and changes nothing', async () => {
    repo = GitFixture.create();
    const head = repo.commit('one', {
      'staged.yaml': cm('staged', 'one'),
      'unstaged.yaml': cm('unstaged', 'one'),
      'deleted.yaml': cm('deleted'),
      'both.yaml': cm('both', 'one'),
      '.gitignore': 'ignored.yaml\n',
    });
    repo.write({ 'staged.yaml': cm('staged', 'two'), 'both.yaml': cm('both', 'staged') });
    repo.git('add', 'staged.yaml', 'both.yaml');
    repo.write({
      'unstaged.yaml': cm('unstaged', 'two'),
      'both.yaml': cm('both', 'worktree'),
      'untracked/new.yaml': cm('new'),
      'ignored.yaml': cm('ignored'),
    });
    repo.git('rm', '-q', 'deleted.yaml');
    const snapshot = repo.snapshot();

    const cs = await withRepo(repo.dir, async (r) => {
      expect(await r.resolveRange({ worktree: true })).toEqual({
        base: head,
        head: WORKTREE,
        baseIsEmptyTree: false,
        headRev: WORKTREE,
      });
      const cs = await r.changeSet(all);
      expect(await r.readText('head', 'untracked/new.yaml')).toBe(cm('new'));
      expect(await r.readText('base', 'unstaged.yaml')).toBe(cm('unstaged', 'one'));
      // A path that climbs out of the repository reads as absent, as it does at a commit.
      expect(await r.readText('head', '../../etc/passwd')).toBeUndefined();
      expect(await r.grep('head', ['name: new'], ['**/*.yaml'])).toEqual(['untracked/new.yaml']);
      expect(await r.listFiles('head')).toBeUndefined();
      expect((await r.listDir('head', 'untracked')).map((e) => e.name)).toEqual(['new.yaml']);
      return cs;
    });
    expect(cs.base).toBe(head);
    expect(cs.head).toBe(WORKTREE);
    expect(cs.commits).toEqual([]);
    const f = byPath(cs.files);
    expect(Object.keys(f).sort()).toEqual([
      'both.yaml',
      'deleted.yaml',
      'staged.yaml',
      'unstaged.yaml',
      'untracked/new.yaml',
    ]);
    expect(f['staged.yaml']).toMatchObject({ status: 'modified', newText: cm('staged', 'two') });
    expect(f['unstaged.yaml']).toMatchObject({ status: 'modified', newText: cm('unstaged', 'two') });
    // The working tree wins over the index: what would be committed with `commit -a`.
    expect(f['both.yaml']).toMatchObject({ status: 'modified', newText: cm('both', 'worktree') });
    expect(f['deleted.yaml']).toMatchObject({ status: 'deleted', oldText: cm('deleted') });
    expect(f['untracked/new.yaml']).toMatchObject({ status: 'added', newText: cm('new') });
    expect(repo.snapshot()).toBe(snapshot);
  });
});

describe('GitRepo.findFiles', () => {
  const names = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
  let fx: GitFixture;
  afterEach(() => fx?.cleanup());

  it('lists the files of those names at each side from the trees, not symbolic links or look-alikes', async () => {
    fx = GitFixture.create();
    const k = 'resources: []\n';
    const base = fx.commit('base', {
      'kustomization.yaml': k,
      'apps/a/kustomization.yaml': k,
      'apps/b/Kustomization': k,
      'apps/b/kustomization.yaml.bak': k,
      'apps/c/deep/er/kustomization.yml': k,
      'shared/x/kustomization.yaml': k,
      'notes.md': 'kustomization.yaml\n',
    });
    fx.remove('apps/a/kustomization.yaml');
    fx.write({ 'apps/d/kustomization.yaml': '' });
    fx.git('add', '-A');
    fx.git('commit', '-qm', 'head');
    fx.git(
      'update-index',
      '--add',
      '--cacheinfo',
      `120000,${fx.gitWithInput('kustomization.yaml', 'hash-object', '-w', '--stdin').trim()},apps/e/kustomization.yaml`,
    );
    fx.git('commit', '-qm', 'link');
    const head = fx.rev();
    await withRepo(fx.dir, async (r) => {
      await r.resolveRange({ base, head });
      const before = gitStats.processes;
      expect((await r.findFiles('base', names)).sort()).toEqual([
        'apps/a/kustomization.yaml',
        'apps/b/Kustomization',
        'apps/c/deep/er/kustomization.yml',
        'kustomization.yaml',
        'shared/x/kustomization.yaml',
      ]);
      expect((await r.findFiles('head', names)).sort()).toEqual([
        'apps/b/Kustomization',
        'apps/c/deep/er/kustomization.yml',
        'apps/d/kustomization.yaml',
        'kustomization.yaml',
        'shared/x/kustomization.yaml',
      ]);
      expect(await r.findFiles('head', [])).toEqual([]);
      // Every regular file of a side, the link left out; the name lists' answers are not mixed in.
      expect((await r.listFiles('head'))?.sort()).toEqual([
        'apps/b/Kustomization',
        'apps/b/kustomization.yaml.bak',
        'apps/c/deep/er/kustomization.yml',
        'apps/d/kustomization.yaml',
        'kustomization.yaml',
        'notes.md',
        'shared/x/kustomization.yaml',
      ]);
      expect((await r.listFiles('base'))?.length).toBe(7);
      // Read through the running cat-file process: no new git process.
      expect(gitStats.processes).toBe(before);
    });
  });
});
