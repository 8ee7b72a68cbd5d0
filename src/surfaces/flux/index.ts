import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { objectsContext } from '../../kube/objects.js';
import { FLUX_KINDS, isFlux } from './model.js';
import { fluxRules } from './rules/index.js';

export const flux: Surface = {
  id: 'flux',
  name: 'Flux',
  summary:
    'Flux sources, Kustomizations and HelmReleases: suspend committed, prune and force, Helm remediation and drift detection, source pinning, API version bumps.',
  claims: claimsManifest,
  kinds: Object.entries(FLUX_KINDS).flatMap(([g, ks]) => ks.map((k) => `${g}/${k}`)),
  rules: fluxRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    if (!ctx.files.some((f) => `${f.oldText ?? ''}${f.newText ?? ''}`.includes('toolkit.fluxcd.io'))) return;
    const octx = await objectsContext(ctx, isFlux, { changedOnly: true });
    if (octx.changes.length) await ctx.run(fluxRules, octx);
  },
};
