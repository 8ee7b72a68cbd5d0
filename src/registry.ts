import type { AnyRule } from './core/rule.js';
import type { RuleFamily, Surface } from './core/surface.js';
import { argocd } from './surfaces/argocd/index.js';
import { controllers } from './surfaces/controllers/index.js';
import { core } from './surfaces/core/index.js';
import { crd } from './surfaces/crd/index.js';
import { database } from './surfaces/database/index.js';
import { flags } from './surfaces/flags/index.js';
import { flux } from './surfaces/flux/index.js';
import { helm } from './surfaces/helm/index.js';
import { kubernetes } from './surfaces/kubernetes/index.js';
import { kustomize } from './surfaces/kustomize/index.js';
import { policy } from './surfaces/policy/index.js';
import { revert, revertSurface } from './surfaces/revert/index.js';
import { rollouts } from './surfaces/rollouts/index.js';
import { secrets } from './surfaces/secrets/index.js';
import { terraform } from './surfaces/terraform/index.js';

/**
 * Every rollback surface, sorted by id. A test checks this list (with `ruleFamilies`) against the
 * folders under src/surfaces, so a surface cannot be added without being registered.
 */
export const surfaces: readonly Surface[] = [
  argocd,
  controllers,
  crd,
  database,
  flags,
  flux,
  helm,
  kubernetes,
  kustomize,
  policy,
  rollouts,
  secrets,
  terraform,
];

/**
 * The rule families that are not surfaces (they claim no files), sorted by id: the engine's own rules
 * (`core/*`, reported by the engine itself) and the `revert` family (which only `revert --check` runs,
 * through `revertSurface`). Their rules live where a surface's do, at src/surfaces/<id>/rules/<rule-id>.ts;
 * a test checks this list and `surfaces` together against the folders and rule files on disk.
 */
export const ruleFamilies: readonly RuleFamily[] = [core, revert];

/** The `revert` family as the surface `revert --check` adds to its run. */
export { revertSurface };
export type { RevertSections } from './surfaces/revert/model.js';

/** Every rule of every surface and rule family, sorted by key. */
export function allRules(): AnyRule[] {
  return [...ruleFamilies.flatMap((f) => f.rules), ...surfaces.flatMap((s) => s.rules)].sort((a, b) =>
    `${a.surface}/${a.id}` < `${b.surface}/${b.id}` ? -1 : 1,
  );
}

// Typed handles of the rules whose findings the incident decision reads by name: which rule a finding
// is (`isFindingOf`), and its data as the rule reports it (`dataOf`). A rule renamed, moved or given a
// new data shape breaks the decision's build, not its output.
export { default as controllerUpgraded } from './surfaces/controllers/rules/controller-upgraded.js';
export { default as crdDeleted } from './surfaces/crd/rules/crd-deleted.js';
export { default as crdWithoutVersions } from './surfaces/crd/rules/crd-without-versions.js';
export { default as schemaTightened } from './surfaces/crd/rules/schema-tightened.js';
export { default as servedVersionRemoved } from './surfaces/crd/rules/served-version-removed.js';
export { default as storageVersionChanged } from './surfaces/crd/rules/storage-version-changed.js';
export { default as versionAdded } from './surfaces/crd/rules/version-added.js';
export { default as columnTypeChanged } from './surfaces/database/rules/column-type-changed.js';
export { default as contractStatement } from './surfaces/database/rules/contract-statement.js';
export { default as dataMutation } from './surfaces/database/rules/data-mutation.js';
export { default as defaultChanged } from './surfaces/flags/rules/default-changed.js';
export { default as flagReferenced } from './surfaces/flags/rules/flag-referenced.js';
export { default as flagRemoved } from './surfaces/flags/rules/flag-removed.js';
export { default as chartVersionChanged } from './surfaces/helm/rules/chart-version-changed.js';
export { default as configMapDataChanged } from './surfaces/kubernetes/rules/configmap-data-changed.js';
export { default as danglingReference } from './surfaces/kubernetes/rules/dangling-reference.js';
export { default as imageChanged } from './surfaces/kubernetes/rules/image-changed.js';
export { default as enforcementChanged } from './surfaces/policy/rules/enforcement-changed.js';
export { default as enforcingRuleAdded } from './surfaces/policy/rules/enforcing-rule-added.js';
export { default as policyException } from './surfaces/policy/rules/policy-exception.js';
export { default as regoChanged } from './surfaces/policy/rules/rego-changed.js';
export { default as ruleRemoved } from './surfaces/policy/rules/rule-removed.js';
export { default as backendChanged } from './surfaces/terraform/rules/backend-changed.js';
export { default as moduleVersionChanged } from './surfaces/terraform/rules/module-version-changed.js';
export { default as movedBlockMissing } from './surfaces/terraform/rules/moved-block-missing.js';
export { default as planDrift } from './surfaces/terraform/rules/plan-drift.js';
export { default as planIamChanged } from './surfaces/terraform/rules/plan-iam-changed.js';
export { default as planIncomplete } from './surfaces/terraform/rules/plan-incomplete.js';
export { default as planNetworkChanged } from './surfaces/terraform/rules/plan-network-changed.js';
export { default as planResourceDestroyed } from './surfaces/terraform/rules/plan-resource-destroyed.js';
export { default as resourceRemoved } from './surfaces/terraform/rules/resource-removed.js';
export { default as stateFileCommitted } from './surfaces/terraform/rules/state-file-committed.js';
export { default as stateOperation } from './surfaces/terraform/rules/state-operation.js';
