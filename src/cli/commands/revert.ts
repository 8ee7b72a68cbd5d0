import { InputError, UsageError } from '../../core/errors.js';
import type { CommandResult } from '../command.js';
import { defineCommand, type OptionTable, type OptionValues } from '../define.js';
import type { Where } from '../ledger-support.js';
import { ACTOR, colorWanted, outputWidth, NO_COLOR, CONFIG, ENV, outputOption } from '../flags.js';
import { STORE_OPTIONS } from '../store-options.js';

const OPTIONS = {
  check: {
    type: 'boolean',
    description: 'check the revert (the default of --apply too)',
    details: 'an action is required: revert <sha> alone is exit 2, so a revert is never made by accident',
  },
  apply: {
    type: 'boolean',
    description: 'check, then commit the revert on the current branch and record it',
    details:
      'only when the check passes, your tracked files are clean and a branch is checked out: the branch is fast-forwarded to the very commit that was checked (git merge --ff-only), and recovery.executed (transition=rollback, commit=<sha>) is recorded for the incident',
  },
  incident: {
    type: 'string',
    metavar: 'ID',
    parse: incidentId,
    defaultText: 'the open incident of the reverted change, with --apply',
    description: "the incident the revert answers: a Rollback-Incident trailer, and the ledger event's incident",
    details:
      'with --apply the incident must exist in the ledger (else exit 2, nothing applied); with no incident the commit is made and nothing is recorded (said on stderr)',
  },
  mainline: {
    type: 'string',
    metavar: 'N',
    parse: parentNumber,
    description: 'revert merge commits relative to parent N (without it a merge is refused)',
  },
  repo: { type: 'string', metavar: 'DIR', defaultText: 'the current directory', description: 'the repository' },
  env: { ...ENV, defaultText: 'from the paths changed' },
  config: { ...CONFIG, defaultText: ".rollwright.yaml at the revert's head" },
  store: {
    ...STORE_OPTIONS.store,
    description: 'the ledger --apply records the revert in: postgres://user@host:5432/db, sqlite:PATH or a PATH',
    details: 'revert never creates a ledger; how the store is chosen: docs/ledger.md',
  },
  verbose: STORE_OPTIONS.verbose,
  actor: ACTOR,
  offline: {
    type: 'boolean',
    env: 'ROLLWRIGHT_OFFLINE',
    description:
      'do not check that the images, chart versions and module refs the revert brings back still exist: they are listed as unknown',
  },
  output: outputOption({ text: '', json: 'schema rollwright.revert/v1', markdown: '' }),
  'no-color': NO_COLOR,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'revert',
  usage: [
    'rollwright revert <sha|A..B> --check [flags]',
    'rollwright revert <sha|A..B> --apply [--incident ID] [flags]',
  ],
  description: `Make the revert of a commit (or of the commits in A..B, newest first) in a temporary worktree, never
touching your working tree, index or HEAD, and assess it as a new change: every surface, the revert's
own rollback class and why, the reverted Kubernetes objects against their schemas and against the
repository's ValidatingAdmissionPolicies, and the conflicting paths when it does not apply cleanly.

An action is required: --check only reports; --apply checks, then (only when the check passes and your
tracked files are clean) moves your current branch to the checked revert commit and records a
recovery.executed event (transition=rollback) for the incident in the evidence ledger.

A revert made for a recovery (an incident, or a reverted change that has a declaration) declares
itself when it carries no declaration: its own assessed class, the method \`git revert\`, the incident
as its justification, and the reverted change's environment, window and verification. The gate then
judges what the revert does (its class worse than the change declared, irreversible effects, schema,
admission), not whether someone wrote a declaration file for it.`,
  args: [
    {
      name: '<sha|A..B>',
      description:
        'one commit, or the commits of A..B reverted newest first; a merge commit is refused (named) unless --mainline N',
      details: 'a root commit, an empty range, A...B and anything that is not a revision are exit 2',
    },
  ],
  options: OPTIONS,
  exitCodes: {
    0: 'the revert applies cleanly and passes (gate, schemas, admission, every artifact it brings back exists)',
    1: 'it conflicts or does not pass (nothing applied, nothing recorded)',
    2: 'usage or input error',
    3: 'internal error',
  },
  run,
});

