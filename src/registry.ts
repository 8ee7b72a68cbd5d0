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
import controllerUpgraded from './surfaces/controllers/rules/controller-upgraded.js';
import crdDeleted from './surfaces/crd/rules/crd-deleted.js';
import crdWithoutVersions from './surfaces/crd/rules/crd-without-versions.js';
import schemaTightened from './surfaces/crd/rules/schema-tightened.js';
import servedVersionRemoved from './surfaces/crd/rules/served-version-removed.js';
import storageVersionChanged from './surfaces/crd/rules/storage-version-changed.js';
import versionAdded from './surfaces/crd/rules/version-added.js';
import columnTypeChanged from './surfaces/database/rules/column-type-changed.js';
import contractStatement from './surfaces/database/rules/contract-statement.js';
import dataMutation from './surfaces/database/rules/data-mutation.js';
import defaultChanged from './surfaces/flags/rules/default-changed.js';
import flagReferenced from './surfaces/flags/rules/flag-referenced.js';
import flagRemoved from './surfaces/flags/rules/flag-removed.js';
import chartVersionChanged from './surfaces/helm/rules/chart-version-changed.js';
import configMapDataChanged from './surfaces/kubernetes/rules/configmap-data-changed.js';
import danglingReference from './surfaces/kubernetes/rules/dangling-reference.js';
import imageChanged from './surfaces/kubernetes/rules/image-changed.js';
import enforcementChanged from './surfaces/policy/rules/enforcement-changed.js';
import enforcingRuleAdded from './surfaces/policy/rules/enforcing-rule-added.js';
import policyException from './surfaces/policy/rules/policy-exception.js';
import regoChanged from './surfaces/policy/rules/rego-changed.js';
import ruleRemoved from './surfaces/policy/rules/rule-removed.js';
import backendChanged from './surfaces/terraform/rules/backend-changed.js';
import moduleVersionChanged from './surfaces/terraform/rules/module-version-changed.js';
import movedBlockMissing from './surfaces/terraform/rules/moved-block-missing.js';
import planDrift from './surfaces/terraform/rules/plan-drift.js';
import planIamChanged from './surfaces/terraform/rules/plan-iam-changed.js';
import planIncomplete from './surfaces/terraform/rules/plan-incomplete.js';
import planNetworkChanged from './surfaces/terraform/rules/plan-network-changed.js';
import planResourceDestroyed from './surfaces/terraform/rules/plan-resource-destroyed.js';
import resourceRemoved from './surfaces/terraform/rules/resource-removed.js';
import stateFileCommitted from './surfaces/terraform/rules/state-file-committed.js';
import stateOperation from './surfaces/terraform/rules/state-operation.js';

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

/**
 * Typed handles of the rules whose findings the incident decision reads by name: which rule a finding
 * is (`isFindingOf`), and its data as the rule reports it (`dataOf`). A rule renamed, moved or given a
 * new data shape breaks the decision's build, not its output.
 */
export const decisionRules = {
  backendChanged,
  chartVersionChanged,
  columnTypeChanged,
  configMapDataChanged,
  contractStatement,
  controllerUpgraded,
  crdDeleted,
  crdWithoutVersions,
  danglingReference,
  dataMutation,
  defaultChanged,
  enforcementChanged,
  enforcingRuleAdded,
  flagReferenced,
  flagRemoved,
  imageChanged,
  moduleVersionChanged,
  movedBlockMissing,
  planDrift,
  planIamChanged,
  planIncomplete,
  planNetworkChanged,
  planResourceDestroyed,
  policyException,
  regoChanged,
  resourceRemoved,
  ruleRemoved,
  schemaTightened,
  servedVersionRemoved,
  stateFileCommitted,
  stateOperation,
  storageVersionChanged,
  versionAdded,
};
