import { parseYaml, type YamlDoc, type YamlFile } from '../core/yaml.js';
import { BUILD_CONFIG_GROUPS, canonicalGroup, isBuiltinGroup, isClusterScoped, isToolConfigGroup } from './kinds.js';
import { deepEqual, isObject, type JsonObject, type KubeObject, type ObjectChange } from './model.js';

export type Problem =
  | { type: 'yaml'; line: number; column: number; reason: string }
  | { type: 'not-object'; line: number; found: string }
  | { type: 'missing-field'; line: number; field: string }
  | { type: 'duplicate'; line: number; id: string; firstLine: number };

export interface ParsedManifests {
  /** False when no document looks like a Kubernetes object (a plain config file, say). */
  isManifest: boolean;
  /** True for kustomize build configuration (kustomization.yaml): not applied to a cluster. */
  isBuildConfig: boolean;
  /**
   * Why documents with `apiVersion` and `kind` were read as a tool's config rather than an object
   * (toolConfigReason): never sent to the API server, so neither objects nor problems.
   */
  toolConfigs: Array<{ line: number; reason: string }>;
  objects: KubeObject[];
  problems: Problem[];
}

export interface ParseOptions {
  defaultNamespace: string;
  /** The environment the file deploys to ('' when none): see KubeObject.scope. */
  scope?: string;
  /** Keep the events' positions from the parse (see YamlOptions.eagerPositions): for texts findings point into. */
  eagerPositions?: boolean;
}

