import { posix } from 'node:path';
import { remoteUrls } from '../../../git/history.js';
import type { GitRepo } from '../../../git/repo.js';
import {
  ARGO_GROUP,
  ARGO_NAMESPACE,
  autoSync,
  ignoreApplicationDifferences,
  sourcesOf,
  syncPolicyOf,
} from '../../../surfaces/argocd/model.js';
import {
  FLUX_HELM_GROUP,
  FLUX_KUSTOMIZE_GROUP,
  FLUX_NAMESPACE,
  FLUX_SOURCE_GROUP,
  gitChartPath,
  gitRepositoryOf,
  gitRepositoryUrl,
  isSuspended,
  kustomizationPath,
  prunes,
} from '../../../surfaces/flux/model.js';
import type { JsonObject } from '../../../kube/model.js';
import type { Reconciler } from '../types.js';
import { covers, isObj, MANIFEST_GLOBS, repoPath, str, type Unread } from './paths.js';

/**
 * The control loops of the repository at head that reconcile the change: Argo CD Applications and
 * ApplicationSets, Flux Kustomizations and HelmReleases, read through the Argo CD and Flux surfaces'
 * readers, with the local directories their kustomizations pull in, and the loop that syncs each
 * Argo CD object's own manifest (an app of apps).
 */

/** A loop found at head, before its covered files and parents are known. */
interface Candidate extends Omit<Reconciler, 'covers' | 'parent'> {
  /** Flux: the GitRepository it reads (`namespace/name`), to leave out sources of other repositories. */
  gitSource?: string;
}

/**
 * Every Argo CD Application/ApplicationSet and Flux Kustomization/HelmRelease at head whose paths (with
 * the local directories their kustomizations pull in) hold a changed file, narrowest first.
 */
