import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RollwrightConfig } from '../core/config.js';
import { toCDEvent } from '../ledger/cdevents.js';
import { GroupAppender } from '../ledger/group.js';
import type { LedgerEvent } from '../ledger/chain.js';
import type { Ledger } from '../ledger/store.js';
import type { StoreSpec } from '../ledger/store-spec.js';
import DASHBOARD_CSS from './assets/dashboard.css?raw';
import DASHBOARD_HTML from './assets/dashboard.html?raw';
import DASHBOARD_JS from './assets/dashboard.js?raw';
import OPENAPI from './openapi.yaml?raw';
import { postDecision } from './decisions.js';
import { HttpProblem, parseJson, readBody, requireJson, sendJson, sendProblem, sendText } from './http.js';
import { ingest } from './ingest.js';
import { Counters, renderMetrics } from './metrics.js';
import { mapAlertmanager } from './sources/alertmanager.js';
import type { MapOptions, Mapped } from './sources/draft.js';
import { mapEvents } from './sources/events.js';
import { mapArgoCd, mapFlux, mapGitHub } from './sources/gitops.js';
import { allows, TokenCache, type Scope, type TokenInfo } from './tokens.js';
import { incidentKey, LedgerState } from './views.js';
import { limitParam, pageOf } from './paging.js';

export interface ServeOptions {
  ledger: Ledger;
  store: StoreSpec;
  config: RollwrightConfig;
  /** The repository mirror `POST /decisions` decides on. */
  repo?: string;
  host: string;
  port: number;
  /** Read endpoints and the dashboard without a token. */
  publicRead?: boolean;
  /** Largest request body, in bytes. */
  maxBody?: number;
  /** Requests per second per token (a bucket of twice that); 0 turns the limit off. */
  rateLimit?: number;
  /** Seconds a request may take, from its first byte to the response. */
  requestTimeout?: number;
  /** HMAC secrets: GitHub's webhook secret, Flux's generic-hmac token. */
  secrets?: { github?: string; flux?: string };
  /** Seconds between background verifications of the whole chain; 0 turns them off. */
  verifyEvery?: number;
  /** Where request logs go (one JSON line each); never a token or a body. */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  state: LedgerState;
  close(): Promise<void>;
}

type Handler = (ctx: Ctx) => Promise<void>;

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  token: TokenInfo | undefined;
  route: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  name: string;
  /** The scope needed; 'public' needs none, 'webhook' is decided by the handler (bearer or HMAC). */
  scope: Scope | 'public' | 'webhook';
  handler: Handler;
}

