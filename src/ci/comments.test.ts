import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeForge, type FakeForge } from '../testing/fake-forge.js';
import {
  CommentError,
  GITHUB_COMMENT_LIMIT,
  isSticky,
  stickyMarker,
  upsertComment,
  type CommentTarget,
} from './comments.js';

const TOKEN = 'ghs_test-token-never-printed';
const FAST = { retries: 2, baseDelayMs: 5, maxDelayMs: 2_000 };

let forge: FakeForge;
beforeEach(async () => {
  forge = await startFakeForge({ token: TOKEN, pageSize: 2 });
});
afterEach(async () => {
  await forge.close();
});

const github = (over: Partial<CommentTarget> = {}): CommentTarget => ({
  forge: 'github',
  apiUrl: forge.githubApi,
  repo: 'acme/deploy',
  number: 7,
  token: TOKEN,
  ...over,
});

describe('the sticky comment marker', () => {
  it('carries the environment and project, and refuses values that could end or fake it', () => {
    expect(stickyMarker({ env: 'prod', project: 'payments/api' })).toBe(
      '<!-- rollwright:assess env=prod project=payments/api -->',
    );
    expect(stickyMarker({})).toBe('<!-- rollwright:assess -->');
    for (const bad of ['prod -->', 'a--b', 'two words', '', 'x'.repeat(200)].filter((v) => v !== ''))
      expect(() => stickyMarker({ env: bad }), bad).toThrow(/cannot key a comment/);
    expect(isSticky('<!-- rollwright:assess env=prod -->\nbody', '<!-- rollwright:assess env=prod -->')).toBe(true);
    // Another environment's marker, or the marker quoted later in a human's comment, is not it.
    expect(isSticky('<!-- rollwright:assess env=prod project=x -->\n', '<!-- rollwright:assess env=prod -->')).toBe(
      false,
    );
    expect(isSticky('> <!-- rollwright:assess env=prod -->', '<!-- rollwright:assess env=prod -->')).toBe(false);
  });
});