export async function findReconcilers(
  repo: GitRepo,
  changed: readonly string[],
  /** Receives the files that may define a loop and could not be read: never taken as "no loop". */
  unread: Unread[] = [],
): Promise<Reconciler[]> {
  if (changed.length === 0) return [];
  const [files, remotes] = await Promise.all([
    repo.grep('head', [ARGO_GROUP, FLUX_KUSTOMIZE_GROUP, FLUX_HELM_GROUP, FLUX_SOURCE_GROUP], MANIFEST_GLOBS),
    remoteUrls(repo.dir).then((urls) => new Set(urls.map(normalizeRepoUrl))),
  ]);
  // A source of another repository reconciles that repository's paths, not ours. Without remotes
  // (a local clone), every source is taken to be this repository.
  const ours = (url: unknown) => typeof url !== 'string' || remotes.size === 0 || remotes.has(normalizeRepoUrl(url));
  const { parseYaml } = await import('../../../core/yaml.js');
  const candidates: Candidate[] = [];
  /** Flux GitRepository objects at head: `namespace/name` -> spec.url. */
  const gitRepositories = new Map<string, string>();
  for (const file of files.sort()) {
    const text = await repo.readText('head', file);
    if (text === undefined) {
      unread.push({ file, line: 1, reason: 'binary or larger than the size limit' });
      continue;
    }
    const y = parseYaml(text);
    for (const doc of y.docs) {
      if (doc.error) unread.push({ file, line: doc.error.line, reason: `YAML: ${doc.error.reason}` });
      const v = doc.value;
      if (!isObj(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') continue;
      const group = v.apiVersion.includes('/') ? v.apiVersion.slice(0, v.apiVersion.indexOf('/')) : '';
      const meta = isObj(v.metadata) ? v.metadata : {};
      const name = str(meta.name);
      if (!name) continue;
      const line = y.locate(doc, ['metadata', 'name']);
      const o = { kind: v.kind, body: v as JsonObject };
      if (group === ARGO_GROUP && (v.kind === 'Application' || v.kind === 'ApplicationSet')) {
        const paths = sourcesOf(o)
          .map((s) => s.source)
          .filter((s) => ours(s.repoURL))
          .map((s) => str(s.path))
          .filter((p): p is string => p !== undefined)
          // An ApplicationSet template path with parameters covers what precedes the first parameter.
          .map((p) => (p.includes('{{') ? p.slice(0, p.indexOf('{{')).replace(/[^/]*$/, '') : p))
          .map(repoPath)
          .filter((p): p is string => p !== undefined);
        const sp = syncPolicyOf(o);
        const sync = autoSync(o);
        const ignored = ignoreApplicationDifferences(o);
        candidates.push({
          controller: 'argocd',
          kind: v.kind,
          name,
          namespace: str(meta.namespace) ?? ARGO_NAMESPACE,
          file,
          line,
          paths,
          automated: sync.automated,
          selfHeal: sync.selfHeal,
          prune: sync.prune,
          suspended: false,
          syncPolicy: sp === undefined ? null : JSON.stringify(sp),
          ...(v.kind === 'ApplicationSet'
            ? { ignoreApplicationDifferences: ignored === undefined ? null : JSON.stringify(ignored) }
            : {}),
        });
      } else if (group === FLUX_SOURCE_GROUP && v.kind === 'GitRepository') {
        const url = gitRepositoryUrl(o);
        if (url) gitRepositories.set(`${str(meta.namespace) ?? FLUX_NAMESPACE}/${name}`, url);
      } else if (group === FLUX_KUSTOMIZE_GROUP && v.kind === 'Kustomization') {
        const p = repoPath(kustomizationPath(o));
        const gitSource = gitRepositoryOf(o);
        const suspended = isSuspended(o);
        candidates.push({
          ...(gitSource !== undefined ? { gitSource } : {}),
          controller: 'flux',
          kind: 'Kustomization',
          name,
          namespace: str(meta.namespace) ?? FLUX_NAMESPACE,
          file,
          line,
          paths: p === undefined ? [] : [p],
          automated: !suspended,
          selfHeal: !suspended,
          prune: prunes(o),
          suspended,
          syncPolicy: null,
        });
      } else if (group === FLUX_HELM_GROUP && v.kind === 'HelmRelease') {
        const chart = gitChartPath(o);
        const p = chart !== undefined ? repoPath(chart) : undefined;
        const gitSource = gitRepositoryOf(o);
        const suspended = isSuspended(o);
        candidates.push({
          ...(gitSource !== undefined ? { gitSource } : {}),
          controller: 'flux',
          kind: 'HelmRelease',
          name,
          namespace: str(meta.namespace) ?? FLUX_NAMESPACE,
          file,
          line,
          // A HelmRelease reconciles its chart (a path in a GitRepository source) and its own definition.
          paths: p !== undefined && p !== '' ? [p, file] : [file],
          automated: !suspended,
          selfHeal: !suspended,
          prune: true,
          suspended,
          syncPolicy: null,
        });
      }
    }
  }
  if (candidates.length === 0) return [];
  const expand = await kustomizeExpander(repo);
  /** Per candidate: the directories it renders -> the reconciler path each came from. */
  const dirsOf = new Map<Candidate, Map<string, string>>();
  for (const c of candidates) {
    // A Flux source defined here whose URL is not one of our remotes reads another repository.
    const url = c.gitSource !== undefined ? gitRepositories.get(c.gitSource) : undefined;
    if (url !== undefined && !ours(url)) {
      // Its chart path belongs to the other repository; its own definition file is still ours.
      c.paths = c.kind === 'HelmRelease' ? [c.file] : [];
    }
    const dirs = new Map<string, string>(); // covered dir -> the reconciler path it came from
    for (const p of c.paths) for (const d of await expand(p)) if (!dirs.has(d)) dirs.set(d, p);
    dirsOf.set(c, dirs);
  }
  /** Narrowness of a candidate for a file: the longest own path that covers it (-1: does not cover it). */
  const depthFor = (c: Candidate, file: string): number => {
    let depth = -1;
    for (const [d, from] of dirsOf.get(c)!) if (d !== c.file && covers(d, file)) depth = Math.max(depth, from.length);
    return depth;
  };
  const toReconciler = (c: Candidate, hit: string[]): Reconciler => {
    const { gitSource: _g, ...rest } = c;
    return { ...rest, covers: hit };
  };
  /**
   * The loop that syncs the manifest of an Argo CD Application or ApplicationSet: another Application
   * (an app of apps) syncing automatically, or a Flux Kustomization not suspended, whose paths hold the
   * object's file. One that puts a changed sync policy back at once (selfHeal, or Flux) wins over one
   * that syncs only new revisions; then the narrowest. The chain continues up (bounded, no cycles).
   */
  const parentOf = (c: Candidate, seen: ReadonlySet<Candidate>): Reconciler | undefined => {
    if (c.controller !== 'argocd' || seen.size > 4) return undefined;
    const syncs = (p: Candidate) =>
      p.controller === 'argocd' ? p.automated : p.kind === 'Kustomization' && !p.suspended;
    const putsBackAtOnce = (p: Candidate) => (p.controller === 'argocd' ? p.automated && p.selfHeal : true);
    const holders = candidates
      .filter((p) => p !== c && !seen.has(p) && syncs(p) && depthFor(p, c.file) >= 0)
      .sort(
        (a, b) =>
          Number(putsBackAtOnce(b)) - Number(putsBackAtOnce(a)) ||
          depthFor(b, c.file) - depthFor(a, c.file) ||
          (a.controller + a.kind + a.namespace + a.name < b.controller + b.kind + b.namespace + b.name ? -1 : 1),
      );
    const p = holders[0];
    if (!p) return undefined;
    const rec = toReconciler(p, [c.file]);
    const up = parentOf(p, new Set([...seen, c]));
    return up ? { ...rec, parent: up } : rec;
  };
  const out: Array<Reconciler & { depth: number }> = [];
  for (const c of candidates) {
    const dirs = dirsOf.get(c)!;
    const hit = changed.filter((f) => [...dirs.keys()].some((d) => covers(d, f)));
    if (hit.length === 0) continue;
    // Narrowness: the longest own path that covers a changed file (a directory pulled in through a
    // kustomization counts at the length of the path that pulled it in).
    let depth = -1;
    for (const [d, from] of dirs) if (hit.some((f) => covers(d, f))) depth = Math.max(depth, from.length);
    const parent = parentOf(c, new Set());
    out.push({ ...toReconciler(c, hit), ...(parent ? { parent } : {}), depth });
  }
  out.sort(
    (a, b) =>
      b.depth - a.depth ||
      a.covers.length - b.covers.length ||
      (a.controller + a.kind + a.namespace + a.name < b.controller + b.kind + b.namespace + b.name ? -1 : 1),
  );
  return out.map(({ depth: _d, ...r }) => r);
}

/**
 * `https://github.com/org/repo.git`, `git@github.com:org/repo`, `ssh://git@github.com/org/repo` all
 * become `github.com/org/repo`: how Argo CD's repoURL and a clone's remote name the same repository.
 */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim().toLowerCase();
  u = u.replace(/^[a-z+]+:\/\//, '');
  u = u.replace(/^[^@/]+@/, '');
  const scp = /^([^/:]+):(?!\d+\/)(.*)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^([^/]+):\d+\//, '$1/');
  return u.replace(/\.git\/?$/, '').replace(/\/+$/, '');
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The directories a reconciled path really renders: the path itself plus the local directories its
 * kustomization.yaml pulls in (`resources`, `bases`, `components`, recursively, bounded).
 */
async function kustomizeExpander(repo: GitRepo): Promise<(path: string) => Promise<string[]>> {
  const { parseSingleYaml } = await import('../../../core/yaml.js');
  const memo = new Map<string, string[]>();
  const refsOf = async (dir: string): Promise<string[]> => {
    const hit = memo.get(dir);
    if (hit) return hit;
    const refs: string[] = [];
    memo.set(dir, refs);
    for (const n of KUSTOMIZATION_NAMES) {
      const text = await repo.readText('head', dir ? `${dir}/${n}` : n);
      if (text === undefined) continue;
      const { value } = parseSingleYaml(text);
      if (!isObj(value)) break;
      for (const key of ['resources', 'bases', 'components']) {
        const list = value[key];
        if (!Array.isArray(list)) continue;
        for (const r of list) {
          if (typeof r !== 'string' || /^[a-z]+:\/\//i.test(r) || r.includes('?') || r.startsWith('github.com/'))
            continue;
          const p = repoPath(posix.join(dir || '.', r));
          if (p !== undefined) refs.push(p);
        }
      }
      break;
    }
    return refs;
  };
  return async (path: string) => {
    const seen = new Set<string>([path]);
    let frontier = [path];
    for (let depth = 0; depth < 6 && frontier.length && seen.size < 200; depth++) {
      const next: string[] = [];
      for (const d of frontier)
        for (const r of await refsOf(d))
          if (!seen.has(r)) {
            seen.add(r);
            next.push(r);
          }
      frontier = next;
    }
    return [...seen];
  };
}
