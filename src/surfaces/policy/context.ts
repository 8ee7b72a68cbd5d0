import type { SurfaceContext } from '../../core/surface.js';
import { emptyObjectsContext, type ObjectsContext } from '../../kube/objects.js';

/** The policy objects of the change, and the Rego files with both texts. */
export interface RegoContext extends ObjectsContext {
  rego: Array<{ path: string; before?: string; after?: string }>;
}

/** Rego files: read as text, both sides. */
export const isRegoPath = (path: string): boolean => /\.rego$/i.test(path);

/**
 * The policy rules' context: the policy objects and the Rego files of the change; undefined when no
 * policy object changed and no Rego file is in the change.
 */
export async function regoContext(
  ctx: SurfaceContext,
  objects: ObjectsContext | undefined,
): Promise<RegoContext | undefined> {
  const rego: RegoContext['rego'] = ctx.files
    .filter((f) => isRegoPath(f.path))
    .map((f) => ({
      path: f.path,
      ...(f.oldText !== undefined ? { before: f.oldText } : {}),
      ...(f.newText !== undefined ? { after: f.newText } : {}),
    }));
  if (!objects?.changes.length && !rego.length) return undefined;
  return { ...(objects ?? emptyObjectsContext(ctx.config)), rego };
}
