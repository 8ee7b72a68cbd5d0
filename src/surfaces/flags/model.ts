import type { Location } from '../../core/finding.js';
import type { YamlFile } from '../../core/yaml.js';
import { get, isObject, type Json, type JsonObject } from '../../kube/model.js';

/** One flag of a flagd definition. */
export interface Flag {
  key: string;
  state: string;
  defaultVariant: string;
  targeting: string;
  /**
   * The variant that turns the flag off, when the definition has one: a variant named `off`, `false`
   * or `disabled` (any case), else the first variant whose value is boolean `false`.
   */
  offVariant?: string;
}

/** The flags of one source (a file, a ConfigMap key, a FeatureFlag object) at one side. */
export interface FlagSource {
  /** `flags/shop.flagd.json`, `ConfigMap shop/flags key flags.json`, or `FeatureFlag shop/shop-flags`. */
  name: string;
  flags: Map<string, Flag>;
  locate(key: string): Location;
}

/** A changed file searched for references to flags: its path and the text of each side. */
export interface ReferenceFile {
  path: string;
  oldText?: string;
  newText: string;
}

/** Where a flag key is defined at the head revision (first source in name order when several define it). */
export interface FlagDefinition {
  flag: Flag;
  source: string;
}

export interface FlagsContext {
  sources: Array<{ name: string; before?: FlagSource; after?: FlagSource }>;
  /** Changed files with a head side that define no flags: searched for the keys of defined flags. */
  references: ReferenceFile[];
  /**
   * Every flag defined at head: in the changed files, and in the unchanged files under `globs` that
   * contain `defaultVariant` (one `git grep` per glob list, memoised; the surface starts it early, while
   * it parses, when flag-referenced is on and some changed file has a head side).
   */
  definitions(globs: readonly string[]): Promise<Map<string, FlagDefinition>>;
}

const OFF_NAMES = new Set(['off', 'false', 'disabled']);

/** Reads flagd's `flags` object (https://flagd.dev/reference/flag-definitions/). */
export function readFlags(v: Json | undefined): Map<string, Flag> | undefined {
  if (!isObject(v) || !isObject(v.flags)) return undefined;
  const out = new Map<string, Flag>();
  for (const [key, f] of Object.entries(v.flags as JsonObject)) {
    if (!isObject(f) || !isObject(f.variants)) continue;
    const offVariant = offVariantOf(f.variants);
    out.set(key, {
      key,
      state: typeof f.state === 'string' ? f.state : 'ENABLED',
      defaultVariant: typeof f.defaultVariant === 'string' ? f.defaultVariant : '',
      targeting: f.targeting === undefined ? '' : JSON.stringify(f.targeting),
      ...(offVariant !== undefined ? { offVariant } : {}),
    });
  }
  return out.size ? out : undefined;
}

function offVariantOf(variants: JsonObject): string | undefined {
  const names = Object.keys(variants);
  return names.find((n) => OFF_NAMES.has(n.toLowerCase())) ?? names.find((n) => variants[n] === false);
}

/**
 * The `data` every finding of the flags surface carries (the contract the incident decision reads): the
 * flag's key, the definition it comes from (a flagd file, `ConfigMap ns/name key k`, `FeatureFlag
 * ns/name`), and the variant that turns it off when the definition has one.
 */
export type FlagData = { flag: string; source: string; offVariant?: string };

export function flagData(flag: Flag | undefined, key: string, source: string): FlagData {
  return { flag: key, source, ...(flag?.offVariant !== undefined ? { offVariant: flag.offVariant } : {}) };
}

/**
 * The flag sources of one file's text at one side: a flagd document (a file without `kind`), the keys
 * of ConfigMaps that hold a flagd document, and OpenFeature `FeatureFlag` objects (`spec.flagSpec`).
 */
export function sourcesInText(
  path: string,
  text: string,
  parseYaml: (text: string) => YamlFile,
  defaultNamespace: string,
): FlagSource[] {
  const y = parseYaml(text);
  const out: FlagSource[] = [];
  for (const doc of y.docs) {
    const v = doc.value as Json | undefined;
    if (!isObject(v)) continue;
    const line = (p: ReadonlyArray<string | number>) => y.locate(doc, p);
    if (typeof v.kind !== 'string') {
      const fl = readFlags(v);
      if (fl) out.push({ name: path, flags: fl, locate: (k) => ({ file: path, line: line(['flags', k]) }) });
      continue;
    }
    const ns = String(get(v, ['metadata', 'namespace']) ?? defaultNamespace);
    const name = String(get(v, ['metadata', 'name']) ?? '');
    if (v.kind === 'FeatureFlag' && String(v.apiVersion ?? '').startsWith('core.openfeature.dev/')) {
      const fl = readFlags(get(v, ['spec', 'flagSpec']) as Json);
      if (fl)
        out.push({
          name: `FeatureFlag ${ns}/${name}`,
          flags: fl,
          locate: (k) => ({ file: path, line: line(['spec', 'flagSpec', 'flags', k]) }),
        });
    } else if (v.kind === 'ConfigMap' && (v.apiVersion === 'v1' || v.apiVersion === undefined)) {
      const data = get(v, ['data']);
      if (!isObject(data)) continue;
      for (const [key, body] of Object.entries(data)) {
        if (typeof body !== 'string' || !body.includes('defaultVariant')) continue;
        const fl = readFlags(parseYaml(body).docs[0]?.value as Json);
        if (fl)
          out.push({
            name: `ConfigMap ${ns}/${name} key ${key}`,
            flags: fl,
            locate: () => ({ file: path, line: line(['data', key]) }),
          });
      }
    }
  }
  return out;
}

/**
 * Lines of `after` that `before` does not have, as 1-based line numbers of `after`. A line counts as
 * added when `after` holds it more times than `before` (a multiset of lines, not a positional diff):
 * a moved line is not a new reference. Cost is linear in the two texts.
 */
export function addedLines(before: string | undefined, after: string): Array<{ line: number; text: string }> {
  const old = new Map<string, number>();
  if (before !== undefined) for (const l of before.split('\n')) old.set(l, (old.get(l) ?? 0) + 1);
  const out: Array<{ line: number; text: string }> = [];
  after.split('\n').forEach((l, i) => {
    const n = old.get(l) ?? 0;
    if (n > 0) old.set(l, n - 1);
    else if (l.trim() !== '') out.push({ line: i + 1, text: l });
  });
  return out;
}

/** One regular expression for every key, each matched as a whole token (not inside a longer name). */
export function keyMatcher(keys: Iterable<string>): RegExp | undefined {
  const list = [...keys].filter((k) => k.length > 0).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (!list.length) return undefined;
  const alt = list.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(`(?<![\\w.-])(?:${alt})(?![\\w-]|\\.\\w)`, 'g');
}