/** Parses one file of one revision into Kubernetes objects, never throwing on bad input. */
export function parseManifests(file: string, text: string, opts: ParseOptions): ParsedManifests {
  const yaml = parseYaml(text, opts.eagerPositions ? { eagerPositions: true } : {});
  const objects: KubeObject[] = [];
  const problems: Problem[] = [];
  // A .json file is read as JSON by kubectl and Argo CD: what YAML forgives (a trailing comma, a
  // comment, an unquoted key) is an error there, so it is one here.
  const json = /\.json$/i.test(file) && yaml.docs.every((d) => !d.error) ? jsonProblem(text) : undefined;
  if (json) problems.push(json);
  let looksLikeK8s = false;
  let buildConfig = false;
  const toolConfigs: ParsedManifests['toolConfigs'] = [];
  const nonObjects: Problem[] = [];
  for (const doc of yaml.docs) {
    if (doc.error) {
      problems.push({ type: 'yaml', line: doc.error.line, column: doc.error.column, reason: doc.error.reason });
      continue;
    }
    const v = doc.value;
    if (!isObject(v)) {
      nonObjects.push({ type: 'not-object', line: doc.line, found: Array.isArray(v) ? 'a list' : `a ${typeof v}` });
      continue;
    }
    if (typeof v.apiVersion !== 'string' && typeof v.kind !== 'string') {
      nonObjects.push({ type: 'missing-field', line: doc.line, field: 'apiVersion and kind' });
      continue;
    }
    const tool = toolConfigReason(v);
    if (tool) {
      toolConfigs.push({ line: doc.line, reason: tool });
      continue;
    }
    looksLikeK8s = true;
    for (const missing of ['apiVersion', 'kind'] as const) {
      if (typeof v[missing] !== 'string' || !v[missing]) {
        problems.push({ type: 'missing-field', line: yaml.locate(doc, []), field: missing });
      }
    }
    if (typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') continue;
    const { group } = splitApiVersion(v.apiVersion);
    if (BUILD_CONFIG_GROUPS.has(group)) {
      buildConfig = true;
      continue;
    }
    collect(file, v, doc, yaml, opts, objects, problems, []);
  }
  // Documents that are not objects only matter in a file that is otherwise a manifest.
  if (looksLikeK8s) problems.push(...nonObjects);
  const seen = new Map<string, KubeObject>();
  for (const o of objects) {
    const first = seen.get(o.id);
    if (first) problems.push({ type: 'duplicate', line: o.doc.line, id: o.id, firstLine: first.doc.line });
    else seen.set(o.id, o);
  }
  return { isManifest: looksLikeK8s && !buildConfig, isBuildConfig: buildConfig, toolConfigs, objects, problems };
}

/** A DNS-1123 subdomain: what an API group must be. */
const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS-1035 label: what an API version must be (v1, v1beta2, ...). */
const VERSION = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** What a kind can be: a CRD's kind is validated as a DNS-1035 label once lower-cased. */
const KIND = /^[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

/**
 * Why a document that has `apiVersion` and `kind` is still not a Kubernetes object, or undefined when
 * it may be one. The API server serves `group/version` where the version is a DNS-1035 label and a
 * group is either built in or a domain with at least one dot (apiextensions validation of a CRD's
 * `spec.group` and version names): `apiVersion: 0.1.0` (ksonnet's app.yaml) or `skaffold/v4beta11`
 * (skaffold's Config) name no API. An object annotated `config.kubernetes.io/local-config: "true"` is a
 * KRM function or tool config that kpt and kustomize never apply.
 */
export function toolConfigReason(v: JsonObject): string | undefined {
  const apiVersion = v.apiVersion;
  const kind = v.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  if (!VERSION.test(version) || (group !== '' && !GROUP.test(group)))
    return `apiVersion ${JSON.stringify(apiVersion)} is not a Kubernetes group/version: a tool's config, not a cluster object`;
  if (group !== '' && !group.includes('.') && !isBuiltinGroup(group))
    return `apiVersion ${JSON.stringify(apiVersion)} names no Kubernetes API group (custom groups are domains with a dot): a tool's config, not a cluster object`;
  if (!KIND.test(kind))
    return `kind ${JSON.stringify(kind)} is not a Kubernetes kind: a tool's config, not a cluster object`;
  if (group === '' && kind === 'Config') return 'a kubeconfig (v1 Config): client configuration, not a cluster object';
  if (isToolConfigGroup(group) && !BUILD_CONFIG_GROUPS.has(group))
    return `${apiVersion} ${kind} configures a tool or a cluster component, read from disk and never applied to a cluster`;
  const meta = isObject(v.metadata) ? v.metadata : undefined;
  const annotations = meta && isObject(meta.annotations) ? meta.annotations : undefined;
  const local = annotations?.[LOCAL_CONFIG];
  if (local === 'true' || local === true)
    return `annotated ${LOCAL_CONFIG}: "true": a KRM function or tool config, never applied to a cluster`;
  return undefined;
}

function collect(
  file: string,
  v: JsonObject,
  doc: YamlDoc,
  yaml: YamlFile,
  opts: ParseOptions,
  out: KubeObject[],
  problems: Problem[],
  itemPath: Array<string | number>,
): void {
  const apiVersion = v.apiVersion as string;
  const kind = v.kind as string;
  // `kind: List` (and `*List`) wraps items: each item is an object of its own.
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(v.items))) {
    const items = Array.isArray(v.items) ? v.items : [];
    items.forEach((item, i) => {
      if (isObject(item) && typeof item.apiVersion === 'string' && typeof item.kind === 'string')
        collect(file, item, doc, yaml, opts, out, problems, [...itemPath, 'items', i]);
      else
        problems.push({
          type: 'missing-field',
          line: yaml.locate(doc, [...itemPath, 'items', i]),
          field: 'apiVersion and kind',
        });
    });
    return;
  }
  const { group: written, version } = splitApiVersion(apiVersion);
  const group = canonicalGroup(written, kind);
  const meta = isObject(v.metadata) ? v.metadata : undefined;
  let name = typeof meta?.name === 'string' ? meta.name : undefined;
  if (!name && typeof meta?.generateName === 'string') name = `${meta.generateName}*`;
  if (!name) {
    problems.push({ type: 'missing-field', line: yaml.locate(doc, [...itemPath, 'metadata']), field: 'metadata.name' });
    return;
  }
  const cluster = isClusterScoped(group, kind);
  const namespace = cluster
    ? ''
    : typeof meta?.namespace === 'string' && meta.namespace
      ? meta.namespace
      : opts.defaultNamespace;
  const located: YamlFile = itemPath.length
    ? { docs: yaml.docs, locate: (d, p) => yaml.locate(d, [...itemPath, ...p]) }
    : yaml;
  out.push({
    id: `${group}/${kind}/${namespace}/${name}`,
    apiVersion,
    group,
    version,
    kind,
    namespace,
    name,
    scope: opts.scope ?? '',
    body: v,
    file,
    doc,
    yaml: located,
  });
}

/**
 * The name an object is known by across a `generateName` <-> `name` edit: `before-` (generateName,
 * parsed as `before-*`) and `before` are the same hook Job, re-created on every sync either way.
 */
