import type { ChangeSet, ChangedFile, RepoReader } from '../core/change.js';
import type { RollbackClass } from '../core/classes.js';
import type { Declaration } from '../core/declaration.js';
import { classOfFindings, compareFindings, setsClass, type Finding } from '../core/finding.js';
import { describesChangesOnly, ruleKey, type AnyRule } from '../core/rule.js';
import { RENDERED_RAW_FILES, type Surface, type SurfaceContext } from '../core/surface.js';
import { tracePoint } from '../git/exec.js';
import { GitRepo } from '../git/repo.js';
import { environmentsOfPath, type RollwrightConfig } from '../core/config.js';
import { findDeclaration, isDeclarationPath } from './declarations.js';
import { evaluateGate, type GateResult } from './gate.js';
import { configLoosened, coreRules, rollbackTargetMissing, unusedSuppression } from '../surfaces/core/rules/index.js';
import { applySuppressions } from './suppress.js';
import { ksonnetRoots, triage } from './triage.js';
import { loadTrustedConfig, type TrustedConfig } from './config-load.js';
import type { Loosening } from '../surfaces/core/rules/index.js';
import { redactUrls } from '../core/redact.js';
import { RuleRunner } from './runner.js';
import { dedupeFacts } from './dedupe.js';

export const ASSESSMENT_SCHEMA = 'rollwright.assessment/v1';

export interface Assessment {
  schema: typeof ASSESSMENT_SCHEMA;
  base: string;
  head: string;
  /** The worst class among the findings of severity warning and above (info findings never set it). */
  class: RollbackClass;
  /**
   * What could not be assessed (files that do not parse, overlays that do not render), one entry per
   * such finding, with what would let it be assessed. `holdsClass`: the finding is a warning or an
   * error, so the class is held at the finding's (conservative) class because of it.
   */
  unassessed: UnassessedEntry[];
  findings: Finding[];
  declaration: Declaration | null;
  gate: GateResult;
  /** Environments the change touches (from --env, the declaration, or the paths changed). */
  environments: string[];
  /** Changed files no surface assessed, with the reason: listed so nothing passes silently. */
  skipped: Array<{ file: string; reason: string }>;
  stats: { filesChanged: number; filesRead: number; bytesRead: number };
  /** The rehearsal reports of `assess --rehearse` (rollwright.rehearsal/v1), when asked. */
  rehearsal?: unknown;
  /** The rollback targets checked by `assess --live` (rollwright.targets/v1), when asked. */
  targets?: import('./targets.js').TargetReport;
}

export interface UnassessedEntry {
  rule: string;
  file: string;
  line: number;
  object?: string;
  reason: string;
  remedy: string;
  holdsClass: boolean;
}

/** The `unassessed` list of an assessment, from its findings (in their order). */
export function unassessedOf(findings: readonly Finding[]): UnassessedEntry[] {
  const out: UnassessedEntry[] = [];
  for (const f of findings) {
    if (!f.unassessed) continue;
    const e: UnassessedEntry = { rule: f.rule, file: f.file, line: f.line, reason: '', remedy: '', holdsClass: false };
    if (f.object) e.object = f.object;
    e.reason = f.unassessed.reason;
    e.remedy = f.unassessed.remedy;
    e.holdsClass = setsClass(f);
    out.push(e);
  }
  return out;
}

export interface AssessOptions {
  /** Told what the run is doing now (`assessing 1,204 files`), for a progress line on a terminal. */
  progress?: (text: string) => void;
  repo: string;
  base?: string;
  head?: string;
  worktree?: boolean;
  env?: string;
  configFile?: string;
  failOn?: RollbackClass;
  changeId?: string;
  /** The run's budget (`--max-files`, `--max-bytes`); default: the config's `limits`. */
  maxFiles?: number;
  maxBytes?: number;
  surfaces: readonly Surface[];
  rules: readonly AnyRule[];
  /**
   * `--rehearse`: runs the change's migrations on PostgreSQL (src/rehearse); its findings join the
   * change's before the class and gate, and its report is kept under `rehearsal`.
   */
  rehearse?: RehearseHook;
  /** A Terraform/OpenTofu plan JSON (`--plan`): its findings join the change's before the class and gate. */
  plan?: string;
  /**
   * `--live`: the change's rollback targets (what its base side references) are checked in their
   * registries, chart repositories and git remotes; a missing one is a `core/rollback-target-missing`
   * finding. The checked targets are kept under `targets`.
   */
  live?: import('../live/index.js').LiveOptions;
  /**
   * The declaration of a change that carries none of its own, made from its assessed class (a revert
   * made for a recovery declares itself: its class, `git revert`, the incident). A declaration file or
   * trailers in the change win over it.
   */
  declare?: (assessed: RollbackClass) => Declaration;
}

