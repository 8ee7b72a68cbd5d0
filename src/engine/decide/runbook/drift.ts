import type { Finding } from '../../../core/finding.js';
import { narrowestLoops } from '../loops.js';
import { cmd } from '../shell.js';
import type { DecisionInput, RunbookStep } from '../types.js';
import { describeLoop } from './loops.js';
import { step } from './step.js';
import { upgradedControllerOf } from '../findings.js';

/**
 * After a controller upgrade is undone: the drift the upgraded controller left while it was degraded,
 * checked with that controller's own tools (the controllers finding names it in `data.controller`),
 * once the loop that installs it runs the recovery's revision (its sync step comes before, with its
 * own Ready/Healthy check). The loops that reconcile the changed files are not the upgraded controller:
 * an Argo CD installed by a Flux HelmRelease is checked with `argocd`, its installer with `flux`.
 */
export function driftSteps(input: DecisionInput, findings: readonly Finding[]): RunbookStep[] {
  const upgrades = findings.filter((f) => typeof upgradedControllerOf(f) === 'string');
  const upgraded = [...new Set(upgrades.map((f) => String(upgradedControllerOf(f))))].sort();
  const loops = narrowestLoops(input.repository.reconcilers);
  const out: RunbookStep[] = [];
  if (upgraded.length === 0) {
    // No controller was upgraded (a CRD change): what the stored objects need, then the loops that
    // apply the change, healthy after the fix. No controller was degraded, so no drift to reconcile.
    const crds = [
      ...new Set(
        findings
          .filter((f) => f.object?.startsWith('apiextensions.k8s.io/CustomResourceDefinition/'))
          .map((f) => f.object!.slice(f.object!.lastIndexOf('/') + 1)),
      ),
    ].sort();
    for (const name of crds)
      out.push(
        step(
          `Check the versions objects of ${name} are stored at: each one in status.storedVersions must stay served by the CRD the fix leaves in place`,
          `${cmd`kubectl get crd ${name}`} -o jsonpath='{.status.storedVersions}'`,
          'every stored version is served by the CRD at the fix; a version still listed cannot be removed until its objects are migrated',
        ),
      );
    const controllers = new Set(input.repository.reconcilers.map((r) => r.controller));
    if (controllers.has('argocd'))
      out.push(
        step(
          'Check the Argo CD Applications that apply the change are Synced and Healthy at the fix',
          'argocd app list -o wide',
          'no Application shows STATUS OutOfSync or HEALTH Degraded, Missing or Unknown',
        ),
      );
    if (controllers.has('flux'))
      out.push(
        step(
          'Check the Flux objects that apply the change are Ready at the fix',
          'flux get all --all-namespaces --status-selector ready=false',
          'every Kustomization and HelmRelease Ready at the current revision',
        ),
      );
    return out;
  }
  for (const c of upgraded) {
    // The loops that install it: those covering the files where its version changed.
    const files = new Set(upgrades.filter((f) => String(upgradedControllerOf(f)) === c).map((f) => f.file));
    const installers = loops.filter((l) => l.covers.some((f) => files.has(f))).map(describeLoop);
    const after =
      installers.length > 0 ? ` (after ${installers.join(', ')}, which installs it, runs the recovery's revision)` : '';
    out.push(...controllerDriftSteps(c, after));
  }
  return out;
}

/** The drift and health check of one upgraded controller, with its own CLI (`argocd app list` has no status filter: read the table). */
function controllerDriftSteps(controller: string, after: string): RunbookStep[] {
  switch (controller) {
    case 'Argo CD':
      return [
        step(
          `Reconcile the drift created while Argo CD was degraded${after}: list the Applications OutOfSync or Degraded, then diff and sync each (argocd app diff <app>, argocd app sync <app>)`,
          'argocd app list -o wide',
          'no Application shows STATUS OutOfSync or HEALTH Degraded, Missing or Unknown',
        ),
      ];
    case 'Flux':
      return [
        step(
          `Reconcile the drift created while Flux was degraded${after}: list the Flux objects not Ready and reconcile each with its source`,
          'flux get all --all-namespaces --status-selector ready=false',
          'every Kustomization and HelmRelease Ready at the current revision',
        ),
      ];
    case 'cert-manager':
      return [
        step(
          `Check the certificates cert-manager should have renewed or issued while it was degraded${after}`,
          'kubectl get certificates --all-namespaces',
          'every Certificate READY True',
        ),
      ];
    case 'External Secrets':
      return [
        step(
          `Check the ExternalSecrets that should have refreshed while External Secrets was degraded${after}`,
          'kubectl get externalsecrets --all-namespaces',
          'every ExternalSecret READY True (SecretSynced)',
        ),
      ];
    case 'Crossplane':
      return [
        step(
          `Check the managed resources Crossplane reconciles for drift left while it was degraded${after}`,
          'kubectl get managed',
          'every managed resource SYNCED True and READY True',
        ),
      ];
    default:
      return [
        step(
          `Check the objects ${controller} reconciles for failures left while it was degraded${after}: their status conditions and events`,
          null,
          `no object of ${controller} reports a failed or stale condition`,
        ),
      ];
  }
}
