import { ruleSettings } from '../../core/config.js';
import type { SurfaceContext } from '../../core/surface.js';
import { forEachKubeContext } from '../../kube/batches.js';
import type { ObjectChange } from '../../kube/model.js';
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
