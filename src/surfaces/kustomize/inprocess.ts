/**
 * kustomize's simple builds, in process: overlays whose kustomizations only list local resources and set
 * `namespace`, `commonAnnotations`, `labels` (metadata only) or `images`. Anything else (patches,
 * generators, name prefixes and suffixes, `commonLabels`, selectors, components, remote or Helm inputs,
 * kinds the namespace transformer treats specially...) returns undefined and is rendered by
 * `kubectl kustomize`. `inprocess.test.ts` renders a table of overlays both ways and compares them.
 *
 * What kustomize does, as encoded here (kustomize v5, as bundled with kubectl):
 * - a build accumulates its `resources` (and the older `bases`) in order: files are parsed (empty
 *   documents skipped), directories are built as kustomizations of their own; two objects with one id fail
 *   the build (left to kubectl);
 * - `namespace` sets `metadata.namespace` of every namespaced object, replacing the one written;
 * - `commonAnnotations` adds to `metadata.annotations`, and to the pod template's of workloads
 *   (builtin field specs: `commonannotations.go`);
 * - `labels` without `includeSelectors`/`includeTemplates` adds to `metadata.labels` only;
 * - `images` rewrites the `image` of every item of any `containers` or `initContainers` list, anywhere
 *   in any object ("builtin supported in code" in kustomize's `images.go`), whose name (the image without
 *   tag and digest, `image.Split`) is the entry's `name`: `newName` replaces the name, `newTag` the tag and
 *   digest, `digest` both (with `newTag`, both set), entries applied in order;
 * - the output is sorted in kustomize's legacy order (kinds in a fixed order, then by group, version,
 *   kind, namespace and name), each object with its keys sorted, as `kubectl kustomize` prints it.
 */
import type { Json, JsonObject } from '../../kube/model.js';
import { isObject } from '../../kube/model.js';
import type { Graph } from './render.js';
import { inDir } from './render.js';
import { isRemote, joinPath } from './model.js';

const FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'namespace',
  'commonAnnotations',
  'labels',
  'images',
]);

const KUSTOMIZE_KINDS = new Set(['Kustomization', 'Component']);

/**
 * Kinds that are cluster-scoped, or whose namespace kustomize also writes elsewhere (subjects, webhook
 * and API services): a build with `namespace` over any of them is left to kubectl.
 */
const NAMESPACE_SPECIAL = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'RoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'Node',
  'PodSecurityPolicy',
  'ComponentStatus',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ClusterIssuer',
  'ClusterPolicy',
  'ClusterRoleTemplate',
]);

/** Workload pod templates that commonAnnotations also annotates (kustomize's builtin field specs). */
const TEMPLATE_PATHS: Record<string, string[][]> = {
  ReplicationController: [['spec', 'template', 'metadata', 'annotations']],
  Deployment: [['spec', 'template', 'metadata', 'annotations']],
  ReplicaSet: [['spec', 'template', 'metadata', 'annotations']],
  DaemonSet: [['spec', 'template', 'metadata', 'annotations']],
  StatefulSet: [['spec', 'template', 'metadata', 'annotations']],
  Job: [['spec', 'template', 'metadata', 'annotations']],
  CronJob: [
    ['spec', 'jobTemplate', 'metadata', 'annotations'],
    ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations'],
  ],
};

const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/** Not a simple build: the caller renders with kubectl. */
class NotSimple extends Error {}

type Read = (path: string) => Promise<string | undefined>;

function stringMap(v: Json | undefined): Record<string, string> | undefined {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return undefined;
    out[k] = x;
  }
  return out;
}