/** Starts `rollwright serve` on host:port (port 0: any free port). */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const state = new LedgerState(o.ledger, o.config);
  await state.refresh();
  const tokens = new TokenCache(o.ledger);
  const counters = new Counters();
  const started = Date.now();
  const maxBody = o.maxBody ?? 1024 * 1024;
  const rate = o.rateLimit ?? 50;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const log = o.log ?? stderrLog;
  const mapOpts = (): MapOptions => ({
    serviceLabel: o.config.serve?.alertLabels?.service ?? 'service',
    environmentLabel: o.config.serve?.alertLabels?.environment ?? 'env',
    now: Date.now(),
  });

  const appender = new GroupAppender(o.ledger);
  const ingestWith = async (ctx: Ctx, source: string, mapped: Mapped) => {
    const result = await ingest(o.ledger, appender, mapped);
    counters.countIngest(source, 'recorded', result.recorded.length);
    counters.countIngest(source, 'duplicate', result.duplicates.length);
    counters.countIngest(source, 'ignored', result.ignored.length);
    sendJson(ctx.res, result.recorded.length ? 201 : 200, result);
  };

  const readJsonBody = async (ctx: Ctx, what: string) => {
    requireJson(ctx.req);
    return parseJson(await readBody(ctx.req, maxBody), what);
  };

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/healthz$/,
      name: 'healthz',
      scope: 'public',
      handler: async (c) => sendJson(c.res, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      pattern: /^\/readyz$/,
      name: 'readyz',
      scope: 'public',
      handler: async (c) => {
        try {
          const head = await o.ledger.head();
          sendJson(c.res, 200, { status: 'ready', head: head.seq });
        } catch (e) {
          throw new HttpProblem(503, 'Not ready', `the ledger cannot be read: ${(e as Error).message}`);
        }
      },
    },
    {
      method: 'GET',
      pattern: /^\/$/,
      name: 'dashboard',
      scope: 'public',
      handler: async (c) => sendText(c.res, 200, 'text/html; charset=utf-8', DASHBOARD_HTML, SECURITY_HEADERS),
    },
    {
      method: 'GET',
      pattern: /^\/assets\/dashboard\.js$/,
      name: 'assets',
      scope: 'public',
      handler: async (c) => sendText(c.res, 200, 'text/javascript; charset=utf-8', DASHBOARD_JS, SECURITY_HEADERS),
    },
    {
      method: 'GET',
      pattern: /^\/assets\/dashboard\.css$/,
      name: 'assets',
      scope: 'public',
      handler: async (c) => sendText(c.res, 200, 'text/css; charset=utf-8', DASHBOARD_CSS, SECURITY_HEADERS),
    },
    {
      method: 'GET',
      pattern: /^\/favicon\.ico$/,
      name: 'assets',
      scope: 'public',
      handler: async (c) => sendText(c.res, 204, 'image/x-icon', ''),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/openapi\.yaml$/,
      name: 'openapi',
      scope: 'public',
      handler: async (c) => sendText(c.res, 200, 'application/yaml', OPENAPI),
    },
    {
      method: 'GET',
      pattern: /^\/metrics$/,
      name: 'metrics',
      scope: 'read',
      handler: async (c) => {
        await state.refresh();
        sendText(c.res, 200, 'text/plain; version=0.0.4; charset=utf-8', renderMetrics(state, counters, started));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/webhooks\/(alertmanager|argocd|flux|github)$/,
      name: 'webhooks',
      scope: 'webhook',
      handler: async (c) => {
        const source = c.params[0]!;
        const body = await readBody(c.req, maxBody);
        authenticateWebhook(c, source, body);
        requireJson(c.req);
        const value = parseJson(body, `${source} webhook`);
        let mapped: Mapped;
        if (source === 'alertmanager') mapped = mapAlertmanager(value, mapOpts());
        else if (source === 'argocd') mapped = mapArgoCd(value, mapOpts());
        else if (source === 'flux') mapped = mapFlux(value, mapOpts());
        else {
          const event = header(c.req, 'x-github-event');
          if (event === undefined)
            throw new HttpProblem(
              400,
              'Missing header',
              'a GitHub webhook carries X-GitHub-Event; nothing was recorded',
            );
          if (event === 'ping')
            return sendJson(c.res, 200, {
              schema: 'rollwright.ingest/v1',
              recorded: [],
              duplicates: [],
              ignored: [{ reason: 'ping' }],
            });
          mapped = mapGitHub(event, header(c.req, 'x-github-delivery'), value, mapOpts());
        }
        await ingestWith(c, source, mapped);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/events$/,
      name: 'events',
      scope: 'ingest',
      handler: async (c) => {
        const value = await readJsonBody(c, 'events');
        const key = header(c.req, 'idempotency-key');
        if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key))
          throw new HttpProblem(
            400,
            'Bad Idempotency-Key',
            'Idempotency-Key must be 1 to 200 visible ASCII characters; nothing was recorded',
          );
        await ingestWith(c, 'events', mapEvents(value, mapOpts(), key, `token:${c.token!.name}`));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/events$/,
      name: 'events',
      scope: 'read',
      handler: async (c) => {
        await state.refresh();
        const q = c.url.searchParams;
        const limit = limitParam(q);
        const after = intParam(q, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
        const format = q.get('format') ?? 'json';
        if (format !== 'json' && format !== 'cdevents')
          throw new HttpProblem(400, 'Bad parameter', 'format: json or cdevents');
        const f = {
          change: q.get('change'),
          incident: q.get('incident'),
          service: q.get('service'),
          type: q.get('type'),
        };
        // An incident's or a change's events from their index; otherwise the whole ledger.
        const all =
          f.incident !== null
            ? state.eventsOf({ incident: f.incident })
            : f.change !== null
              ? state.eventsOf({ change: f.change })
              : state.all();
        const out: LedgerEvent[] = [];
        // Events are in sequence order: start after `after` by binary search, then filter.
        let lo = 0;
        let hi = all.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (all[mid]!.seq <= after) lo = mid + 1;
          else hi = mid;
        }
        let next: number | null = null;
        for (let i = lo; i < all.length; i++) {
          const e = all[i]!;
          if (f.change !== null && e.subject.change !== f.change) continue;
          if (f.incident !== null && e.subject.incident !== f.incident) continue;
          if (f.service !== null && e.subject.service !== f.service) continue;
          if (f.type !== null && e.type !== f.type) continue;
          if (out.length === limit) {
            next = out[out.length - 1]!.seq;
            break;
          }
          out.push(e);
        }
        if (format === 'cdevents') {
          const id = await o.ledger.ledgerId();
          return sendJson(c.res, 200, {
            schema: 'rollwright.cdevents/v1',
            events: out.map((e) => toCDEvent(e, id)),
            next,
          });
        }
        sendJson(c.res, 200, { schema: 'rollwright.events/v1', events: out, next });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/incidents$/,
      name: 'incidents',
      scope: 'read',
      handler: async (c) => {
        await state.refresh();
        const open = c.url.searchParams.get('open');
        const service = c.url.searchParams.get('service');
        const all = state.incidents();
        const list =
          open === null && service === null
            ? all
            : all.filter(
                (i) => (open === null || String(i.open) === open) && (service === null || i.service === service),
              );
        const page = pageOf(list, incidentKey, true, c.url.searchParams);
        sendJson(c.res, 200, {
          schema: 'rollwright.incidents/v1',
          incidents: page.items.map(({ timeline: _t, ...i }) => i),
          next: page.next,
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/incidents\/([^/]+)$/,
      name: 'incident',
      scope: 'read',
      handler: async (c) => {
        await state.refresh();
        const id = decodeURIComponent(c.params[0]!);
        const view = state.evidence(id);
        if (!view) throw new HttpProblem(404, 'Not found', `no incident ${JSON.stringify(id)} in the ledger`);
        const phases = state.phasesOf(id);
        sendJson(c.res, 200, { ...view, phases });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/windows$/,
      name: 'windows',
      scope: 'read',
      handler: async (c) => {
        await state.refresh();
        const env = c.url.searchParams.get('env');
        const all = c.url.searchParams.get('all') === 'true';
        const r = state.windows({ ...(env !== null ? { env } : {}), all });
        const page = pageOf(
          r.windows,
          (w) => [w.closesAt, w.change, w.surface ?? '', w.environment],
          false,
          c.url.searchParams,
        );
        sendJson(c.res, 200, { ...r, windows: page.items, next: page.next });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/slo$/,
      name: 'slo',
      scope: 'read',
      handler: async (c) => {
        await state.refresh();
        const service = c.url.searchParams.get('service');
        const r = state.slo();
        const all = state.sloNewestFirst();
        const page = pageOf(
          service === null ? all : all.filter((i) => i.service === service),
          incidentKey,
          true,
          c.url.searchParams,
        );
        sendJson(c.res, 200, {
          schema: r.schema,
          incidents: page.items.map(({ detectedAt: _d, ...i }) => i),
          services:
            service === null
              ? r.services
              : Object.fromEntries(Object.entries(r.services).filter(([s]) => s === service)),
          next: page.next,
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/ledger\/verify$/,
      name: 'verify',
      scope: 'read',
      handler: async (c) => {
        const { result } = await state.verify();
        sendJson(c.res, 200, {
          schema: 'rollwright.ledger-verify/v1',
          ok: result.ok,
          store: o.ledger.where,
          ledger: await o.ledger.ledgerId(),
          events: result.events,
          head: result.head,
          broken: result.broken ?? null,
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/dashboard$/,
      name: 'dashboard-data',
      scope: 'read',
      handler: async (c) => {
        await state.refresh();
        const v = state.verification;
        sendJson(c.res, 200, {
          schema: 'rollwright.dashboard/v1',
          at: new Date().toISOString(),
          ledger: {
            events: state.seq,
            verified: v
              ? { ok: v.result.ok, at: v.at, events: v.result.events, broken: v.result.broken ?? null }
              : null,
          },
          // The soonest closing; windowsOpen counts them all.
          windows: state.windows({ limit: DASHBOARD_WINDOWS }).windows,
          windowsOpen: [...state.openWindowCount().values()].reduce((a, b) => a + b, 0),
          incidents: state.incidents().slice(0, 50),
          services: state.services(),
          changes: state.changes(),
        });
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/decisions$/,
      name: 'decisions',
      scope: 'ingest',
      handler: async (c) => {
        const value = await readJsonBody(c, 'decision');
        const r = await postDecision(o.ledger, o.store, o.repo, value, `token:${c.token!.name}`);
        sendJson(c.res, r.status, r.body);
      },
    },
  ];

  function authenticateWebhook(c: Ctx, source: string, body: Buffer): void {
    // An HMAC-signed delivery is checked against its secret; a bearer token with ingest scope also works.
    const sigHeader = source === 'github' ? 'x-hub-signature-256' : source === 'flux' ? 'x-signature' : undefined;
    const signature = sigHeader ? header(c.req, sigHeader) : undefined;
    const secret = source === 'github' ? o.secrets?.github : source === 'flux' ? o.secrets?.flux : undefined;
    if (signature !== undefined) {
      if (secret === undefined)
        throw new HttpProblem(
          401,
          'Unauthorized',
          `${source}: the delivery is signed, but this server has no ${source} secret (--${source}-secret-file); nothing was recorded`,
          {},
          { 'www-authenticate': 'Bearer' },
        );
      if (!hmacMatches(signature, body, secret))
        throw new HttpProblem(
          401,
          'Bad signature',
          `${source}: the ${sigHeader} signature does not match the body; nothing was recorded`,
        );
      return;
    }
    if (c.token && allows(c.token.scope, 'ingest')) return;
    if (c.token) throw forbidden(c.token, 'ingest');
    throw new HttpProblem(
      401,
      'Unauthorized',
      `${source}: send Authorization: Bearer <ingest token>${sigHeader ? ` or a ${sigHeader} signature` : ''}; nothing was recorded`,
      {},
      { 'www-authenticate': 'Bearer' },
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    let route = 'unmatched';
    let tokenId: string | undefined;
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      if (matching.length === 0) throw new HttpProblem(404, 'Not found', `no such endpoint: ${url.pathname}`);
      const r = matching.find((m) => m.method === req.method || (req.method === 'HEAD' && m.method === 'GET'));
      if (!r)
        throw new HttpProblem(
          405,
          'Method not allowed',
          `${req.method} is not allowed on ${url.pathname}`,
          {},
          { allow: [...new Set(matching.map((m) => m.method))].join(', ') },
        );
      route = r.name;
      const token = r.scope === 'public' ? undefined : await bearer(req);
      tokenId = token?.id;
      if (r.scope !== 'public' && r.scope !== 'webhook') {
        const publicRead = r.scope === 'read' && o.publicRead;
        if (!publicRead) {
          if (!token)
            throw new HttpProblem(
              401,
              'Unauthorized',
              `${r.scope === 'read' ? 'reading' : 'writing'} needs Authorization: Bearer <token with ${r.scope} scope>${r.scope === 'read' ? '' : '; nothing was recorded'}`,
              {},
              { 'www-authenticate': 'Bearer' },
            );
          if (!allows(token.scope, r.scope)) throw forbidden(token, r.scope);
        }
      }
      if (token) limit(token.id);
      const params = r.pattern.exec(url.pathname)!.slice(1);
      await r.handler({ req, res, url, params, token, route });
    } catch (e) {
      const p = e instanceof HttpProblem ? e : internal(e, log);
      if (route === 'webhooks' || route === 'events') {
        const source = route === 'events' ? 'events' : (path.split('/').pop() ?? 'unknown');
        counters.countIngest(source, 'rejected');
      }
      // Drain what the client still sends, so the problem reaches it instead of a reset connection.
      if (!req.complete) req.resume();
      sendProblem(res, p, path);
    } finally {
      counters.countRequest(route, res.statusCode);
      log(
        JSON.stringify({
          at: new Date().toISOString(),
          method: req.method,
          path: path.slice(0, 200),
          route,
          status: res.statusCode,
          ms: Math.round((performance.now() - t0) * 10) / 10,
          ...(tokenId ? { token: tokenId } : {}),
        }),
      );
    }
  }

  async function bearer(req: IncomingMessage): Promise<TokenInfo | undefined> {
    const h = req.headers.authorization;
    if (h === undefined) return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (!m)
      throw new HttpProblem(
        401,
        'Unauthorized',
        'Authorization must be "Bearer <token>"',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    const info = await tokens.lookup(m[1]!);
    if (!info)
      throw new HttpProblem(
        401,
        'Unauthorized',
        'the token is unknown or revoked; nothing was recorded',
        {},
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    return info;
  }

  function limit(id: string): void {
    if (rate <= 0) return;
    const now = Date.now();
    const capacity = rate * 2;
    const b = buckets.get(id) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    if (b.tokens < 1) {
      buckets.set(id, b);
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / rate));
      throw new HttpProblem(
        429,
        'Too many requests',
        `this token may make ${rate} requests per second (--rate-limit); retry after ${wait} s; nothing was recorded`,
        {},
        { 'retry-after': String(wait) },
      );
    }
    b.tokens -= 1;
    buckets.set(id, b);
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.requestTimeout = (o.requestTimeout ?? 30) * 1000;
  server.headersTimeout = Math.min(server.requestTimeout, 20_000);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The views, computed once now rather than by the first reader.
  setImmediate(() => state.warm());
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  let timer: NodeJS.Timeout | undefined;
  const verifyEvery = o.verifyEvery ?? 300;
  const verifyNow = () =>
    state
      .verify()
      .catch((e: unknown) =>
        log(JSON.stringify({ at: new Date().toISOString(), event: 'verify-failed', message: (e as Error).message })),
      );
  void verifyNow();
  if (verifyEvery > 0) {
    timer = setInterval(() => void verifyNow(), verifyEvery * 1000);
    timer.unref();
  }
  return {
    url: `http://${host}:${addr.port}`,
    server,
    state,
    async close() {
      if (timer) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await appender.idle();
      flushLog();
    },
  };
}

/** Open windows the dashboard lists (the soonest closing). */
const DASHBOARD_WINDOWS = 60;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function forbidden(token: TokenInfo, need: Scope): HttpProblem {
  return new HttpProblem(
    403,
    'Forbidden',
    `token ${token.id} has scope ${token.scope}; this needs ${need}; nothing was recorded`,
  );
}

/** `sha256=<hex>` (GitHub's X-Hub-Signature-256, Flux's X-Signature) over the raw body, compared in constant time. */
export function hmacMatches(signature: string, body: Buffer, secret: string): boolean {
  const m = /^(sha256|sha512)=([0-9a-fA-F]+)$/.exec(signature.trim());
  if (!m) return false;
  const want = createHmac(m[1]!, secret).update(body).digest();
  const got = Buffer.from(m[2]!, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

function intParam(q: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const v = q.get(name);
  if (v === null) return dflt;
  if (!/^\d{1,16}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new HttpProblem(400, 'Bad parameter', `${name}: a whole number from ${min} to ${max}`);
  return Number(v);
}

function internal(e: unknown, log: (line: string) => void): HttpProblem {
  log(
    JSON.stringify({
      at: new Date().toISOString(),
      event: 'internal-error',
      message: e instanceof Error ? e.message : String(e),
    }),
  );
  return new HttpProblem(500, 'Internal error', 'the server failed on this request; see its log');
}

let logLines: string[] = [];

/**
 * Request logs go to stderr once per turn of the event loop, not once per request: stderr is a
 * synchronous write (a file or a pipe), and under load one write per request costs more than the
 * request itself.
 */
function stderrLog(line: string): void {
  if (logLines.push(line) === 1) setImmediate(flushLog);
}

function flushLog(): void {
  if (!logLines.length) return;
  const text = logLines.join('\n') + '\n';
  logLines = [];
  process.stderr.write(text);
}
