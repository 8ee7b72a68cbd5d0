/**
 * Files a kustomization reads as something other than resources: patches (`patches[].path`,
 * `patchesStrategicMerge`, `patchesJson6902[].path`) and `replacements[].path`. Kustomize applies a
 * patch to its target when it builds the overlay (the kustomize surface renders that and compares the
 * result); the file itself is never an object sent to a cluster, so the Kubernetes-shaped surfaces do
 * not read it as one (a strategic-merge patch of a HelmRelease is not "a HelmRelease without a chart").
 */
import type { SurfaceContext } from '../core/surface.js';
import { parseYaml } from '../core/yaml.js';
import { isObject } from './model.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The changed files (either side) that a kustomization in their folder or a parent folder reads as a patch. */
export async function kustomizePatchFiles(
  ctx: Pick<SurfaceContext, 'files' | 'repo' | 'memo'>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const yamlFiles = ctx.files.filter(
    (f) => /\.ya?ml$/i.test(f.path) && !KUSTOMIZATION_FILES.includes(basename(f.path)),
  );
  if (!yamlFiles.length) return out;
  for (const f of yamlFiles) {
    for (const [side, path] of [
      ['head', f.path],
      ['base', f.oldPath ?? f.path],
    ] as const) {
      if (out.has(f.path)) break;
      for (const dir of ancestors(path)) {
        const refs = await patchesOf(ctx, side, dir);
        const by = refs.get(path);
        if (by) {
          out.set(f.path, by);
          if (f.oldPath) out.set(f.oldPath, by);
          break;
        }
      }
    }
  }
  return out;
}

/** Patch paths (repository-relative) read by the kustomization of `dir` at `side`, each with the file naming it. */
function patchesOf(
  ctx: Pick<SurfaceContext, 'repo' | 'memo'>,
  side: 'base' | 'head',
  dir: string,
): Promise<Map<string, string>> {
  return ctx.memo(`kustomize-inputs:${side}:${dir}`, async () => {
    const refs = new Map<string, string>();
    for (const name of KUSTOMIZATION_FILES) {
      const file = dir ? `${dir}/${name}` : name;
      const text = await ctx.repo.readText(side, file).catch(() => undefined);
      if (text === undefined) continue;
      for (const doc of parseYaml(text).docs) {
        const k = doc.value;
        if (doc.error || !isObject(k)) continue;
        const paths: unknown[] = [];
        if (Array.isArray(k.patchesStrategicMerge)) paths.push(...k.patchesStrategicMerge);
        for (const key of ['patches', 'patchesJson6902', 'replacements'] as const) {
          const list = k[key];
          // kustomize 2.0 and older read `patches:` as a list of file paths (strategic-merge patches).
          if (Array.isArray(list))
            for (const p of list) paths.push(isObject(p) ? p.path : key === 'patches' ? p : undefined);
        }
        for (const p of paths) {
          // An inline patch is YAML text, not a path.
          if (typeof p !== 'string' || p.includes('\n') || /^\s*[{[]/.test(p)) continue;
          const resolved = join(dir, p);
          if (resolved !== undefined) refs.set(resolved, file);
        }
      }
      break;
    }
    return refs;
  });
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The folders of `path`, nearest first, up to the repository root (''). */
function ancestors(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  const out: string[] = [];
  for (let i = parts.length; i >= 0; i--) out.push(parts.slice(0, i).join('/'));
  return out;
}

/** `dir/rel` normalised; undefined when it leaves the repository. */
function join(dir: string, rel: string): string | undefined {
  const out: string[] = dir ? dir.split('/') : [];
  for (const part of rel.trim().split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}
