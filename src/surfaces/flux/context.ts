import type { SurfaceContext } from '../../core/surface.js';
import { managedContent, type ManagedContent } from '../../kube/managed.js';
import { get, isObject, type KubeObject } from '../../kube/model.js';
import type { ObjectsContext } from '../../kube/objects.js';
import { kustomizationPath, prunes, readsThisRepository } from './model.js';
import { assessSubstitutions } from './substitution.js';

/** The Flux rules' context: the objects, and what each pruning Kustomization that leaves Git applied. */
export interface FluxContext extends ObjectsContext {
  /** By change id: what a removed Kustomization with `prune: true` applied at the base. */
  inventory: Map<string, ManagedContent>;
  /**
   * Changed files a kustomization in their folder lists as a patch (`patches[].path`,
   * `patchesStrategicMerge`, `patchesJson6902[].path`): applied to their target when kustomize builds,
   * never objects of their own (a HelmRelease patch names no chart).
   */
  patchFiles: ReadonlySet<string>;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The changed files that a kustomization of their own folder lists as patches, at either side. */
async function patchFilesOf(ctx: SurfaceContext, candidates: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (!candidates.length) return out;
  const { parseYaml } = await import('../../core/yaml.js');
  const { posix } = await import('node:path');
  for (const file of new Set(candidates)) {
    const dir = posix.dirname(file);
    for (const side of ['head', 'base'] as const) {
      for (const k of KUSTOMIZATION_FILES) {
        const text = await ctx.repo.readText(side, dir === '.' ? k : `${dir}/${k}`);
        if (text === undefined) continue;
        const v = parseYaml(text).docs[0]?.value;
        if (!isObject(v)) continue;
        const entries = [
          ...(Array.isArray(v.patches) ? v.patches : []).map((p) => (isObject(p) ? p.path : undefined)),
          ...(Array.isArray(v.patchesStrategicMerge) ? v.patchesStrategicMerge : []),
          ...(Array.isArray(v.patchesJson6902) ? v.patchesJson6902 : []).map((p) => (isObject(p) ? p.path : undefined)),
        ];
        if (entries.some((e) => typeof e === 'string' && posix.join(dir, e) === file)) out.add(file);
      }
    }
  }
  return out;
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

export async function fluxContext(
  ctx: SurfaceContext,
  objects: ObjectsContext | undefined,
): Promise<FluxContext | undefined> {
  if (!objects || !objects.changes.length) return undefined;
  await assessSubstitutions(ctx, objects.changes);
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
  const patchFiles = await patchFilesOf(
    ctx,
    objects.changes.flatMap((c) =>
      c.kind === 'HelmRelease' &&
      c.after &&
      !get(c.after.body, ['spec', 'chart']) &&
      !get(c.after.body, ['spec', 'chartRef'])
        ? [c.after.file]
        : [],
    ),
  );
  return { ...objects, inventory, patchFiles };
}
