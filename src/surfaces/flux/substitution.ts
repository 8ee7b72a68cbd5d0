import type { ChangedFile } from '../../core/change.js';
import type { SurfaceContext } from '../../core/surface.js';
import { get, isObject, type KubeObject, type ObjectChange } from '../../kube/model.js';
import { assessManifests } from '../kubernetes/context.js';
import { kustomizationPath, readsThisRepository } from './model.js';

/**
 * Flux post-build substitution, followed the way kustomize-controller applies it: after `kustomize
 * build`, every `${VAR}` (also `${VAR:=default}` and `${VAR:-default}`) in the output is replaced by
 * the Kustomization's `spec.postBuild.substitute` values. A change to those values changes what is
 * applied even though no manifest file changes: a storage class, a size, a selector. Each manifest
 * under the Kustomization's path that uses a changed variable (and is not itself changed, which the
 * kubernetes surface reads as it is) is substituted with the base values at the base and the head
 * values at head, and the two results are assessed with the Kubernetes rules.
 * Variables from `substituteFrom` (ConfigMaps and Secrets in the cluster) are not known here.
 */

type Vars = Record<string, string>;

/** A Kustomization's inline substitution variables (`spec.postBuild.substitute`). */
export function substitutions(o: Pick<KubeObject, 'body'>): Vars {
  const s = get(o.body, ['spec', 'postBuild', 'substitute']);
  const out: Vars = {};
  if (isObject(s)) for (const [k, v] of Object.entries(s)) if (typeof v === 'string') out[k] = v;
  return out;
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*))?\}/g;

/**
 * Replaces `${VAR}`, `${VAR:=default}` and `${VAR:-default}` as Flux's envsubst does: a variable with
 * a value gets it, one without takes its default; one with neither is left as written (Flux would
 * substitute it with an empty string, or fail the build under strict substitution: either way not
 * something to compare).
 */
export function substitute(text: string, vars: Vars): string {
  return text.replace(VAR, (whole, name: string, op: string | undefined, def: string | undefined) => {
    if (Object.prototype.hasOwnProperty.call(vars, name) && (vars[name] !== '' || !op?.startsWith(':')))
      return vars[name]!;
    return op !== undefined ? (def ?? '') : whole;
  });
}

/** The variable names whose value differs between two sets. */
function changedNames(a: Vars, b: Vars): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/**
 * Assesses what the changed substitution variables of the changed Flux Kustomizations do to the
 * manifests under their path (see above). Returns without reading anything when no variable changed.
 */
export async function assessSubstitutions(ctx: SurfaceContext, changes: readonly ObjectChange[]): Promise<void> {
  const files: ChangedFile[] = [];
  const changedPaths = new Set(ctx.files.flatMap((f) => (f.oldPath ? [f.path, f.oldPath] : [f.path])));
  for (const c of changes) {
    const { before: b, after: a } = c;
    if (!b || !a || a.kind !== 'Kustomization' || a.group !== 'kustomize.toolkit.fluxcd.io') continue;
    if (!readsThisRepository(a) || !readsThisRepository(b)) continue;
    const path = kustomizationPath(a);
    if (kustomizationPath(b) !== path) continue; // a new path is a different set of objects
    const vb = substitutions(b);
    const va = substitutions(a);
    const names = changedNames(vb, va);
    if (!names.length) continue;
    const dir = path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    const globs = ['yaml', 'yml', 'json'].map((e) => (dir && dir !== '.' ? `${dir}/**/*.${e}` : `**/*.${e}`));
    const found = await ctx.repo.grep(
      'head',
      names.map((n) => '${' + n),
      globs,
    );
    for (const file of found.slice(0, 200)) {
      if (changedPaths.has(file)) continue;
      const text = await ctx.repo.readText('head', file);
      if (text === undefined) continue;
      const oldText = substitute(text, vb);
      const newText = substitute(text, va);
      if (oldText === newText) continue;
      const path = `${file} (substituted by Kustomization ${a.namespace}/${a.name})`;
      files.push({
        status: 'modified',
        path,
        oldText,
        newText,
        oldBlob: `flux-substitute:base:${a.namespace}/${a.name}:${file}`,
        newBlob: `flux-substitute:head:${a.namespace}/${a.name}:${file}`,
      });
    }
  }
  if (files.length) await assessManifests({ ...ctx, files });
}
