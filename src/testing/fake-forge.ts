/**
 * A local HTTP server on 127.0.0.1 that speaks the few GitHub and GitLab REST endpoints the sticky
 * comment uses, with their documented shapes (GitHub: https://docs.github.com/en/rest/issues/comments;
 * GitLab: https://docs.gitlab.com/api/notes/):
 *
 * - GitHub `GET|POST /repos/{owner}/{repo}/issues/{n}/comments`, `PATCH /repos/{owner}/{repo}/issues/comments/{id}`,
 *   `Authorization: Bearer <token>`, pages of `pageSize` with a `Link: <...>; rel="next"` header;
 * - GitLab `GET|POST /api/v4/projects/{id}/merge_requests/{iid}/notes`, `PUT .../notes/{note_id}`,
 *   `PRIVATE-TOKEN: <token>`, pages with `Link` and `x-next-page`.
 *
 * It checks the token and the JSON bodies (`{"body": string}`), keeps the comments in memory, records
 * every request, and answers a queued failure (status and headers) when a test asks for one.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  /** GitLab system notes ("added 1 commit") are never the sticky comment. */
  system?: boolean;
}

export interface Failure {
  status: number;
  headers?: Record<string, string>;
  message?: string;
  method?: string;
  carriedOut?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  auth: string | undefined;
  body?: unknown;
}

export interface FakeForge {
  url: string;
  /** GitHub API root (`url`) and GitLab API root (`url/api/v4`). */
  githubApi: string;
  gitlabApi: string;
  /** Comments per thread key: `owner/repo#n` (GitHub) or `project!iid` (GitLab). */
  threads: Map<string, FakeComment[]>;
  requests: RecordedRequest[];
  /**
   * The next requests (of `method`, when given) get these answers instead, first in, first out. With
   * `carriedOut`, the request is carried out first and only its answer is lost (a 502 from a proxy).
   */
  failNext(...answers: Failure[]): void;
  close(): Promise<void>;
}

export async function startFakeForge(opts: { token: string; pageSize?: number }): Promise<FakeForge> {
  const pageSize = opts.pageSize ?? 30;
  const threads = new Map<string, FakeComment[]>();
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  let nextId = 1000;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      const gitlab = u.pathname.startsWith('/api/v4/');
      const auth = gitlab ? header(req, 'private-token') : header(req, 'authorization');
      let body: unknown;
      if (raw.length) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      requests.push({
        method: req.method ?? 'GET',
        path: u.pathname + u.search,
        auth,
        ...(raw.length ? { body } : {}),
      });
      const at = failures.findIndex((f) => f.method === undefined || f.method === req.method);
      const failure = at >= 0 ? failures.splice(at, 1)[0] : undefined;
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        if (failure?.carriedOut) {
          status = failure.status;
          value = { message: failure.message ?? `HTTP ${failure.status}` };
          headers = failure.headers ?? {};
        }
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (failure && !failure.carriedOut)
        return send(failure.status, { message: failure.message ?? `HTTP ${failure.status}` }, failure.headers);
      const expected = gitlab ? opts.token : `Bearer ${opts.token}`;
      if (auth !== expected) return send(401, { message: 'Bad credentials' });
      if (!gitlab && req.headers['x-github-api-version'] !== '2022-11-28')
        return send(400, { message: 'missing X-GitHub-Api-Version' });
      if (raw.length && req.headers['content-type'] !== 'application/json')
        return send(415, { message: 'content-type must be application/json' });
      const bodyText = (body as { body?: unknown } | undefined)?.body;
      if ((req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT') && typeof bodyText !== 'string')
        return send(422, { message: 'body is required' });

      const list = (key: string) => threads.get(key) ?? threads.set(key, []).get(key)!;
      const page = (key: string) => {
        const all = list(key);
        const n = Math.max(1, Number(u.searchParams.get('page') ?? '1'));
        const size = Math.min(pageSize, Number(u.searchParams.get('per_page') ?? pageSize));
        const items = all.slice((n - 1) * size, n * size);
        const headers: Record<string, string> = {};
        if (n * size < all.length) {
          const next = new URL(u.toString().replace('http://127.0.0.1', `http://${req.headers.host}`));
          next.searchParams.set('page', String(n + 1));
          headers.link = `<${next.toString()}>; rel="next", <${next.toString()}>; rel="last"`;
          if (gitlab) headers['x-next-page'] = String(n + 1);
        }
        return { items, headers };
      };

      let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(u.pathname);
      if (m && !gitlab) {
        const key = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}#${m[3]}`;
        if (req.method === 'GET') {
          const { items, headers } = page(key);
          return send(
            200,
            items.map((c) => githubComment(c, key)),
            headers,
          );
        }
        if (req.method === 'POST') {
          const c = { id: nextId++, body: bodyText as string };
          list(key).push(c);
          return send(201, githubComment(c, key));
        }
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(u.pathname);
      if (m && req.method === 'PATCH') {
        const prefix = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}#`;
        for (const [key, cs] of threads) {
          const c = key.startsWith(prefix) ? cs.find((x) => x.id === Number(m![3])) : undefined;
          if (c) {
            c.body = bodyText as string;
            return send(200, githubComment(c, key));
          }
        }
        return send(404, { message: 'Not Found' });
      }
      m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(u.pathname);
      if (m) {
        const key = `${decodeURIComponent(m[1]!)}!${m[2]}`;
        if (m[3] === undefined && req.method === 'GET') {
          const { items, headers } = page(key);
          return send(
            200,
            items.map((c) => ({ id: c.id, body: c.body, system: c.system ?? false })),
            headers,
          );
        }
        if (m[3] === undefined && req.method === 'POST') {
          const c = { id: nextId++, body: bodyText as string };
          list(key).push(c);
          return send(201, { id: c.id, body: c.body, system: false });
        }
        if (m[3] !== undefined && req.method === 'PUT') {
          const c = list(key).find((x) => x.id === Number(m![3]));
          if (!c) return send(404, { message: '404 Not found' });
          c.body = bodyText as string;
          return send(200, { id: c.id, body: c.body, system: false });
        }
      }
      send(404, { message: 'Not Found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    githubApi: url,
    gitlabApi: `${url}/api/v4`,
    threads,
    requests,
    failNext: (...answers) => failures.push(...answers),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function githubComment(c: FakeComment, key: string) {
  const [repo, n] = key.split('#');
  return { id: c.id, body: c.body, html_url: `https://github.example/${repo}/pull/${n}#issuecomment-${c.id}` };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
