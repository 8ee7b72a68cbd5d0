import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../../core/errors.js';
import { SCOPES } from '../../server/tokens.js';
import type { CommandResult } from '../command.js';
import type { Where } from '../ledger-support.js';
import { defineCommand, subcommand, type OptionTable, type OptionValues } from '../define.js';
import { CONFIG, count, outputOption } from '../flags.js';
import { STORE_OPTIONS } from '../store-options.js';

/** serve and its token subcommands share where the ledger is; for serve, the repository is also the mirror it decides on. */
const WHERE = {
  store: {
    ...STORE_OPTIONS.store,
    details: `SQLite for one process, PostgreSQL for replicas; ${STORE_OPTIONS.store.details}`,
  },
  repo: {
    ...STORE_OPTIONS.repo,
    description:
      'the repository mirror decisions are made on, whose default ledger is used, and where .rollwright.yaml is',
    details: 'POST /api/v1/decisions decides on it: keep it fetched',
  },
  verbose: STORE_OPTIONS.verbose,
} as const satisfies OptionTable;

const OPTIONS = {
  listen: {
    type: 'string',
    metavar: 'HOST:PORT',
    default: '127.0.0.1:8080',
    parse: parseListen,
    description: 'where to listen (port 0 picks a free one)',
  },
  'public-read': { type: 'boolean', description: 'read endpoints, metrics and the dashboard without a token' },
  'max-body': {
    type: 'string',
    metavar: 'BYTES',
    default: '1048576',
    parse: count(1024),
    description: 'largest request body',
    details: 'a larger body gets 413 and nothing is recorded',
  },
  'rate-limit': {
    type: 'string',
    metavar: 'N',
    default: '50',
    parse: count(0),
    description: 'requests per second per token, bursts of 2N (0: no limit)',
    details: 'over it: 429 with Retry-After',
  },
  timeout: {
    type: 'string',
    metavar: 'SECONDS',
    default: '30',
    parse: count(1),
    description: 'longest a request may take',
  },
  'verify-every': {
    type: 'string',
    metavar: 'S',
    default: '300',
    parse: count(0),
    description: 'seconds between background verifications of the chain (0: never)',
    details: 'the dashboard badge and the rollwright_ledger_chain_valid metric show the result',
  },
  'github-secret-file': {
    type: 'string',
    metavar: 'FILE',
    env: 'ROLLWRIGHT_GITHUB_SECRET',
    description: 'GitHub webhook secret (X-Hub-Signature-256), read from FILE',
    details: 'the variable holds the secret itself',
  },
  'flux-secret-file': {
    type: 'string',
    metavar: 'FILE',
    env: 'ROLLWRIGHT_FLUX_SECRET',
    description: 'Flux generic-hmac token (X-Signature), read from FILE',
    details: 'the variable holds the token itself',
  },
  config: CONFIG,
  ...WHERE,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'serve',
  usage: [
    'rollwright serve [--listen HOST:PORT] [--store STORE] [--repo DIR] [--public-read] [flags]',
    'rollwright serve token create --scope ingest|read|admin [--name NAME] [--store STORE]',
    'rollwright serve token list [-o text|json] [--store STORE]',
    'rollwright serve token revoke ID [--store STORE]',
  ],
  description: `Run the rollback service: webhook ingest (Alertmanager, Argo CD, Flux, GitHub, CDEvents), the HTTP
API (/api/v1, described by /api/v1/openapi.yaml), the dashboard (/), Prometheus metrics (/metrics)
and probes (/healthz, /readyz), over the same ledger as \`rollwright record\`. Several replicas may
share one PostgreSQL store: the ledger serialises their appends into one chain. SIGINT or SIGTERM
stops it cleanly.

Every write needs a token (Authorization: Bearer), or the source's HMAC signature (GitHub, Flux
generic-hmac); reads need a read token unless --public-read. Tokens are stored hashed in the ledger's
database: \`token create\` prints the token once, alone on stdout.`,
  options: OPTIONS,
  extraArgs: (args) => `serve takes no arguments (got ${args.join(' ')}); see rollwright serve --help`,
  run: serve,
  subcommands: {
    token: subcommand({
      summary: 'manage the API tokens',
      subcommands: {
        create: subcommand({
          summary: 'create a token and print it, once, alone on stdout',
          options: {
            scope: { type: 'string', metavar: 'SCOPE', choices: SCOPES, description: 'what the token may do' },
            name: { type: 'string', metavar: 'NAME', defaultText: 'the scope', description: 'what the token is for' },
            ...WHERE,
          },
          refuses: { output: 'it prints the token alone' },
          run: (opts) => createToken(opts.scope, opts.name, opts),
        }),
        list: subcommand({
          summary: 'list the tokens: id, scope, name, when created and revoked',
          options: { ...WHERE, output: outputOption({ text: '', json: 'schema rollwright.tokens/v1' }) },
          run: (opts) => listTokens(opts.output, opts),
        }),
        revoke: subcommand({
          summary: 'revoke a token',
          args: [{ name: 'ID', description: 'the token id (serve token list)' }],
          options: WHERE,
          run: (opts, args) => {
            if (args.length !== 1) throw new UsageError('serve token revoke needs one token ID (see serve token list)');
            return revokeToken(args[0]!, opts);
          },
        }),
      },
    }),
  },
  exitCodes: {
    0: 'stopped cleanly (SIGINT, SIGTERM) or the token command succeeded',
    2: 'usage or input error (a bad flag, an unknown token id, the port taken)',
    3: 'internal error',
  },
});

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (!m || Number(m[3]) > 65535)
    throw new UsageError(`--listen: HOST:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080 (got ${JSON.stringify(text)})`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port: Number(m[3]) };
}

