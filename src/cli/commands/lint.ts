import { atLeast } from '../../core/classes.js';
import { defineCommand } from '../define.js';
import { colorWanted, outputWidth, CONFIG, DATABASE_URL, ENV, FAIL_ON, NO_COLOR, outputOption } from '../flags.js';
import { startProgress } from '../progress.js';

export const command = defineCommand({
  name: 'lint',
  usage: [
    'rollwright lint [--repo DIR] [--rev REV] [--env NAME] [-o text|json|markdown|sarif]',
    'rollwright lint --rehearse [--migrations DIR] [--database-url URL] [--repo DIR] [--rev REV]',
  ],
  description: `Lint the whole tree of one revision for reversibility smells: every file is read by every surface
as if the revision added it, so each rule reports the properties present in the tree (mutable image
tags, unpinned modules, charts, remote bases and sources, a committed Flux suspend, migrations with no
down, data-bearing resources without deletion protection, plaintext secrets...), each with its class
of risk and its fix. Findings that only describe a change (severity info) are left out.

The tree is read with one git ls-tree and batched git cat-file; the working tree is never read.
The configuration's rules settings and ignores apply as in assess.`,
  options: {
    repo: { type: 'string', metavar: 'DIR', defaultText: 'the current directory', description: 'repository to lint' },
    rev: { type: 'string', metavar: 'REV', defaultText: 'HEAD', description: 'revision whose tree is linted' },
    env: {
      ...ENV,
      description: 'lint only the files of this environment (by its paths in the config) and files of no environment',
      defaultText: 'every file',
    },
    config: { ...CONFIG, defaultText: '.rollwright.yaml at the revision' },
    'fail-on': { ...FAIL_ON, description: 'also exit 1 when a warning or error finding is of CLASS or worse' },
    rehearse: {
      type: 'boolean',
      description:
        "also run one migrations folder's whole history on PostgreSQL (up, down to an empty schema, up again) and report a down that fails or does not restore the schema (slow)",
    },
    migrations: {
      type: 'string',
      metavar: 'DIR',
      defaultText: 'the only migrations folder of the tree',
      description: 'with --rehearse: the migrations folder to rehearse, when the tree holds several',
    },
    'database-url': DATABASE_URL,
    output: outputOption({
      text: '',
      json: 'schema rollwright.lint/v1',
      markdown: 'a page for a pull request or the docs',
      sarif: 'code scanning',
    }),
    'no-color': NO_COLOR,
  },
  exitCodes: {
    0: 'no finding of severity error (and, with --fail-on, none of that class or worse)',
    1: 'a finding of severity error (a plaintext secret, a file that cannot be read...), or a warning or error finding at or worse than --fail-on',
    2: 'usage or input error: an unknown flag, an unknown revision or environment, an unreadable config',
    3: 'internal error',
  },
  async run(opts) {
    const { lintTree } = await import('../../engine/lint/index.js');
    const progress = startProgress('reading the tree…');
    const r = await lintTree({
      repo: opts.repo ?? '.',
      progress: (text) => progress.update(text),
      ...(opts.rev !== undefined ? { rev: opts.rev } : {}),
      ...(opts.env !== undefined ? { env: opts.env } : {}),
      ...(opts.config !== undefined ? { configFile: opts.config } : {}),
      ...(opts.rehearse || opts.migrations !== undefined
        ? {
            rehearse: (await import('../../rehearse/assess-hook.js')).rehearseHook({
              databaseUrl: opts.databaseUrl ?? process.env.ROLLWRIGHT_DATABASE_URL,
              oneDir: true,
              dir: opts.migrations,
            }),
          }
        : {}),
    }).finally(() => progress.done());
    const failOn = opts.failOn;
    const failed =
      r.summary.error > 0 ||
      (failOn !== undefined && r.findings.some((f) => f.severity !== 'info' && atLeast(f.class, failOn)));
    const { renderLint } = await import('../../reporters/lint.js');
    return {
      stdout: await renderLint(r, opts.output, { color: colorWanted(opts.noColor), width: outputWidth() }),
      exitCode: failed ? 1 : 0,
    };
  },
});
