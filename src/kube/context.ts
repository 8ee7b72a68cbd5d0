/**
 * The context Kubernetes rules receive (KubeContext): both sides of the changed manifests parsed,
 * paired by object identity, with lazy whole-file maps and a repository-wide lookup, and the
 * machinery that keeps it cheap (common documents blanked before parsing, parses memoised per run,
 * the repository search started ahead). The kubernetes surface builds it for the changed files, and
 * the helm and kustomize surfaces for their rendered output.
 */
import type { ChangedFile } from '../core/change.js';
import { environmentsOfPath, kubeMinor } from '../core/config.js';
import type { Report, Rule } from '../core/rule.js';
import type { SurfaceContext } from '../core/surface.js';
import { containsAny, type Contains } from '../core/contains.js';
import { documentsOf, mayBeKind } from './documents.js';
import type { KubeContext, KubeObject, ObjectChange } from './model.js';
import { templated as isTemplated } from './objects.js';
import type { ParsedManifests } from './parse.js';
import { repositoryIndex, startPrefetch, type Prefetch } from './repository-index.js';

/** What a document that does not parse is reported as (kubernetes/invalid-manifest). */
export type ManifestProblem = 'yaml' | 'notObject' | 'missingField' | 'duplicate' | 'fieldType';

export interface KubeContextOptions {
  /** The rule the files and documents that do not parse are reported through. */
  problems: Rule<any, ManifestProblem>;
  /**
   * Whether a rule will look objects up across the repository: the search for the names of the
   * ConfigMaps and Secrets the change may remove then starts before parsing, on the other core.
   */
  prefetch: boolean;
  /**
   * One batch of a large change (forEachKubeContext): `ctx.files` are the batch's files and `all` every
   * file the surface claimed (what `mentioning` and the repository search see). Objects the batch
   * leaves unpaired go to `unpaired` instead of `changes`; `carried`: those of every batch, paired and
   * reported by the last context.
   */
  batch?: {
    all: ChangedFile[];
    prefetch: Prefetch | undefined;
    unpaired?: Unpaired;
    carried?: Unpaired;
    /** No file outside the batch has a base side: what it adds pairs with nothing elsewhere. */
    addedFinal?: boolean;
    /** No file outside the batch has a head side: what it removes pairs with nothing elsewhere. */
    removedFinal?: boolean;
    /** The patch files of every claimed file (kustomizePatchFiles), read once. */
    patchFiles: Map<string, string>;
    /** Every object of the claimed files at each side, for every batch (parsed once, if a rule reads them). */
    whole: { before: ReadonlyMap<string, KubeObject>; after: ReadonlyMap<string, KubeObject> };
    /**
     * For the names of the ConfigMaps the change defines, the paths of the claimed files whose head text
     * contains each (read once per run by the batching): a head-side `mentioning` of those names reads
     * those files only, instead of every claimed file's text in every batch.
     */
    namedAtHead?: ReadonlyMap<string, ReadonlySet<string>>;
  };
}

/** Objects of a batch that no object of the same batch paired (added, removed, or moved across batches). */
export interface Unpaired {
  before: KubeObject[];
  after: KubeObject[];
  /** Base paths of files whose head text does not parse. */
  brokenAtHead: Set<string>;
}

/**
 * Parses both sides of the claimed files, reports what does not parse, and pairs the objects.
 * Documents a modified file has in common on both sides are blanked before parsing (they cannot
 * change anything); the complete objects of the changed files are parsed only if a rule asks for
 * them through `before`/`after`.
 */