export function stableName(o: Pick<KubeObject, 'group' | 'kind' | 'namespace' | 'name'>): string {
  return `${o.group}/${o.kind}/${o.namespace}/${o.name.replace(/\*$/, '').replace(/[-.]$/, '')}`;
}

/**
 * Sets `previous` on added objects that were at the base under another identity: the removed object
 * of the same kind, namespace and stable name (stableName). Only one candidate counts.
 */
export function linkPrevious(added: ObjectChange[], removed: readonly KubeObject[]): void {
  if (!added.length || !removed.length) return;
  const byName = new Map<string, KubeObject[]>();
  for (const o of removed) byName.set(stableName(o), [...(byName.get(stableName(o)) ?? []), o]);
  for (const c of added) {
    if (c.previous || !c.after) continue;
    const scope = c.after.scope;
    const found = byName.get(stableName(c.after))?.filter((o) => o.scope === scope || !o.scope || !scope);
    if (found?.length === 1) c.previous = found[0];
  }
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/**
 * Pairs the objects of both revisions by identity. An object found in another file at head is
 * `moved`, not removed and added. Unchanged objects (same body, same file) are left out.
 *
 * The same id may live in several files, one per cluster or environment (KubeObject.scope): objects
 * are paired within their environment, in the same file first, then across files. An object of no
 * known environment may pair with one of any environment (a file moved into clusters/prod/ from an
 * unscoped folder is a move); two different environments never pair.
 */
export function diffObjects(before: KubeObject[], after: KubeObject[]): ObjectChange[] {
  const changes: ObjectChange[] = [];
  const pair = (old: KubeObject, neu: KubeObject) => {
    const bodyChanged = !deepEqual(old.body, neu.body);
    const moved = old.file !== neu.file;
    if (!bodyChanged && !moved) return;
    changes.push({
      id: neu.id,
      group: neu.group,
      kind: neu.kind,
      status: moved ? 'moved' : 'modified',
      before: old,
      after: neu,
      bodyChanged,
    });
  };
  /** Pairs what it can of two lists under `fits`, same file first; removes the paired ones. */
  const match = (olds: KubeObject[], news: KubeObject[], fits: (o: KubeObject, n: KubeObject) => boolean) => {
    for (const sameFile of [true, false]) {
      for (let i = 0; i < olds.length;) {
        const j = news.findIndex((n) => fits(olds[i]!, n) && (!sameFile || n.file === olds[i]!.file));
        if (j < 0) {
          i++;
          continue;
        }
        pair(olds[i]!, news[j]!);
        olds.splice(i, 1);
        news.splice(j, 1);
      }
    }
  };
  const byId = (list: KubeObject[]) => {
    const m = new Map<string, KubeObject[]>();
    for (const o of list) {
      const same = m.get(o.id);
      if (same) same.push(o);
      else m.set(o.id, [o]);
    }
    return m;
  };
  const b = byId(before);
  const a = byId(after);
  for (const id of new Set([...b.keys(), ...a.keys()])) {
    const olds = [...(b.get(id) ?? [])];
    const news = [...(a.get(id) ?? [])];
    match(olds, news, (o, n) => o.scope === n.scope);
    match(olds, news, (o, n) => o.scope === '' || n.scope === '');
    for (const old of olds)
      changes.push({ id, group: old.group, kind: old.kind, status: 'removed', before: old, bodyChanged: true });
    for (const neu of news)
      changes.push({ id, group: neu.group, kind: neu.kind, status: 'added', after: neu, bodyChanged: true });
  }
  linkPrevious(
    changes.filter((c) => c.status === 'added'),
    changes.flatMap((c) => (c.status === 'removed' ? [c.before!] : [])),
  );
  // Each sort key made once (a tree's 20,000 added objects compare hundreds of thousands of times).
  const keyed = changes.map((c) => ({ c, key: `${c.id}\0${(c.after ?? c.before)!.file}` }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return keyed.map((k) => k.c);
}

/** Where a .json file stops being JSON (JSON.parse gives the byte position), or nothing when it is JSON. */
function jsonProblem(text: string): Problem | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return undefined;
  try {
    JSON.parse(body);
    return undefined;
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const pos = at ? Number(at[1]) : body.length;
    const lines = body.slice(0, pos).split('\n');
    const reason = `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/^Unexpected token.*?, /s, '')}`;
    return { type: 'yaml', line: lines.length, column: lines[lines.length - 1]!.length + 1, reason };
  }
}
