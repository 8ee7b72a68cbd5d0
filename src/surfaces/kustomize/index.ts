import type { Surface } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { assessOverlays } from './context.js';
import { isKustomizationPath } from './model.js';
import { kustomizeRules } from './rules/index.js';

export const kustomize: Surface = {
  id: 'kustomize',
  name: 'Kustomize',
  summary:
    'Kustomize overlays: both revisions rendered with `kubectl kustomize` and the rendered objects assessed with the Kubernetes rules; renames by namePrefix/nameSuffix, selector labels, unpinned remote bases, images moved to or from digests.',
  // Files that feed kustomize: kustomizations, YAML resources and patches, generator sources.
  claims: (p) => isKustomizationPath(p) || claimsManifest(p) || /\.(env|properties)$/i.test(p),
  rules: kustomizeRules,
  assess: (ctx) => assessOverlays(ctx),
};