/** kustomize's `image.Split`: name, tag and digest of an image reference. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  let slash = image.indexOf('/');
  const search = slash > 0 ? image.slice(slash) : image;
  if (slash <= 0) slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += slash;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

function imageEntries(v: Json | undefined): ImageEntry[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new NotSimple();
  return v.map((e) => {
    if (!isObject(e) || typeof e.name !== 'string' || !e.name) throw new NotSimple();
    const out: ImageEntry = { name: e.name };
    for (const [k, x] of Object.entries(e)) {
      if (k === 'name') continue;
      if (k !== 'newName' && k !== 'newTag' && k !== 'digest') throw new NotSimple();
      if (typeof x !== 'string') throw new NotSimple();
      out[k] = x;
    }
    return out;
  });
}

function updateImage(image: string, e: ImageEntry): string {
  let { name, tag, digest } = splitImage(image);
  if (name !== e.name) return image;
  if (e.newName) name = e.newName;
  if (e.newTag && e.digest) {
    tag = e.newTag;
    digest = e.digest;
  } else if (e.newTag) {
    tag = e.newTag;
    digest = '';
  } else if (e.digest) {
    digest = e.digest;
    tag = '';
  }
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** Every `containers`/`initContainers` item's image, anywhere in the object. */
function eachContainer(v: Json, f: (c: JsonObject) => void): void {
  if (Array.isArray(v)) for (const x of v) eachContainer(x, f);
  else if (isObject(v))
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(x)) {
        for (const c of x) if (isObject(c) && typeof c.image === 'string') f(c);
      }
      eachContainer(x, f);
    }
}

function addTo(obj: JsonObject, path: string[], add: Record<string, string>): void {
  let cur: JsonObject = obj;
  for (const seg of path) {
    const next = cur[seg];
    if (next === undefined || next === null) cur = cur[seg] = {};
    else if (isObject(next)) cur = next;
    else throw new NotSimple();
  }
  Object.assign(cur, add);
}

function idOf(o: JsonObject): { group: string; version: string; kind: string; namespace: string; name: string } {
  const api = o.apiVersion as string;
  const slash = api.indexOf('/');
  const meta = o.metadata as JsonObject;
  return {
    group: slash < 0 ? '' : api.slice(0, slash),
    version: slash < 0 ? api : api.slice(slash + 1),
    kind: o.kind as string,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
    name: meta.name as string,
  };
}

const gvkString = (i: ReturnType<typeof idOf>) => `${i.group || '~G'}_${i.version || '~V'}_${i.kind || '~K'}`;
const typeOrder = (kind: string) => {
  const f = ORDER_FIRST.indexOf(kind);
  if (f >= 0) return f - ORDER_FIRST.length;
  const l = ORDER_LAST.indexOf(kind);
  return l >= 0 ? l + 1 : 0;
};

