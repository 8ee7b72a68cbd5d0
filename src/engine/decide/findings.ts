import type { Finding } from '../../core/finding.js';
import { dataOf, isFindingOf } from '../../core/rule.js';
import { decisionRules as rules } from '../../registry.js';

/**
 * What the decision reads of a finding beyond its meaning: which rule it is, and its data, typed as
 * the rule reports it (`dataOf`), against the handles the registry gives the decision
 * (`decisionRules`). Those are the rules the decision relies on (`RELIED_ON`): a test checks that each
 * is registered and declares its decision meaning.
 */

export { dataOf, isFindingOf, rules };

/** The rules the decision names: by their findings' data, or by which rule a finding is. */
export const RELIED_ON = Object.values(rules);

/** The Terraform address a finding names (IAM, network, drift, module, destroyed and moved resources). */
export function addressOf(f: Finding): string | undefined {
  return (
    dataOf(f, rules.planIamChanged) ??
    dataOf(f, rules.planNetworkChanged) ??
    dataOf(f, rules.planDrift) ??
    dataOf(f, rules.moduleVersionChanged) ??
    dataOf(f, rules.planResourceDestroyed) ??
    dataOf(f, rules.resourceRemoved) ??
    dataOf(f, rules.movedBlockMissing)
  )?.address;
}

/** The image a `kubernetes/image-changed` finding says the change replaced. */
export function previousImageOf(f: Finding): string | undefined {
  return dataOf(f, rules.imageChanged)?.from;
}

/**
 * A versioned artifact other than an image that the change replaced, and its previous version: a
 * chart, a module call, a controller.
 */
export function replacedArtifactOf(f: Finding): { what: string; from: string } | undefined {
  const chart = dataOf(f, rules.chartVersionChanged);
  if (chart?.from !== undefined) return { what: chart.what, from: chart.from };
  const module = dataOf(f, rules.moduleVersionChanged);
  if (module?.from !== undefined) return { what: module.address, from: module.from };
  const controller = dataOf(f, rules.controllerUpgraded);
  if (controller?.from !== undefined) return { what: controller.what, from: controller.from };
  return undefined;
}

/** The workload (`Deployment shop/web`) that reads a ConfigMap or Secret a finding is about. */
export function workloadOf(f: Finding): string | undefined {
  return (dataOf(f, rules.danglingReference) ?? dataOf(f, rules.configMapDataChanged))?.workload;
}

/** The controller (`Argo CD`, `Flux`, `cert-manager`) a `controllers/controller-upgraded` finding upgrades. */
export function upgradedControllerOf(f: Finding): string | undefined {
  return dataOf(f, rules.controllerUpgraded)?.controller;
}

/** What a policy finding names: the policy rule, the exception object, or where the Rego rule lives. */
export function policyUnitOf(f: Finding): string | undefined {
  return (
    (dataOf(f, rules.enforcementChanged) ?? dataOf(f, rules.enforcingRuleAdded) ?? dataOf(f, rules.ruleRemoved))
      ?.unit ??
    dataOf(f, rules.policyException)?.object ??
    dataOf(f, rules.regoChanged)?.where
  );
}

/** The CRD a crd finding is about: its name (`certificates.cert-manager.io`) or its kind. */
export function crdOf(f: Finding): string | undefined {
  return (
    (
      dataOf(f, rules.servedVersionRemoved) ??
      dataOf(f, rules.storageVersionChanged) ??
      dataOf(f, rules.versionAdded) ??
      dataOf(f, rules.schemaTightened)
    )?.crd ?? (dataOf(f, rules.crdDeleted) ?? dataOf(f, rules.crdWithoutVersions))?.name
  );
}

/** What a database finding destroys: a table, or a column (`table.column`). */
export function destroyedTargetOf(f: Finding): string | undefined {
  return (
    (dataOf(f, rules.contractStatement) ?? dataOf(f, rules.columnTypeChanged))?.target ??
    dataOf(f, rules.dataMutation)?.table
  );
}

/** The flag a flags finding names, the definition it comes from, and its off variant. */
export function flagOf(f: Finding): { flag: string; source: string; offVariant?: string } | undefined {
  return dataOf(f, rules.defaultChanged) ?? dataOf(f, rules.flagReferenced) ?? dataOf(f, rules.flagRemoved);
}
