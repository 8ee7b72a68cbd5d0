import type { ChangedFile } from '../../core/change.js';
import { ruleKey } from '../../core/rule.js';
import type { Surface, SurfaceContext } from '../../core/surface.js';
import { ruleSettings } from '../../core/config.js';
import { claimsManifest } from '../../kube/objects.js';
import { get, isObject, type Json } from '../../kube/model.js';
import { objectsContext } from '../../kube/objects.js';
import {
  readFlags,
  sourcesInText,
  type FlagDefinition,
  type FlagSource,
  type FlagsContext,
  type ReferenceFile,
} from './model.js';
import flagReferenced, { DEFAULT_DEFINITION_GLOBS } from './rules/flag-referenced.js';
import { flagsRules } from './rules/index.js';

/** flagd definition files: JSON or YAML whose path names flags. */
const FLAG_FILE = /\.(json|ya?ml)$/i;

/** Source code and application configuration: searched for references to flag keys, nothing else. */
const CODE =
  /\.(go|java|kt|kts|scala|groovy|cs|fs|vb|rs|py|rb|php|swift|m|mm|c|cc|cpp|cxx|h|hpp|ex|exs|erl|clj|cljs|dart|lua|ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte)$/i;
const CONFIG = /\.(toml|ini|cfg|conf)$/i;
/** JSON and XML hold data as often as configuration (and may be large): only names that say configuration. */
const CONFIG_DATA = /\.(json|xml)$/i;
const CONFIG_NAME = /config|settings|feature|toggle|flag|env|application|app\b/i;
/** Generated or vendored code, lock files and data: never hand-written references, and may be large. */
const NOT_REFERENCES =
  /(^|\/)(node_modules|vendor|third_party|dist|build|testdata|fixtures?|__snapshots__)\/|\.min\.\w+$|\.d\.ts$|\.(pb|gen|generated)\.\w+$|_gen\.go$|(^|\/)(package-lock|composer|Pipfile|npm-shrinkwrap)\.json$|\.(tf|tofu|tfvars)\.json$/i;
/** Encrypted or secret configuration belongs to the secrets surface (and is never read here). */
const SECRET_LIKE = /sops|enc|secret|cred/i;
const COMPOSE = /(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/;
const HELM_VALUES = /(^|\/)values([.-][\w.-]+)?\.ya?ml$/;

function isFlagFile(p: string): boolean {
  return FLAG_FILE.test(p) && /flag/i.test(p);
}

/** Files only this surface reads, and only to find the flag keys they reference. */
export function isReferenceOnly(p: string): boolean {
  if (claimsManifest(p) || isFlagFile(p) || NOT_REFERENCES.test(p)) return false;
  if (CODE.test(p) || COMPOSE.test(p)) return true;
  const name = p.slice(p.lastIndexOf('/') + 1);
  if (SECRET_LIKE.test(name)) return false;
  return CONFIG.test(p) || (CONFIG_DATA.test(p) && CONFIG_NAME.test(name));
}

const DEFINES = /defaultVariant/;

export const flags: Surface = {
  id: 'flags',
  name: 'Feature flags',
  summary:
    'OpenFeature flagd flag definitions (files, ConfigMap keys, FeatureFlag objects): default and state changes are the preferred containment; removed flags lose it; flags a change references are named.',
  // flagd definitions (`*.flagd.json`, `flags.json`, ...: a path naming flags), manifests (ConfigMaps,
  // FeatureFlags, env vars), Helm values, and source code or application config searched for flag keys.
  claims: (p) => claimsManifest(p) || isFlagFile(p) || HELM_VALUES.test(p) || isReferenceOnly(p),
  searchesOnly: isReferenceOnly,
  kinds: ['core.openfeature.dev/FeatureFlag'],
  rules: flagsRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    const defining = ctx.files.filter((f) => DEFINES.test(`${f.oldText ?? ''}${f.newText ?? ''}`));
    const definingSet = new Set(defining);
    const changedPaths = new Set(ctx.files.map((f) => f.path));
    // Definitions of unchanged files: one `git grep` over the definition paths, started before the
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
  },
};

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
    { ...ctx, files: files.filter((f) => claimsManifest(f.path)) },
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
  const paths = (await ctx.repo.grep('head', ['defaultVariant'], [...globs])).filter((p) => !changedPaths.has(p));
  if (!paths.length) return [];
  const [{ parseYaml }, texts] = await Promise.all([
    import('../../core/yaml.js'),
    Promise.all(paths.map((p) => ctx.repo.readText('head', p))),
  ]);
  return paths.flatMap((p, i) => {
    const text = texts[i];
    return text === undefined ? [] : sourcesInText(p, text, parseYaml, ctx.config.kubernetes.defaultNamespace);
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
