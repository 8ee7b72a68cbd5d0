import type { Finding } from '../../core/finding.js';
import { dataOf, isFindingOf } from '../../core/rule.js';
import {
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
} from '../../registry.js';

/**
 * What the decision reads of a finding beyond its meaning: which rule it is, and its data, typed as
 * the rule reports it (`dataOf`). Every such read goes through this module, so the rules it names are
 * the rules the decision relies on (`RELIED_ON`, each with its decision meaning: a test checks it).
 */

export {
  backendChanged,
  configMapDataChanged,
  contractStatement,
  controllerUpgraded,
  danglingReference,
  imageChanged,
  moduleVersionChanged,
  movedBlockMissing,
  planDrift,
  planIncomplete,
  planNetworkChanged,
  stateFileCommitted,
  stateOperation,
};
export { dataOf, isFindingOf };

/** The rules the decision names: by their findings' data, or by which rule a finding is. */
export const RELIED_ON = [
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
] as const;

/** The Terraform address a finding names (IAM, network, drift, module, destroyed and moved resources). */
export function addressOf(f: Finding): string | undefined {
  return (
    dataOf(f, planIamChanged) ??
    dataOf(f, planNetworkChanged) ??
    dataOf(f, planDrift) ??
    dataOf(f, moduleVersionChanged) ??
    dataOf(f, planResourceDestroyed) ??
    dataOf(f, resourceRemoved) ??
    dataOf(f, movedBlockMissing)
  )?.address;
}

/** The image a `kubernetes/image-changed` finding says the change replaced. */
export function previousImageOf(f: Finding): string | undefined {
  return dataOf(f, imageChanged)?.from;
}

/**
 * A versioned artifact other than an image that the change replaced, and its previous version: a
 * chart, a module call, a controller.
 */
export function replacedArtifactOf(f: Finding): { what: string; from: string } | undefined {
  const chart = dataOf(f, chartVersionChanged);
  if (chart?.from !== undefined) return { what: chart.what, from: chart.from };
  const module = dataOf(f, moduleVersionChanged);
  if (module?.from !== undefined) return { what: module.address, from: module.from };
  const controller = dataOf(f, controllerUpgraded);
  if (controller?.from !== undefined) return { what: controller.what, from: controller.from };
  return undefined;
}

/** The workload (`Deployment shop/web`) that reads a ConfigMap or Secret a finding is about. */
export function workloadOf(f: Finding): string | undefined {
  return (dataOf(f, danglingReference) ?? dataOf(f, configMapDataChanged))?.workload;
}

/** The controller (`Argo CD`, `Flux`, `cert-manager`) a `controllers/controller-upgraded` finding upgrades. */
export function upgradedControllerOf(f: Finding): string | undefined {
  return dataOf(f, controllerUpgraded)?.controller;
}

/** What a policy finding names: the policy rule, the exception object, or where the Rego rule lives. */
export function policyUnitOf(f: Finding): string | undefined {
  return (
    (dataOf(f, enforcementChanged) ?? dataOf(f, enforcingRuleAdded) ?? dataOf(f, ruleRemoved))?.unit ??
    dataOf(f, policyException)?.object ??
    dataOf(f, regoChanged)?.where
  );
}

/** The CRD a crd finding is about: its name (`certificates.cert-manager.io`) or its kind. */
export function crdOf(f: Finding): string | undefined {
  return (
    (
      dataOf(f, servedVersionRemoved) ??
      dataOf(f, storageVersionChanged) ??
      dataOf(f, versionAdded) ??
      dataOf(f, schemaTightened)
    )?.crd ?? (dataOf(f, crdDeleted) ?? dataOf(f, crdWithoutVersions))?.name
  );
}

/** What a database finding destroys: a table, or a column (`table.column`). */
export function destroyedTargetOf(f: Finding): string | undefined {
  return (dataOf(f, contractStatement) ?? dataOf(f, columnTypeChanged))?.target ?? dataOf(f, dataMutation)?.table;
}

/** The flag a flags finding names, the definition it comes from, and its off variant. */
export function flagOf(f: Finding): { flag: string; source: string; offVariant?: string } | undefined {
  return dataOf(f, defaultChanged) ?? dataOf(f, flagReferenced) ?? dataOf(f, flagRemoved);
}
