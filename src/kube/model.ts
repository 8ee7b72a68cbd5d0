import type { RepoReader } from '../core/change.js';
import type { Location } from '../core/finding.js';
import type { YamlDoc, YamlFile } from '../core/yaml.js';
import type { RollwrightConfig } from '../core/config.js';
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
  /**
   * The environment (from `.rollwright.yaml` environments) whose paths hold the file; '' when none.
   * Objects of different environments live in different clusters: they are different objects even
   * with the same id, and are never paired with each other.
   */
  scope: string;
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
  /**
   * For an added object: the same object at the base under another identity or in another view, not
   * paired as a move (a Job's `generateName` that became its `name`; a manifest moved behind a new
   * kustomization, found raw at the base and rendered at head). Rules that report only what the change
   * introduces read their pre-existing properties from it.
   */
  previous?: KubeObject;
}

/** Lazy, repository-wide knowledge some rules need (who references a ConfigMap that went away). */
export interface RepositoryIndex {
  /** Objects at head, from files (changed or not) whose text contains any of the strings. */
  /**
   * With `scopes`, only files of those environments are searched (an object is referenced only from
   * its own cluster); '' among them, or no scopes, searches every file.
   */
  objectsMentioning(strings: string[], scopes?: readonly string[]): Promise<KubeObject[]>;
}

