import { cmd } from '../shell.js';
import type { DecisionInput, RunbookStep } from '../types.js';
import { step } from './step.js';

// ---------------------------------------------------------------------------------------------
// Git: validation, revert, push

export function revertRange(commits: readonly string[], change: string): string {
  if (commits.length === 0) return change;
  if (commits.length === 1) return commits[0]!;
  return `${commits[0]}^..${commits[commits.length - 1]}`;
}

/**
 * Validate, then revert. With the incident known, the check runs with `--incident`: the revert
 * declares itself for the incident (its gate judges the revert, not a missing declaration file). With
 * `apply` too (a plain rollback), `rollwright revert --apply` commits the very revert that was checked,
 * with its Rollback-Incident trailer, and records recovery.executed (transition=rollback); otherwise
 * `git revert` does the revert and the runbook records the recovery itself.
 */
export function revertSteps(input: DecisionInput, apply = false): RunbookStep[] {
  const range = revertRange(input.commits, input.change);
  const incident = input.ledger?.incident ?? null;
  const many = input.commits.length > 1;
  return [
    step(
      'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
      incident
        ? cmd`rollwright revert ${range} --check --incident ${incident}`
        : cmd`rollwright revert ${range} --check`,
      "the revert's own class is no worse than the change's, and it applies without conflict",
    ),
    incident && apply
      ? step(
          many
            ? `Revert the change's ${input.commits.length} commits (newest first) on the current branch, and record the recovery`
            : 'Revert the change on the current branch, and record the recovery',
          cmd`rollwright revert ${range} --apply --incident ${incident}`,
          'the output names the revert commit and the recovery.executed event; git show --stat HEAD lists only the files of the change',
        )
      : step(
          many
            ? `Revert the change's ${input.commits.length} commits in Git (newest first)`
            : 'Revert the change in Git',
          cmd`git revert --no-edit ${range}`,
          'git show --stat HEAD lists only the files of the change',
        ),
    step('Push the revert through the normal review path', 'git push', 'the pipeline checks pass on the revert commit'),
  ];
}
