/**
 * When rendering cannot change the verdict.
 *
 * kustomize builds an overlay by accumulating the objects of its `resources` (files parsed as they are,
 * directories built as kustomizations of their own) and then running its own generators, patches and
 * transformers over the accumulated set. An object that reaches the overlay only through kustomizations
 * that neither transform nor patch it comes out as the file wrote it (key order and comments aside): its
 * rendered change is its raw change, which the Kubernetes surface already assesses in the file itself.
 * Rendering it would only repeat that, at the cost of a `kubectl kustomize` per overlay and revision.
 *
 * So a changed file leaves an overlay unrendered when, at each revision where the overlay exists:
 * - the file is modified in place (not added, deleted or renamed) and readable at both revisions;
 * - every document of it, at both revisions, is an object with `apiVersion`, `kind` and `metadata.name`
 *   (kustomize refuses anything else), and the objects' ids are the same at both (no new object that
 *   could collide with another one of the overlay, none removed);
 * - some kustomization of the overlay lists it under `resources` (or the older `bases`), none reads it
 *   as anything else (a patch, a generator source, a transformer or component...);
 * - every kustomization between the overlay and the file (those whose inputs include the one that lists
 *   it, both included) has no field that rewrites objects (namespace, name prefix or suffix, labels,
 *   annotations, images, replicas, generators, transformers, components, replacements, helm charts...),
 *   and each patch it has names a target (kind and name, or the patch's own kind and name) that none of
 *   the file's objects is.
 * Anything else is rendered.
 */
import type { ChangedFile, RepoReader } from '../../core/change.js';
import { isObject, type Json, type JsonObject } from '../../kube/model.js';
import type { Graph, Side } from './render.js';
import { inDir } from './render.js';
import { isKustomizationPath, joinPath, localReferences, stringEntries } from './model.js';

/** Kustomization fields that change no accumulated object. */
const NEUTRAL = new Set(['apiVersion', 'kind', 'metadata', 'resources', 'bases', 'sortOptions', 'generatorOptions']);
const PATCH_FIELDS = new Set(['patches', 'patchesStrategicMerge', 'patchesJson6902']);

interface ObjectId {
  kind: string;
  name: string;
  key: string;
}

type YamlParse = typeof import('../../core/yaml.js').parseYaml;

