import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The HTTP plumbing of `rollwright serve`: RFC 9457 problem details, bounded body reading, JSON
 * replies. Nothing here knows the ledger.
 */

/** An HTTP error answered as `application/problem+json` (RFC 9457). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** The `type` URI of a problem: one page per problem kind in docs/serve.md. */
const PROBLEM_BASE = 'https://rollwright.dev/problems/';

export function problemJson(p: HttpProblem, instance: string): Record<string, unknown> {
  return {
    type: `${PROBLEM_BASE}${slug(p.title)}`,
    title: p.title,
    status: p.status,
    detail: p.detail,
    instance,
    ...p.extra,
  };
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function sendProblem(res: ServerResponse, p: HttpProblem, instance: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(problemJson(p, instance));
  res.writeHead(p.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...p.headers,
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export function sendText(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the limit is refused
 * before reading; a body that grows past it (chunked) is refused as soon as it does.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(Number(declared), limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        req.resume();
        reject(tooLarge(size, limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (e) => {
      if (!done) {
        done = true;
        reject(new HttpProblem(400, 'Bad request body', `the request body could not be read: ${e.message}`));
      }
    });
  });
}

function tooLarge(size: number, limit: number): HttpProblem {
  return new HttpProblem(
    413,
    'Body too large',
    `the request body is ${size > limit ? `over ${limit}` : size} bytes; this server accepts at most ${limit} (--max-body); nothing was recorded`,
    { limit },
  );
}

/** Parses a JSON body; a body that is not JSON is a 400 naming where it broke. */
export function parseJson(body: Buffer, what: string): unknown {
  if (body.length === 0)
    throw new HttpProblem(400, 'Empty body', `${what}: the request has no body; nothing was recorded`);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpProblem(400, 'Malformed JSON', `${what}: not JSON (${(e as Error).message}); nothing was recorded`);
  }
}

/** Requires a JSON content type on writes (a form post from a browser cannot forge one). */
export function requireJson(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json'))
    throw new HttpProblem(
      415,
      'Unsupported media type',
      `send the body as application/json (got ${type ? JSON.stringify(type) : 'no Content-Type'}); nothing was recorded`,
    );
}