/** What every Kubernetes rule receives. */
export interface KubeContext {
  /** Objects that were added, removed, changed or moved; unchanged objects are left out. */
  changes: ObjectChange[];
  /** Every object in the changed files at base and at head, by id (parsed in full on first use). */
  before: ReadonlyMap<string, KubeObject>;
  after: ReadonlyMap<string, KubeObject>;
  config: RollwrightConfig;
  /** The target Kubernetes minor version (34 for 1.34). */
  kubeMinor: number;
  /** Custom kinds (`group/Kind`) that some surface understands. */
  knownKinds: ReadonlySet<string>;
  repo: RepoReader;
  index: RepositoryIndex;
  /**
   * Objects of the changed files, unchanged documents included, whose document text contains any of
   * the strings: only those documents are parsed. Cheaper than `before`/`after` when a rule looks for
   * the consumers of one object by name. With `kinds` (bare kind names), only objects of those kinds,
   * and documents whose `kind` line names another kind are not parsed.
   */
  mentioning(side: 'base' | 'head', strings: readonly string[], kinds?: readonly string[]): KubeObject[];
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
  const array = Array.isArray(a);
  if (array !== Array.isArray(b)) return false;
  // Plain loops: this runs on every changed object of a run, mostly before the JIT has compiled it.
  if (array) {
    const aa = a as unknown[];
    const bb = b as unknown[];
    if (aa.length !== bb.length) return false;
    for (let i = 0; i < aa.length; i++) if (!deepEqual(aa[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a as object);
  if (ka.length !== Object.keys(b as object).length) return false;
  for (const k of ka)
    if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual((a as never)[k], (b as never)[k])) return false;
  return true;
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

/**
 * Why an object is created anew on each run and never updated in place or deleted by Git, or
 * undefined: a `metadata.generateName` object gets a new name at every create; an Argo CD hook
 * (`argocd.argoproj.io/hook`) or a Helm hook (`helm.sh/hook`) is created per sync or release and
 * removed by its delete policy (before-hook-creation by default in both), and is not part of the
 * application's or release's resources. Immutable fields and deletions do not apply to such objects.
 */
export function createdPerRun(obj: KubeObject): string | undefined {
  if (typeof get(obj.body, ['metadata', 'generateName']) === 'string' && obj.name.endsWith('*'))
    return 'generateName: a new object on every create';
  const argo = annotation(obj, 'argocd.argoproj.io/hook');
  if (argo) return `an Argo CD ${argo} hook: created per sync, never updated in place`;
  const helm = annotation(obj, 'helm.sh/hook');
  if (helm) return `a Helm ${helm} hook: created per release operation, never updated in place`;
  return undefined;
}

/** `Kind name` or `Kind namespace/name`, for messages. */
export function describeObject(obj: Pick<KubeObject, 'kind' | 'namespace' | 'name'>): string {
  return `${obj.kind} ${obj.namespace ? `${obj.namespace}/` : ''}${obj.name}`;
}

/** True when a value is absent as far as the API server is concerned (`key:` with no value is null). */
export function isAbsent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

/** A `metadata.annotations` value, or undefined. */
export function annotation(obj: KubeObject, key: string): string | undefined {
  const v = get(obj.body, ['metadata', 'annotations', key]);
  return typeof v === 'string' ? v : undefined;
}

/** The pod template path of a workload (undefined for a bare Pod or a kind without pods). */
export function podTemplatePath(obj: Pick<KubeObject, 'group' | 'kind'>): readonly string[] | undefined {
  return POD_TEMPLATE_PATH[`${obj.group}/${obj.kind}`];
}

// ---------------------------------------------------------------------------------------------
// Image references

/** An image reference split as the distribution reference grammar does: `name[:tag][@digest]`. */
export interface ImageRef {
  /** Registry and repository, e.g. `ghcr.io/acme/web` or `nginx`. */
  name: string;
  tag?: string;
  /** `sha256:...` (any algorithm) when the reference is pinned. */
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    name: hasTag ? rest.slice(0, colon) : rest,
    ...(hasTag ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** A value substituted later (Flux `${VAR}`, Helm or envsubst templates): not judged as written. */
export function isPlaceholder(value: string): boolean {
  return /\$\{[^}]*\}|\{\{[^}]*\}\}/.test(value);
}

// ---------------------------------------------------------------------------------------------
// Resource quantities (k8s.io/apimachinery/pkg/api/resource Quantity)

/** An exact rational value of a quantity: `num / den`. */
export interface Quantity {
  num: bigint;
  den: bigint;
}

const BINARY_SUFFIX: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * Parses a quantity as the API server does (`<signedNumber><suffix>`, suffix one of the binary SI
 * `Ki..Ei`, the decimal SI `n u m k M G T P E`, or a decimal exponent `e3`/`E-2`). Exact: no floating
 * point, so `1Gi` and `1024Mi` compare equal. Undefined for anything that is not a quantity.
 */
export function parseQuantity(value: unknown): Quantity | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|([numkMGTPE]?))$/.exec(text.trim());
  if (!m) return undefined;
  const [, sign, number, binary, exponent, decimal] = m;
  const [int, frac = ''] = number!.split('.');
  let num = BigInt((int || '0') + frac) * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(frac.length);
  let exp = 0;
  if (binary) num *= BINARY_SUFFIX[binary]!;
  else if (exponent) exp = Number(exponent.slice(1));
  else exp = DECIMAL_SUFFIX[decimal ?? '']!;
  if (Math.abs(exp) > 100) return undefined;
  if (exp >= 0) num *= 10n ** BigInt(exp);
  else den *= 10n ** BigInt(-exp);
  return { num, den };
}

/** Negative, zero or positive as a is smaller than, equal to or larger than b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// References from a pod spec to ConfigMaps and Secrets

export type ConfigRefVia = 'env' | 'envFrom' | 'volume' | 'imagePullSecret';

/** One reference from a workload's pod spec to a ConfigMap or Secret. */
export interface ConfigRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** Keys the reference needs to exist (`configMapKeyRef.key`, volume `items[].key`); empty for the whole object. */
  keys: string[];
  /** `optional: true`: a missing object or key is tolerated by the kubelet. */
  optional: boolean;
  via: ConfigRefVia;
  /** For volumes: some container mounts it with `subPath`/`subPathExpr` (those files never update). */
  subPath: boolean;
  /** For volumes: some container mounts it without `subPath`. */
  wholeMount: boolean;
  /** Where the reference is written in the object. */
  path: Array<string | number>;
}

