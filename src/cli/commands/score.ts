import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { parseDuration } from '../../ledger/time.js';
import { STORE_OPTIONS } from '../store-options.js';
import { defineCommand } from '../define.js';
import { CONFIG, colorWanted, NO_COLOR, outputOption } from '../flags.js';

/** `--since`: a duration back from the commit scored (`90d`), or a date or time (`2026-01-01`). */
export function sinceOption(
  value: string,
  flag: string,
): { given: string; duration: number } | { given: string; at: number } {
  const v = value.trim();
  if (/^\d/.test(v) && !/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const seconds = parseDuration(v);
    if (seconds === undefined || seconds <= 0)
      throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a duration (90d, 12w, 720h)`);
    return { given: v, duration: seconds };
  }
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(ms))
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is neither a duration (90d) nor a date (2026-01-31)`);
  return { given: v, at: Math.floor(ms / 1000) };
}

export const command = defineCommand({
  name: 'score',
  usage: ['rollwright score [--repo DIR] [--since 90d] [--store STORE] [-o text|json|markdown] [--badge FILE] [flags]'],
  description: `Score the repository against the production-readiness checklist: each item pass, partial, fail
or unknown, with the evidence that decided it and what would make it pass. Items are judged from
the tree at HEAD (images and module pins, policies and their tests), from every change on the
first-parent line in the window (each assessed against its parent: declarations, migrations,
secrets, state repair, controller upgrades) and from the evidence ledger (pauses, break-glass,
recoveries and their evidence, rollback SLOs). An item whose input is absent (no ledger, nothing of
its kind in the window) is unknown, never a pass.

The overall score counts pass as 1, partial as 0.5 and fail as 0, averaged over the decided items
(0 to 100). Each run is recorded in the ledger (score.recorded), when there is one, and the next
run shows each item's trend against it. The items, the JSON schema and the badge: docs/score.md.`,
  options: {
    since: {
      type: 'string',
      metavar: 'WHEN',
      default: '90d',
      parse: sinceOption,
      description: 'the history window: a duration back from the commit scored (90d), or a date (2026-01-31)',
      details:
        'measured from the commit date of the revision, so that a repository without recent commits is scored on its last activity',
    },
    rev: { type: 'string', metavar: 'REV', default: 'HEAD', description: 'the revision scored' },
    config: { ...CONFIG, defaultText: '.rollwright.yaml at the revision' },
    ...STORE_OPTIONS,
    badge: { type: 'string', metavar: 'FILE', description: 'also write the score as an SVG badge to FILE' },
    offline: {
      type: 'boolean',
      env: 'ROLLWRIGHT_OFFLINE',
      description: 'ask no registry: whether pinned images and modules are retained is then unknown',
    },
    'no-record': { type: 'boolean', description: 'do not record this run in the ledger' },
    output: outputOption({ text: '', json: 'schema rollwright.score/v1', markdown: 'a page for the repository docs' }),
    'no-color': NO_COLOR,
  },
  exitCodes: {
    0: 'the score was made (failing items are reported, not failed on)',
    2: 'usage or input error',
    3: 'internal error',
  },
  async run(opts) {
    const [
      { GitRepo },
      { commitTimes },
      { gather, scoreReport, recordedPayload },
      { allRules, surfaces },
      { resolveLedgerStore, repositoryIdentity },
      { Ledger },
      { recordEvent },
      reporters,
    ] = await Promise.all([
      import('../../git/repo.js'),
      import('../../git/history.js'),
      import('../../engine/score/index.js'),
      import('../../registry.js'),
      import('../store-resolution.js'),
      import('../../ledger/store.js'),
      import('../../ledger/record.js'),
      import('../../reporters/score.js'),
    ]);
    const dir = opts.repo ?? '.';
    const repo = await GitRepo.open(dir);
    let ledger: InstanceType<typeof Ledger> | undefined;
    try {
      const head = await repo.resolveCommit(opts.rev, '--rev');
      const time = (await commitTimes(dir, [head]))[0]?.time ?? Math.floor(Date.now() / 1000);
      const start = 'duration' in opts.since ? time - opts.since.duration : opts.since.at;
      const identity = await repositoryIdentity(dir);

      const store = await resolveLedgerStore(opts, { create: false });
      if (store.spec.kind === 'postgres' || existsSync(store.spec.path))
        ledger = await Ledger.open(store.spec, { create: false });
      const events = ledger ? await ledger.select() : [];

      const now = new Date().toISOString();
      const { startProgress } = await import('../progress.js');
      const progress = startProgress('linting the tree…');
      const g = await gather({
        progress: (text) => progress.update(text),
        repo,
        dir,
        head,
        ...(opts.config !== undefined ? { configFile: opts.config } : {}),
        since: start,
        surfaces,
        rules: allRules(),
        live: opts.offline ? { offline: true } : {},
      }).finally(() => progress.done());
      const report = scoreReport({
        repository: identity.value,
        name: identity.name,
        head,
        since: { given: opts.since.given, start: new Date(start * 1000).toISOString() },
        config: g.config,
        commitsInWindow: g.commitsInWindow,
        changes: g.changes,
        notAssessed: g.notAssessed,
        tree: g.tree,
        policyTests: g.policyTests,
        policies: g.policies,
        ledger: ledger ? { where: ledger.where, events } : null,
        now,
      });
      if (ledger && !opts.noRecord) {
        const e = await recordEvent(ledger, { type: 'score.recorded', payload: recordedPayload(report) });
        report.recorded = { seq: e.seq };
      }
      if (opts.badge !== undefined) {
        try {
          await writeFile(opts.badge, reporters.renderScoreBadge(report));
        } catch (e) {
          throw new InputError(`cannot write the badge: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, opts.badge);
        }
      }
      const stdout =
        opts.output === 'json'
          ? JSON.stringify(report, null, 2) + '\n'
          : opts.output === 'markdown'
            ? // The page links the badge by its file name: both are meant to sit in the same docs folder.
              reporters.renderScoreMarkdown(report, opts.badge !== undefined ? basename(opts.badge) : undefined)
            : reporters.renderScoreText(report, { color: colorWanted(opts.noColor) });
      return { stdout, exitCode: 0 };
    } finally {
      repo.close();
      await ledger?.close();
    }
  },
});