async function secret(flag: string, file: string | undefined, envName: string): Promise<string | undefined> {
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

async function serve(opts: OptionValues<typeof OPTIONS>): Promise<CommandResult> {
  const { host, port } = opts.listen;
  const github = await secret('github-secret-file', opts.githubSecretFile, 'ROLLWRIGHT_GITHUB_SECRET');
  const flux = await secret('flux-secret-file', opts.fluxSecretFile, 'ROLLWRIGHT_FLUX_SECRET');
  const [{ openFromFlags }, { loadLedgerConfig }, { startServer }] = await Promise.all([
    import('../ledger-support.js'),
    import('../../ledger/config.js'),
    import('../../server/server.js'),
  ]);
  const repo = opts.repo;
  const config = await loadLedgerConfig(repo ?? '.', opts.config);
  // The store as every ledger command resolves it; decisions posted to the server use the same one.
  const { ledger, store } = await openFromFlags(opts, true);
  let running;
  try {
    running = await startServer({
      ledger,
      store: store.spec,
      config,
      ...(repo !== undefined ? { repo } : {}),
      host,
      port,
      publicRead: opts.publicRead,
      maxBody: opts.maxBody,
      rateLimit: opts.rateLimit,
      requestTimeout: opts.timeout,
      verifyEvery: opts.verifyEvery,
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
    `rollwright serve: listening on ${running.url} (ledger ${ledger.where}${opts.publicRead ? ', public read' : ''})\n`,
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

async function createToken(scope: string | undefined, name: string | undefined, where: Where): Promise<CommandResult> {
  if (scope === undefined) throw new UsageError(`serve token create needs --scope ${SCOPES.join('|')}`);
  const [{ withLedger }, tokens] = await Promise.all([
    import('../ledger-support.js'),
    import('../../server/tokens.js'),
  ]);
  const { info, token } = await withLedger(where, true, (l) => tokens.createToken(l, scope, name ?? scope));
  process.stderr.write(
    `rollwright: created ${info.id} (${info.scope}, ${JSON.stringify(info.name)}); the token is shown once\n`,
  );
  return { stdout: `${token}\n`, exitCode: 0 };
}

async function listTokens(format: 'text' | 'json', where: Where): Promise<CommandResult> {
  const [{ withLedger }, tokens] = await Promise.all([
    import('../ledger-support.js'),
    import('../../server/tokens.js'),
  ]);
  const list = await withLedger(where, false, (l) => tokens.listTokens(l));
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

async function revokeToken(id: string, where: Where): Promise<CommandResult> {
  const [{ withLedger }, tokens] = await Promise.all([
    import('../ledger-support.js'),
    import('../../server/tokens.js'),
  ]);
  const info = await withLedger(where, false, (l) => tokens.revokeToken(l, id));
  return {
    stdout: `revoked ${info.id} (${info.scope}, ${JSON.stringify(info.name)}) at ${info.revokedAt}\n`,
    exitCode: 0,
  };
}