export async function buildKubeContext(
  ctx: SurfaceContext,
  opts: KubeContextOptions,
): Promise<KubeContext & { release(): void }> {
  // Before anything else (and before the first await, so before the surfaces that start after this one
  // run): the repository-wide search a rule may need runs on the other core while this one parses.
  const prefetch = opts.batch ? opts.batch.prefetch : opts.prefetch ? startPrefetch(ctx) : undefined;
  const [{ parseManifests, diffObjects }, { keepDocuments, maskCommonDocuments }, { kustomizePatchFiles }] =
    await Promise.all([import('./parse.js'), import('../core/yaml.js'), import('./kustomize-inputs.js')]);
  const patchFiles = opts.batch?.patchFiles ?? (await kustomizePatchFiles(ctx));
  const report = ctx.reporter(opts.problems);
  // The environment a file deploys to scopes its objects' identity (see KubeObject.scope).
  // `located`: the changed documents, which findings point into, keep their positions from this parse.
  const parse = (file: string, text: string, key: string, located = false): ParsedManifests =>
    ctx.memo(`kubernetes:${key}:${file}`, () =>
      parseManifests(file, text, { ...parseOptions(ctx.config, file), ...(located ? { eagerPositions: true } : {}) }),
    );

  const before: KubeObject[] = [];
  const after: KubeObject[] = [];
  /** Base paths of files whose head text does not parse: what they lost is unknown, not deleted. */
  const brokenAtHead = new Set<string>();
  /** The complete texts, for the lazy maps. */
  /** Every side of every file; `partial`/`maskedKey`: its changed documents only, as parsed for the diff. */
  const complete: Array<{
    side: 'base' | 'head';
    path: string;
    text: string;
    key: string;
    partial?: string;
    maskedKey?: string;
    /** The documents the mask blanked (unchanged), by index into splitDocuments of `text`. */
    blanked?: ReadonlySet<number>;
  }> = [];
  type Side = {
    side: 'base' | 'head';
    text: string;
    path: string;
    key: string;
    partial?: string;
    blanked?: ReadonlySet<number>;
    masked: boolean;
  };
  const plans: Array<{
    f: ChangedFile;
    sides: Side[];
    manifest: boolean;
    readable: boolean;
    buildConfig?: boolean;
    /** Why the file's documents are a tool's config (parse.ts toolConfigReason), when they are. */
    toolConfig?: string;
    /** The file does not parse and names no apiVersion or kind anywhere: not a manifest at all. */
    notYamlManifest?: boolean;
  }> = [];
  const completeOf = new Map<ChangedFile, typeof complete>();
  for (const f of ctx.files) {
    const oldPath = f.oldPath ?? f.path;
    const patchOf = patchFiles.get(f.path);
    if (patchOf) {
      ctx.skip(
        f.path,
        `a Kustomize patch (listed in ${patchOf}): applied to its target when the overlay renders, not an object`,
      );
      continue;
    }
    const templated = (path: string, text: string | undefined) => text !== undefined && isTemplated(path, text);
    for (const [path, text] of [
      [oldPath, f.oldText],
      [f.path, f.newText],
    ] as const)
      if (templated(path, text)) ctx.skip(path, 'Helm template: rendered and assessed by the helm surface');
    const oldText = templated(oldPath, f.oldText) ? undefined : f.oldText;
    const newText = templated(f.path, f.newText) ? undefined : f.newText;
    const oldKey = f.oldBlob ?? `base:${oldPath}`;
    const newKey = f.newBlob ?? `head:${f.path}`;
    // Memoised: the surfaces that read changes only (objectsContext) blank the same documents.
    const masked =
      oldText !== undefined && newText !== undefined
        ? ctx.memo(`kubernetes:mask:${oldKey}:${newKey}`, () => maskCommonDocuments(oldText, newText))
        : undefined;
    const sides: Side[] = [];
    if (oldText !== undefined)
      sides.push({
        side: 'base',
        text: oldText,
        path: oldPath,
        key: oldKey,
        masked: !!masked?.masked,
        ...(masked?.masked ? { partial: masked.a, blanked: masked.blankedA } : {}),
      });
    if (newText !== undefined)
      sides.push({
        side: 'head',
        text: newText,
        path: f.path,
        key: newKey,
        masked: !!masked?.masked,
        ...(masked?.masked ? { partial: masked.b, blanked: masked.blankedB } : {}),
      });
    const entries: typeof complete = [];
    completeOf.set(f, entries);
    for (const sd of sides)
      entries.push({
        side: sd.side,
        path: sd.path,
        text: sd.text,
        key: sd.key,
        ...(sd.partial !== undefined
          ? {
              partial: sd.partial,
              maskedKey: `${sd.key}:masked:${sides.find((x) => x !== sd)?.key ?? ''}`,
              blanked: sd.blanked ?? new Set<number>(),
            }
          : {}),
      });
    plans.push({ f, sides, manifest: false, readable: oldText !== undefined || newText !== undefined });
  }
  // Every claimed file's sides, in the change's order; a file of another batch whole (not masked): its
  // documents that mention a name are the same objects, parsed from its full text.
  const allFiles = opts.batch?.all ?? ctx.files;
  const otherPatchFiles = opts.batch?.patchFiles ?? patchFiles;
  for (const f of allFiles) {
    const mine = completeOf.get(f);
    if (mine) {
      complete.push(...mine);
      continue;
    }
    if (otherPatchFiles.has(f.path)) continue;
    const oldPath = f.oldPath ?? f.path;
    if (f.oldText !== undefined && !isTemplated(oldPath, f.oldText))
      complete.push({ side: 'base', path: oldPath, text: f.oldText, key: f.oldBlob ?? `base:${oldPath}` });
    if (f.newText !== undefined && !isTemplated(f.path, f.newText))
      complete.push({ side: 'head', path: f.path, text: f.newText, key: f.newBlob ?? `head:${f.path}` });
  }
  const parseSide = (plan: (typeof plans)[number], sd: Side) => {
    const other = plan.sides.find((x) => x !== sd)?.key ?? '';
    const parsed =
      sd.partial !== undefined
        ? parse(sd.path, sd.partial, `${sd.key}:masked:${other}`, true)
        : parse(sd.path, sd.text, sd.key, true);
    if (parsed.isBuildConfig) plan.buildConfig = true;
    if (parsed.toolConfigs.length) plan.toolConfig ??= parsed.toolConfigs[0]!.reason;
    if (
      !parsed.isManifest &&
      parsed.problems.some((p) => p.type === 'yaml') &&
      // An alias bomb is an attack on whatever reads it, never a tool's file to skip.
      !parsed.problems.some((p) => p.type === 'yaml' && /alias|exhaustion/i.test(p.reason)) &&
      !mentionsObjectFields(sd.text) &&
      !(sd.side === 'head' && plan.manifest) &&
      // In an environment's folder a file that does not parse is what deploys there: unknown, not skipped.
      environmentsOfPath(ctx.config, sd.path).length === 0
    ) {
      // A lock file or a tool's file that does not even parse, with no apiVersion or kind anywhere in
      // it, outside every environment: nothing in it can be a Kubernetes object, so its YAML is not
      // this surface's to judge.
      plan.notYamlManifest = true;
      return;
    }
    if (!parsed.isManifest && parsed.problems.every((p) => p.type !== 'yaml')) {
      // Every document it kept may have been blanked as unchanged: still a manifest, with nothing to assess.
      if (sd.masked && looksLikeManifest(sd.text)) plan.manifest = true;
      return;
    }
    plan.manifest = true;
    (sd.side === 'base' ? before : after).push(...parsed.objects);
    if (sd.side === 'head' && parsed.problems.some((p) => p.type === 'yaml'))
      brokenAtHead.add(plan.f.oldPath ?? plan.f.path);
    // Problems are reported for the head side only; a base that did not parse is named once, as context.
    if (sd.side === 'head' || !plan.sides.some((x) => x.side === 'head'))
      reportProblems(report, sd.path, parsed, sd.side);
  };
  // Base sides first: the ConfigMaps and Secrets they change are what a repository-wide lookup may
  // need (the search started above for their names).
  for (const plan of plans) for (const sd of plan.sides) if (sd.side === 'base') parseSide(plan, sd);
  for (const plan of plans) for (const sd of plan.sides) if (sd.side === 'head') parseSide(plan, sd);
  for (const plan of plans)
    if (plan.readable && !plan.manifest)
      ctx.skip(
        plan.f.path,
        plan.buildConfig
          ? 'kustomize build configuration: not applied to a cluster (the kustomize surface renders it)'
          : plan.toolConfig
            ? `not a Kubernetes manifest: ${plan.toolConfig}`
            : plan.notYamlManifest
              ? 'YAML that does not parse and has no apiVersion or kind anywhere: not a Kubernetes manifest'
              : 'YAML without apiVersion and kind: not a Kubernetes manifest',
      );

  // Every object of the changed files (unchanged documents included), parsed on first use.
  const all = (side: 'base' | 'head') => () =>
    complete.filter((c) => c.side === side).flatMap((c) => parse(c.path, c.text, c.key).objects);
  const bodies = new WeakMap<KubeObject, string>();
  const mentions = (o: KubeObject, has: Contains): boolean => {
    let json = bodies.get(o);
    if (json === undefined) bodies.set(o, (json = JSON.stringify(o.body)));
    return has(json);
  };
  // A look-up's strings, as a short memo key: thousands of names joined into every file's key cost memory quadratic in the change.
  const tags = ctx.memo('kubernetes:tags', () => new Map<string, string>());
  const tagOf = (long: string): string => {
    let tag = tags.get(long);
    if (tag === undefined) tags.set(long, (tag = `#${tags.size}`));
    return tag;
  };
  /** The head paths whose text may contain one of `strings`, when the batching indexed them all. */
  const namedAtHead = opts.batch?.namedAtHead;
  const headPathsNaming = (strings: readonly string[]): Set<string> | undefined => {
    if (!namedAtHead || strings.length === 0) return undefined;
    const out = new Set<string>();
    for (const s of strings) {
      const paths = namedAtHead.get(s);
      if (!paths) return undefined;
      for (const p of paths) out.add(p);
    }
    return out;
  };
  const mentioning = (side: 'base' | 'head', strings: readonly string[], kinds?: readonly string[]): KubeObject[] => {
    const ofKind = (o: KubeObject) => !kinds || kinds.includes(o.kind);
    const tag = tagOf(`${strings.join('\0')}${kinds ? `\0kinds:${kinds.join(',')}` : ''}`);
    const has = containsAny(strings);
    const named = side === 'head' ? headPathsNaming(strings) : undefined;
    return complete
      .filter((c) => c.side === side && (!named || named.has(c.path)) && has(c.text))
      .flatMap((c) => {
        const key = `${c.key}:mentioning:${tag}`;
        const docs = documentsOf(ctx, c.key, c.text);
        const wanted = (doc: string, i: number) => has(doc) && (!kinds || mayBeKind(docs.header(i).kind, kinds));
        /** The documents `keep` accepts, parsed (nothing when it accepts none). */
        const kept = (memoKey: string, keep: (doc: string, i: number) => boolean) => {
          const text = ctx.memo(`kubernetes:text:${memoKey}`, () => {
            const ids = new Set<number>();
            docs.pieces.forEach((p, i) => keep(p.text, i) && ids.add(i));
            if (ids.size === 0) return undefined;
            return ids.size === docs.pieces.length ? c.text : keepDocuments(c.text, (_, i) => ids.has(i), docs.pieces);
          });
          if (text === undefined) return [];
          // Every document kept: the whole file's parse (shared with `before`/`after`).
          return (text === c.text ? parse(c.path, c.text, c.key) : parse(c.path, text, memoKey)).objects.filter(ofKind);
        };
        if (c.partial === undefined) return kept(key, wanted);
        // The changed documents are parsed already (the diff's parse): their objects that mention a name.
        // Only the unchanged documents that mention one are parsed here.
        const changed = parse(c.path, c.partial, c.maskedKey!).objects.filter((o) => ofKind(o) && mentions(o, has));
        // The documents the mask left out (known from the mask), before the text scan: most are changed.
        const blanked = c.blanked!;
        return [...changed, ...kept(`${key}:unchanged`, (doc, i) => blanked.has(i) && wanted(doc, i))];
      });
  };
  const index = repositoryIndex(
    ctx,
    allFiles,
    mentioning,
    // Only the documents that mention one of the names: no other document can be an object mentioning them.
    (file, text, strings) => {
      const key = `grep:${file}:${tagOf(strings.join('\0'))}`;
      const has = containsAny(strings);
      const kept = ctx.memo(`kubernetes:text:${key}`, () => keepDocuments(text, (doc) => has(doc)));
      return parse(file, kept, key);
    },
    prefetch,
  );
  const carried = opts.batch?.carried;
  if (carried) {
    before.push(...carried.before);
    after.push(...carried.after);
    for (const p of carried.brokenAtHead) brokenAtHead.add(p);
  }
  const afterIds = new Set(after.map((o) => o.id));
  // An object missing from a file that no longer parses is reported by invalid-manifest, not as a deletion.
  const diffable = () => before.filter((o) => !brokenAtHead.has(o.file) || afterIds.has(o.id));
  let changes: ObjectChange[];
  const batch = opts.batch;
  if (batch?.unpaired) {
    // A batch reports the objects it pairs. The others may pair with another batch's (a move, a renamed
    // twin), so the last context pairs them all, unless no other batch has a side to pair them with.
    const all = diffObjects(before, after);
    const loose = all.filter((c) => !c.before || !c.after);
    if (loose.every((c) => (c.after ? batch.addedFinal : batch.removedFinal)))
      changes = brokenAtHead.size ? diffObjects(diffable(), after) : all;
    else {
      changes = all.filter((c) => c.before && c.after);
      for (const c of loose) {
        if (c.before) batch.unpaired.before.push(c.before);
        else batch.unpaired.after.push(c.after!);
      }
      for (const p of brokenAtHead) batch.unpaired.brokenAtHead.add(p);
    }
  } else changes = diffObjects(diffable(), after);
  await checkFieldTypes(changes, report);
  return {
    changes,
    before: opts.batch?.whole.before ?? lazyMap(all('base')),
    after: opts.batch?.whole.after ?? lazyMap(all('head')),
    config: ctx.config,
    kubeMinor: kubeMinor(ctx.config),
    knownKinds: ctx.knownKinds,
    repo: ctx.repo,
    index,
    mentioning,
    release: () => {
      if (!opts.batch) prefetch?.cancel();
    },
  };
}

