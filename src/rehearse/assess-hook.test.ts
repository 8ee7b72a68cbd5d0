/** `assess --rehearse` on sqitch and Prisma changes, in real git repositories, on PGlite. */
import { afterAll, describe, expect, it } from 'vitest';
import { assess } from '../engine/assess.js';
import { allRules, surfaces } from '../registry.js';
import { GitFixture } from '../testing/git-fixture.js';
import { rehearseHook } from './assess-hook.js';
import { prismaMigrations, SQITCH_PLAN, sqitchProject } from './fixtures.js';
import type { RehearsalReport } from './rehearse.js';

const repos: GitFixture[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

const prefixed = (prefix: string, files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [`${prefix}/${k}`, v]));

describe('assess --rehearse on sqitch and Prisma', () => {
  it('sqitch: rehearses the changes the plan adds, from the last change at the base; a failing verify is a finding', async () => {
    const repo = GitFixture.create('rollwright-hook-sqitch-');
    repos.push(repo);
    const all = sqitchProject();
    const { 'deploy/hashtags.sql': _d, 'revert/hashtags.sql': _r, 'verify/hashtags.sql': _v, ...first } = all;
    const base = repo.commit(
      'flipr up to v1.0',
      prefixed('db', { ...first, 'sqitch.plan': SQITCH_PLAN.split('\nhashtags')[0]! }),
    );
    const head = repo.commit(
      'hashtags',
      prefixed('db', {
        ...all,
        'verify/hashtags.sql': 'SELECT flip_id, hashtag, created_at FROM flipr.hashtags WHERE FALSE;\n',
      }),
    );
    const a = await assess({ repo: repo.dir, base, head, surfaces, rules: allRules(), rehearse: rehearseHook({}) });
    const [r] = a.rehearsal as RehearsalReport[];
    expect(r).toMatchObject({ format: 'sqitch', from: 'flips', to: 'hashtags', migrations: ['hashtags'] });
    expect(r!.steps.map((s) => `${s.step}:${s.status}`)).toContain('verify:failed');
    const f = a.findings.filter((x) => x.rule === 'database/rehearsal');
    expect(f.map((x) => [x.messageId, x.file, x.line])).toEqual([['verifyFailed', 'db/verify/hashtags.sql', 1]]);
    expect(f[0]!.message).toBe(
      'the sqitch verify script raises at db/verify/hashtags.sql:1 (SELECT flip_id, hashtag, created_at FROM flipr.hashtags WHERE FALSE): column "created_at" does not exist; the deploy did not leave what its verify expects',
    );
  }, 240_000);

  it('sqitch: a plan that only gains a tag has nothing to rehearse', async () => {
    const repo = GitFixture.create('rollwright-hook-sqitch-tag-');
    repos.push(repo);
    const base = repo.commit('flipr', prefixed('db', sqitchProject()));
    const head = repo.commit(
      'tag v1.1',
      prefixed('db', {
        'sqitch.plan': `${SQITCH_PLAN}@v1.1 2024-02-01T00:00:00Z Marge N. <marge@example.com> # v1.1\n`,
      }),
    );
    const a = await assess({ repo: repo.dir, base, head, surfaces, rules: allRules(), rehearse: rehearseHook({}) });
    expect(a.rehearsal).toEqual([]);
    expect(a.findings.filter((x) => x.rule === 'database/rehearsal')).toEqual([]);
  }, 240_000);

  it('Prisma: the rehearsal is incomplete (no down); no rehearsal finding, the down-migration rule says it', async () => {
    const repo = GitFixture.create('rollwright-hook-prisma-');
    repos.push(repo);
    const all = prismaMigrations();
    const base = repo.commit('init', Object.fromEntries(Object.entries(all).filter(([k]) => !k.includes('add_posts'))));
    const head = repo.commit('posts', all);
    const a = await assess({ repo: repo.dir, base, head, surfaces, rules: allRules(), rehearse: rehearseHook({}) });
    const [r] = a.rehearsal as RehearsalReport[];
    expect(r).toMatchObject({
      format: 'prisma',
      from: '20240101120000_init',
      migrations: ['20240215093000_add_posts'],
      outcome: 'incomplete',
    });
    expect(a.findings.filter((x) => x.rule === 'database/rehearsal')).toEqual([]);
    expect(a.findings.filter((x) => x.rule === 'database/down-migration').map((x) => x.messageId)).toEqual([
      'noDownFramework',
    ]);
  }, 240_000);
});
