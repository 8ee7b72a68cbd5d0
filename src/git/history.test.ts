import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../testing/git-fixture.js';
import {
  commitInfo,
  commitsBetween,
  commitsTouching,
  commitsWithTrailer,
  commitTimes,
  firstParentSince,
  listFiles,
  mergeBase,
  remoteUrls,
} from './history.js';

describe('history', () => {
  let repo: GitFixture;
  let a: string, b: string, c: string, side: string, merge: string;

  beforeAll(() => {
    repo = GitFixture.create();
    a = repo.commit('add web', { 'apps/web.yaml': 'kind: Deployment\n' });
    b = repo.commit('bump web\n\nChange-Id: CHG-7', { 'apps/web.yaml': 'kind: Deployment # 2\n' });
    c = repo.commit('add flags | with a bar\n\nChange-Id: CHG-70', { 'flags/shop.flagd.json': '{}\n' });
    repo.git('checkout', '-q', '-b', 'side', b);
    side = repo.commit('side change\n\nChange-Id: CHG-7', { 'side.txt': 'x\n' });
    repo.git('checkout', '-q', 'main');
    repo.git('-c', 'commit.gpgsign=false', 'merge', '-q', '--no-ff', '--no-edit', 'side');
    merge = repo.rev();
  });
  afterAll(() => repo.cleanup());

  it('lists the first-parent line in a window, newest first, each with the files it changed (a merge: its branch)', async () => {
    const all = await firstParentSince(repo.dir, merge, 0);
    expect(all.map((x) => x.sha)).toEqual([merge, c, b, a]);
    expect(all[0]).toMatchObject({ parents: [c, side], files: ['side.txt'] });
    expect(all[1]).toMatchObject({ subject: 'add flags | with a bar', files: ['flags/shop.flagd.json'] });
    expect(all[3]!.files).toEqual(['apps/web.yaml']);
    const [tb] = await commitTimes(repo.dir, [b]);
    expect((await firstParentSince(repo.dir, merge, tb!.time)).map((x) => x.sha)).toEqual([merge, c, b]);
  });

  it('reads one commit: parents first-parent first, and its subject', async () => {
    expect(await commitInfo(repo.dir, b)).toEqual({ sha: b, parents: [a], subject: 'bump web' });
    expect(await commitInfo(repo.dir, a)).toEqual({ sha: a, parents: [], subject: 'add web' });
    expect((await commitInfo(repo.dir, merge))!.parents).toEqual([c, side]);
    expect((await commitInfo(repo.dir, c))!.subject).toBe('add flags | with a bar');
  });

  it('lists a range oldest first, and the commits that touched a path', async () => {
    expect((await commitsBetween(repo.dir, a, c)).map((x) => x.sha)).toEqual([b, c]);
    expect(await commitsBetween(repo.dir, c, c)).toEqual([]);
    expect((await commitsTouching(repo.dir, 'HEAD', 'apps/web.yaml')).map((x) => x.sha)).toEqual([a, b]);
    expect(await commitsTouching(repo.dir, 'HEAD', 'nowhere.yaml')).toEqual([]);
  });

  it('finds merge bases, and none between unrelated histories', async () => {
    expect(await mergeBase(repo.dir, c, side)).toBe(b);
    expect(await mergeBase(repo.dir, a, c)).toBe(a);
    const orphan = GitFixture.create();
    try {
      const o = orphan.commit('other root', { 'x.txt': 'x\n' });
      repo.git('fetch', '-q', orphan.dir, `${o}:refs/heads/orphan`);
      expect(await mergeBase(repo.dir, a, o)).toBe('');
    } finally {
      await orphan.cleanup();
    }
  });

  it('matches a trailer value exactly, oldest first, not a value that only contains it', async () => {
    expect(await commitsWithTrailer(repo.dir, 'Change-Id', 'CHG-7', 'HEAD')).toEqual([b, side]);
    expect(await commitsWithTrailer(repo.dir, 'Change-Id', 'CHG-70', 'HEAD')).toEqual([c]);
    expect(await commitsWithTrailer(repo.dir, 'Change-Id', 'CHG-8', 'HEAD')).toEqual([]);
  });

  it('reads committer times in the order given', async () => {
    const times = await commitTimes(repo.dir, [c, a]);
    expect(times.map((t) => t.sha)).toEqual([c, a]);
    expect(times[0]!.time).toBeGreaterThan(times[1]!.time);
  });

  it('lists remotes (none in a fresh clone) and the files of a revision', async () => {
    expect(await remoteUrls(repo.dir)).toEqual([]);
    repo.git('remote', 'add', 'origin', 'git@github.com:example/shop.git');
    expect(await remoteUrls(repo.dir)).toEqual(['git@github.com:example/shop.git', 'git@github.com:example/shop.git']);
    expect(await listFiles(repo.dir, 'HEAD')).toEqual(['apps/web.yaml', 'flags/shop.flagd.json', 'side.txt']);
    expect(await listFiles(repo.dir, a)).toEqual(['apps/web.yaml']);
  });
});