export type RehearseHook = (input: {
  changes: ChangeSet;
  repo: RepoReader;
  config: RollwrightConfig;
  reporter: SurfaceContext['reporter'];
}) => Promise<unknown>;

export async function assess(opts: AssessOptions): Promise<Assessment> {
  const repo = await GitRepo.open(opts.repo);
  try {
    return await assessRange(repo, opts);
  } finally {
    repo.close();
  }
}

/**
 * One range of an open repository, assessed: `assess` for one change, and `score` for each change of
 * a history window through one repository handle (one cat-file process for all of them). With
 * `config`, that configuration is used instead of the one at the range's head.
 */
export async function assessRange(
  repo: GitRepo,
  opts: Omit<AssessOptions, 'repo'>,
  config?: RollwrightConfig,
): Promise<Assessment> {
  // Compile the YAML parser and the config schema while git works: the main thread is idle until then.
  const warm = Promise.all([import('../core/yaml.js'), import('../core/config-schema.js')]).catch(() => undefined);
  await repo.resolveRange({
    ...(opts.base !== undefined ? { base: opts.base } : {}),
    ...(opts.head !== undefined ? { head: opts.head } : {}),
    ...(opts.worktree ? { worktree: true } : {}),
  });
  tracePoint('range resolved');
  await warm;
  let loosened: TrustedConfig['loosened'];
  if (!config) ({ config, loosened } = await loadTrustedConfig(repo, opts.configFile, opts.rules));
  tracePoint('config loaded');
  const claimants = claimantsOf(opts.surfaces);
  const changes = await repo.changeSet({
    maxFileBytes: config.limits.maxFileBytes,
    maxFiles: opts.maxFiles ?? config.limits.maxFiles,
    maxBytes: opts.maxBytes ?? config.limits.maxBytes,
    wants: (p) => isDeclarationPath(config, p) || claimants({ path: p }).length > 0,
  });
  tracePoint(`change set read: ${changes.files.length} files`);
  opts.progress?.(
    `assessing ${changes.files.length.toLocaleString('en-US')} file${changes.files.length === 1 ? '' : 's'}…`,
  );
  return await assessChangeSet(
    changes,
    repo,
    config,
    { ...opts, ...(loosened ? { configLoosened: loosened } : {}) },
    claimants,
  );
}

const NONE: readonly Surface[] = [];

/** Which surfaces claim a changed file (by its path or, renamed or copied, its old path). */
export type Claimants = (f: { path: string; oldPath?: string | undefined }) => readonly Surface[];

/**
 * Claimants for one run, each path asked once: the change set's read and the assessment both need the
 * answer, and a change of thousands of files asks it thousands of times per surface.
 */
export function claimantsOf(surfaces: readonly Surface[]): Claimants {
  const byPath = new Map<string, readonly Surface[]>();
  const of = (path: string): readonly Surface[] => {
    let owners = byPath.get(path);
    if (owners === undefined) {
      const found = surfaces.filter((s) => s.claims(path));
      owners = found.length ? found : NONE;
      byPath.set(path, owners);
    }
    return owners;
  };
  return (f) => {
    const owners = of(f.path);
    if (f.oldPath === undefined) return owners;
    const old = of(f.oldPath);
    return old === NONE ? owners : surfaces.filter((s) => owners.includes(s) || old.includes(s));
  };
}

