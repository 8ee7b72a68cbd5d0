import { ruleSettings } from '../../core/config.js';
import type { SurfaceContext } from '../../core/surface.js';
import { forEachKubeContext } from '../../kube/batches.js';
import type { KubeContext, ObjectChange } from '../../kube/model.js';
import imageChanged from './rules/image-changed.js';
import mutableImageTag from './rules/mutable-image-tag.js';
import { kubernetesRules } from './rules/index.js';
import invalidManifest from './rules/invalid-manifest.js';

/**
 * Assesses the claimed files as Kubernetes manifests: builds the shared object context (what does
 * not parse reported by invalid-manifest) and runs the kubernetes rules on it, batch by batch in a
 * change of thousands of files (forEachKubeContext: memory follows the batch). The helm and kustomize
 * surfaces call it with their rendered output; `select` narrows the object changes the rules see.
 */
export async function assessManifests(
  ctx: SurfaceContext,
  select?: (changes: ObjectChange[]) => ObjectChange[],
): Promise<void> {
  await forEachKubeContext(
    ctx,
    {
      problems: invalidManifest,
      // Only dangling-reference looks objects up across the repository: no search when it is off.
      prefetch: !ruleSettings(ctx.config, 'kubernetes/dangling-reference').off,
    },
    (kctx) => ctx.run(kubernetesRules, select ? { ...kctx, changes: select(kctx.changes) } : kctx),
  );
}

/**
 * Runs only the image rules (image-changed, mutable-image-tag) on objects that name images without
 * being manifests: the helm surface's stand-ins for a chart's values files when helm cannot render.
 */
export async function assessImages(ctx: SurfaceContext, kctx: KubeContext): Promise<void> {
  await ctx.run([imageChanged, mutableImageTag], kctx);
}
