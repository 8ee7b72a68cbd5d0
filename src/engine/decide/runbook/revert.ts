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

export function revertSteps(input: DecisionInput): RunbookStep[] {
  const range = revertRange(input.commits, input.change);
  return [
    step(
      'Validate the revert as a new change (made in a temporary worktree, assessed by every surface)',
      cmd`rollwright revert ${range} --check`,
      "the revert's own class is no worse than the change's, and it applies without conflict",
    ),
    step(
      input.commits.length > 1
        ? `Revert the change's ${input.commits.length} commits in Git (newest first)`
        : 'Revert the change in Git',
      cmd`git revert --no-edit ${range}`,
      'git show --stat HEAD lists only the files of the change',
    ),
    step('Push the revert through the normal review path', 'git push', 'the pipeline checks pass on the revert commit'),
  ];
}
