import type { YamlDoc, YamlFile } from '../../core/yaml.js';
import { isObject, type JsonObject } from '../../kube/model.js';

/** The file names kustomize looks for in a directory, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(name);
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** `a/b` + `../c` → `a/c`; undefined when the path leaves the repository. */
export function joinPath(dir: string, rel: string): string | undefined {
  const parts = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/**
 * A remote resource as kustomize reads it: a URL with a scheme, a `git@` / `ssh://` address, or a
 * host-qualified path such as `github.com/org/repo//dir?ref=v1`.
 */
export function isRemote(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    ref.startsWith('git@') ||
    ref.startsWith('git::') ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) ||
    /^[a-z0-9.-]+\.[a-z]{2,}\/[^/]+\/[^/]+/i.test(ref)
  );
}

/** One parsed side of a kustomization file. */
export interface KustomizationSide {
  path: string;
  value: JsonObject;
  doc: YamlDoc;
  yaml: YamlFile;
}

export interface KustomizationChange {
  path: string;
  before?: KustomizationSide;
  after?: KustomizationSide;
}

/** What the static kustomize rules receive. */
export interface KustomizeContext {
  kustomizations: KustomizationChange[];
}

/** Where a kustomization's fields are written, for findings. */
export function locate(k: KustomizationSide, path: ReadonlyArray<string | number>): { file: string; line: number } {
  return { file: k.path, line: k.yaml.locate(k.doc, path) };
}

/** Entries of a list field that are strings, with their index. */
export function stringEntries(v: JsonObject, field: string): Array<{ value: string; index: number }> {
  const list = v[field];
  if (!Array.isArray(list)) return [];
  return list.flatMap((x, index) => (typeof x === 'string' ? [{ value: x, index }] : []));
}

/**
 * Local paths a kustomization reads: directories (other kustomizations: resources, bases,
 * components) and files (patches, generator sources, replacements...), relative to its directory.
 */
export function localReferences(v: JsonObject): { dirsOrFiles: string[]; files: string[]; remote: string[] } {
  const dirsOrFiles: string[] = [];
  const files: string[] = [];
  const remote: string[] = [];
  for (const field of [
    'resources',
    'bases',
    'components',
    'crds',
    'configurations',
    'generators',
    'transformers',
    'validators',
  ]) {
    for (const { value } of stringEntries(v, field)) (isRemote(value) ? remote : dirsOrFiles).push(value);
  }
  for (const { value } of stringEntries(v, 'patchesStrategicMerge')) if (!value.includes('\n')) files.push(value);
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    const list = v[field];
    if (Array.isArray(list)) for (const p of list) if (isObject(p) && typeof p.path === 'string') files.push(p.path);
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    const list = v[field];
    if (!Array.isArray(list)) continue;
    for (const g of list) {
      if (!isObject(g)) continue;
      for (const f of Array.isArray(g.files) ? g.files : [])
        if (typeof f === 'string') files.push(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
      for (const f of Array.isArray(g.envs) ? g.envs : []) if (typeof f === 'string') files.push(f);
      if (typeof g.env === 'string') files.push(g.env);
    }
  }
  if (isObject(v.openapi) && typeof v.openapi.path === 'string') files.push(v.openapi.path);
  return { dirsOrFiles, files, remote };
}
