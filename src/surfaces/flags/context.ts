import type { ChangedFile } from '../../core/change.js';
import { ruleKey } from '../../core/rule.js';
import type { SurfaceContext } from '../../core/surface.js';
import { ruleSettings } from '../../core/config.js';
import { matchAny } from '../../core/glob.js';
import { get, isObject, type Json } from '../../kube/model.js';
import { claimsYamlManifest, objectsContext } from '../../kube/objects.js';
import {
  readFlags,
  sourcesInText,
  type FlagDefinition,
  type FlagSource,
  type FlagsContext,
  type ReferenceFile,
} from './model.js';
import { isReferenceOnly } from './paths.js';
import flagReferenced, { DEFAULT_DEFINITION_GLOBS } from './rules/flag-referenced.js';
import { flagsRules } from './rules/index.js';

const DEFINES = /defaultVariant/;

/**
 * Reads the flag definitions of the change (files, ConfigMap keys, FeatureFlag objects), paired
 * across it, and the changed files searched for flag keys, and runs the flags rules on them.
 */
export async function assessFlags(ctx: SurfaceContext): Promise<void> {
  const defining = ctx.files.filter((f) => DEFINES.test(`${f.oldText ?? ''}${f.newText ?? ''}`));
  const definingSet = new Set(defining);
  const changedPaths = new Set(ctx.files.map((f) => f.path));
  // Definitions of unchanged files, under the definition paths, looked for before the
  // parsing below so that it overlaps with it (only when flag-referenced is on and has files to search).
  const memo = new Map<string, Promise<FlagSource[]>>();
  const unchangedSources = (globs: readonly string[]): Promise<FlagSource[]> => {
    const key = globs.join('\0');
    let p = memo.get(key);
    if (!p) memo.set(key, (p = unchangedDefinitions(ctx, changedPaths, globs)));
    return p;
  };
  const settings = ruleSettings(ctx.config, ruleKey(flagReferenced));
  if (!settings.off && ctx.files.some((f) => f.newText !== undefined && !definingSet.has(f)))
    void unchangedSources((settings.options.definitions as string[] | undefined) ?? DEFAULT_DEFINITION_GLOBS).catch(
      () => undefined,
    );
  const sources = defining.length ? await changedSources(ctx, defining) : [];
  const references: ReferenceFile[] = [];
  for (const f of ctx.files) {
    if (isReferenceOnly(f.path))
      ctx.skip(f.path, 'no surface assesses this kind of file; it was searched for feature flag keys only');
    if (f.newText === undefined || definingSet.has(f)) continue;
    references.push({ path: f.path, newText: f.newText, ...(f.oldText !== undefined ? { oldText: f.oldText } : {}) });
  }
  if (!sources.length && !references.length) return;
  const fctx: FlagsContext = {
    sources,
    references,
    definitions: async (globs) => definitionsOf(sources, await unchangedSources(globs)),
  };
  await ctx.run(flagsRules, fctx);
}

/** The flag sources of the changed files that mention `defaultVariant`, paired across the change. */
async function changedSources(ctx: SurfaceContext, files: ChangedFile[]): Promise<FlagsContext['sources']> {
  const { parseYaml } = await import('../../core/yaml.js');
  const sources: FlagsContext['sources'] = [];
  const fromFile = (path: string, text: string | undefined): FlagSource | undefined => {
    if (text === undefined) return undefined;
    const y = parseYaml(text);
    const doc = y.docs[0];
    const v = doc?.value as Json | undefined;
    if (!doc || (isObject(v) && typeof v.kind === 'string')) return undefined;
    const fl = readFlags(v);
    return fl
      ? { name: path, flags: fl, locate: (k) => ({ file: path, line: y.locate(doc, ['flags', k]) }) }
      : undefined;
  };
  for (const f of files) {
    const before = fromFile(f.oldPath ?? f.path, f.oldText);
    const after = fromFile(f.path, f.newText);
    if (before || after) sources.push({ name: f.path, ...(before ? { before } : {}), ...(after ? { after } : {}) });
  }
  // Flags held in Kubernetes objects: ConfigMap keys with flagd JSON/YAML, OpenFeature FeatureFlag objects.
  const octx = await objectsContext(
    { ...ctx, files: files.filter((f) => claimsYamlManifest(f.path)) },
    (o) =>
      (o.group === '' && o.kind === 'ConfigMap') || (o.group === 'core.openfeature.dev' && o.kind === 'FeatureFlag'),
  );
  for (const c of octx.changes) {
    const read = (side: typeof c.before): Map<string, FlagSource> => {
      const out = new Map<string, FlagSource>();
      if (!side) return out;
      if (side.kind === 'FeatureFlag') {
        const fl = readFlags(get(side.body, ['spec', 'flagSpec']) as Json);
        if (fl)
          out.set('spec', {
            name: `FeatureFlag ${side.namespace}/${side.name}`,
            flags: fl,
            locate: (k) => ({ file: side.file, line: side.yaml.locate(side.doc, ['spec', 'flagSpec', 'flags', k]) }),
          });
        return out;
      }
      const data = get(side.body, ['data']);
      if (!isObject(data)) return out;
      for (const [key, text] of Object.entries(data)) {
        if (typeof text !== 'string' || !text.includes('defaultVariant')) continue;
        const fl = readFlags(parseYaml(text).docs[0]?.value as Json);
        if (fl)
          out.set(key, {
            name: `ConfigMap ${side.namespace}/${side.name} key ${key}`,
            flags: fl,
            locate: () => ({ file: side.file, line: side.yaml.locate(side.doc, ['data', key]) }),
          });
      }
      return out;
    };
    const a = read(c.before);
    const b = read(c.after);
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      const before = a.get(k);
      const after = b.get(k);
      sources.push({ name: (after ?? before)!.name, ...(before ? { before } : {}), ...(after ? { after } : {}) });
    }
  }
  return sources;
}

/** The flag sources of unchanged files under `globs` that contain `defaultVariant`, at head. */
async function unchangedDefinitions(
  ctx: SurfaceContext,
  changedPaths: ReadonlySet<string>,
  globs: readonly string[],
): Promise<FlagSource[]> {
  if (!globs.length) return [];
  // The files under the definition paths, from the tree listing the kustomize surface also reads, then
  // read through the running cat-file: no `git grep` process (a work tree is searched with one).
  const listed = await ctx.repo.listFiles?.('head');
  const candidates = listed
    ? listed.filter((p) => !changedPaths.has(p) && matchAny(p, globs))
    : (await ctx.repo.grep('head', ['defaultVariant'], [...globs])).filter((p) => !changedPaths.has(p));
  if (!candidates.length) return [];
  const [{ parseYaml }, read] = await Promise.all([
    import('../../core/yaml.js'),
    Promise.all(candidates.map((p) => ctx.repo.readText('head', p))),
  ]);
  return candidates.flatMap((p, i) => {
    const text = read[i];
    if (text === undefined || !text.includes('defaultVariant')) return [];
    return sourcesInText(p, text, parseYaml, ctx.config.kubernetes.defaultNamespace);
  });
}

/**
 * Every flag defined at head: the changed sources' head sides and the unchanged files' sources, first
 * source in name order when several define the same key.
 */
function definitionsOf(changed: FlagsContext['sources'], unchanged: FlagSource[]): Map<string, FlagDefinition> {
  const found: FlagSource[] = [...changed.flatMap((s) => (s.after ? [s.after] : [])), ...unchanged];
  const out = new Map<string, FlagDefinition>();
  for (const s of found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    for (const [key, flag] of s.flags) if (!out.has(key)) out.set(key, { flag, source: s.name });
  return out;
}
