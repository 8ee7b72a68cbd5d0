import type { Finding } from '../../../core/finding.js';
import { sh } from '../shell.js';
import type { DecisionInput, RunbookStep, WorkspaceRef } from '../types.js';
import { dirOf, step } from './step.js';
import { dataOf, isFindingOf, rules } from '../findings.js';

// ---------------------------------------------------------------------------------------------
// IaC state (question 4)

export function workspaceFor(input: DecisionInput, file: string): WorkspaceRef {
  const ws = [...input.repository.workspaces].sort((a, b) => b.dir.length - a.dir.length);
  return (
    ws.find((w) => w.dir === '.' || w.dir === '' || file === w.dir || file.startsWith(`${w.dir}/`)) ??
    ws[0] ?? { dir: dirOf(file), tool: 'terraform', toolFrom: 'assumed' }
  );
}

/** Says where the command's tool came from, so an on-call engineer can tell a guess from a fact. */
export function toolNote(w: WorkspaceRef): string {
  if (!w.toolFrom) return '';
  return w.toolFrom === 'assumed'
    ? `; ${w.tool} assumed: nothing in the repository names terraform or tofu`
    : `; ${w.tool} per ${w.toolFrom}`;
}

export function tf(w: WorkspaceRef, rest: string): string {
  return `${w.tool} -chdir=${sh(w.dir === '' ? '.' : w.dir)} ${rest}`;
}

export function repairStateSteps(
  ws: readonly WorkspaceRef[],
  findings: readonly Finding[],
  input: DecisionInput,
): RunbookStep[] {
  const out: RunbookStep[] = [];
  for (const w of ws)
    out.push(
      step(
        `Compare recorded state with reality in workspace ${w.dir} before any apply (refresh-only: changes nothing)${toolNote(w)}`,
        tf(w, 'plan -refresh-only'),
        'every difference listed is explained; no apply of the normal plan until it is',
      ),
    );
  for (const f of findings) {
    const w = workspaceFor(input, f.file);
    const drift = dataOf(f, rules.planDrift);
    const address = typeof drift?.address === 'string' ? drift.address : null;
    const moved = dataOf(f, rules.movedBlockMissing)?.moved;
    if (isFindingOf(f, rules.planDrift) && f.messageId === 'deletedOutside' && address)
      out.push(
        step(
          `${address} was deleted outside Terraform: find out why, then either restore it and adopt it with an import block (import { to = ${address}, id = "<its id>" }) or remove it from configuration`,
          null,
          tf(w, 'plan') + ` shows no create of ${address} that nobody expects`,
        ),
      );
    else if (isFindingOf(f, rules.planDrift) && address)
      out.push(
        step(
          `${address} changed outside Terraform: write the real value into configuration, or accept reality into state with a refresh-only apply (a governed change)`,
          tf(w, 'apply -refresh-only'),
          tf(w, 'plan -detailed-exitcode') + ` shows no change for ${address}`,
        ),
      );
    else if (isFindingOf(f, rules.movedBlockMissing) && typeof moved === 'string')
      out.push(
        step(
          `Add the missing moved block in ${f.file}: ${moved}`,
          null,
          tf(w, 'plan') + ' shows a move, not a destroy and create',
        ),
      );
    else if (isFindingOf(f, rules.planIncomplete))
      out.push(
        step(
          `Run a full plan (no -target) of workspace ${w.dir}: the partial plan left resources unplanned`,
          tf(w, 'plan'),
          'the plan completes without errors',
        ),
      );
    else if (
      isFindingOf(f, rules.stateOperation) ||
      isFindingOf(f, rules.stateFileCommitted) ||
      isFindingOf(f, rules.backendChanged)
    )
      out.push(
        step(
          `Review the state operation at ${f.file}:${f.line} (${f.message}); undo it with an import block or a moved block, never by pushing an old state`,
          null,
          tf(w, 'plan -refresh-only') + ' shows recorded state matching reality',
        ),
      );
  }
  return out;
}
