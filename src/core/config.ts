import type * as z from 'zod/mini';
import { SEVERITIES, type Severity } from './finding.js';
import { matchAny } from './glob.js';
import type { ConfigSchema } from './config-schema.js';

/**
 * The validated `.rollwright.yaml`. The zod schema lives in config-schema.ts and is imported only
 * when a config file exists: a run without one never pays for loading zod.
 */
export type RollwrightConfig = z.infer<typeof ConfigSchema>;

export const DEFAULT_ENVIRONMENTS: RollwrightConfig['environments'] = {
  prod: { paths: ['**/prod/**', '**/production/**', '**/prd/**'] },
  staging: { paths: ['**/staging/**', '**/stage/**'] },
  dev: { paths: ['**/dev/**', '**/development/**'] },
};

/** The config of a repository without `.rollwright.yaml`; a test keeps it equal to `ConfigSchema.parse({})`. */
export function defaultConfig(): RollwrightConfig {
  return {
    kubernetes: { version: '1.34', defaultNamespace: 'default' },
    environments: structuredClone(DEFAULT_ENVIRONMENTS),
    declarations: { dir: '.rollwright/changes' },
    limits: { maxFileBytes: 8 * 1024 * 1024, maxFiles: 100_000, maxBytes: 512 * 1024 * 1024 },
    database: { migrations: [], queries: [], dialect: 'postgres' },
    ignore: [],
    rules: {},
  };
}

export function requiresDeclaration(config: RollwrightConfig, env: string): boolean {
  const e = config.environments[env];
  if (e?.requireDeclaration !== undefined) return e.requireDeclaration;
  return env === 'prod' || env === 'production';
}

export interface RuleSettings {
  off: boolean;
  severity?: Severity;
  options: Record<string, unknown>;
}

export function ruleSettings(config: RollwrightConfig, key: string): RuleSettings {
  const s = config.rules[key];
  if (s === undefined) return { off: false, options: {} };
  if (typeof s === 'string') return s === 'off' ? { off: true, options: {} } : { off: false, severity: s, options: {} };
  const sev = s.severity;
  return {
    off: sev === 'off',
    ...(sev && sev !== 'off' && SEVERITIES.includes(sev) ? { severity: sev } : {}),
    options: s.options ?? {},
  };
}

/** The Kubernetes minor version as a number: "1.34" -> 34. */
export function kubeMinor(config: RollwrightConfig): number {
  return Number(config.kubernetes.version.replace(/^v/, '').split('.')[1]);
}

/** The `ignore` entry whose globs hold `path`, if any: the reason a file left unread is safe. */
export function ignoredBy(config: RollwrightConfig, path: string): { paths: string[]; reason: string } | undefined {
  return config.ignore.find((i) => matchAny(path, i.paths));
}

const environmentsByPath = new WeakMap<RollwrightConfig, Map<string, readonly string[]>>();

/** Every configured environment whose paths hold `path`, sorted by name (matched once per path and config). */
export function environmentsOfPath(config: RollwrightConfig, path: string): string[] {
  let byPath = environmentsByPath.get(config);
  if (!byPath) environmentsByPath.set(config, (byPath = new Map()));
  let envs = byPath.get(path);
  if (!envs) {
    envs = Object.keys(config.environments)
      .filter((name) => matchAny(path, config.environments[name]!.paths))
      .sort();
    byPath.set(path, envs);
  }
  return envs.slice();
}

/** Where a config was read from, and the line of each `ignore` entry (kept out of the config's value). */
const origins = new WeakMap<RollwrightConfig, { file: string; ignoreLines: readonly number[] }>();
/** The same per entry object, so an entry carried into another config (the trusted one) keeps its line. */
const entryOrigins = new WeakMap<object, { file: string; line: number }>();

export function setConfigOrigin(config: RollwrightConfig, file: string, ignoreLines: readonly number[]): void {
  origins.set(config, { file, ignoreLines });
  config.ignore.forEach((entry, i) => entryOrigins.set(entry, { file, line: ignoreLines[i] ?? 1 }));
}

/** Gives `to` (an ignore entry derived from `from`) the file and line `from` was written at. */
export function inheritIgnoreOrigin(from: object, to: object): void {
  const o = entryOrigins.get(from);
  if (o) entryOrigins.set(to, o);
}

/** Where `ignore` entry `index` is written: the config file and its line (`.rollwright.yaml` for the defaults). */
export function ignoreEntrySource(config: RollwrightConfig, index: number): { file: string; line: number } {
  const entry = config.ignore[index];
  const e = entry ? entryOrigins.get(entry) : undefined;
  if (e) return e;
  const o = origins.get(config);
  return { file: o?.file ?? '.rollwright.yaml', line: o?.ignoreLines[index] ?? 1 };
}
