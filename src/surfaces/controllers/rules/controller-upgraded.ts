import { defineRule } from '../../../core/rule.js';
import { at, describeObject } from '../../../kube/model.js';
import type { ControllersContext } from '../context.js';
import { semverDistance, stepLabel } from '../../helm/model.js';
import { breakingMinorsOf } from '../model.js';
import { upgrades } from '../upgrades.js';

/** A finding's data: the controller (`Argo CD`, `cert-manager`), what moved and how far, and the CRDs the change also touches. */
export type ControllerUpgradedData = {
  controller: string;
  what: string;
  from: string;
  to: string;
  level: string;
  crds: string;
  /** `sourceMoved`: the source it leaves, and whether the move goes down. */
  moved?: string;
  direction?: string;
};

export default defineRule<
  ControllersContext,
  'upgraded' | 'withCrds' | 'downgraded' | 'sourceMoved',
  ControllerUpgradedData
>({
  id: 'controller-upgraded',
  surface: 'controllers',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-controller-upgrade', effects: ['artifact'] },
  severity: 'warning',
  docs: {
    summary:
      'A known controller (Argo CD, Flux, External Secrets, cert-manager, ingress-nginx, Kyverno, Gatekeeper, Crossplane, Karpenter, a CSI driver) changes version: by image, chart, package, a Flux OCIRepository/GitRepository ref, or the ref in an install-manifest URL.',
    rationale:
      "A controller upgrade changes how every object of its kinds is reconciled. Rolling it back is possible while the old version still understands what the new one wrote: stored versions of its CRDs, status fields, annotations, webhook configurations. With CRD changes in the same change the rollback meets the new CRDs (a downgraded controller against newer schemas or a new storage version): the CRDs need a repair of their own. A downgrade is that situation already. The version is not always an image: a Flux OCIRepository of the controller's install manifests (`oci://ghcr.io/kyverno/manifests/kyverno`, `oci://ghcr.io/fluxcd/flux-manifests`) or a GitRepository of its repository is applied whole by a Kustomization, and a kustomization resource `https://github.com/<owner>/<repo>/releases/download/<tag>/install.yaml` (or a raw file at a tag) is the release's full install manifest: moving its tag or ref upgrades controller, webhooks and CRDs together. A controller whose only source changes kind in the change (a remote install manifest of a kustomization replaced by a Flux GitRepository at a tag and its own Kustomization, an OCIRepository, or the reverse) is compared across the two sources (`sourceMoved`): its objects change applier, and Flux's garbage collection deletes the objects a pruning Kustomization no longer builds (CRDs included, and with a CRD every custom resource of its kind) unless they carry `kustomize.toolkit.fluxcd.io/prune: disabled`, before the new Kustomization has fetched its source and applied them. A Flux source replaced by another kind of source under the same namespace and name (a GitRepository become an OCIRepository) keeps its Kustomizations, which apply the new set before they prune: that is an upgrade like any other, not a move. Such a bundle's CRDs are not in this repository, so a minor, major or pre-release jump of a bundle is read as carrying CRD changes (Kyverno: new versions change supporting resources including CRDs, and downgrades are not supported), and a patch bump as the controller alone.",
    fix: "Upgrade CRDs first in their own change, read the controller's upgrade notes for one-way migrations, upgrade one cluster first, and keep the previous version's images and charts available.",
    references: [
      'https://fluxcd.io/flux/installation/upgrade/',
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#prune (garbage collection of what a build no longer holds; kustomize.toolkit.fluxcd.io/prune: disabled)',
      'https://semver.org/#spec-item-11 (pre-release precedence: 1.6.0-rc3 < 1.6.0-rc4 < 1.6.0)',
      'https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/overview/',
      'https://cert-manager.io/docs/releases/upgrading/',
      'https://kyverno.io/docs/installation/upgrading/',
      'https://fluxcd.io/flux/components/source/ocirepositories/#reference',
      'https://fluxcd.io/flux/cheatsheets/oci-artifacts/',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/',
    ],
  },
  messages: {
    upgraded:
      '{{controller}} {{what}} moves {{from}} → {{to}}{{level}}: rolling back works while the old version still understands what the new one wrote',
    withCrds: {
      text: '{{controller}} {{what}} moves {{from}} → {{to}} together with CRD changes ({{crds}}): a rollback of the controller meets the new CRDs and needs them repaired',
      class: 'reversible-with-manual-repair',
      decision: { effects: ['artifact', 'crd-incompatible'] },
    },
    downgraded: {
      text: '{{controller}} {{what}} moves back {{from}} → {{to}}: the older controller runs against CRDs and state the newer one may have written',
      class: 'reversible-with-manual-repair',
      decision: { effects: ['crd-incompatible'] },
    },
    sourceMoved: {
      text: '{{controller}} moves from {{moved}} at {{from}} to {{what}} at {{to}}{{direction}}; its objects change applier: a Flux Kustomization with prune: true that applied the old source deletes what it no longer builds, CRDs included (and with them every custom resource of their kinds), before the new source is fetched and applied, unless they carry kustomize.toolkit.fluxcd.io/prune: disabled',
      class: 'reversible-with-manual-repair',
      decision: { effects: ['crd-incompatible'] },
    },
  },
  check({ changes, urlUpgrades, report }) {
    const crds = changes
      .filter((c) => c.group === 'apiextensions.k8s.io' && c.kind === 'CustomResourceDefinition' && c.bodyChanged)
      .map((c) => (c.after ?? c.before)!.name);
    for (const u of upgrades(changes)) {
      const d = semverDistance(u.from, u.version, breakingMinorsOf(u.controller));
      const data = {
        controller: u.controller,
        what: `${u.what} (${describeObject(u.object)})`,
        from: u.from,
        to: u.version,
        level: d.level === 'other' ? '' : ` (${stepLabel(d)})`,
        crds: crds.slice(0, 5).join(', '),
      };
      const bundled = u.bundle && d.level !== 'patch';
      const id = d.down ? 'downgraded' : crds.length || bundled ? 'withCrds' : 'upgraded';
      if (!crds.length && bundled) data.crds = `the CRDs bundled in ${u.what.split(' (')[0]}`;
      report(id, data, at(u.object, u.path), { object: u.change.id });
    }
    for (const u of urlUpgrades) {
      const d = semverDistance(u.from, u.to, breakingMinorsOf(u.controller));
      const data = {
        controller: u.controller,
        what: u.what,
        from: u.from,
        to: u.to,
        level: d.level === 'other' ? '' : ` (${stepLabel(d)})`,
        crds: crds.length ? crds.slice(0, 5).join(', ') : 'the CRDs of its install manifests',
      };
      if (u.moved) {
        const direction = d.down
          ? ' (a downgrade: the older controller runs against CRDs and state the newer one may have written)'
          : u.from === u.to
            ? ''
            : ` (${d.level === 'other' ? 'another version' : `a ${d.level} upgrade`})`;
        report('sourceMoved', { ...data, moved: u.moved, direction }, { file: u.file, line: u.line });
        continue;
      }
      const id = d.down ? 'downgraded' : crds.length || d.level !== 'patch' ? 'withCrds' : 'upgraded';
      report(id, data, { file: u.file, line: u.line });
    }
  },
});
