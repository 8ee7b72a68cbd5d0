/**
 * The config a run reads: `--config FILE` from disk (trusted as it is), else `.rollwright.yaml` at the
 * head revision with what loosens the gate taken from the base revision, else the defaults; and the
 * validation every config file goes through (each problem at its line, did-you-mean for unknown keys).
 */
import { readFile } from 'node:fs/promises';
import type { RepoReader } from '../core/change.js';
import { defaultConfig, setConfigOrigin, type RollwrightConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { globProblem } from '../core/glob.js';
import { ruleKey, type AnyRule } from '../core/rule.js';
import type { Loosening } from '../surfaces/core/rules/index.js';
import { trustConfig } from './config-trust.js';

/** `--config FILE` from disk, else `.rollwright.yaml` at head (what loosens the gate from base), else the defaults. */
export async function loadConfig(
  repo: RepoReader,
  configFile: string | undefined,
  rules: readonly AnyRule[],
): Promise<RollwrightConfig> {
  if (configFile !== undefined) return parseConfig(await readConfigFile(configFile), configFile, rules);
  const head = await readConfigText(repo, 'head');
  return head ? parseConfig(head.text, head.name, rules) : defaultConfig();
}

async function readConfigFile(configFile: string): Promise<string> {
  try {
    return await readFile(configFile, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the config file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, configFile);
  }
}

export interface TrustedConfig {
  config: RollwrightConfig;
  /** What the change's own config loosened (not applied to it), with the file it is in. */
  loosened?: { file: string; loosened: Loosening[] };
}

/**
 * The config a change is assessed under. A trusted `--config FILE` is used as it is. Otherwise the
 * head revision's `.rollwright.yaml`, except that what it loosens compared with the base revision's
 * (a rule off or lowered, an ignore added, an environment's requirement or paths removed) comes from
 * the base, and is returned as `loosened`. A config file that is binary, not UTF-8 or over
 * limits.maxFileBytes is an input error, never the defaults.
 */
export async function loadTrustedConfig(
  repo: RepoReader,
  configFile: string | undefined,
  rules: readonly AnyRule[],
): Promise<TrustedConfig> {
  if (configFile !== undefined) return { config: await loadConfig(repo, configFile, rules) };
  const head = await readConfigText(repo, 'head');
  const config = head ? await parseConfig(head.text, head.name, rules) : defaultConfig();
  // The base's config is the trusted one; one that does not read (or none) trusts the defaults.
  const base = await readConfigText(repo, 'base').catch(() => undefined);
  if (!head && !base) return { config };
  const baseConfig = base
    ? await parseConfig(base.text, base.name, rules).catch(() => defaultConfig())
    : defaultConfig();
  // A config deleted by the change is judged as the defaults it falls back to.
  const trusted = trustConfig(baseConfig, config, head?.text ?? '', rules);
  const file = head?.name ?? base!.name;
  return trusted.loosened.length
    ? { config: trusted.config, loosened: { file, loosened: trusted.loosened } }
    : { config: trusted.config };
}

const CONFIG_NAMES = ['.rollwright.yaml', '.rollwright.yml'];

/** The config file of one side, if the repository has one there; present but unreadable is an input error. */
async function readConfigText(
  repo: RepoReader,
  side: 'base' | 'head',
): Promise<{ name: string; text: string } | undefined> {
  for (const name of CONFIG_NAMES) {
    const text = await repo.readText(side, name);
    if (text !== undefined) return { name, text };
  }
  const root = await repo.listDir(side, '');
  const present = root.find((e) => CONFIG_NAMES.includes(e.name));
  if (present)
    throw new InputError(
      `the config file cannot be read as text (binary, not UTF-8, over limits.maxFileBytes, or not a file): fix it rather than run on the defaults`,
      present.name,
    );
  return undefined;
}

/** A config file's text validated: every problem named with its line, unknown keys with a did-you-mean. */
export async function parseConfig(text: string, name: string, rules: readonly AnyRule[]): Promise<RollwrightConfig> {
  const [{ parseYaml }, { ConfigSchema, optionsZod }, { explainIssues, pathText, validationError }, { closest }] =
    await Promise.all([
      import('../core/yaml.js'),
      import('../core/config-schema.js'),
      import('../core/validation.js'),
      import('../core/suggest.js'),
    ]);
  const file = parseYaml(text);
  const bad = file.docs.find((d) => d.error)?.error;
  if (bad) throw new InputError(`config does not parse: ${bad.reason}`, name, bad.line, bad.column);
  const doc = file.docs[0];
  const value = doc?.value ?? {};
  const lineOf = (path: ReadonlyArray<string | number>) => (doc ? file.locate(doc, path) : undefined);
  const parsed = ConfigSchema.safeParse(value);
  if (!parsed.success) throw validationError(name, explainIssues(ConfigSchema, value, parsed.error.issues), lineOf);
  // A glob picomatch would read otherwise than meant is an error here, at its line, not a silent non-match.
  const globs: Array<[Array<string | number>, readonly string[]]> = [
    ...Object.entries(parsed.data.environments).map(([env, e]): [Array<string | number>, string[]] => [
      ['environments', env, 'paths'],
      e.paths,
    ]),
    ...parsed.data.ignore.map((e, i): [Array<string | number>, string[]] => [['ignore', i, 'paths'], e.paths]),
    [['database', 'migrations'], parsed.data.database.migrations],
    [['database', 'queries'], parsed.data.database.queries],
  ];
  for (const [at, list] of globs)
    list.forEach((g, i) => {
      const why = globProblem(g);
      if (why)
        throw new InputError(`${pathText([...at, i])}: glob ${JSON.stringify(g)}: ${why}`, name, lineOf([...at, i]));
    });
  const known = new Map(rules.map((r) => [ruleKey(r), r]));
  parsed.data.ignore.forEach((entry, i) =>
    entry.rules?.forEach((key, j) => {
      const why = known.get(key)?.neverAccepted;
      if (why)
        throw new InputError(
          `ignore[${i}].rules[${j}]: ${key} cannot be ignored: ${why}`,
          name,
          lineOf(['ignore', i, 'rules', j]),
        );
    }),
  );
  setConfigOrigin(
    parsed.data,
    name,
    parsed.data.ignore.map((_, i) => lineOf(['ignore', i]) ?? 1),
  );
  for (const [key, setting] of Object.entries(parsed.data.rules)) {
    const rule = known.get(key);
    if (!rule) {
      const guess = closest(key, [...known.keys()]);
      throw new InputError(
        `rules.${key}: no such rule${guess ? `: did you mean ${guess}?` : ''} (see \`rollwright rules\`)`,
        name,
        lineOf(['rules', key]),
      );
    }
    if (typeof setting === 'object' && setting.options) {
      if (!rule.options)
        throw new InputError(
          `rules.${key}.options: the rule takes no options`,
          name,
          lineOf(['rules', key, 'options']),
        );
      const schema = rule.options.schema(optionsZod);
      const r = schema.safeParse(setting.options);
      if (!r.success)
        throw validationError(
          name,
          explainIssues(schema, setting.options, r.error.issues),
          (p) => lineOf(['rules', key, 'options', ...p]),
          ['rules', key, 'options'],
        );
    }
  }
  return parsed.data;
}
