import { ROLLBACK_CLASSES, isRollbackClass } from '../../core/classes.js';
import { UsageError } from '../../core/errors.js';
import { assess } from '../../engine/assess.js';
import { allRules, surfaces } from '../../registry.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';

export const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;

export const help = `Usage: rollwright assess [--base REV] [--head REV | --worktree] [flags]

Assess every change in base..head: its rollback class, each finding with file and line,
and whether the change's declaration passes the gate.

Flags:
      --repo DIR          repository to assess (default: the current directory)
      --base REV          base revision (default: the first parent of --head; a shallow clone without
                          it is exit 2 with how to fetch it)
      --head REV          head revision (default: HEAD)
      --worktree          assess uncommitted changes (staged, unstaged, untracked) against HEAD
      --env NAME          environment of the change (default: from the declaration and the paths changed)
      --config FILE       config file (default: .rollwright.yaml at the head revision)
      --change-id ID      the change declaration to use (default: the one added in the range, or trailers)
      --fail-on CLASS     also fail when the class is at or worse than CLASS
      --plan FILE         also assess a Terraform/OpenTofu plan JSON (terraform show -json PLAN; - for stdin)
      --rehearse          also rehearse the changed SQL migrations on PostgreSQL (up, old queries, down, up)
      --database-url URL  rehearse on this PostgreSQL server instead of the embedded PGlite
      --live              also check that the change's rollback targets (previous images, chart
                          versions, module refs) still exist: a missing one is a warning finding
                          (core/rollback-target-missing); see \`rollwright check-targets\`
      --offline           with --live: contact nothing, every target is unknown (also ROLLWRIGHT_OFFLINE=1)
  -o, --output FORMAT     text (default), json, markdown or sarif
  -h, --help              show this help

Exit codes: 0 the gate passed, 1 the gate failed, 2 usage or input error, 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values } = parse(argv, {
    repo: { type: 'string' },
    base: { type: 'string' },
    head: { type: 'string' },
    worktree: { type: 'boolean' },
    env: { type: 'string' },
    config: { type: 'string' },
    'change-id': { type: 'string' },
    'fail-on': { type: 'string' },
    plan: { type: 'string' },
    rehearse: { type: 'boolean' },
    'database-url': { type: 'string' },
    live: { type: 'boolean' },
    offline: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const format = oneOf('--output', values.output as string | undefined, FORMATS, 'text');
  const failOn = values['fail-on'] as string | undefined;
  if (failOn !== undefined && !isRollbackClass(failOn))
    throw new UsageError(
      `--fail-on: ${JSON.stringify(failOn)} is not a rollback class (${ROLLBACK_CLASSES.join(', ')})`,
    );
  if (values.offline && !values.live) throw new UsageError('--offline only applies to --live');
  if (values.worktree && values.head !== undefined)
    throw new UsageError('--worktree and --head cannot be used together');
  if (values.worktree && values.base !== undefined)
    throw new UsageError('--worktree compares against HEAD; drop --base');
  const a = await assess({
    repo: (values.repo as string | undefined) ?? '.',
    ...(values.base !== undefined ? { base: values.base as string } : {}),
    ...(values.head !== undefined ? { head: values.head as string } : {}),
    ...(values.worktree ? { worktree: true } : {}),
    ...(values.env !== undefined ? { env: values.env as string } : {}),
    ...(values.config !== undefined ? { configFile: values.config as string } : {}),
    ...(values['change-id'] !== undefined ? { changeId: values['change-id'] as string } : {}),
    ...(failOn !== undefined && isRollbackClass(failOn) ? { failOn } : {}),
    ...(values.plan !== undefined ? { plan: values.plan as string } : {}),
    ...(values.live ? { live: values.offline ? { offline: true } : {} } : {}),
    ...(values.rehearse
      ? {
          rehearse: (await import('../../rehearse/assess-hook.js')).rehearseHook({
            databaseUrl: (values['database-url'] as string | undefined) ?? process.env.ROLLWRIGHT_DATABASE_URL,
          }),
        }
      : {}),
    surfaces,
    rules: allRules(),
  });
  const { renderAs: render } = await import('../../reporters/load.js');
  return { stdout: await render(a, format, { color: colorWanted() }), exitCode: a.gate.passed ? 0 : 1 };
}

export function colorWanted(): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}
