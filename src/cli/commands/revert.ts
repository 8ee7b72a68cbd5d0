import { InputError, UsageError } from '../../core/errors.js';
import { STORE_HELP } from '../store-options.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';
import { colorWanted } from './assess.js';

export const FORMATS = ['text', 'json', 'markdown'] as const;

export const help = `Usage: rollwright revert <sha|A..B> --check [flags]
       rollwright revert <sha|A..B> --apply [--incident ID] [flags]

Make the revert of a commit (or of the commits in A..B, newest first) in a temporary worktree, never
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
admission), not whether someone wrote a declaration file for it.

Flags:
      --check             check the revert (the default of --apply too)
      --apply             check, then commit the revert on the current branch and record it
      --incident ID       the incident the revert answers: a Rollback-Incident trailer, and the ledger
                          event's incident (default with --apply: the open incident of the reverted change)
      --mainline N        revert merge commits relative to parent N (without it a merge is refused)
      --repo DIR          the repository (default: the current directory)
      --env NAME          environment of the change (default: from the paths changed)
      --config FILE       config file (default: .rollwright.yaml at the revert's head)
${STORE_HELP}
                          (--apply records the revert there)
      --actor NAME        who records the ledger event (default: ROLLWRIGHT_ACTOR, else the user)
      --offline           do not check that the images, chart versions and module refs the revert
                          brings back still exist (also ROLLWRIGHT_OFFLINE=1): they are listed as unknown
  -o, --output FORMAT     text (default), json or markdown
  -h, --help              show this help

Exit codes: 0 the revert applies cleanly and passes (gate, schemas, admission, every artifact it brings
back exists); 1 it conflicts or does not pass (nothing applied, nothing recorded); 2 usage or input
error; 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(
    argv,
    {
      check: { type: 'boolean' },
      apply: { type: 'boolean' },
      incident: { type: 'string' },
      mainline: { type: 'string' },
      repo: { type: 'string' },
      env: { type: 'string' },
      config: { type: 'string' },
      store: { type: 'string' },
      verbose: { type: 'boolean' },
      actor: { type: 'string' },
      offline: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const format = oneOf('--output', values.output as string | undefined, FORMATS, 'text');
  if (positionals.length === 0)
    throw new UsageError('revert needs the commit or range to revert: `rollwright revert <sha|A..B> --check`');
  if (positionals.length > 1)
    throw new UsageError(`revert takes one commit or range, got ${positionals.length}: write a range as A..B`);
  const spec = positionals[0]!;
  const apply = values.apply === true;
  if (!apply && values.check !== true)
    throw new UsageError('revert needs an action: --check (report only) or --apply (check, then commit and record)');
  let mainline: number | undefined;
  if (values.mainline !== undefined) {
    const m = String(values.mainline);
    if (!/^[1-9]\d{0,2}$/.test(m))
      throw new UsageError(`--mainline: ${JSON.stringify(m)} is not a parent number (1, 2, ...)`);
    mainline = Number(m);
  }
  const incident = values.incident as string | undefined;
  if (incident !== undefined && !/^[^\u0000-\u001f\u007f]{1,256}$/.test(incident))
    throw new UsageError('--incident: must be 1 to 256 characters without control characters');
  const repoDir = (values.repo as string | undefined) ?? '.';

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

  const ledgerValues = { store: values.store, repo: repoDir, config: values.config, verbose: values.verbose };
  const { report, result } = await checkRevert({
    repo: repoDir,
    spec,
    ...(mainline !== undefined ? { mainline } : {}),
    ...(values.env !== undefined ? { env: values.env as string } : {}),
    ...(values.config !== undefined ? { configFile: values.config as string } : {}),
    ...(incident !== undefined ? { incident } : {}),
    ...(apply && incident === undefined ? { incidentFor: (id) => openIncidentOf(ledgerValues, id) } : {}),
    surfaces,
    rules: allRules(),
    live: values.offline ? { offline: true } : {},
  });

  if (apply && report.passed) {
    const { withLedger } = await import('../ledger-support.js');
    const { prepareEvent } = await import('../../ledger/record.js');
    const inc = report.incident;
    const input = (commit: string) => ({
      type: 'recovery.executed',
      incident: inc!,
      payload: { transition: 'rollback', commit },
      ...(values.actor !== undefined ? { actor: values.actor as string } : {}),
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
    format === 'json'
      ? await render.revertJson(report)
      : format === 'markdown'
        ? await render.revertMarkdown(report)
        : await render.revertText(report, { color: colorWanted() });
  return { stdout, exitCode: report.passed ? 0 : 1 };
}

/** The one open incident (detected, not resolved) of a change in the ledger, if there is exactly one. */
async function openIncidentOf(
  values: Record<string, string | boolean | string[] | undefined>,
  changeId: string | null,
): Promise<string | undefined> {
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