/** Every ConfigMap and Secret reference of a workload's pod spec (env, envFrom, volumes, projected, imagePullSecrets). */
export function configReferences(obj: KubeObject): ConfigRef[] {
  const specPath = podSpecPath(obj);
  if (!specPath) return [];
  const spec = get(obj.body, specPath);
  if (!isObject(spec)) return [];
  const out: ConfigRef[] = [];
  const base = { subPath: false, wholeMount: false };
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const itemKeys = (items: unknown): string[] =>
    Array.isArray(items) ? items.flatMap((it) => (isObject(it) && typeof it.key === 'string' ? [it.key] : [])) : [];

  for (const { path, container } of containersOf(obj)) {
    const env = container.env;
    if (Array.isArray(env))
      env.forEach((e, i) => {
        const from = isObject(e) ? e.valueFrom : undefined;
        if (!isObject(from)) return;
        for (const [field, kind] of [
          ['configMapKeyRef', 'ConfigMap'],
          ['secretKeyRef', 'Secret'],
        ] as const) {
          const ref = from[field];
          const name = isObject(ref) ? str(ref.name) : undefined;
          if (!name || !isObject(ref)) continue;
          const key = str(ref.key);
          out.push({
            ...base,
            kind,
            name,
            keys: key ? [key] : [],
            optional: ref.optional === true,
            via: 'env',
            path: [...path, 'env', i, 'valueFrom', field],
          });
        }
      });
    const envFrom = container.envFrom;
    if (Array.isArray(envFrom))
      envFrom.forEach((e, i) => {
        if (!isObject(e)) return;
        for (const [field, kind] of [
          ['configMapRef', 'ConfigMap'],
          ['secretRef', 'Secret'],
        ] as const) {
          const ref = e[field];
          const name = isObject(ref) ? str(ref.name) : undefined;
          if (!name || !isObject(ref)) continue;
          out.push({
            ...base,
            kind,
            name,
            keys: [],
            optional: ref.optional === true,
            via: 'envFrom',
            path: [...path, 'envFrom', i, field],
          });
        }
      });
  }

  // How each volume is mounted, to tell files that update from files that never do.
  const mounts = new Map<string, { subPath: boolean; whole: boolean }>();
  for (const { container } of containersOf(obj)) {
    const vm = container.volumeMounts;
    if (!Array.isArray(vm)) continue;
    for (const m of vm) {
      if (!isObject(m) || typeof m.name !== 'string') continue;
      const cur = mounts.get(m.name) ?? { subPath: false, whole: false };
      if (str(m.subPath) || str(m.subPathExpr)) cur.subPath = true;
      else cur.whole = true;
      mounts.set(m.name, cur);
    }
  }
  const volumes = spec.volumes;
  if (Array.isArray(volumes))
    volumes.forEach((v, i) => {
      if (!isObject(v)) return;
      const mount = mounts.get(typeof v.name === 'string' ? v.name : '') ?? { subPath: false, whole: false };
      const vol = { subPath: mount.subPath, wholeMount: mount.whole, via: 'volume' as const };
      const vpath = [...specPath, 'volumes', i];
      if (isObject(v.configMap) && str(v.configMap.name))
        out.push({
          ...vol,
          kind: 'ConfigMap',
          name: str(v.configMap.name)!,
          keys: itemKeys(v.configMap.items),
          optional: v.configMap.optional === true,
          path: [...vpath, 'configMap'],
        });
      if (isObject(v.secret) && str(v.secret.secretName))
        out.push({
          ...vol,
          kind: 'Secret',
          name: str(v.secret.secretName)!,
          keys: itemKeys(v.secret.items),
          optional: v.secret.optional === true,
          path: [...vpath, 'secret'],
        });
      const sources = isObject(v.projected) ? v.projected.sources : undefined;
      if (Array.isArray(sources))
        sources.forEach((s, j) => {
          if (!isObject(s)) return;
          for (const [field, kind] of [
            ['configMap', 'ConfigMap'],
            ['secret', 'Secret'],
          ] as const) {
            const ref = s[field];
            const name = isObject(ref) ? str(ref.name) : undefined;
            if (!name || !isObject(ref)) continue;
            out.push({
              ...vol,
              kind,
              name,
              keys: itemKeys(ref.items),
              optional: ref.optional === true,
              path: [...vpath, 'projected', 'sources', j, field],
            });
          }
        });
    });
  const pull = spec.imagePullSecrets;
  if (Array.isArray(pull))
    pull.forEach((p, i) => {
      const name = isObject(p) ? str(p.name) : undefined;
      if (name)
        out.push({
          ...base,
          kind: 'Secret',
          name,
          keys: [],
          optional: false,
          via: 'imagePullSecret',
          path: [...specPath, 'imagePullSecrets', i],
        });
    });
  return out;
}
