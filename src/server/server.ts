import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GroupAppender } from '../ledger/group.js';
import { bearer, forbidden, RateLimiter } from './auth.js';
import { HttpProblem, sendProblem } from './http.js';
import { flushLog, internal, stderrLog } from './log.js';
import { Counters } from './metrics.js';
import type { ServeOptions } from './options.js';
import { routes as routeTable } from './routes.js';
import { allows, TokenCache } from './tokens.js';
import { LedgerState } from './views.js';

export { hmacMatches } from './auth.js';

/**
 * Groups of deliveries written at once on PostgreSQL. The ledger's pool holds 4 connections: two
 * are left for the lookups of the deliveries forming the next groups (measured with bench/serve.mjs:
 * 2 did better than 1 and 3 with 8 senders and at 500 events/s).
 */
const PG_GROUPS = 2;
export type { ServeOptions } from './options.js';

export interface RunningServer {
  url: string;
  server: Server;
  state: LedgerState;
  close(): Promise<void>;
}

/** Starts `rollwright serve` on host:port (port 0: any free port). */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const state = new LedgerState(o.ledger, o.config);
  await state.refresh();
  const tokens = new TokenCache(o.ledger);
  const counters = new Counters();
  const limiter = new RateLimiter(o.rateLimit ?? 50);
  const log = o.log ?? stderrLog;
  // On PostgreSQL a group's procedure releases the append lock before its flush, so groups overlap
  // (and the server merges their flushes); a connection of the pool is left for the lookups.
  const appender = new GroupAppender(o.ledger, undefined, o.ledger.dialect === 'postgres' ? PG_GROUPS : 1);
  const routes = routeTable({
    o,
    state,
    counters,
    appender,
    started: Date.now(),
    maxBody: o.maxBody ?? 1024 * 1024,
  });

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
      const token = r.scope === 'public' ? undefined : await bearer(req, tokens);
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
      if (token) limiter.take(token.id);
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
