import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest } from '../kubernetes/index.js';
import { get, isObject, type Json } from '../kubernetes/model.js';
import { objectsContext } from '../kubernetes/objects.js';
import { readFlags, type FlagSource, type FlagsContext } from './model.js';
import { flagsRules } from './rules/index.js';

export const flags: Surface = {
  id: 'flags',
  name: 'Feature flags',
  summary:
    'OpenFeature flagd flag definitions (files, ConfigMap keys, FeatureFlag objects): default and state changes are the preferred containment; removed flags lose it.',
  // flagd definitions (`*.flagd.json`, `flags.json`, ...: a path naming flags) and manifests (ConfigMaps, FeatureFlags).
  claims: (p) => claimsManifest(p) || (/\.(json|ya?ml)$/i.test(p) && /flag/i.test(p)),
  kinds: ['core.openfeature.dev/FeatureFlag'],
  rules: flagsRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    const files = ctx.files.filter((f) => /defaultVariant/.test(`${f.oldText ?? ''}${f.newText ?? ''}`));
    if (!files.length) return;
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
      const o = (c.after ?? c.before)!;
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
      void o;
    }
    if (sources.length) await ctx.run(flagsRules, { sources });
  },
};
