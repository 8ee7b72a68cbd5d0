import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { defaultConfig, type RollwrightConfig } from '../core/config.js';
import { parseDuration } from './time.js';
import { EVIDENCE_ITEMS, SLO_PHASES, type EvidenceItem, type SloPhase } from '../core/vocabulary.js';

/**
 * The config for ledger commands. They have no git range, so `.rollwright.yaml` is read from the
 * repository's working tree (`--repo`, default the current directory), or from `--config FILE`.
 * Rule settings are not checked against the rule registry here: ledger commands do not load rules.
 */
export async function loadLedgerConfig(repo: string, configFile?: string): Promise<RollwrightConfig> {
  let name: string;
  let text: string | undefined;
  if (configFile !== undefined) {
    name = configFile;
    try {
      text = await readFile(configFile, 'utf8');
    } catch (e) {
      throw new InputError(
        `cannot read the config file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        configFile,
      );
    }
  } else {
    name = join(repo, '.rollwright.yaml');
    text = await readOptional(name);
    if (text === undefined) {
      name = join(repo, '.rollwright.yml');
      text = await readOptional(name);
    }
  }
  if (text === undefined) return defaultConfig();
  const [{ parseSingleYaml }, { ConfigSchema }] = await Promise.all([
    import('../core/yaml.js'),
    import('../core/config-schema.js'),
  ]);
  const { value, error } = parseSingleYaml(text);
  if (error) throw new InputError(`config does not parse: ${error.reason}`, name, error.line, error.column);
  const parsed = ConfigSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${issue.path.join('.') || '(root)'}: ${issue.message}`, name);
  }
  return parsed.data;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`cannot read the config file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, path);
  }
}

/** The evidence items a rollback in `env` must produce: the environment's `evidence` list, else all nine. */
export function requiredEvidence(config: RollwrightConfig, env: string | null): EvidenceItem[] {
  const list = env !== null ? config.environments[env]?.evidence : undefined;
  return list ? EVIDENCE_ITEMS.filter((i) => list.includes(i)) : [...EVIDENCE_ITEMS];
}

export type SloTargets = Record<SloPhase, number | null>;

/** Targets in seconds for a service: its own entry, else `*`, else none (null per phase). */
export function sloTargets(config: RollwrightConfig, service: string | null): SloTargets {
  const all = config.rollbackSLO ?? {};
  const entry = (service !== null ? all[service] : undefined) ?? all['*'];
  const out = {} as SloTargets;
  for (const p of SLO_PHASES) {
    const d = entry?.[p];
    out[p] = d === undefined ? null : (parseDuration(d) ?? null);
  }
  return out;
}
