import { kubeSurface } from '../../kube/surface.js';
import { controllersContext } from './context.js';
import { MENTIONS_KNOWN_CONTROLLER, isControllerCarrier } from './model.js';
import { controllersRules } from './rules/index.js';

export const controllers = kubeSurface({
  id: 'controllers',
  name: 'Controllers',
  summary:
    'Upgrades of known controllers (Argo CD, Flux, External Secrets, cert-manager, ingress-nginx, Kyverno, Gatekeeper, Crossplane and its providers, CSI drivers) by image, chart, package, OCI artifact, Flux source tag or install-manifest URL, with or without CRD changes, and the same upgrade sent to every cluster at once.',
  kinds: ['pkg.crossplane.io/Provider'],
  rules: controllersRules,
  // Cost follows the change: only files that mention a known controller (an image, a chart or its
  // repository, from the table in model.ts) are parsed in full.
  mentions: MENTIONS_KNOWN_CONTROLLER,
  read: 'mentioning',
  select: isControllerCarrier,
  changedOnly: true,
  context: controllersContext,
});
