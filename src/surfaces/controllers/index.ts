import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { podSpecPath } from '../../kube/model.js';
import { objectsContext } from '../../kube/objects.js';
import { MENTIONS_KNOWN_CONTROLLER } from './model.js';
import { controllersRules } from './rules/index.js';

export const controllers: Surface = {
  id: 'controllers',
  name: 'Controllers',
  summary:
    'Upgrades of known controllers (Argo CD, Flux, External Secrets, cert-manager, ingress-nginx, Kyverno, Gatekeeper, Crossplane and its providers, CSI drivers) by image, chart or package, with or without CRD changes, and the same upgrade sent to every cluster at once.',
  claims: claimsManifest,
  kinds: ['pkg.crossplane.io/Provider'],
  rules: controllersRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    // Cost follows the change: only files that mention a known controller (an image, a chart or its
    // repository, from the table in model.ts) are parsed in full.
    const files = ctx.files.filter((f) => MENTIONS_KNOWN_CONTROLLER.test(`${f.oldText ?? ''}${f.newText ?? ''}`));
    if (!files.length) return;
    const octx = await objectsContext(
      { ...ctx, files },
      (o) =>
        podSpecPath(o) !== undefined ||
        (o.group === 'helm.toolkit.fluxcd.io' && o.kind === 'HelmRelease') ||
        (o.group === 'argoproj.io' && o.kind === 'Application') ||
        (o.group === 'pkg.crossplane.io' && o.kind === 'Provider') ||
        (o.group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition'),
      { changedOnly: true },
    );
    if (octx.changes.length) await ctx.run(controllersRules, octx);
  },
};