/** The pure part: a change set and a repository reader in, an assessment out. */
export async function assessChangeSet(
  changes: ChangeSet,
  repo: RepoReader,
  config: RollwrightConfig,
  opts: Pick<AssessOptions, 'surfaces' | 'env' | 'failOn' | 'changeId' | 'plan' | 'rehearse' | 'live' | 'declare'> & {
    /** What the change's own config loosened (core/config-loosened reports it). */
    configLoosened?: { file: string; loosened: Loosening[] };
    /** A whole tree read as added (`rollwright lint`): the rules that describe a tree report too. */
    tree?: boolean;
  },
  claimants: Claimants = claimantsOf(opts.surfaces),
): Promise<Assessment> {
  const allRules = [...coreRules, ...opts.surfaces.flatMap((s) => s.rules)];
  // Rules whose findings would be dropped are not run: on a change, the rules that describe a tree
  // (`treeOnly`); on a tree, the rules that only describe a change (lint reports none of their findings).
  const notRun = new Set(allRules.filter((r) => (opts.tree ? describesChangesOnly(r) : r.treeOnly)).map(ruleKey));
  const runner = new RuleRunner(config, (key) => notRun.has(key));
  const skipped: Assessment['skipped'] = [];
  const skippedSet = new Set<string>();
  const skip = (file: string, why: string) => {
    const reason = redactUrls(why);
    const key = `${file}\0${reason}`;
    if (!skippedSet.has(key)) {
      skippedSet.add(key);
      skipped.push({ file, reason });
    }
  };
  const claimedBy = new Map<Surface, ChangedFile[]>();
  let filesRead = 0;
  let bytesRead = 0;
  const { assessed } = triage({
    files: changes.files,
    ksonnetRoots: await ksonnetRoots(changes.files, (side, path) => repo.readText(side, path)),
    config,
    claimants,
    isDeclaration: (p) => isDeclarationPath(config, p),
    reporter: (rule) => runner.reporter(rule),
    skip,
  });
  for (const { file: f, owners } of assessed) {
    filesRead++;
    bytesRead += (f.oldText?.length ?? 0) + (f.newText?.length ?? 0);
    for (const s of owners) {
      const list = claimedBy.get(s);
      if (list) list.push(f);
      else claimedBy.set(s, [f]);
    }
  }

  const knownKinds = new Set(opts.surfaces.flatMap((s) => s.kinds ?? []));
  const memo = new Map<string, unknown>();
  await Promise.all(
    [...claimedBy].map(([surface, files]) => {
      const ctx: SurfaceContext = {
        files,
        config,
        repo,
        knownKinds,
        run: (rules, c) => runner.run(rules, c, { file: files[0]!.path, line: 1 }),
        reporter: (rule) => runner.reporter(rule),
        skip,
        memo<T>(key: string, make: () => T): T {
          if (!memo.has(key)) memo.set(key, make());
          return memo.get(key) as T;
        },
      };
      return surface.assess(ctx);
    }),
  );

  if (opts.configLoosened) {
    const { file } = opts.configLoosened;
    await runner.run([configLoosened], opts.configLoosened, { file, line: 1 });
  }
  if (opts.plan !== undefined) {
    const planFile = opts.plan;
    const { assessPlanFile } = await import('../surfaces/terraform/plan/index.js');
    await assessPlanFile(planFile, {
      config,
      run: (rules, c) => runner.run(rules, c, { file: planFile, line: 1 }),
      reporter: (rule) => runner.reporter(rule),
    });
  }
  const rehearsal = opts.rehearse
    ? await opts.rehearse({ changes, repo, config, reporter: (rule) => runner.reporter(rule) })
    : undefined;
  let targets: import('./targets.js').TargetReport | undefined;
  if (opts.live) {
    const [{ collectTargets, checkTargets, countStatuses, TARGETS_SCHEMA }, { LiveChecker }] = await Promise.all([
      import('./targets.js'),
      import('../live/index.js'),
    ]);
    const checker = new LiveChecker(opts.live);
    const found = await collectTargets(
      { files: changes.files.filter((f) => !f.unreadable), repo, config, findings: runner.findings },
      'base',
    );
    const checked = await checkTargets(found, checker);
    targets = {
      schema: TARGETS_SCHEMA,
      mode: 'change',
      base: changes.base,
      head: changes.head,
      offline: checker.offline,
      targets: checked,
      counts: countStatuses(checked),
    };
    await runner.run([rollbackTargetMissing], { targets: checked }, { file: changes.files[0]?.path ?? '.', line: 1 });
  }
  tracePoint('surfaces assessed');
  // The same fact from several views (a raw file and its rendered overlay, ...) is reported once. A
  // rule not run may still report through a surface's own reporter: its findings are dropped here.
  // A raw file that a rendered overlay reads as a resource is never applied as it is: its objects are
  // reported once, from the render (names, namespace and transformations applied).
  const renderedRaw = memo.get(RENDERED_RAW_FILES) as ReadonlyMap<string, string> | undefined;
  const viewed = renderedRaw?.size
    ? runner.findings.filter((f) => !(f.rule.startsWith('kubernetes/') && renderedRaw.has(f.file)))
    : runner.findings;
  const deduped = dedupeFacts(notRun.size ? viewed.filter((f) => !notRun.has(f.rule)) : viewed, runner.facts);
  const found = await findDeclaration(changes, repo, config, opts.changeId);
  // Findings a person owned (declaration `accept:`, inline comments, config `ignore.rules`) are marked.
  const owned = applySuppressions({
    findings: deduped,
    declaration: found.declaration,
    config,
    files: changes.files,
    rules: new Map(allRules.map((r) => [ruleKey(r), r])),
    notRun,
  });
  const stale = runner.reporter(unusedSuppression);
  const before = runner.findings.length;
  for (const s of owned.stale) stale(s.messageId, s.data, { file: s.file, line: s.line });
  const findings = [...owned.findings, ...runner.findings.slice(before)].sort(compareFindings);
  const cls = classOfFindings(findings);
  const problems = [...found.problems, ...owned.problems];
  const declaration = found.declaration ?? (opts.declare ? opts.declare(cls) : null);
  const environments = environmentsOf(changes, config, opts.env, declaration);
  const gate = evaluateGate({
    inferred: cls,
    findings,
    declaration,
    declarationProblems: problems,
    environments,
    config,
    blocking: new Set(allRules.filter((r) => r.blocksGate).map((r) => ruleKey(r))),
    ...(opts.failOn ? { failOn: opts.failOn } : {}),
  });
  return {
    schema: ASSESSMENT_SCHEMA,
    base: changes.base,
    head: changes.head,
    class: cls,
    unassessed: unassessedOf(findings),
    findings,
    declaration,
    gate,
    environments,
    skipped: skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    stats: { filesChanged: changes.files.length, filesRead, bytesRead },
    ...(rehearsal !== undefined ? { rehearsal } : {}),
    ...(targets !== undefined ? { targets } : {}),
  };
}

