import { sh } from '../shell.js';
import type { FlagRef, RolloutRef, RunbookStep } from '../types.js';
import { step } from './step.js';

// ---------------------------------------------------------------------------------------------
// Containment: progressive rollouts and flags (questions 2 and 3)

export function abortSteps(r: RolloutRef): RunbookStep[] {
  if (r.kind === 'Rollout')
    return [
      step(
        `Abort Argo Rollout ${r.namespace}/${r.name}: traffic returns to the stable ReplicaSet (spec.template still holds the new version until Git is reverted)`,
        `kubectl argo rollouts abort ${sh(r.name)} -n ${sh(r.namespace)}`,
        `kubectl argo rollouts get rollout ${sh(r.name)} -n ${sh(r.namespace)} shows the stable ReplicaSet at full weight`,
      ),
    ];
  return [
    step(
      `Roll Flagger Canary ${r.namespace}/${r.name} back to its primary: open its rollback gate (a webhook of type rollback, e.g. the loadtester's /rollback/open with {"name":"${r.name}","namespace":"${r.namespace}"}); without one, Flagger rolls back only on failed analysis or a new revision`,
      null,
      `kubectl get canary ${sh(r.name)} -n ${sh(r.namespace)} shows Failed with the canary weight at 0`,
    ),
  ];
}

export function flagOffSteps(f: FlagRef, change: string): RunbookStep[] {
  const variant = f.offVariant ?? '<its off variant>';
  return [
    step(
      `Turn feature flag ${f.key} off in Git: in ${f.file}:${f.line} (${f.source}) set defaultVariant to ${variant}`,
      null,
      `git diff shows only the defaultVariant of ${f.key}`,
    ),
    step(
      `Commit and push the flag change`,
      `git commit -m ${sh(`Turn feature flag ${f.key} off (containment for ${change})`)} -- ${sh(f.file)} && git push`,
      `the flag provider serves ${variant} for ${f.key}`,
    ),
  ];
}