/** kustomize's legacy order. */
function legacyCompare(a: JsonObject, b: JsonObject): number {
  const x = idOf(a);
  const y = idOf(b);
  const gx = gvkString(x);
  const gy = gvkString(y);
  if (gx !== gy) {
    const d = typeOrder(x.kind) - typeOrder(y.kind);
    if (d) return d;
    return gx < gy ? -1 : 1;
  }
  const sx = `${gx}|${x.namespace || '~X'}|${x.name}`;
  const sy = `${gy}|${y.namespace || '~X'}|${y.name}`;
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

async function build(dir: string, graph: Graph, read: Read, seen: Set<string>): Promise<JsonObject[]> {
  if (seen.has(dir)) throw new NotSimple(); // a cycle: kubectl says so
  seen.add(dir);
  const k = graph.nodes.get(dir)?.value;
  if (!k) throw new NotSimple();
  for (const f of Object.keys(k)) if (!FIELDS.has(f)) throw new NotSimple();
  if (k.kind !== undefined && k.kind !== 'Kustomization') throw new NotSimple();
  const { parseYaml } = await import('../../core/yaml.js');
  const objects: JsonObject[] = [];
  const entries = [k.resources, k.bases].flatMap((l) => {
    if (l === undefined || l === null) return [];
    if (!Array.isArray(l)) throw new NotSimple();
    return l;
  });
  for (const e of entries) {
    if (typeof e !== 'string' || isRemote(e)) throw new NotSimple();
    const p = joinPath(dir, e);
    if (p === undefined) throw new NotSimple();
    if (graph.nodes.has(p)) {
      objects.push(...(await build(p, graph, read, seen)));
      continue;
    }
    // kustomize's load restrictor: a file outside the kustomization's directory fails the build.
    if (!inDir(p, dir)) throw new NotSimple();
    const text = await read(p);
    if (text === undefined) throw new NotSimple();
    for (const doc of parseYaml(text).docs) {
      if (doc.error) throw new NotSimple();
      const v = doc.value;
      if (v === null || v === undefined) continue;
      if (!isObject(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') throw new NotSimple();
      // kustomize's own kinds are left to kubectl; a Flux `Kustomization` (kustomize.toolkit.fluxcd.io) is an
      // object like any other, and most Flux repositories list one beside its source.
      if (
        v.kind.endsWith('List') ||
        (KUSTOMIZE_KINDS.has(v.kind) && v.apiVersion.startsWith('kustomize.config.k8s.io/'))
      )
        throw new NotSimple();
      const m = v.metadata;
      if (!isObject(m) || typeof m.name !== 'string' || !m.name) throw new NotSimple();
      if (m.namespace !== undefined && typeof m.namespace !== 'string') throw new NotSimple();
      objects.push(structuredClone(v));
    }
  }
  const ids = new Set<string>();
  for (const o of objects) {
    const i = idOf(o);
    const key = `${i.group}|${i.kind}|${i.namespace}|${i.name}`;
    if (ids.has(key)) throw new NotSimple(); // kustomize refuses duplicates: kubectl's message is reported
    ids.add(key);
  }
  // Transformers, in kustomize's builtin order (namespace, labels, annotations, images).
  if (k.namespace !== undefined && k.namespace !== null) {
    if (typeof k.namespace !== 'string') throw new NotSimple();
    if (k.namespace) {
      for (const o of objects) {
        if (NAMESPACE_SPECIAL.has(o.kind as string)) throw new NotSimple();
        (o.metadata as JsonObject).namespace = k.namespace;
      }
    }
  }
  if (k.labels !== undefined && k.labels !== null) {
    if (!Array.isArray(k.labels)) throw new NotSimple();
    for (const l of k.labels) {
      if (!isObject(l)) throw new NotSimple();
      for (const f of Object.keys(l)) if (f !== 'pairs') throw new NotSimple();
      const pairs = stringMap(l.pairs);
      if (!pairs) throw new NotSimple();
      if (Object.keys(pairs).length) for (const o of objects) addTo(o, ['metadata', 'labels'], pairs);
    }
  }
  const annotations = stringMap(k.commonAnnotations);
  if (!annotations) throw new NotSimple();
  if (Object.keys(annotations).length)
    for (const o of objects) {
      addTo(o, ['metadata', 'annotations'], annotations);
      for (const path of TEMPLATE_PATHS[o.kind as string] ?? []) {
        // Only where the workload has that part (an empty template is left to kubectl).
        let cur: Json | undefined = o;
        for (const seg of path.slice(0, -2)) cur = isObject(cur) ? cur[seg] : undefined;
        if (!isObject(cur)) throw new NotSimple();
        addTo(o, path, annotations);
      }
    }
  for (const e of imageEntries(k.images))
    for (const o of objects)
      eachContainer(o, (c) => {
        c.image = updateImage(c.image as string, e);
      });
  seen.delete(dir);
  return objects;
}

/**
 * kubectl prints through go-yaml, which folds plain strings longer than its line width at spaces and
 * quotes multi-line strings it cannot write as a literal block: the lines of such output are not
 * js-yaml's, so those builds are left to kubectl (a finding's line must be the rendered line).
 */
function printable(s: string): boolean {
  if (/[^\x20-\x7e\n]/.test(s)) return false;
  if (s.includes('\n')) return !/[ \t]\n|^[ \t]|\n[ \t]*\n[ \t]/.test(s) && !/[ \t]$/.test(s);
  return s.length <= 60 || !s.includes(' ');
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'string' && !printable(v)) throw new NotSimple();
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]!);
  return out;
}

/**
 * The rendered output of an overlay (the text `kubectl kustomize` prints, up to the quoting of scalars),
 * or undefined when its build is not a simple one. `read` reads a repository path at the side rendered.
 */
export async function renderInProcess(root: string, graph: Graph, read: Read): Promise<string | undefined> {
  let objects: JsonObject[];
  try {
    objects = await build(root, graph, read, new Set());
  } catch (e) {
    if (e instanceof NotSimple) return undefined;
    throw e;
  }
  objects.sort(legacyCompare);
  const { dump } = await import('js-yaml');
  try {
    return objects
      .map((o) => dump(sortKeys(o), { seqNoIndent: true, lineWidth: -1, quoteStyle: 'double', noRefs: true }))
      .join('---\n');
  } catch (e) {
    if (e instanceof NotSimple) return undefined;
    throw e;
  }
}