function environmentsOf(
  changes: ChangeSet,
  config: RollwrightConfig,
  flag: string | undefined,
  declaration: Declaration | null,
): string[] {
  if (flag) return [flag];
  const envs = new Set<string>();
  if (declaration?.environment) envs.add(declaration.environment);
  const of = environmentsByDir(config);
  for (const f of changes.files) {
    for (const e of of(f.path)) envs.add(e);
    if (f.oldPath !== undefined) for (const e of of(f.oldPath)) envs.add(e);
  }
  return [...envs].sort();
}

/**
 * environmentsOfPath, computed once per directory when every environment glob ends in `/**` (the
 * defaults do): such a glob matches a path exactly when it matches one of the path's parent
 * directories followed by `/` and anything, so files of one directory share their environments.
 */
function environmentsByDir(config: RollwrightConfig): (path: string) => string[] {
  const globs = Object.values(config.environments).flatMap((e) => e.paths);
  if (!globs.every((g) => g.endsWith('/**') && !/[{}]/.test(g))) return (path) => environmentsOfPath(config, path);
  const memo = new Map<string, string[]>();
  return (path) => {
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    let envs = memo.get(dir);
    if (!envs) memo.set(dir, (envs = environmentsOfPath(config, path)));
    return envs;
  };
}

export { loadConfig, loadTrustedConfig, parseConfig, type TrustedConfig } from './config-load.js';
