/**
 * The server's endpoints, as a table: method, path pattern, the scope each needs, and its handler
 * over the ledger's views (LedgerState) and the ingest path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toCDEvent } from '../ledger/cdevents.js';
import type { LedgerEvent } from '../ledger/chain.js';
import type { GroupAppender } from '../ledger/group.js';
import DASHBOARD_CSS from './assets/dashboard.css?raw';
import DASHBOARD_HTML from './assets/dashboard.html?raw';
import DASHBOARD_JS from './assets/dashboard.js?raw';
import OPENAPI from './openapi.yaml?raw';
import { authenticateWebhook, header } from './auth.js';
import { postDecision } from './decisions.js';
import { HttpProblem, parseJson, readBody, requireJson, sendJson, sendText } from './http.js';
import { ingest } from './ingest.js';
import { renderMetrics, type Counters } from './metrics.js';
import type { ServeOptions } from './options.js';
import { limitParam, pageOf } from './paging.js';
import { mapAlertmanager } from './sources/alertmanager.js';
import type { MapOptions, Mapped } from './sources/draft.js';
import { mapEvents } from './sources/events.js';
import { mapArgoCd, mapFlux, mapGitHub } from './sources/gitops.js';
import type { Scope, TokenInfo } from './tokens.js';
import { incidentKey, type LedgerState } from './views.js';

export type Handler = (ctx: Ctx) => Promise<void>;

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  token: TokenInfo | undefined;
  route: string;
}

export interface Route {
  method: string;
  pattern: RegExp;
  name: string;
  /** The scope needed; 'public' needs none, 'webhook' is decided by the handler (bearer or HMAC). */
  scope: Scope | 'public' | 'webhook';
  handler: Handler;
}

/** What the handlers work on: one server's options, views, counters and ingest path. */
export interface RouteDeps {
  o: ServeOptions;
  state: LedgerState;
  counters: Counters;
  appender: GroupAppender;
  /** When the server started (ms since the epoch), for the uptime metric. */
  started: number;
  /** Largest request body, in bytes. */
  maxBody: number;
}

/** Every endpoint of `rollwright serve`. */
export function routes({ o, state, counters, appender, started, maxBody }: RouteDeps): Route[] {
  const mapOpts = (): MapOptions => ({
    serviceLabel: o.config.serve?.alertLabels?.service ?? 'service',
    environmentLabel: o.config.serve?.alertLabels?.environment ?? 'env',
    now: Date.now(),
  });

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

  return [
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
        authenticateWebhook(c, source, body, o.secrets);
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
        sendJson(c.res, 200, state.windowsPage({ ...(env !== null ? { env } : {}), all }, c.url.searchParams));
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

function intParam(q: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const v = q.get(name);
  if (v === null) return dflt;
  if (!/^\d{1,16}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new HttpProblem(400, 'Bad parameter', `${name}: a whole number from ${min} to ${max}`);
  return Number(v);
}