/** How a file's objects are parsed: the environment a file deploys to scopes their identity (KubeObject.scope). */
export function parseOptions(config: SurfaceContext['config'], file: string) {
  return {
    defaultNamespace: config.kubernetes.defaultNamespace,
    scope: environmentsOfPath(config, file)[0] ?? '',
  };
}

/** Whether a text names `apiVersion` or `kind` as a key anywhere (at any indentation, in flow style too). */
function mentionsObjectFields(text: string): boolean {
  return /(^|[\s{,])["']?(apiVersion|kind)["']?\s*:/m.test(text);
}

/** A cheap look at a file whose documents were all blanked as unchanged. */
function looksLikeManifest(text: string): boolean {
  return /^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text);
}

/** A read-only map by object id, built the first time anything reads it. */
export function lazyMap(load: () => KubeObject[]): ReadonlyMap<string, KubeObject> {
  let map: Map<string, KubeObject> | undefined;
  const m = () => (map ??= new Map(load().map((o) => [o.id, o])));
  return {
    get: (k) => m().get(k),
    has: (k) => m().has(k),
    get size() {
      return m().size;
    },
    forEach: (cb, thisArg) => m().forEach(cb, thisArg),
    entries: () => m().entries(),
    keys: () => m().keys(),
    values: () => m().values(),
    [Symbol.iterator]: () => m()[Symbol.iterator](),
  };
}

/**
 * Field types of the changed objects at head, as the API server checks them when the object is
 * applied: a value of the wrong type is refused, so the change does not apply as written.
 */
async function checkFieldTypes(changes: ObjectChange[], report: Report<ManifestProblem>): Promise<void> {
  const changed = changes.filter((c) => c.after && c.bodyChanged);
  if (changed.length === 0) return;
  const { typeCheckerFor, fieldPath } = await import('./field-types.js');
  const check = await typeCheckerFor();
  for (const c of changed) {
    const o = c.after!;
    for (const p of check(o) ?? [])
      report(
        'fieldType',
        { kind: o.kind, name: o.name, field: fieldPath(p.path), expected: p.expected, found: p.found },
        { file: o.file, line: o.yaml.locate(o.doc, p.path) },
        { object: o.id },
      );
  }
}

function reportProblems(
  report: Report<ManifestProblem>,
  file: string,
  parsed: ParsedManifests,
  side: 'base' | 'head',
): void {
  for (const p of parsed.problems) {
    const where = { file, line: p.line };
    const sideNote = side === 'base' ? ' (in the base revision)' : '';
    switch (p.type) {
      case 'yaml':
        report('yaml', { reason: p.reason + sideNote, column: p.column }, { ...where, column: p.column });
        break;
      case 'not-object':
        report('notObject', { found: p.found }, where);
        break;
      case 'missing-field':
        report('missingField', { field: p.field }, where);
        break;
      case 'duplicate':
        report('duplicate', { id: p.id, firstLine: p.firstLine }, where, { object: p.id });
        break;
    }
  }
}
