/**
 * One sticky comment per pull request (GitHub) or merge request (GitLab) and per environment and
 * project: found by a hidden marker line, created when there is none, edited in place after that, so
 * a pipeline that runs ten times leaves one comment that always shows the latest assessment.
 *
 * GitHub REST API (https://docs.github.com/en/rest/issues/comments): pull request comments are issue
 * comments. `GET /repos/{owner}/{repo}/issues/{n}/comments` lists them, oldest first, paginated by the
 * `Link` header (`rel="next"`, https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api);
 * `POST` to the same path creates one (201); `PATCH /repos/{owner}/{repo}/issues/comments/{id}`
 * edits one (200). A body is at most 65,536 characters.
 *
 * GitLab REST API (https://docs.gitlab.com/api/notes/): `GET /projects/:id/merge_requests/:iid/notes`
 * (paginated the same way, `Link` and `x-next-page`), `POST` to create, `PUT .../notes/:note_id` to edit.
 *
 * Rate limits (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api): a
 * secondary limit answers 403 or 429; with `retry-after`, wait that many seconds; with
 * `x-ratelimit-remaining: 0`, wait until `x-ratelimit-reset` (epoch seconds). 5xx and network errors
 * are retried with exponential backoff (src/live/http.ts). The token travels in a header only and is
 * never part of a message.
 */
import { InputError, RollwrightError } from '../core/errors.js';
import { backoffMs, redactUrl, request, retryAfterMs, timing, type HttpResponse } from '../live/http.js';
import type { LiveOptions } from '../live/types.js';

/** GitHub's limit on an issue or pull request comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** GitLab's limit on a note body. */
export const GITLAB_NOTE_LIMIT = 1_000_000;

/** A comment could not be listed, created or updated: names the HTTP status and the endpoint. */
export class CommentError extends RollwrightError {
  override name = 'CommentError';
  override readonly exitCode = 2;
  /** A 5xx or network failure: the request may or may not have been carried out. */
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

export type Forge = 'github' | 'gitlab';

export interface CommentTarget {
  forge: Forge;
  /** API root: `https://api.github.com`, a GitHub Enterprise `https://host/api/v3`, GitLab's `https://host/api/v4`. */
  apiUrl: string;
  /** GitHub: `owner/name`. GitLab: the numeric project id or its full path (`group/project`). */
  repo: string;
  /** The pull request number (GitHub) or merge request IID (GitLab). */
  number: number;
  token: string;
}

export interface StickyKey {
  /** The environment the comment reports on (`prod`), or none. */
  env?: string;
  /** The project or component within the repository (a monorepo runs one job per project), or none. */
  project?: string;
}

export interface PostResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  /** The comment's web address when the API gave one. */
  url?: string;
  /** Comments read to find it. */
  scanned: number;
}

const KEY_VALUE = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,127}$/;

/**
 * The hidden first line of the comment: `<!-- rollwright:assess env=prod project=web -->`. Values are
 * restricted (no spaces, no `--`, no `>`) so that no value can end the HTML comment or stand for another.
 */
