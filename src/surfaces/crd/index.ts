import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { objectsContext } from '../../kube/objects.js';
import { isCrd } from './model.js';
import { crdRules } from './rules/index.js';

export const crd: Surface = {
  id: 'crd',
  name: 'CustomResourceDefinitions',
  summary:
    'CustomResourceDefinitions compared version by version: served versions removed, storage version moved, schemas tightened, versions added, CRDs deleted.',
  claims: claimsManifest,
  rules: crdRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    if (!ctx.files.some((f) => `${f.oldText ?? ''}${f.newText ?? ''}`.includes('CustomResourceDefinition'))) return;
    const octx = await objectsContext(ctx, isCrd);
    if (octx.changes.length) await ctx.run(crdRules, octx);
  },
};