/** The ids of a file's objects, or undefined when a document is not an object kustomize would accept. */
function objectIds(text: string, parseYaml: YamlParse): ObjectId[] | undefined {
  const out: ObjectId[] = [];
  for (const doc of parseYaml(text).docs) {
    if (doc.error) return undefined;
    const v = doc.value;
    if (v === null || v === undefined) continue;
    if (!isObject(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') return undefined;
    const m = v.metadata;
    if (!isObject(m) || typeof m.name !== 'string' || !m.name) return undefined;
    const ns = typeof m.namespace === 'string' ? m.namespace : '';
    const group = v.apiVersion.includes('/') ? v.apiVersion.slice(0, v.apiVersion.indexOf('/')) : '';
    out.push({ kind: v.kind, name: m.name, key: `${group}\0${v.kind}\0${ns}\0${m.name}` });
  }
  return out;
}

/** kustomize's selector match: the pattern is a regular expression anchored at both ends. */
function selects(pattern: Json | undefined, value: string): boolean {
  if (typeof pattern !== 'string' || pattern === '') return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return true;
  }
}

/** True when a patch (a target selector, or a strategic-merge patch's own header) cannot select any of the objects. */
function missesAll(target: JsonObject, objects: readonly ObjectId[], regex: boolean): boolean {
  if (typeof target.kind !== 'string' && typeof target.name !== 'string') return false;
  const match = (p: Json | undefined, v: string) => (regex ? selects(p, v) : typeof p !== 'string' || p === v);
  return objects.every((o) => !(match(target.kind, o.kind) && match(target.name, o.name)));
}

/** Strategic-merge patch text: selects by its documents' kind and name; unreadable ones select everything. */
function smpMisses(text: string | undefined, objects: readonly ObjectId[], parseYaml: YamlParse): boolean {
  if (text === undefined) return false;
  const docs = parseYaml(text).docs;
  if (!docs.length) return false;
  return docs.every((d) => {
    const v = d.value;
    if (d.error || !isObject(v) || typeof v.kind !== 'string' || !isObject(v.metadata)) return false;
    if (typeof v.metadata.name !== 'string') return false;
    return missesAll({ kind: v.kind, name: v.metadata.name }, objects, false);
  });
}

/** True when a kustomization rewrites none of the objects (see the module comment). */
async function leavesAlone(
  repo: RepoReader,
  side: Side,
  dir: string,
  k: JsonObject,
  objects: readonly ObjectId[],
  parseYaml: YamlParse,
): Promise<boolean> {
  for (const [field, value] of Object.entries(k)) {
    if (NEUTRAL.has(field) || value === null) continue;
    if (!PATCH_FIELDS.has(field) || !Array.isArray(value)) return false;
    for (const p of value) {
      const inline = typeof p === 'string' ? (p.includes('\n') ? p : undefined) : undefined;
      const path = typeof p === 'string' ? (inline === undefined ? p : undefined) : isObject(p) ? p.path : undefined;
      const text = async () => {
        if (inline !== undefined) return inline;
        if (isObject(p) && typeof p.patch === 'string') return p.patch;
        if (typeof path !== 'string') return undefined;
        const full = joinPath(dir, path);
        return full === undefined ? undefined : repo.readText(side, full);
      };
      if (field === 'patchesJson6902') {
        if (!isObject(p) || !isObject(p.target) || !missesAll(p.target, objects, false)) return false;
      } else if (isObject(p) && isObject(p.target)) {
        if (!missesAll(p.target, objects, true)) return false;
      } else if (!smpMisses(await text(), objects, parseYaml)) return false;
    }
  }
  return true;
}

/**
 * True when the overlay `root` at `side` need not be rendered for the change: every changed path in its
 * inputs is a resource file that reaches it untouched (see the module comment).
 */
export async function rawEquivalent(
  repo: RepoReader,
  side: Side,
  graph: Graph,
  root: string,
  changed: readonly ChangedFile[],
): Promise<boolean> {
  const { parseYaml } = await import('../../core/yaml.js');
  const closure = graph.closure(root);
  const inputs = changed.filter((f) =>
    [f.path, f.oldPath].some((p) => p !== undefined && closure.some((d) => inDir(p, d))),
  );
  // Paths each kustomization of the closure reads other than as a resource file.
  const otherUses = new Set<string>();
  const listers = new Map<string, string[]>();
  for (const d of closure) {
    const k = graph.nodes.get(d)?.value;
    if (!k) return false;
    const refs = localReferences(k);
    const resourceEntries = new Set(
      [...stringEntries(k, 'resources'), ...stringEntries(k, 'bases')].map((e) => e.value),
    );
    for (const r of [...refs.files, ...refs.dirsOrFiles.filter((x) => !resourceEntries.has(x))]) {
      const p = joinPath(d, r);
      if (p !== undefined) otherUses.add(p);
    }
    for (const r of resourceEntries) {
      // kustomize's load restrictor: a file outside the kustomization's directory fails the build.
      const p = joinPath(d, r);
      if (p !== undefined && inDir(p, d)) listers.set(p, [...(listers.get(p) ?? []), d]);
    }
  }
  for (const f of inputs) {
    if (f.status !== 'modified' || f.oldPath !== undefined || f.unreadable) return false;
    if (f.oldText === undefined || f.newText === undefined) return false;
    if (isKustomizationPath(f.path) || otherUses.has(f.path)) return false;
    const by = listers.get(f.path);
    if (!by?.length) return false;
    const before = objectIds(f.oldText, parseYaml);
    const after = objectIds(f.newText, parseYaml);
    if (!before || !after) return false;
    const keys = (ids: ObjectId[]) =>
      ids
        .map((i) => i.key)
        .sort()
        .join('\n');
    if (keys(before) !== keys(after)) return false;
    // Every kustomization on the way from the overlay to a kustomization listing the file.
    const chain = closure.filter((d) => by.some((k) => graph.closure(d).includes(k)));
    for (const d of chain)
      if (!(await leavesAlone(repo, side, d, graph.nodes.get(d)!.value!, after, parseYaml))) return false;
  }
  return true;
}
