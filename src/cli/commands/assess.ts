import { writeFile } from 'node:fs/promises';
import { InputError, UsageError } from '../../core/errors.js';
import { assess } from '../../engine/assess.js';
import { allRules, surfaces } from '../../registry.js';
import { defineCommand } from '../define.js';
import { startProgress } from '../progress.js';
import {
  ASSESSMENT_OUTPUT,
  colorWanted,
  outputWidth,
  NO_COLOR,
  CONFIG,
  DATABASE_URL,
  ENV,
  FAIL_ON,
  MAX_BYTES,
  MAX_FILES,
} from '../flags.js';

const REPORT_FORMATS = Object.keys(ASSESSMENT_OUTPUT.choices) as Array<keyof typeof ASSESSMENT_OUTPUT.choices>;

export const command = defineCommand({
  name: 'assess',
  usage: ['rollwright assess [--base REV] [--head REV | --worktree] [flags]'],
  description: `Assess every change in base..head: its rollback class, each finding with file and line,
and whether the change's declaration passes the gate.

Revisions are validated before git sees them (no leading -, no shell characters, no ranges); git
always runs with argument arrays, never through a shell.`,
  options: {
    repo: { type: 'string', metavar: 'DIR', defaultText: 'the current directory', description: 'repository to assess' },
    base: {
      type: 'string',
      metavar: 'REV',
      defaultText: 'the first parent of --head; the empty tree for a root commit',
      description: 'base revision (a shallow clone without it is exit 2, with how to fetch it)',
      details:
        'it must be an ancestor of head, else exit 2 naming the merge base to use. A shallow clone (the default CI checkout) is never compared with the empty tree: fetch the base (fetch-depth: 0, or git fetch with deepen)',
    },
    head: { type: 'string', metavar: 'REV', defaultText: 'HEAD', description: 'head revision' },
    worktree: {
      type: 'boolean',
      description: 'assess uncommitted changes (staged, unstaged, untracked) against HEAD',
      details: 'the working tree is only read',
    },
    env: { ...ENV, defaultText: 'from the declaration and the paths changed' },
    config: { ...CONFIG, defaultText: '.rollwright.yaml at the head revision' },
    'change-id': {
      type: 'string',
      metavar: 'ID',
      defaultText: 'the one added in the range, or trailers',
      description: 'the change declaration to use',
    },
    'fail-on': FAIL_ON,
    plan: {
      type: 'string',
      metavar: 'FILE',
      description: 'also assess a Terraform/OpenTofu plan JSON (terraform show -json PLAN; - for stdin)',
    },
    rehearse: {
      type: 'boolean',
      description: 'also rehearse the changed SQL migrations on PostgreSQL (up, old queries, down, up)',
    },
    'database-url': DATABASE_URL,
    live: {
      type: 'boolean',
      description:
        "also check that the change's rollback targets (previous images, chart versions, module refs) still exist: a missing one is a warning finding (core/rollback-target-missing); see `rollwright check-targets`",
    },
    offline: {
      type: 'boolean',
      env: 'ROLLWRIGHT_OFFLINE',
      description: 'with --live: contact nothing, every target is unknown (reason offline)',
    },
    'max-files': MAX_FILES,
    'max-bytes': MAX_BYTES,
    output: ASSESSMENT_OUTPUT,
    report: {
      type: 'string',
      metavar: 'FORMAT=FILE',
      repeatable: true,
      parse: reportSpec,
      description: `also write the assessment in FORMAT to FILE (${REPORT_FORMATS.join(', ')}); one assessment, several renderings`,
      details:
        'a CI job writes the log (-o text), the comment (comment=comment.md), code scanning (sarif=rollwright.sarif) and the job artifact (json=assessment.json) from one run',
    },
    'no-color': NO_COLOR,
  },
  exitCodes: {
    0: 'the gate passed',
    1: 'the gate failed: a missing or optimistic declaration, an error finding no declaration owns, a blocking finding (unreadable input, a plaintext secret), or the class is at or worse than --fail-on',
    2: 'usage or input error: an unknown flag, a bad or unknown revision, a base that is not an ancestor, an unreadable config or declaration, a change over the --max-files or --max-bytes budget',
    3: 'internal error',
  },
  async run(opts) {
    if (opts.offline && !opts.live) throw new UsageError('--offline only applies to --live');
    if (opts.worktree && opts.head !== undefined) throw new UsageError('--worktree and --head cannot be used together');
    if (opts.worktree && opts.base !== undefined) throw new UsageError('--worktree compares against HEAD; drop --base');
    const progress = startProgress('reading the change…');
    const a = await assess({
      repo: opts.repo ?? '.',
      progress: (text) => progress.update(text),
      ...(opts.base !== undefined ? { base: opts.base } : {}),
      ...(opts.head !== undefined ? { head: opts.head } : {}),
      ...(opts.worktree ? { worktree: true } : {}),
      ...(opts.env !== undefined ? { env: opts.env } : {}),
      ...(opts.config !== undefined ? { configFile: opts.config } : {}),
      ...(opts.changeId !== undefined ? { changeId: opts.changeId } : {}),
      ...(opts.failOn !== undefined ? { failOn: opts.failOn } : {}),
      ...(opts.maxFiles !== undefined ? { maxFiles: opts.maxFiles } : {}),
      ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
      ...(opts.plan !== undefined ? { plan: opts.plan } : {}),
      ...(opts.live ? { live: opts.offline ? { offline: true } : {} } : {}),
      ...(opts.rehearse
        ? {
            rehearse: (await import('../../rehearse/assess-hook.js')).rehearseHook({
              databaseUrl: opts.databaseUrl ?? process.env.ROLLWRIGHT_DATABASE_URL,
            }),
          }
        : {}),
      surfaces,
      rules: allRules(),
    }).finally(() => progress.done());
    const { renderAs: render } = await import('../../reporters/load.js');
    for (const r of opts.report ?? []) {
      const text = await render(a, r.format, { color: false });
      await writeFile(r.file, text).catch((e: NodeJS.ErrnoException) => {
        throw new InputError(`cannot write the ${r.format} report: ${e.code ?? e.message}`, r.file);
      });
    }
    const exitCode = a.gate.passed ? 0 : 1;
    if (opts.output === 'json') {
      // Written a thousand findings at a time: a large change's report is never one string.
      const { renderJsonChunks } = await import('../../reporters/json.js');
      return { stdout: '', stream: renderJsonChunks(a), exitCode };
    }
    return {
      stdout: await render(a, opts.output, { color: colorWanted(opts.noColor), width: outputWidth() }),
      exitCode,
    };
  },
});

/** `--report FORMAT=FILE`: a format of -o and a file to write it to. */
function reportSpec(value: string, flag: string): { format: (typeof REPORT_FORMATS)[number]; file: string } {
  const at = value.indexOf('=');
  const format = value.slice(0, at) as (typeof REPORT_FORMATS)[number];
  const file = value.slice(at + 1);
  if (at < 0 || !file)
    throw new UsageError(`${flag}: expected FORMAT=FILE (comment=comment.md), got ${JSON.stringify(value)}`);
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(`${flag}: ${JSON.stringify(format)} is not one of ${REPORT_FORMATS.join(', ')}`);
  return { format, file };
}
