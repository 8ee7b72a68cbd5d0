import { exitCodeOf, RollwrightError, UsageError } from '../core/errors.js';
import type { CommandResult } from './command.js';
import type { Command } from './define.js';

/** A command's one-line summary, and its table (define.ts) with its run, loaded only when it runs. */
type Entry = { summary: string; load: () => Promise<{ command: Command }> };

/** Commands load on demand: `rollwright rules` never pays for the assessment engine's parsers. */
export const COMMANDS: Record<string, Entry> = {
  assess: {
    summary: 'classify every change in base..head and run the declaration gate',
    load: () => import('./commands/assess.js'),
  },
  plan: { summary: 'classify a Terraform/OpenTofu plan JSON', load: () => import('./commands/plan.js') },
  rehearse: {
    summary: 'run migrations up, down and up again on PostgreSQL (PGlite or a server)',
    load: () => import('./commands/rehearse.js'),
  },
  decide: {
    summary: 'decide the safest recovery from a bad change: transition, rationale, runbook',
    load: () => import('./commands/decide.js'),
  },
  incident: {
    summary:
      "start from the alert: the service's latest deployment, incident.detected at the alert's start, then decide",
    load: () => import('./commands/incident.js'),
  },
  revert: {
    summary: 'check a revert as a new change in a temporary worktree (--check), or commit it (--apply)',
    load: () => import('./commands/revert.js'),
  },
  'check-targets': {
    summary: 'check that the rollback targets of a change (images, chart versions, module refs) still exist',
    load: () => import('./commands/check-targets.js'),
  },
  init: {
    summary: 'write a starting .rollwright.yaml from the surfaces and environments a repository holds',
    load: () => import('./commands/init.js'),
  },
  lint: {
    summary: 'lint the whole tree of a revision for reversibility smells, each with its class of risk and fix',
    load: () => import('./commands/lint.js'),
  },
  rules: { summary: 'list every rule with its surface, class and severity', load: () => import('./commands/rules.js') },
  record: { summary: 'record an event in the evidence ledger', load: () => import('./commands/record.js') },
  ledger: { summary: 'verify, export or import the evidence ledger', load: () => import('./commands/ledger.js') },
  evidence: { summary: 'show, attest or verify evidence of an incident', load: () => import('./commands/evidence.js') },
  windows: { summary: 'list open rollback windows and when each closes', load: () => import('./commands/windows.js') },
  slo: { summary: 'report rollback SLOs: phase durations against targets', load: () => import('./commands/slo.js') },
  score: {
    summary: 'score the repository against the production-readiness checklist (tree, history, ledger)',
    load: () => import('./commands/score.js'),
  },
  serve: {
    summary: 'run the HTTP API, webhook ingest, dashboard and metrics over the ledger',
    load: () => import('./commands/serve.js'),
  },
  ci: {
    summary: 'CI integration: create or update the sticky pull/merge request comment',
    load: () => import('./commands/ci.js'),
  },
  version: { summary: 'print the version', load: () => import('./commands/version.js') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'rollwright: rollback is not time travel, it is another controlled state transition.',
    '',
    'Usage: rollwright <command> [flags]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `rollwright <command> --help` for the flags of a command.',
    'Exit codes: 0 ok or gate passed, 1 gate or verification failed, 2 usage or input error, 3 internal error.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<CommandResult> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic =
      rest[0] !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, rest[0]) ? rest[0] : undefined;
    if (name === 'help' && topic) return (await COMMANDS[topic]!.load()).command.main(['--help']);
    return { stdout: usage() + '\n', exitCode: name === undefined ? 2 : 0 };
  }
  if (name === '--version' || name === '-v') return (await import('./commands/version.js')).command.main([]);
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    const { closest } = await import('./define.js');
    const guess = name.startsWith('-') ? undefined : closest(name, Object.keys(COMMANDS));
    throw new UsageError(
      `unknown command ${JSON.stringify(name)}; run \`rollwright --help\``,
      guess !== undefined ? `Did you mean rollwright ${guess}?` : undefined,
    );
  }
  return (await cmd.load()).command.main(rest);
}

/** Maps typed errors to exit codes; everything else is an internal error (3). */
export async function runCli(argv: string[]): Promise<number> {
  try {
    const r = await main(argv);
    stopOnClosedPipe(process.stdout);
    if (r.stdout) await write(process.stdout, r.stdout);
    if (r.stream)
      for await (const chunk of r.stream) {
        if (pipeClosed) break;
        await write(process.stdout, chunk);
      }
    return r.exitCode;
  } catch (e) {
    const code = exitCodeOf(e);
    if (e instanceof RollwrightError) {
      process.stderr.write(`rollwright: ${e.message}\n`);
      if (e instanceof UsageError) {
        if (e.hint) process.stderr.write(`${e.hint}\n`);
        process.stderr.write('Run `rollwright --help` for usage.\n');
      }
    } else {
      process.stderr.write(`rollwright: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    return code;
  }
}

/** The reader of stdout went away (`rollwright rules -o json | head -1`): the rest is dropped, quietly. */
let pipeClosed = false;

function stopOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    pipeClosed = true;
  });
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (pipeClosed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}
