import type { SurfaceContext } from '../../core/surface.js';
import { managedContent, type ManagedContent } from '../../kube/managed.js';
import { get, isObject, type KubeObject } from '../../kube/model.js';
import type { ObjectsContext } from '../../kube/objects.js';
import { kustomizationPath, prunes } from './model.js';

/** The Flux rules' context: the objects, and what each pruning Kustomization that leaves Git applied. */
export interface FluxContext extends ObjectsContext {
  /** By change id: what a removed Kustomization with `prune: true` applied at the base. */
  inventory: Map<string, ManagedContent>;
}

/** Whether a Flux Kustomization reads its manifests from this repository (a GitRepository; the path then is one of ours). */
function readsThisRepository(o: KubeObject): boolean {
  const ref = get(o.body, ['spec', 'sourceRef']);
  return !isObject(ref) || ref.kind === undefined || ref.kind === 'GitRepository';
}

/** Follows a Kustomization or an Argo CD Application found inside what a Kustomization applied. */
export function nestedGitOps(o: KubeObject): { path?: string; unread?: string } | undefined {
  if (o.kind === 'Kustomization' && o.group === 'kustomize.toolkit.fluxcd.io' && prunes(o))
    return readsThisRepository(o)
      ? { path: kustomizationPath(o) }
      : { unread: `Kustomization ${o.name} reads another source` };
  if (o.kind === 'HelmRelease' && o.group === 'helm.toolkit.fluxcd.io')
    return { unread: `HelmRelease ${o.name} is uninstalled with it (its chart is not rendered here)` };
  return undefined;
}

export async function fluxContext(ctx: SurfaceContext, objects: ObjectsContext | undefined): Promise<FluxContext | undefined> {
  if (!objects || !objects.changes.length) return undefined;
  const inventory = new Map<string, ManagedContent>();
  for (const c of objects.changes) {
    const o = c.before;
    if (c.status !== 'removed' || !o || o.kind !== 'Kustomization' || !prunes(o)) continue;
    if (!readsThisRepository(o)) {
      inventory.set(c.id, { objects: 0, stateful: [], unread: ['its source is not a Git repository read here'] });
      continue;
    }
    inventory.set(
      c.id,
      await managedContent(ctx.repo, 'base', kustomizationPath(o), {
        defaultNamespace: ctx.config.kubernetes.defaultNamespace,
        nested: nestedGitOps,
      }),
    );
  }
  return { ...objects, inventory };
}
