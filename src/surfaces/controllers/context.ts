import type { SurfaceContext } from '../../core/surface.js';
import { emptyObjectsContext, type ObjectsContext } from '../../kube/objects.js';
import { pathPinnedUrl } from '../../kube/remote-url.js';
import { controllerOfArtifact } from './model.js';

/** A controller's install manifests read by URL (a release asset, a raw file) whose ref changes. */
export interface UrlUpgrade {
  controller: string;
  what: string;
  from: string;
  to: string;
  file: string;
  line: number;
}

export interface ControllersContext extends ObjectsContext {
  urlUpgrades: UrlUpgrade[];
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/**
 * Remote resources of the changed kustomization files at both sides, paired by repository and file:
 * a `…/kyverno/kyverno/releases/download/v1.10.7/install.yaml` that becomes `…/v1.11.0/…` is the
 * controller upgrade it is. Only release assets and raw files of a known controller's repository count.
 */
async function urlUpgrades(ctx: SurfaceContext): Promise<UrlUpgrade[]> {
  const files = ctx.files.filter((f) => KUSTOMIZATION.test(f.path) && f.oldText !== undefined && f.newText !== undefined);
  if (!files.length) return [];
  const { parseYaml } = await import('../../core/yaml.js');
  const remotes = (text: string) => {
    const doc = parseYaml(text).docs[0];
    const v = doc && !doc.error ? doc.value : undefined;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
    const o = v as Record<string, unknown>;
    return [o.resources, o.bases, o.components]
      .flatMap((x) => (Array.isArray(x) ? x : []))
      .flatMap((u) => {
        const p = typeof u === 'string' ? pathPinnedUrl(u) : undefined;
        return p && typeof u === 'string' ? [{ url: u, ...p }] : [];
      });
  };
  const out: UrlUpgrade[] = [];
  for (const f of files) {
    const before = remotes(f.oldText!);
    const after = remotes(f.newText!);
    for (const a of after) {
      // The same file of the same repository, else the only URL of that repository at each side (a
      // release that moved its install manifest: definitions/release/install.yaml → config/install.yaml).
      const sameRepo = (xs: typeof before) => xs.filter((x) => x.owner === a.owner && x.repo === a.repo);
      const b =
        before.find((x) => x.owner === a.owner && x.repo === a.repo && x.file === a.file && x.form === a.form) ??
        (sameRepo(before).length === 1 && sameRepo(after).length === 1 ? sameRepo(before)[0] : undefined);
      if (!b || b.ref === a.ref) continue;
      const known = controllerOfArtifact(`${a.owner}/${a.repo}`);
      if (!known) continue;
      const idx = f.newText!.indexOf(a.url);
      out.push({
        controller: known.controller,
        what: `install manifests ${a.owner}/${a.repo} ${a.file} (${f.path})`,
        from: b.ref,
        to: a.ref,
        file: f.path,
        line: idx < 0 ? 1 : f.newText!.slice(0, idx).split('\n').length,
      });
    }
  }
  return out;
}

export async function controllersContext(
  ctx: SurfaceContext,
  objects: ObjectsContext | undefined,
): Promise<ControllersContext | undefined> {
  const urls = await urlUpgrades(ctx);
  if (!urls.length && !objects?.changes.length) return undefined;
  return { ...(objects ?? emptyObjectsContext(ctx.config)), urlUpgrades: urls };
}
