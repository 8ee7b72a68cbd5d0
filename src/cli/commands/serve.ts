import { STORE_HELP } from '../store-options.js';
import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../../core/errors.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';

export const help = `Usage: rollwright serve [--listen HOST:PORT] [--store STORE] [--repo DIR] [--public-read] [flags]
       rollwright serve token create --scope ingest|read|admin [--name NAME] [--store STORE]
       rollwright serve token list [-o text|json] [--store STORE]
       rollwright serve token revoke ID [--store STORE]

Run the rollback service: webhook ingest (Alertmanager, Argo CD, Flux, GitHub, CDEvents), the HTTP
API (/api/v1, described by /api/v1/openapi.yaml), the dashboard (/), Prometheus metrics (/metrics)
and probes (/healthz, /readyz), over the same ledger as \`rollwright record\`. Several replicas may
share one PostgreSQL store: the ledger serialises their appends into one chain.

Every write needs a token (Authorization: Bearer), or the source's HMAC signature (GitHub, Flux
generic-hmac); reads need a read token unless --public-read. Tokens are stored hashed in the ledger's
database: \`token create\` prints the token once, alone on stdout.

Flags:
      --listen HOST:PORT  where to listen (default: 127.0.0.1:8080; port 0 picks a free one)
      --public-read       read endpoints, metrics and the dashboard without a token
      --max-body BYTES    largest request body (default: 1048576)
      --rate-limit N      requests per second per token, bursts of 2N (default: 50; 0: no limit)
      --timeout SECONDS   longest a request may take (default: 30)
      --verify-every S    seconds between background verifications of the chain (default: 300; 0: never)
      --github-secret-file FILE   GitHub webhook secret (X-Hub-Signature-256); or ROLLWRIGHT_GITHUB_SECRET
      --flux-secret-file FILE     Flux generic-hmac token (X-Signature); or ROLLWRIGHT_FLUX_SECRET
      --scope SCOPE       (token create) ingest, read or admin
      --name NAME         (token create) what the token is for (default: the scope)
      --config FILE       config file (default: .rollwright.yaml in --repo)
${STORE_HELP}
      --repo DIR          the repository mirror decisions are made on, whose default ledger is used, and
                          where .rollwright.yaml is (default: .)
  -o, --output FORMAT     (token list) text (default) or json
  -h, --help              show this help

Exit codes: 0 stopped cleanly (SIGINT, SIGTERM) or the token command succeeded, 2 usage or input
error (a bad flag, an unknown token id, the port taken), 3 internal error.`;

/** The option table of `serve` and its `token` subcommands (one place, as every command's). */
const OPTIONS = {
  listen: { type: 'string' },
  'public-read': { type: 'boolean' },
  'max-body': { type: 'string' },
  'rate-limit': { type: 'string' },
  timeout: { type: 'string' },
  'verify-every': { type: 'string' },
  'github-secret-file': { type: 'string' },
  'flux-secret-file': { type: 'string' },
  scope: { type: 'string' },
  name: { type: 'string' },
  config: { type: 'string' },
  store: { type: 'string' },
  repo: { type: 'string' },
  verbose: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

const SERVER_FLAGS = [
  'listen',
  'public-read',
  'max-body',
  'rate-limit',
  'timeout',
  'verify-every',
  'github-secret-file',
  'flux-secret-file',
  'config',
];

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(argv, OPTIONS, true);
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  if (positionals[0] === 'token') return token(positionals.slice(1), values);
  if (positionals.length)
    throw new UsageError(`serve takes no arguments (got ${positionals.join(' ')}); see rollwright serve --help`);
  for (const f of ['scope', 'name', 'output'])
    if (values[f] !== undefined) throw new UsageError(`serve does not take --${f} (token create does)`);
  return serve(values);
}

function count(flag: string, v: unknown, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !/^\d{1,12}$/.test(v) || Number(v) < min)
    throw new UsageError(`--${flag}: a whole number of at least ${min}, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (!m || Number(m[3]) > 65535)
    throw new UsageError(`--listen: HOST:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080 (got ${JSON.stringify(text)})`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port: Number(m[3]) };
}

async function secret(flag: string, file: unknown, envName: string): Promise<string | undefined> {
  if (typeof file === 'string') {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new InputError(
        `--${flag}: cannot read the secret: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        file,
      );
    }
    const s = text.replace(/\r?\n$/, '');
    if (s === '') throw new InputError(`--${flag}: the secret file is empty`, file);
    return s;
  }
  const v = process.env[envName];
  return v ? v : undefined;
}

