import type { SurfaceContext } from '../../core/surface.js';
import { literalIdentity, managedContent, staticTemplate, type ManagedContent } from '../../kube/managed.js';
import { get, type KubeObject, type ObjectChange } from '../../kube/model.js';
import { parseSide, templated, type ObjectsContext } from '../../kube/objects.js';
import { isArgo, sourcesOf } from './model.js';

/** The Argo CD rules' context: the objects, the deletions seen through Helm templates, and what cascading deletes take. */
export interface ArgoContext extends ObjectsContext {
  /**
   * Argo CD objects that leave Git, Applications of an app-of-apps Helm chart included: templates whose
   * kind and name are literal are read without helm (expressions elsewhere read as placeholders), so a
   * renamed Application is the delete of its old name that it is.
   */
  deletions: ObjectChange[];
  /** The Argo CD objects added, read the same way (the other half of a rename). */
  additions: ObjectChange[];
  /** Files git reports renamed by the change (base path to head path): the other half of a rename lives there. */
  renamedFiles: ReadonlyMap<string, string>;
  /** By change id: what a deleted Application with the resources finalizer deployed from this repository at the base. */
  deployed: Map<string, ManagedContent>;
}

export const CASCADE_FINALIZER = /^resources-finalizer\.argocd\.argoproj\.io(\/(foreground|background))?$/;

/** The cascade finalizer of an Application, if it has one. */
export function cascadeFinalizer(o: Pick<KubeObject, 'body'>): string | undefined {
  const fin = get(o.body, ['metadata', 'finalizers']);
  const f = Array.isArray(fin) ? fin.find((x) => typeof x === 'string' && CASCADE_FINALIZER.test(x)) : undefined;
  return typeof f === 'string' ? f : undefined;
}

/** Follows a nested Application (app of apps) with the finalizer, or a Flux Kustomization, found in what an Application deploys. */
function nested(o: KubeObject): { path?: string; unread?: string } | undefined {
  if (o.kind === 'Application' && o.group === 'argoproj.io' && cascadeFinalizer(o)) {
    const paths = sourcesOf(o).map((s) => s.source.path);
    const path = paths.find((p): p is string => typeof p === 'string');
    return path ? { path } : { unread: `Application ${o.name} deploys a chart or another source` };
  }
  return undefined;
}

async function deployedBy(ctx: SurfaceContext, o: KubeObject): Promise<ManagedContent> {
  const out: ManagedContent = { objects: 0, stateful: [], unread: [] };
  const sources = sourcesOf(o);
  if (!sources.length) out.unread.push('it names no source');
  for (const { source } of sources) {
    if (typeof source.chart === 'string') {
      out.unread.push(`the Helm chart ${source.chart} of ${String(source.repoURL ?? '')} is not rendered here`);
      continue;
    }
    if (typeof source.path !== 'string') {
      if (source.ref === undefined) out.unread.push(`the root of ${String(source.repoURL ?? 'its source')} is not read`);
      continue;
    }
    const m = await managedContent(ctx.repo, 'base', source.path, {
      defaultNamespace: ctx.config.kubernetes.defaultNamespace,
      nested,
    });
    out.objects += m.objects;
    out.stateful.push(...m.stateful);
    out.unread.push(...m.unread.map((u) => u.replace(/^its path: path (\S+) is not in this repository$/, `its path $1 (${String(source.repoURL ?? '')}) is not in this repository`)));
  }
  return out;
}

/** Argo CD objects of Helm template files, read statically (see ArgoContext.deletions). */
async function templateObjects(ctx: SurfaceContext): Promise<{ before: KubeObject[]; after: KubeObject[] }> {
  const before: KubeObject[] = [];
  const after: KubeObject[] = [];
  const read = async (path: string, text: string | undefined, key: string, into: KubeObject[]) => {
    if (text === undefined || !templated(path, text) || !text.includes('argoproj.io')) return;
    const parsed = await parseSide(ctx, path, staticTemplate(text), `${key}:static-template`);
    into.push(...parsed.objects.filter((o) => isArgo(o) && literalIdentity(o)));
  };
  for (const f of ctx.files) {
    const oldPath = f.oldPath ?? f.path;
    await read(oldPath, f.oldText, f.oldBlob ?? `base:${oldPath}`, before);
    await read(f.path, f.newText, f.newBlob ?? `head:${f.path}`, after);
  }
  return { before, after };
}

export async function argoContext(ctx: SurfaceContext, objects: ObjectsContext | undefined): Promise<ArgoContext | undefined> {
  if (!objects) return undefined;
  const tpl = await templateObjects(ctx);
  let all = objects.changes;
  if (tpl.before.length || tpl.after.length) {
    const { diffObjects } = await import('../../kube/parse.js');
    all = diffObjects([...objects.before, ...tpl.before], [...objects.after, ...tpl.after]);
  }
  const deletions = all.filter((c) => c.status === 'removed');
  const additions = all.filter((c) => c.status === 'added');
  if (!objects.changes.length && !deletions.length) return undefined;
  const deployed = new Map<string, ManagedContent>();
  for (const c of deletions)
    if (c.before?.kind === 'Application' && cascadeFinalizer(c.before)) deployed.set(c.id, await deployedBy(ctx, c.before));
  const renamedFiles = new Map(ctx.files.flatMap((f) => (f.oldPath && f.oldPath !== f.path ? [[f.oldPath, f.path] as const] : [])));
  return { ...objects, deletions, additions, deployed, renamedFiles };
}

