import { defineRule } from '../../../core/rule.js';
import { environmentsOfPath } from '../../../core/config.js';
import type { ControllersContext } from '../context.js';
import { controllerVersions } from '../model.js';

export type SharedBaseUpgradeData = {
  controller: string;
  what: string;
  version: string;
  count: number;
  environments: string;
};

/** A field of an overlay that can set a version: kustomize images, patches of a chart or image, Argo CD revisions. */
const VERSION_FIELD = /\b(newTag|digest|version|tag|image|targetRevision|semver)\s*:/;

/**
 * A known controller's version written in a file that belongs to no environment and that several
 * environments build (kustomize bases, components, Flux Kustomization paths), with no environment's own
 * overlay setting the version: an upgrade of that file reaches every one of them in the same change.
 */
export default defineRule<ControllersContext, 'shared', SharedBaseUpgradeData>({
  id: 'shared-base-upgrade',
  surface: 'controllers',
  class: 'fully-reversible',
  severity: 'warning',
  smell: true,
  // A property of the repository's layout, not of one change: a change that bumps the version in a base
  // that was already shared introduces nothing this rule says (`assess` reports the upgrade itself).
  treeOnly: true,
  docs: {
    summary:
      "A controller's version (Argo CD, Flux, cert-manager, Kyverno, an ingress controller...) is set in a base that several environments build, and no environment's overlay pins its own: every upgrade reaches all of them at once.",
    rationale:
      "A controller upgrade is rolled back by the controllers themselves (Argo CD or Flux re-apply the previous version) or by hand when they are the broken part, and CRD changes it brings may not roll back at all. The safe path is a ring: one environment (or cluster) takes the new version first and the others follow once it is healthy, so the others stay on a known-good version to roll back to. When the version is written once in a shared base (a kustomization's resources or components, or the directory a Flux Kustomization's `spec.path` points at, which kustomize-controller builds whole when it holds no kustomization.yaml) and every environment's overlay includes it unchanged, there is no ring: the change that bumps it is applied everywhere at the next reconciliation. Environments are those of the config (`environments`, by path); the build graph is followed from each environment's own kustomizations and Flux Kustomizations (Flux paths read relative to the repository root), and an overlay of an environment that names the controller's object, image or chart next to a version field (`newTag`, `version`, `targetRevision`, a patch) counts as a pin, so the file is not reported. A repository with one environment, or a base only one environment builds, gets nothing. `controllers/no-canary` reports the other form: the same upgrade written into every environment's files in one change.",
    fix: "Pin the version per ring: keep the base without a version (or at the oldest ring), and set it in each environment's overlay (kustomize `images:` or a patch of the HelmRelease chart version), upgrading the canary environment first and the others in a later change.",
    references: [
      'https://fluxcd.io/flux/installation/upgrade/',
      'https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/overview/',
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#path',
      'https://github.com/fluxcd/kustomize-controller#features',
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/',
    ],
  },
  messages: {
    shared:
      '{{controller}} {{what}} {{version}} is set in a base that {{count}} environments build ({{environments}}) and none pins its own version: the next upgrade reaches all of them at once, with no environment left on the previous version to roll back from',
  },
  async check({ changes, reach, config, report }) {
    const candidates = changes.flatMap((c) => {
      if (!c.after || environmentsOfPath(config, c.after.file).length > 0) return [];
      const before = c.before ? controllerVersions(c.before) : [];
      return controllerVersions(c.after)
        .filter(
          (v) => !before.some((b) => b.controller === v.controller && b.what === v.what && b.version === v.version),
        )
        .map((v) => ({ c, v, o: c.after! }));
    });
    if (!candidates.length) return;
    const reached = await reach([...new Set(candidates.map((x) => x.o.file))]);
    for (const { v, o, c } of candidates) {
      const r = reached.get(o.file);
      if (!r || r.environments.length < 2) continue;
      const keys = [
        o.name,
        v.what
          .replace(/^(image|chart|OCI artifact|Git repository) /, '')
          .split('/')
          .pop()!,
      ].filter(Boolean);
      const pinned = [...r.overlays.values()].some((texts) =>
        texts.some((t) => keys.some((k) => t.includes(k)) && VERSION_FIELD.test(t)),
      );
      if (pinned) continue;
      report(
        'shared',
        {
          controller: v.controller,
          what: v.what,
          version: v.version,
          count: r.environments.length,
          environments: [...r.environments].sort().join(', '),
        },
        { file: o.file, line: o.yaml.locate(o.doc, v.path) },
        { object: c.id },
      );
    }
  },
});
