import type { ChangedFile } from '../../core/change.js';
import type { SurfaceContext } from '../../core/surface.js';
import { isKustomizationPath, type KustomizationChange, type KustomizationSide } from './model.js';
import { assessRendered } from './rendered.js';
import { staticRules } from './rules/index.js';

/**
 * Runs the static rules on the kustomizations the change touches, then renders the overlays the
 * change affects at both revisions (`kubectl kustomize`) and assesses the output as manifests.
 */
export async function assessOverlays(ctx: SurfaceContext): Promise<void> {
  const kustomizations = await parseKustomizations(ctx);
  if (kustomizations.length) await ctx.run(staticRules, { kustomizations });
  await assessRendered(ctx);
}

/** The kustomization files of the change, both sides parsed. */
async function parseKustomizations(ctx: SurfaceContext): Promise<KustomizationChange[]> {
  const files = ctx.files.filter(
    (f) => isKustomizationPath(f.path) || (f.oldPath !== undefined && isKustomizationPath(f.oldPath)),
  );
  if (!files.length) return [];
  const { parseYaml } = await import('../../core/yaml.js');
  const side = (path: string, text: string | undefined): KustomizationSide | undefined => {
    if (text === undefined) return undefined;
    const yaml = parseYaml(text);
    const doc = yaml.docs[0];
    const value = doc?.value;
    if (!doc || doc.error || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return { path, value: value as KustomizationSide['value'], doc, yaml };
  };
  return files.map((f: ChangedFile) => {
    const before = side(f.oldPath ?? f.path, f.oldText);
    const after = side(f.path, f.newText);
    return { path: f.path, ...(before ? { before } : {}), ...(after ? { after } : {}) };
  });
}
