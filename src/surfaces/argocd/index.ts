import { kubeSurface } from '../../kube/surface.js';
import { argoContext } from './context.js';
import { ARGO_GROUP, ARGO_KINDS, isArgo } from './model.js';
import { argocdRules } from './rules/index.js';

export const argocd = kubeSurface({
  id: 'argocd',
  name: 'Argo CD',
  summary:
    'Argo CD Application, ApplicationSet and AppProject: automated sync with self-heal and prune, mutable target revisions, source changes, sync windows, cascading deletes.',
  kinds: ARGO_KINDS.map((k) => `${ARGO_GROUP}/${k}`),
  rules: argocdRules,
  mentions: ARGO_GROUP,
  select: isArgo,
  changedOnly: true,
  context: argoContext,
});
