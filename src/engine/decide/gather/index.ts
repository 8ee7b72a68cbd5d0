import { existsSync } from 'node:fs';
import { InputError } from '../../../core/errors.js';
import { GitRepo } from '../../../git/repo.js';
import { describeStore, resolveStore, type StoreSpec } from '../../../ledger/store-spec.js';
import { allRules, surfaces } from '../../../registry.js';
import { assess, loadConfig } from '../../assess.js';
import { parseDeclarationFile } from '../../declarations.js';
import { pathExists } from '../../../git/history.js';
import type { Declaration } from '../../../core/declaration.js';
import type { RollwrightConfig } from '../../../core/config.js';
import type { LiveOptions } from '../../../live/index.js';
import type { DecisionInput, FactValue, LedgerFacts } from '../types.js';
import { resolveChange, resolveChangeAs, type ResolvedChange } from './change.js';
import { readLedger } from './ledger.js';
import { repositoryFacts } from './repository.js';

export { normalizeRepoUrl } from './loops.js';

/**
 * Gathers what `decide()` needs: the change and its commits, the assessment of the change
 * with every surface, the control loops, rollouts, flags and Terraform workspaces of the repository at
 * the change's head that touch it, and the ledger's record of the change (deployment, windows, phases,
 * pauses, evidence, incident). Reads only; never creates a ledger.
 */
export interface GatherOptions {
  /** The repository (default: the current directory). */
  repo: string;
  /** `--change`: a commit, a range `A..B` or a change id (`CHG-2026-0821`). */
  change: string;
  /**
   * The commits of a change id, when someone names them (a commit or a range `A..B`): they replace
   * the ledger's, the trailers' and the declaration's (the prompt asks for them when those change only
   * declarations).
   */
  commits?: string;
  env?: string;
  /** Stated facts (parseFacts). */
  facts?: ReadonlyMap<string, FactValue>;
  /** Evaluate as of this time (ISO); default now. */
  at?: string;
  /** `--incident`: the incident the decision is for (default: the latest detection naming the change). */
  incident?: string;
  /** `--store` (else ROLLWRIGHT_STORE, else `<repo>/.rollwright/ledger.db`). */
  store?: string;
  configFile?: string;
  /** A Terraform/OpenTofu plan JSON assessed with the change (as `assess --plan`). */
  plan?: string;
  /**
   * Check the change's rollback targets live (as `assess --live`): the previous images, chart versions
   * and module refs in their registries, chart repositories and git remotes. `{ offline: true }` (or
   * ROLLWRIGHT_OFFLINE=1) contacts nothing and answers "unknown"; absent, nothing is checked.
   */
  live?: LiveOptions;
}

export interface Gathered {
  input: DecisionInput;
  /** The ledger the facts were read from (null when none exists: nothing can be recorded). */
  store: StoreSpec | null;
  /** Why `input.ledger` is null, when it is: `absent` (no ledger) or `no-record` (the ledger knows nothing of the change). */
  ledgerState: 'found' | 'absent' | 'no-record';
  /** The incident the decision is for, when the ledger has one. */
  incident: string | null;
}

export async function gatherDecisionInput(opts: GatherOptions): Promise<Gathered> {
  const at = opts.at ?? new Date().toISOString();
  const repo = await GitRepo.open(opts.repo);
  let config: RollwrightConfig;
  let resolved: ResolvedChange;
  let inRange = false;
  let declaredAtHead: Declaration | null = null;
  const storeSpec = resolveStore(opts.store, opts.repo);
  const ledgerAvailable = storeSpec.kind === 'postgres' || existsSync(storeSpec.path);
  try {
    // The configuration (the declarations directory) as of HEAD.
    await repo.resolveHead('HEAD');
    config = await loadConfig(repo, opts.configFile, allRules());
    resolved =
      opts.commits !== undefined
        ? await resolveChangeAs(repo, opts.change, opts.commits, config)
        : await resolveChange(repo, opts.change, config, ledgerAvailable ? storeSpec : null, opts.env ?? null);
    // The change's declaration as it is now: the commits found may end before it was added (a
    // declaration committed after the change, a Change-Id trailer on the change's commits only).
    if (resolved.declarationFile) {
      inRange = await pathExists(opts.repo, resolved.head, resolved.declarationFile);
      const text = inRange ? undefined : await repo.readText('head', resolved.declarationFile);
      if (text !== undefined) declaredAtHead = (await parseDeclarationFile(resolved.declarationFile, text, [])) ?? null;
    }
  } finally {
    repo.close();
  }

  const assessment = await assess({
    repo: opts.repo,
    base: resolved.base,
    head: resolved.head,
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
    ...(resolved.declarationFile && inRange ? { changeId: resolved.changeId! } : {}),
    ...(opts.plan !== undefined ? { plan: opts.plan } : {}),
    ...(opts.live !== undefined ? { live: opts.live } : {}),
    surfaces,
    rules: allRules(),
  });

  const declaration = assessment.declaration ?? declaredAtHead;
  const environment =
    opts.env ?? declaration?.environment ?? (assessment.environments.length === 1 ? assessment.environments[0]! : null);

  const repository = await repositoryFacts(opts.repo, resolved, config, assessment.findings);

  const changeKeys = [
    ...new Set(
      [resolved.changeId, declaration?.id, ...resolved.commits.map((c) => c.sha)].filter(
        (x): x is string => typeof x === 'string' && x !== '',
      ),
    ),
  ];
  let ledger: LedgerFacts | null = null;
  let ledgerState: Gathered['ledgerState'] = 'absent';
  let incident: string | null = null;
  if (ledgerAvailable) {
    const r = await readLedger(storeSpec, {
      changeKeys,
      commits: resolved.commits.map((c) => c.sha),
      environment,
      at,
      ...(opts.incident !== undefined ? { incident: opts.incident } : {}),
      declaredWindow: declaration?.rollbackWindow,
    });
    ledger = r.facts;
    incident = r.facts?.incident ?? null;
    ledgerState = r.facts ? 'found' : 'no-record';
  } else if (opts.incident !== undefined) {
    throw new InputError(
      `--incident ${opts.incident}: there is no ledger at ${describeStore(storeSpec)} (choose one with --store)`,
    );
  }

  const input: DecisionInput = {
    change: resolved.name,
    commits: resolved.commits.map((c) => c.sha),
    resolution: {
      source: resolved.source,
      how: resolved.how,
      commits: resolved.commits.map((c) => ({ sha: c.sha, subject: c.subject, declarationOnly: c.declarationOnly })),
      declarationOnly: resolved.declarationOnly,
    },
    environment,
    assessment,
    declaration,
    ledger,
    repository,
    facts: new Map(opts.facts ?? []),
    at,
  };
  return { input, store: ledgerAvailable ? storeSpec : null, ledgerState, incident };
}
