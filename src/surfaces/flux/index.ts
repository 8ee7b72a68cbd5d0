import { kubeSurface } from '../../kube/surface.js';
import { fluxContext } from './context.js';
import { FLUX_KINDS, isFlux } from './model.js';
import { fluxRules } from './rules/index.js';

export const flux = kubeSurface({
  id: 'flux',
  name: 'Flux',
  summary:
    'Flux sources, Kustomizations and HelmReleases: pruning Kustomizations deleted or renamed, suspend committed, prune and force, Helm remediation and drift detection, source pinning, API version bumps.',
  kinds: Object.entries(FLUX_KINDS).flatMap(([g, ks]) => ks.map((k) => `${g}/${k}`)),
  rules: fluxRules,
  mentions: 'toolkit.fluxcd.io',
  select: isFlux,
  changedOnly: true,
  context: fluxContext,
});
