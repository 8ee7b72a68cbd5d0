import { environmentsOfPath } from '../../core/config.js';
import type { SurfaceContext } from '../../core/surface.js';
import { get, isObject } from '../../kube/model.js';
import { dirOf, isKustomizationPath, joinPath, KUSTOMIZATION_NAMES, localReferences } from '../kustomize/model.js';

/** Which environments build a shared file, and the texts of their own overlays on the way to it. */
export interface Reach {
  /** Environments (config `environments`) whose kustomizations or Flux Kustomizations lead to the file. */
  environments: string[];
  /** Per environment: the text of its own files on the way (kustomizations and the patches they name). */
  overlays: Map<string, string[]>;
}

/** Most files read to follow the build graph: a bound on a pathological tree, said in the rule's docs. */
const MAX_GRAPH_FILES = 5000;

/**
 * Follows the build graph of the tree at head: kustomization `resources`/`bases`/`components` (local
 * paths) and Flux Kustomization `spec.path` (relative to the repository root, the usual layout of a
 * GitRepository source), from every file that belongs to an environment, and says which environments
 * reach each of `targets`. A directory without a kustomization that a Flux Kustomization points at is
 * built whole (kustomize-controller generates a kustomization of every manifest under it).
 */
export async function environmentsReaching(
  ctx: SurfaceContext,
  targets: readonly string[],
): Promise<Map<string, Reach>> {
  const out = new Map<string, Reach>();
  const envNames = Object.keys(ctx.config.environments);
  if (envNames.length < 2 || !targets.length) return out;
  const { parseYaml } = await import('../../core/yaml.js');
  const [kfiles, fluxFiles] = await Promise.all([
    ctx.repo.grep(
      'head',
      ['resources', 'bases', 'components'],
      KUSTOMIZATION_NAMES.map((n) => `**/${n}`),
    ),
    ctx.repo.grep('head', ['kustomize.toolkit.fluxcd.io'], ['**/*.yaml', '**/*.yml']),
  ]);
  /** Directory (or file) → what it builds: directories and files, with the texts of its own files. */
  const edges = new Map<string, { to: string[]; texts: string[]; from: string }>();
  const hasKustomization = new Set<string>();
  const add = (node: string, from: string, to: string[], texts: string[]) => {
    const e = edges.get(node) ?? { to: [], texts: [], from };
    e.to.push(...to);
    e.texts.push(...texts);
    edges.set(node, e);
  };
  for (const file of kfiles.filter(isKustomizationPath).slice(0, MAX_GRAPH_FILES)) {
    const text = await ctx.repo.readText('head', file);
    const v = text === undefined ? undefined : parseYaml(text).docs[0];
    if (!v || v.error || !isObject(v.value)) continue;
    const dir = dirOf(file);
    hasKustomization.add(dir);
    const refs = localReferences(v.value);
    const to = refs.dirsOrFiles.flatMap((r) => joinPath(dir, r) ?? []);
    const patches = await Promise.all(
      refs.files.flatMap((r) => joinPath(dir, r) ?? []).map((p) => ctx.repo.readText('head', p)),
    );
    add(dir, file, to, [text!, ...patches.filter((t): t is string => t !== undefined)]);
  }
  for (const file of fluxFiles.slice(0, MAX_GRAPH_FILES)) {
    const text = await ctx.repo.readText('head', file);
    if (text === undefined) continue;
    for (const doc of parseYaml(text).docs) {
      const v = doc.value;
      if (
        doc.error ||
        !isObject(v) ||
        v.kind !== 'Kustomization' ||
        !String(v.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/')
      )
        continue;
      const path = get(v, ['spec', 'path']);
      const to = typeof path === 'string' ? joinPath('', path) : undefined;
      if (to !== undefined) add(`${file}#flux`, file, [to], []);
    }
  }
  for (const env of envNames) {
    const starts = [...edges].filter(([, e]) => environmentsOfPath(ctx.config, e.from).includes(env)).map(([n]) => n);
    if (!starts.length) continue;
    const seen = new Set<string>();
    const wholeDirs: string[] = [];
    const texts: string[] = [];
    const queue = [...starts];
    while (queue.length) {
      const n = queue.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      const e = edges.get(n);
      if (e) {
        if (environmentsOfPath(ctx.config, e.from).includes(env)) texts.push(...e.texts);
        queue.push(...e.to);
      } else if (!n.includes('#') && !hasKustomization.has(n) && !/\.ya?ml$/.test(n)) wholeDirs.push(n);
    }
    for (const t of targets) {
      // A file a kustomization on the way lists, or one under a directory Flux builds whole.
      const reached = seen.has(t) || wholeDirs.some((d) => d === '' || t.startsWith(`${d}/`));
      if (!reached) continue;
      const r: Reach = out.get(t) ?? { environments: [], overlays: new Map() };
      r.environments.push(env);
      r.overlays.set(env, texts);
      out.set(t, r);
    }
  }
  return out;
}
