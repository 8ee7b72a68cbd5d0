import type { SurfaceContext } from '../../core/surface.js';
import { at, type ObjectChange } from '../../kube/model.js';
import { emptyObjectsContext, type ObjectsContext } from '../../kube/objects.js';
import { pathPinnedUrl } from '../../kube/remote-url.js';
import { controllerOfArtifact, controllerVersions } from './model.js';
import { environmentsReaching, type Reach } from './reach.js';

/** A controller's install manifests read by URL (a release asset, a raw file) whose ref changes. */
export interface UrlUpgrade {
  controller: string;
  what: string;
  from: string;
  to: string;
  file: string;
  line: number;
  /**
   * The version moves from one source to another (a kustomization's remote install manifest replaced by
   * a Flux GitRepository or OCIRepository and its own Kustomization, or the reverse): the objects change
   * applier, and the old one prunes what it no longer builds before the new one applies it.
   */
  moved?: string;
}

export interface ControllersContext extends ObjectsContext {
  urlUpgrades: UrlUpgrade[];
  /** Which environments build each of these files (at head), through kustomizations and Flux Kustomizations. */
  reach(files: readonly string[]): Promise<Map<string, Reach>>;
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/**
 * Remote resources of the changed kustomization files at both sides, paired by repository and file:
 * a `…/kyverno/kyverno/releases/download/v1.10.7/install.yaml` that becomes `…/v1.11.0/…` is the
 * controller upgrade it is. Only release assets and raw files of a known controller's repository count.
 */
async function urlUpgrades(ctx: SurfaceContext, removed: SourceVersion[]): Promise<UrlUpgrade[]> {
  const files = ctx.files.filter(
    (f) => KUSTOMIZATION.test(f.path) && f.oldText !== undefined && f.newText !== undefined,
  );
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
    for (const b of before) {
      if (after.some((a) => a.owner === b.owner && a.repo === b.repo)) continue;
      const known = controllerOfArtifact(`${b.owner}/${b.repo}`);
      if (known)
        removed.push({
          controller: known.controller,
          what: `install manifests ${b.owner}/${b.repo} ${b.file} (${f.path})`,
          version: b.ref,
        });
    }
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

/** A controller version one side of the change has and the other has not, with where it was read. */
interface SourceVersion {
  controller: string;
  what: string;
  version: string;
  file?: string;
  line?: number;
  /** `namespace/name` of the Flux source object that carries it (none for a kustomization's URL). */
  source?: string;
}

const FLUX_SOURCES = new Set(['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket']);

/**
 * A controller whose only version source leaves the change while another kind of source of it arrives
 * (a remote install manifest of a kustomization replaced by a GitRepository at a tag, an OCIRepository,
 * or the reverse): no same-source pairing sees it, yet the version moves (and may move back).
 */
function crossSourceMoves(removed: SourceVersion[], changes: readonly ObjectChange[]): UrlUpgrade[] {
  const sourceOf = (o: { kind: string; namespace: string; name: string }) =>
    FLUX_SOURCES.has(o.kind) ? { source: `${o.namespace}/${o.name}` } : {};
  for (const c of changes)
    if (c.before && !c.after)
      for (const v of controllerVersions(c.before))
        removed.push({ controller: v.controller, what: v.what, version: v.version, ...sourceOf(c.before) });
  const added: SourceVersion[] = [];
  for (const c of changes)
    if (c.after && !c.before)
      for (const v of controllerVersions(c.after)) {
        const loc = at(c.after, v.path);
        added.push({
          controller: v.controller,
          what: `${v.what} (${c.after.kind} ${c.after.name})`,
          version: v.version,
          ...loc,
          ...sourceOf(c.after),
        });
      }
  const out: UrlUpgrade[] = [];
  for (const a of added) {
    const olds = removed.filter((r) => r.controller === a.controller);
    if (olds.length !== 1 || added.filter((x) => x.controller === a.controller).length !== 1) continue;
    const b = olds[0]!;
    // The same kind of source (an image for an image, a chart for a chart): a rename or a move of the
    // carrier object, which the other rules read; only a change of source kind changes the applier.
    const kind = (w: string) => w.split(' ')[0];
    if (kind(b.what) === kind(a.what)) continue;
    // A Flux source replaced by another kind of source under the same name (a GitRepository become an
    // OCIRepository): the Kustomizations that applied the old one apply the new one, and Flux applies
    // the new set before it prunes, so nothing changes applier: an upgrade like any other.
    const sameApplier = a.source !== undefined && a.source === b.source;
    out.push({
      controller: a.controller,
      what: a.what,
      from: b.version,
      to: a.version,
      file: a.file!,
      line: a.line!,
      ...(sameApplier ? {} : { moved: b.what }),
    });
  }
  return out;
}

export async function controllersContext(
  ctx: SurfaceContext,
  objects: ObjectsContext | undefined,
): Promise<ControllersContext | undefined> {
  const removed: SourceVersion[] = [];
  const urls = [...(await urlUpgrades(ctx, removed)), ...crossSourceMoves(removed, objects?.changes ?? [])];
  if (!urls.length && !objects?.changes.length) return undefined;
  return {
    ...(objects ?? emptyObjectsContext(ctx.config)),
    urlUpgrades: urls,
    reach: (files) => environmentsReaching(ctx, files),
  };
}