export function stickyMarker(key: StickyKey): string {
  const parts = ['rollwright:assess'];
  for (const [name, value] of [
    ['env', key.env],
    ['project', key.project],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (!KEY_VALUE.test(value) || value.includes('--'))
      throw new InputError(
        `${name} ${JSON.stringify(value)} cannot key a comment: use letters, digits and . _ / : @ + - (no spaces, no "--"), at most 128 characters`,
      );
    parts.push(`${name}=${value}`);
  }
  return `<!-- ${parts.join(' ')} -->`;
}

/** The body as posted: the marker on the first line, then the text (a marker already in it is kept once). */
export function stickyBody(marker: string, body: string): string {
  const text = body.startsWith(marker) ? body.slice(marker.length).replace(/^\r?\n/, '') : body;
  return `${marker}\n${text}`;
}

/** Whether a comment body is the sticky comment of this marker (its first line is exactly the marker). */
export function isSticky(body: unknown, marker: string): boolean {
  if (typeof body !== 'string') return false;
  const first = body.split(/\r?\n/, 1)[0]!.trim();
  return first === marker;
}

/**
 * Finds the sticky comment keyed by `key` and updates it with `body`, or creates it. The body must fit
 * the forge's limit with the marker (the comment reporter cuts to it); an oversized one is an error
 * naming the sizes, never a silently truncated comment.
 */
export async function upsertComment(
  target: CommentTarget,
  key: StickyKey,
  body: string,
  opts: LiveOptions = {},
): Promise<PostResult> {
  if (!target.token) throw new CommentError(`no token to post the ${forgeName(target.forge)} comment with`);
  const marker = stickyMarker(key);
  const text = stickyBody(marker, body);
  const limit = target.forge === 'github' ? GITHUB_COMMENT_LIMIT : GITLAB_NOTE_LIMIT;
  if (text.length > limit)
    throw new InputError(
      `the comment is ${text.length} characters with its marker; ${forgeName(target.forge)} takes at most ${limit}: render it with -o comment, which cuts to the limit`,
    );
  const api = endpoints(target);
  const first = await findSticky(target, api.list, marker, opts);
  let scanned = first.scanned;
  let found = first.found;
  if (!found) {
    // A create is not retried blindly: a POST that failed with a 5xx or a lost connection may have
    // created the comment all the same, and a second POST would leave two. Look again first.
    try {
      return await create(target, api.create, text, { ...opts, retries: 0 }, scanned);
    } catch (e) {
      if (!(e instanceof CommentError) || !e.retryable) throw e;
      const again = await findSticky(target, api.list, marker, opts);
      scanned += again.scanned;
      found = again.found;
      if (!found) return create(target, api.create, text, opts, scanned);
    }
  }
  if (found.body === text) return { action: 'unchanged', id: found.id, ...urlOf(found.url), scanned };
  const res = await call(target, target.forge === 'github' ? 'PATCH' : 'PUT', api.item(found.id), text, opts);
  const c = parseJson(res, 'PATCH', api.item(found.id)) as Record<string, unknown>;
  return { action: 'updated', id: found.id, ...urlOf(stringOr(c?.html_url, found.url)), scanned };
}

interface Sticky {
  id: number;
  body: string;
  url?: string;
}

/** Pages through the comments, oldest first, to the first whose first line is the marker. */
async function findSticky(
  target: CommentTarget,
  list: string,
  marker: string,
  opts: LiveOptions,
): Promise<{ found: Sticky | undefined; scanned: number }> {
  let scanned = 0;
  let url: string | undefined = list;
  for (let page = 0; url !== undefined && page < 1000; page++) {
    const res = await call(target, 'GET', url, undefined, opts);
    const items = parseJson(res, 'GET', url);
    if (!Array.isArray(items))
      throw new CommentError(`GET ${redactUrl(url)}: expected a JSON array of comments, got ${typeof items}`);
    for (const c of items as Array<Record<string, unknown>>) {
      scanned++;
      if (!c || typeof c !== 'object' || typeof c.id !== 'number') continue;
      if (target.forge === 'gitlab' && c.system === true) continue;
      if (isSticky(c.body, marker))
        return {
          found: { id: c.id, body: String(c.body), ...(typeof c.html_url === 'string' ? { url: c.html_url } : {}) },
          scanned,
        };
    }
    url = nextPage(res, url);
  }
  return { found: undefined, scanned };
}

async function create(
  target: CommentTarget,
  url: string,
  text: string,
  opts: LiveOptions,
  scanned: number,
): Promise<PostResult> {
  const res = await call(target, 'POST', url, text, opts);
  const c = parseJson(res, 'POST', url) as Record<string, unknown>;
  if (!c || typeof c.id !== 'number')
    throw new CommentError(`POST ${redactUrl(url)}: the answer carries no comment id`);
  return { action: 'created', id: c.id, ...urlOf(stringOr(c.html_url, undefined)), scanned };
}

function urlOf(url: string | undefined): { url?: string } {
  return url !== undefined ? { url } : {};
}

function stringOr(v: unknown, fallback: string | undefined): string | undefined {
  return typeof v === 'string' ? v : fallback;
}

function forgeName(forge: Forge): string {
  return forge === 'github' ? 'GitHub' : 'GitLab';
}

function endpoints(t: CommentTarget): { list: string; create: string; item: (id: number) => string } {
  const root = t.apiUrl.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(root)) throw new InputError(`API URL ${JSON.stringify(t.apiUrl)} is not an http(s) URL`);
  if (!Number.isSafeInteger(t.number) || t.number < 1)
    throw new InputError(
      `${t.forge === 'github' ? 'pull request' : 'merge request'} number ${t.number} is not a positive whole number`,
    );
  if (t.forge === 'github') {
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(t.repo);
    if (!m || /^\.+$/.test(m[1]!) || /^\.+$/.test(m[2]!))
      throw new InputError(`repository ${JSON.stringify(t.repo)} is not owner/name`);
    const repo = `${root}/repos/${encodeURIComponent(m[1]!)}/${encodeURIComponent(m[2]!)}`;
    const create = `${repo}/issues/${t.number}/comments`;
    return { list: `${create}?per_page=100`, create, item: (id) => `${repo}/issues/comments/${id}` };
  }
  if (!/^(\d+|[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+)$/.test(t.repo) || t.repo.split('/').some((p) => /^\.+$/.test(p)))
    throw new InputError(`project ${JSON.stringify(t.repo)} is neither a project id nor a group/project path`);
  const notes = `${root}/projects/${encodeURIComponent(t.repo)}/merge_requests/${t.number}/notes`;
  return { list: `${notes}?per_page=100&sort=asc&order_by=created_at`, create: notes, item: (id) => `${notes}/${id}` };
}

/** The `rel="next"` URL of a `Link` header (RFC 8288), else GitLab's `x-next-page`, else none. */
export function nextPage(res: HttpResponse, current: string): string | undefined {
  const link = res.headers.get('link');
  if (link)
    for (const part of link.split(',')) {
      const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
      if (m && /(^|;)\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/.test(m[2]!)) return sameOrigin(m[1]!, current);
    }
  const next = res.headers.get('x-next-page');
  if (next && /^\d+$/.test(next.trim())) {
    const u = new URL(current);
    u.searchParams.set('page', next.trim());
    return u.toString();
  }
  return undefined;
}

/** A next-page link is followed only on the API's own origin: the token never goes elsewhere. */
function sameOrigin(link: string, current: string): string {
  const next = new URL(link, current);
  if (next.origin !== new URL(current).origin)
    throw new CommentError(
      `the API's next-page link points to another host (${next.origin}); not following it with the token`,
    );
  return next.toString();
}

const SECONDARY_LIMIT_RETRIES = 3;

/** One API call: the status is checked, a secondary rate limit waited out, and every failure named. */
async function call(
  t: CommentTarget,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  body: string | undefined,
  opts: LiveOptions,
): Promise<HttpResponse> {
  const headers: Record<string, string> =
    t.forge === 'github'
      ? {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${t.token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'rollwright',
        }
      : { accept: 'application/json', 'private-token': t.token, 'user-agent': 'rollwright' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const timings = timing(opts);
  const where = `${method} ${redactUrl(url)}`;
  for (let attempt = 0; ; attempt++) {
    const r = await request(
      url,
      {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify({ body }) } : {}),
        maxBytes: 32 * 1024 * 1024,
      },
      opts,
    );
    if (!r.ok) throw new CommentError(`${r.reason}${hintFor(r.status, t.forge)}`, r.failure === 'unreachable');
    const res = r.res;
    if (res.status >= 200 && res.status < 300) return res;
    const wait = res.status === 403 || res.status === 429 ? rateLimitWait(res) : undefined;
    const message = apiMessage(res);
    if (wait !== undefined) {
      // Never sooner than the API asks: a wait longer than the longest allowed is an error, not an early retry.
      const longest = opts.maxDelayMs ?? 60_000;
      if (wait <= longest && attempt < SECONDARY_LIMIT_RETRIES) {
        await sleep(Math.max(wait, backoffMs(attempt + 1, timings)));
        continue;
      }
      throw new CommentError(
        `${where}: HTTP ${res.status}: rate limited${message ? ` (${message})` : ''}; the API asks to wait ${Math.ceil(wait / 1000)} s` +
          (attempt > 0 ? ` after ${attempt + 1} attempts` : ''),
      );
    }
    throw new CommentError(
      `${where}: HTTP ${res.status}${message ? ` (${message})` : ''}${hintFor(res.status, t.forge)}`,
    );
  }
}

/** How long a 403/429 asks to wait: `retry-after`, or until `x-ratelimit-reset` when nothing remains. */
function rateLimitWait(res: HttpResponse): number | undefined {
  const after = retryAfterMs(res.headers.get('retry-after'));
  if (after !== undefined) return after;
  if (res.headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : 60_000;
  }
  return undefined;
}

function hintFor(status: number | undefined, forge: Forge): string {
  if (forge === 'github') {
    if (status === 401) return ': the token is not valid (GITHUB_TOKEN)';
    if (status === 403)
      return ': the token may not write comments; a workflow needs `permissions: pull-requests: write` (a pull request from a fork gets a read-only token)';
    if (status === 404) return ': no such repository or pull request, or the token cannot see it';
  } else {
    if (status === 401)
      return ': the token is not valid (GITLAB_TOKEN: a project or personal access token with the api scope)';
    if (status === 403)
      return ': the token may not write notes (it needs the api scope and at least the Reporter role)';
    if (status === 404) return ': no such project or merge request, or the token cannot see it';
  }
  return '';
}

/** The API's own error message (`{"message": "..."}`), cut short and made printable. */
function apiMessage(res: HttpResponse): string | undefined {
  try {
    const v = JSON.parse(res.body.toString('utf8')) as { message?: unknown; error?: unknown };
    const m = typeof v.message === 'string' ? v.message : typeof v.error === 'string' ? v.error : undefined;
    return m?.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
  } catch {
    return undefined;
  }
}

function parseJson(res: HttpResponse, method: string, url: string): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new CommentError(`${method} ${redactUrl(url)}: HTTP ${res.status} but the answer is not JSON`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
