import type { Surface } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { assessManifests } from './context.js';
import { kubernetesRules } from './rules/index.js';
import invalidManifest from './rules/invalid-manifest.js';

export const kubernetes: Surface = {
  id: 'kubernetes',
  name: 'Kubernetes manifests',
  summary: 'Plain Kubernetes objects in YAML: immutable fields, deletions of state, images, API versions, references.',
  claims: claimsManifest,
  rules: [invalidManifest, ...kubernetesRules],
  assess: (ctx) => assessManifests(ctx),
};