describe('upsertComment on GitHub (a local server speaking the issue comments API)', () => {
  it('creates one comment, updates it on the next run, and gives another environment its own', async () => {
    // Five comments by people first, so that finding ours pages through the Link header.
    forge.threads.set(
      'acme/deploy#7',
      [1, 2, 3, 4, 5].map((id) => ({ id, body: `comment ${id} by a person` })),
    );
    const first = await upsertComment(github(), { env: 'prod' }, '**Rollback class: `fully-reversible`**', FAST);
    expect(first.action).toBe('created');
    expect(first.scanned).toBe(5);
    const thread = () => forge.threads.get('acme/deploy#7')!;
    expect(thread()).toHaveLength(6);
    expect(thread()[5]!.body).toBe('<!-- rollwright:assess env=prod -->\n**Rollback class: `fully-reversible`**');
    // Three pages of two were read, following rel="next", with per_page=100 asked.
    const lists = forge.requests.filter((r) => r.method === 'GET');
    expect(lists.map((r) => r.path)).toEqual([
      '/repos/acme/deploy/issues/7/comments?per_page=100',
      '/repos/acme/deploy/issues/7/comments?per_page=100&page=2',
      '/repos/acme/deploy/issues/7/comments?per_page=100&page=3',
    ]);
    for (const r of forge.requests) expect(r.auth).toBe(`Bearer ${TOKEN}`);
    const post = forge.requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/repos/acme/deploy/issues/7/comments');
    expect(post.body).toEqual({ body: thread()[5]!.body });

    forge.requests.length = 0;
    const second = await upsertComment(github(), { env: 'prod' }, 'second run: `forward-only`', FAST);
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(thread()).toHaveLength(6);
    expect(thread()[5]!.body).toBe('<!-- rollwright:assess env=prod -->\nsecond run: `forward-only`');
    const patch = forge.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe(`/repos/acme/deploy/issues/comments/${first.id}`);
    expect(patch.body).toEqual({ body: thread()[5]!.body });
    expect(forge.requests.some((r) => r.method === 'POST')).toBe(false);

    // Same text again: nothing is written.
    forge.requests.length = 0;
    const third = await upsertComment(github(), { env: 'prod' }, 'second run: `forward-only`', FAST);
    expect(third.action).toBe('unchanged');
    expect(forge.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);

    const staging = await upsertComment(github(), { env: 'staging' }, 'staging report', FAST);
    expect(staging.action).toBe('created');
    expect(staging.id).not.toBe(first.id);
    const projectX = await upsertComment(github(), { env: 'prod', project: 'x' }, 'project x', FAST);
    expect(projectX.action).toBe('created');
    expect(thread().map((c) => c.body.split('\n')[0])).toEqual([
      ...[1, 2, 3, 4, 5].map((id) => `comment ${id} by a person`),
      '<!-- rollwright:assess env=prod -->',
      '<!-- rollwright:assess env=staging -->',
      '<!-- rollwright:assess env=prod project=x -->',
    ]);
    // Another pull request is another thread.
    await upsertComment(github({ number: 8 }), { env: 'prod' }, 'pr 8', FAST);
    expect(forge.threads.get('acme/deploy#8')).toHaveLength(1);
  });

  it('waits out a secondary rate limit (403 with retry-after) and retries a 5xx', async () => {
    forge.failNext(
      { status: 403, headers: { 'retry-after': '0' }, message: 'You have exceeded a secondary rate limit' },
      { status: 502 },
    );
    const r = await upsertComment(github(), { env: 'prod' }, 'after the limits', FAST);
    expect(r.action).toBe('created');
    expect(forge.requests.filter((x) => x.method === 'GET')).toHaveLength(3);
  });

  it('looks again before retrying a create that failed with a 5xx, so that no second comment is made', async () => {
    // The comment was created but the answer was lost: found on the second look, not posted twice.
    forge.failNext({ method: 'POST', status: 502, carriedOut: true });
    const lost = await upsertComment(github(), { env: 'prod' }, 'created once', FAST);
    expect(lost.action).toBe('unchanged');
    expect(forge.threads.get('acme/deploy#7')).toHaveLength(1);
    // The create failed before anything was made: not found on the second look, so posted again.
    forge.failNext({ method: 'POST', status: 503 });
    const retried = await upsertComment(github(), { env: 'staging' }, 'staging', FAST);
    expect(retried.action).toBe('created');
    expect(forge.threads.get('acme/deploy#7')!.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- rollwright:assess env=prod -->',
      '<!-- rollwright:assess env=staging -->',
    ]);
    expect(forge.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'GET', 'POST', 'GET', 'POST']);
  });

  it('names the status and the endpoint on a 403, and never shows the token', async () => {
    forge.failNext({ status: 403, message: 'Resource not accessible by integration' });
    const e = await upsertComment(github(), { env: 'prod' }, 'x', FAST).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CommentError);
    const message = (e as Error).message;
    expect(message).toContain(
      `GET ${forge.githubApi}/repos/acme/deploy/issues/7/comments?per_page=100: HTTP 403 (Resource not accessible by integration)`,
    );
    expect(message).toContain('pull-requests: write');
    expect(message).not.toContain(TOKEN);
  });

  it('names the status and the endpoint when the server keeps failing with 500', async () => {
    forge.failNext({ status: 500 }, { status: 500 }, { status: 500 });
    const e = await upsertComment(github(), { env: 'prod' }, 'x', FAST).catch((x: unknown) => x);
    expect((e as Error).message).toBe(
      `GET ${forge.githubApi}/repos/acme/deploy/issues/7/comments?per_page=100: HTTP 500 after 3 attempt(s)`,
    );
    expect(forge.threads.get('acme/deploy#7') ?? []).toHaveLength(0);
  });

  it('says a rate limit asks for a longer wait than allowed instead of retrying early', async () => {
    forge.failNext({ status: 429, headers: { 'retry-after': '3600' } });
    const e = await upsertComment(github(), {}, 'x', { ...FAST, retries: 0 }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/HTTP 429/);
  });

  it('refuses a wrong token with the status, a body over the limit, and a bad repository', async () => {
    const e = await upsertComment(github({ token: 'wrong' }), {}, 'x', FAST).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/: HTTP 401 \(Bad credentials\): the token is not valid/);
    expect((e as Error).message).not.toContain('wrong');
    await expect(upsertComment(github(), {}, 'x'.repeat(GITHUB_COMMENT_LIMIT), FAST)).rejects.toThrow(
      /takes at most 65536/,
    );
    await expect(upsertComment(github({ repo: '../x' }), {}, 'x', FAST)).rejects.toThrow(/is not owner\/name/);
    await expect(upsertComment(github({ token: '' }), {}, 'x', FAST)).rejects.toThrow(/no token/);
  });

  it('does not follow a next-page link to another host with the token', async () => {
    const { createServer } = await import('node:http');
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', link: '<http://127.0.0.2:9/steal>; rel="next"' });
      res.end('[]');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const port = (evil.address() as { port: number }).port;
    try {
      await expect(upsertComment(github({ apiUrl: `http://127.0.0.1:${port}` }), {}, 'x', FAST)).rejects.toThrow(
        /points to another host/,
      );
    } finally {
      await new Promise((r) => evil.close(r));
    }
  });
});

describe('upsertComment on GitLab (merge request notes)', () => {
  const gitlab = (over: Partial<CommentTarget> = {}): CommentTarget => ({
    forge: 'gitlab',
    apiUrl: forge.gitlabApi,
    repo: 'platform/deploy',
    number: 12,
    token: TOKEN,
    ...over,
  });

  it('creates the note, updates it with PUT, skips system notes, and keys by environment', async () => {
    forge.threads.set('platform/deploy!12', [
      { id: 1, body: '<!-- rollwright:assess env=prod -->\nquoted by a system note', system: true },
      { id: 2, body: 'looks good' },
      { id: 3, body: 'added 1 commit', system: true },
    ]);
    const first = await upsertComment(gitlab(), { env: 'prod' }, 'first', FAST);
    expect(first.action).toBe('created');
    const second = await upsertComment(gitlab(), { env: 'prod' }, 'second', FAST);
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const other = await upsertComment(gitlab(), { env: 'staging' }, 'staging', FAST);
    expect(other.action).toBe('created');
    const notes = forge.threads.get('platform/deploy!12')!;
    expect(notes.filter((n) => !n.system).map((n) => n.body)).toEqual([
      'looks good',
      '<!-- rollwright:assess env=prod -->\nsecond',
      '<!-- rollwright:assess env=staging -->\nstaging',
    ]);
    for (const r of forge.requests) expect(r.auth).toBe(TOKEN);
    expect(forge.requests.find((r) => r.method === 'PUT')!.path).toBe(
      `/api/v4/projects/platform%2Fdeploy/merge_requests/12/notes/${first.id}`,
    );
  });
});