async function serve(values: Values): Promise<CommandResult> {
  const { host, port } = parseListen((values.listen as string | undefined) ?? '127.0.0.1:8080');
  const maxBody = count('max-body', values['max-body'], 1024 * 1024, 1024);
  const rateLimit = count('rate-limit', values['rate-limit'], 50, 0);
  const timeout = count('timeout', values.timeout, 30, 1);
  const verifyEvery = count('verify-every', values['verify-every'], 300, 0);
  const github = await secret('github-secret-file', values['github-secret-file'], 'ROLLWRIGHT_GITHUB_SECRET');
  const flux = await secret('flux-secret-file', values['flux-secret-file'], 'ROLLWRIGHT_FLUX_SECRET');
  const [{ openFromFlags }, { loadLedgerConfig }, { startServer }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/config.js'),
    import('../../server/server.js'),
  ]);
  const repo = values.repo as string | undefined;
  const config = await loadLedgerConfig(repo ?? '.', values.config as string | undefined);
  // The store as every ledger command resolves it; decisions posted to the server use the same one.
  const { ledger, store } = await openFromFlags(values, true);
  let running;
  try {
    running = await startServer({
      ledger,
      store: store.spec,
      config,
      ...(repo !== undefined ? { repo } : {}),
      host,
      port,
      publicRead: Boolean(values['public-read']),
      maxBody,
      rateLimit,
      requestTimeout: timeout,
      verifyEvery,
      secrets: { ...(github ? { github } : {}), ...(flux ? { flux } : {}) },
    });
  } catch (e) {
    await ledger.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new UsageError(`--listen ${host}:${port}: ${(e as Error).message}`);
    throw e;
  }
  process.stderr.write(
    `rollwright serve: listening on ${running.url} (ledger ${ledger.where}${values['public-read'] ? ', public read' : ''})\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write('rollwright serve: stopping\n');
  await running.close();
  await ledger.close();
  return { stdout: '', exitCode: 0 };
}

async function token(args: string[], values: Values): Promise<CommandResult> {
  const [sub, ...rest] = args;
  for (const f of SERVER_FLAGS) if (values[f] !== undefined) throw new UsageError(`serve token does not take --${f}`);
  const [{ withLedger }, tokens] = await Promise.all([
    import('../ledger-support.js'),
    import('../../server/tokens.js'),
  ]);
  switch (sub) {
    case 'create': {
      if (rest.length) throw new UsageError(`serve token create takes no arguments, got ${rest.join(' ')}`);
      const scope = values.scope as string | undefined;
      if (scope === undefined) throw new UsageError(`serve token create needs --scope ${tokens.SCOPES.join('|')}`);
      if (values.output !== undefined)
        throw new UsageError('serve token create does not take --output: it prints the token alone');
      const { info, token: secretToken } = await withLedger(values, true, (l) =>
        tokens.createToken(l, scope, (values.name as string | undefined) ?? scope),
      );
      process.stderr.write(
        `rollwright: created ${info.id} (${info.scope}, ${JSON.stringify(info.name)}); the token is shown once\n`,
      );
      return { stdout: `${secretToken}\n`, exitCode: 0 };
    }
    case 'list': {
      if (rest.length) throw new UsageError(`serve token list takes no arguments, got ${rest.join(' ')}`);
      const format = oneOf('--output', values.output as string | undefined, ['text', 'json'] as const, 'text');
      const list = await withLedger(values, false, (l) => tokens.listTokens(l));
      if (format === 'json')
        return {
          stdout: JSON.stringify({ schema: 'rollwright.tokens/v1', tokens: list }, null, 2) + '\n',
          exitCode: 0,
        };
      if (!list.length) return { stdout: 'No tokens.\n', exitCode: 0 };
      const rows = [
        ['ID', 'SCOPE', 'NAME', 'CREATED', 'REVOKED'],
        ...list.map((t) => [t.id, t.scope, t.name, t.createdAt, t.revokedAt ?? '-']),
      ];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      return {
        stdout:
          rows
            .map((r) =>
              r
                .map((c, i) => c.padEnd(widths[i]!))
                .join('  ')
                .trimEnd(),
            )
            .join('\n') + '\n',
        exitCode: 0,
      };
    }
    case 'revoke': {
      if (rest.length !== 1) throw new UsageError('serve token revoke needs one token ID (see serve token list)');
      const info = await withLedger(values, false, (l) => tokens.revokeToken(l, rest[0]!));
      return {
        stdout: `revoked ${info.id} (${info.scope}, ${JSON.stringify(info.name)}) at ${info.revokedAt}\n`,
        exitCode: 0,
      };
    }
    default:
      throw new UsageError(
        sub === undefined
          ? 'serve token needs a subcommand: create, list or revoke'
          : `unknown serve token subcommand ${JSON.stringify(sub)}: create, list or revoke`,
      );
  }
}
