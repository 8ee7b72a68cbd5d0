import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { objectsContext } from '../../kube/objects.js';
import { ARGO_GROUP, ARGO_KINDS, isArgo } from './model.js';
import { argocdRules } from './rules/index.js';

export const argocd: Surface = {
  id: 'argocd',
  name: 'Argo CD',
  summary:
    'Argo CD Application, ApplicationSet and AppProject: automated sync with self-heal and prune, mutable target revisions, source changes, sync windows, cascading deletes.',
  claims: claimsManifest,
  kinds: ARGO_KINDS.map((k) => `${ARGO_GROUP}/${k}`),
  rules: argocdRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    if (!ctx.files.some((f) => `${f.oldText ?? ''}${f.newText ?? ''}`.includes(ARGO_GROUP))) return;
    const octx = await objectsContext(ctx, isArgo, { changedOnly: true });
    if (octx.changes.length) await ctx.run(argocdRules, octx);
  },
};