function parentNumber(value: string, flag: string): number {
  if (!/^[1-9]\d{0,2}$/.test(value))
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a parent number (1, 2, ...)`);
  return Number(value);
}

function incidentId(value: string, flag: string): string {
  if (!/^[^\u0000-\u001f\u007f]{1,256}$/.test(value))
    throw new UsageError(`${flag}: must be 1 to 256 characters without control characters`);
  return value;
}

async function run(opts: OptionValues<typeof OPTIONS>, args: string[]): Promise<CommandResult> {
  if (args.length === 0)
    throw new UsageError('revert needs the commit or range to revert: `rollwright revert <sha|A..B> --check`');
  if (args.length > 1)
    throw new UsageError(`revert takes one commit or range, got ${args.length}: write a range as A..B`);
  const spec = args[0]!;
  const apply = opts.apply;
  if (!apply && !opts.check)
    throw new UsageError('revert needs an action: --check (report only) or --apply (check, then commit and record)');
  const mainline = opts.mainline;
  const incident = opts.incident;
  const repoDir = opts.repo ?? '.';

  const [{ checkRevert }, git, { allRules, surfaces }] = await Promise.all([
    import('../../engine/revert/check.js'),
    import('../../git/revert.js'),
    import('../../registry.js'),
  ]);

  let branch: string | undefined;
  if (apply) {
    // Refused before anything is made: the user's tree is about to move.
    branch = await git.currentBranch(repoDir);
    if (!branch) throw new UsageError('--apply: HEAD is detached; check out the branch the revert belongs on');
    const st = await git.trackedTreeClean(repoDir);
    if (!st.clean)
      throw new UsageError(
        `--apply: your working tree has uncommitted changes (${st.paths.slice(0, 5).join(', ')}${st.paths.length > 5 ? ', ...' : ''}); commit or stash them first`,
      );
  }

  const ledgerValues = { store: opts.store, repo: repoDir, config: opts.config, verbose: opts.verbose };
  const { startProgress } = await import('../progress.js');
  const progress = startProgress(`checking the revert of ${spec}: render, schema, policy, reversibility…`);
  const { report, result } = await checkRevert({
    repo: repoDir,
    spec,
    ...(mainline !== undefined ? { mainline } : {}),
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    ...(opts.config !== undefined ? { configFile: opts.config } : {}),
    ...(incident !== undefined ? { incident } : {}),
    ...(apply && incident === undefined ? { incidentFor: (id) => openIncidentOf(ledgerValues, id) } : {}),
    surfaces,
    rules: allRules(),
    live: opts.offline ? { offline: true } : {},
  }).finally(() => progress.done());

  if (apply && report.passed) {
    const { withLedger } = await import('../ledger-support.js');
    const { prepareEvent } = await import('../../ledger/record.js');
    const inc = report.incident;
    const input = (commit: string) => ({
      type: 'recovery.executed',
      incident: inc!,
      payload: { transition: 'rollback', commit },
      ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
    });
    if (inc !== null) {
      // Everything is validated before the branch moves: a missing incident applies nothing.
      await withLedger(ledgerValues, false, async (ledger) => {
        await prepareEvent(ledger, input(result.commit!));
        // A broken chain refuses the record: find out now, before the branch moves.
        await ledger.checkWritable();
      }).catch((e: unknown) => {
        if (e instanceof Error && /no ledger/.test(e.message))
          throw new InputError(`--incident ${inc}: ${e.message}; nothing was applied or recorded`);
        throw e;
      });
    }
    const commit = await git.applyRevert(repoDir, result);
    let seq: number | null = null;
    if (inc !== null) {
      seq = await withLedger(ledgerValues, false, async (ledger) => {
        const [e] = await ledger.append([await prepareEvent(ledger, input(commit))]);
        return e!.seq;
      });
    } else
      process.stderr.write(
        `rollwright: no incident to record the rollback for (pass --incident ID${report.changeId ? `; no open incident of ${report.changeId} in the ledger` : ''}); the ledger was not written\n`,
      );
    report.applied = { commit, branch: branch!, ledgerEvent: seq, incident: inc };
  }

  const render = await import('../../engine/revert/render.js');
  const stdout =
    opts.output === 'json'
      ? await render.revertJson(report)
      : opts.output === 'markdown'
        ? await render.revertMarkdown(report)
        : await render.revertText(report, { color: colorWanted(opts.noColor), width: outputWidth() });
  return { stdout, exitCode: report.passed ? 0 : 1 };
}

/** The one open incident (detected, not resolved) of a change in the ledger, if there is exactly one. */
async function openIncidentOf(values: Where, changeId: string | null): Promise<string | undefined> {
  if (changeId === null) return undefined;
  const { withLedger } = await import('../ledger-support.js');
  try {
    return await withLedger(values, false, async (ledger) => {
      const events = await ledger.select({ changes: [changeId], types: ['incident.detected', 'incident.resolved'] });
      const resolved = new Set(
        (await ledger.select({ types: ['incident.resolved'] })).map((e) => e.subject.incident).filter(Boolean),
      );
      const open = [
        ...new Set(
          events
            .filter((e) => e.type === 'incident.detected' && e.subject.incident && !resolved.has(e.subject.incident))
            .map((e) => e.subject.incident!),
        ),
      ];
      if (open.length > 1)
        process.stderr.write(
          `rollwright: ${open.length} open incidents of ${changeId} (${open.join(', ')}); pass --incident to choose\n`,
        );
      return open.length === 1 ? open[0] : undefined;
    });
  } catch {
    return undefined;
  }
}
