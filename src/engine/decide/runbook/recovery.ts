import type { Finding } from '../../../core/finding.js';
import { relevantWorkspaces } from '../loops.js';
import { hasEffect } from '../playbooks.js';
import type { PreviousStateCheck } from '../questions/6-previous-state-checks.js';
import { cmd, sh } from '../shell.js';
import type { DecisionInput, PlaybookId, RunbookStep } from '../types.js';
import { cite, dirOf, parseObject, step } from './step.js';
import { tf, workspaceFor } from './terraform.js';
import { addressOf, dataOf, destroyedTargetOf, isFindingOf, rules } from '../findings.js';

// ---------------------------------------------------------------------------------------------
// Restore and rollforward

export function restoreSteps(input: DecisionInput, destroyed: readonly Finding[]): RunbookStep[] {
  const before = input.ledger?.deployedAt ? `before ${input.ledger.deployedAt}` : 'before the change deployed';
  const out: RunbookStep[] = [];
  for (const f of destroyed) {
    if (f.surface === 'database') {
      out.push(
        step(
          `Restore the database to a point ${before} into a separate instance (point-in-time recovery; never over the live database)`,
          null,
          `the restored instance holds ${String(destroyedTargetOf(f) ?? 'the destroyed data')}`,
        ),
        step(
          `Roll the schema forward to receive the data again: a new migration that re-creates ${String(destroyedTargetOf(f) ?? 'what was dropped')} (nullable, expand-only)`,
          null,
          cmd`rollwright rehearse --dir ${dirOf(f.file)}` + ' passes',
        ),
        step(
          'Copy the destroyed values back from the restored instance by primary key, newer writes kept',
          null,
          'row counts and checksums match the restored instance',
        ),
      );
    } else if (f.surface === 'terraform') {
      out.push(
        step(
          `Restore ${String(addressOf(f) ?? 'the destroyed resource')} from its latest snapshot or backup ${before}`,
          null,
          'the restored object holds the data',
        ),
        step(
          `Adopt the restored object into state with an import block (import { to = ${String(addressOf(f) ?? '<address>')}, id = "<restored id>" })`,
          null,
          tf(workspaceFor(input, f.file), 'plan') + ' shows an import and no create',
        ),
      );
    } else {
      const o = parseObject(f.object);
      out.push(
        step(
          `Restore ${o ? `${o.kind} ${o.namespace}/${o.name}` : f.file} from its backup or volume snapshot ${before} (a new claim with the snapshot as dataSource)`,
          null,
          'the restored volume is Bound and holds the data',
        ),
      );
    }
  }
  out.push(...revertStepsForRestore(input));
  return out;
}

/** After a restore, Git must still stop doing the destructive thing: the fix is a forward change. */
function revertStepsForRestore(_input: DecisionInput): RunbookStep[] {
  return [
    step(
      'Commit the forward change that stops the destruction (remove or guard what destroyed the data) and push it',
      null,
      'rollwright assess on the fix shows no destroyed data',
    ),
    step('Push it through the normal review path', 'git push', 'the pipeline checks pass'),
  ];
}

export function rollforwardSteps(
  input: DecisionInput,
  findings: readonly Finding[],
  playbook: PlaybookId,
  failed: ReadonlyArray<{ check: PreviousStateCheck; why: string }>,
  destroyed: readonly Finding[],
  forwardOnly: readonly Finding[],
): RunbookStep[] {
  const out: RunbookStep[] = [];
  const head = input.commits.length > 0 ? input.commits[input.commits.length - 1]! : input.change;
  if (playbook === 'bad-iam-change' && failed.some((f) => f.check.id === 'iam')) {
    const iam = findings.filter((f) => hasEffect(f, 'iam'));
    for (const f of iam)
      out.push(
        step(
          `Narrow forward fix: grant ${String(addressOf(f) ?? 'the principal')} only the permission the incident shows missing (from the denied call in the audit log); do not restore the previous, over-broad policy`,
          null,
          'the denied call now succeeds, and the policy grants nothing else new',
        ),
      );
    for (const w of relevantWorkspaces(
      input,
      findings.filter((f) => f.surface === 'terraform'),
    ))
      out.push(
        step(
          `Plan the narrow fix in workspace ${w.dir}`,
          tf(w, 'plan'),
          `the plan changes only ${iam.map((f) => String(addressOf(f) ?? '')).join(', ')}`,
        ),
      );
  } else if (destroyed.length > 0 || forwardOnly.length > 0) {
    const f = (destroyed[0] ?? forwardOnly[0])!;
    if (f.surface === 'database') {
      out.push(
        step(
          `Write a forward migration: ${isFindingOf(f, rules.contractStatement) ? `re-create ${String(dataOf(f, rules.contractStatement)?.target ?? 'what was dropped')} as nullable so the running version works again, or deploy code that no longer uses it` : 'correct the schema forward (the old state cannot come back)'}`,
          null,
          "the running version's queries succeed against the new schema",
        ),
        step(
          'Rehearse the forward migration on PostgreSQL',
          cmd`rollwright rehearse --dir ${dirOf(f.file)}`,
          'no failed old query, no rows lost',
        ),
      );
    } else {
      out.push(
        step(`Write the forward fix for ${cite(f)}`, null, 'the fix keeps the new state and corrects the fault'),
      );
    }
  } else {
    for (const f of failed) out.push(step(`Forward fix (${f.check.id}): ${f.check.forwardFix}`, null, f.why));
    if (failed.length === 0) out.push(step('Write the forward fix on top of the current state', null, null));
  }
  out.push(
    step(
      'Assess the fix like any change before it merges',
      `rollwright assess --base ${sh(head)} --head HEAD`,
      'its class is no worse than needed and the gate passes',
    ),
    step('Push the fix through the normal review path', 'git push', 'the pipeline checks pass on the fix'),
  );
  return out;
}
