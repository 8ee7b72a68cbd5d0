import type { RepoReader } from '../../core/change.js';
import type { Location } from '../../core/finding.js';
import type { YamlDoc, YamlFile } from '../../core/yaml.js';
import type { RollwrightConfig } from '../../engine/config.js';
import { POD_KINDS, POD_TEMPLATE_PATH } from './kinds.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** One Kubernetes object as written in one document of one file of one revision. */
export interface KubeObject {
  /** `<group>/<kind>/<namespace>/<name>`, after namespace defaulting. */
  id: string;
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  /** Empty for cluster-scoped kinds. */
  namespace: string;
  name: string;
  body: JsonObject;
  file: string;
  /** The document, for locating paths. */
  doc: YamlDoc;
  yaml: YamlFile;
}

export type ObjectChangeStatus = 'added' | 'removed' | 'modified' | 'moved';

/** The two sides of one object across the change. `moved`: the same object now lives in another file. */
export interface ObjectChange {
  id: string;
  group: string;
  kind: string;
  status: ObjectChangeStatus;
  before?: KubeObject;
  after?: KubeObject;
  /** True when the body differs (a move may also change the body). */
  bodyChanged: boolean;
}

/** Lazy, repository-wide knowledge some rules need (who references a ConfigMap that went away). */
export interface RepositoryIndex {
  /** Objects at head, from files (changed or not) whose text contains any of the strings. */
  objectsMentioning(strings: string[]): Promise<KubeObject[]>;
}

/** What every Kubernetes rule receives. */
export interface KubeContext {
  /** Objects that were added, removed, changed or moved; unchanged objects are left out. */
  changes: ObjectChange[];
  /** Every object in the changed files at base and at head, by id. */
  before: ReadonlyMap<string, KubeObject>;
  after: ReadonlyMap<string, KubeObject>;
  config: RollwrightConfig;
  /** The target Kubernetes minor version (34 for 1.34). */
  kubeMinor: number;
  /** Custom kinds (`group/Kind`) that some surface understands. */
  knownKinds: ReadonlySet<string>;
  repo: RepoReader;
  index: RepositoryIndex;
}

/** The location of a path inside an object, for a finding. */
export function at(obj: KubeObject, path: ReadonlyArray<string | number> = []): Location {
  return { file: obj.file, line: obj.yaml.locate(obj.doc, path) };
}

/** The side of a change to point at: the new text when it exists, else the old. */
export function current(change: ObjectChange): KubeObject {
  return (change.after ?? change.before)!;
}

export function get(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let v: unknown = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as never)[k], (b as never)[k]));
}

/** The pod spec path of a workload, or undefined for kinds without pods. */
export function podSpecPath(obj: Pick<KubeObject, 'group' | 'kind'>): readonly string[] | undefined {
  const key = `${obj.group}/${obj.kind}`;
  if (POD_KINDS.has(key)) return ['spec'];
  const t = POD_TEMPLATE_PATH[key];
  return t ? [...t, 'spec'] : undefined;
}

export interface ContainerRef {
  /** Path of the container inside the object, for locating. */
  path: Array<string | number>;
  container: JsonObject;
  kind: 'containers' | 'initContainers' | 'ephemeralContainers';
}

/** Every container of a workload with its path. */
export function containersOf(obj: KubeObject): ContainerRef[] {
  const specPath = podSpecPath(obj);
  if (!specPath) return [];
  const spec = get(obj.body, specPath);
  if (!isObject(spec)) return [];
  const out: ContainerRef[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isObject(c)) out.push({ path: [...specPath, kind, i], container: c, kind });
    });
  }
  return out;
}

/**
 * Annotations that keep an object in the cluster when its manifest leaves Git: the GitOps
 * controller or Helm orphans it instead of deleting it. Returns the annotation that applies.
 * Argo CD: `argocd.argoproj.io/sync-options: Prune=false` (or `Delete=false`);
 * Flux: `kustomize.toolkit.fluxcd.io/prune: disabled`; Helm: `helm.sh/resource-policy: keep`.
 */
export function pruneProtection(obj: KubeObject): string | undefined {
  const ann = get(obj.body, ['metadata', 'annotations']);
  if (!isObject(ann)) return undefined;
  const argo = ann['argocd.argoproj.io/sync-options'];
  if (typeof argo === 'string' && /(^|,)\s*(Prune|Delete)=false\s*(,|$)/.test(argo))
    return `argocd.argoproj.io/sync-options: ${argo}`;
  if (ann['kustomize.toolkit.fluxcd.io/prune'] === 'disabled') return 'kustomize.toolkit.fluxcd.io/prune: disabled';
  if (ann['helm.sh/resource-policy'] === 'keep') return 'helm.sh/resource-policy: keep';
  return undefined;
}

/** `Kind name` or `Kind namespace/name`, for messages. */
export function describeObject(obj: Pick<KubeObject, 'kind' | 'namespace' | 'name'>): string {
  return `${obj.kind} ${obj.namespace ? `${obj.namespace}/` : ''}${obj.name}`;
}
