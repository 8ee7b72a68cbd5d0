/**
 * `revert --check`: the revert of a commit or a range, made in a temporary worktree, assessed as a new
 * change with every surface plus the `revert` rule family, its objects validated against their
 * schemas and the repository's admission policies. `--apply` fast-forwards the user's branch to the
 * very commit that was checked.
 */
import { compareClasses, type RollbackClass } from '../../core/classes.js';
import type { Declaration } from '../../core/declaration.js';
import type { AnyRule } from '../../core/rule.js';
import type { Surface } from '../../core/surface.js';
import { GitRepo } from '../../git/repo.js';
import { makeRevert, resolveRevertTarget, type RevertResult } from '../../git/revert.js';
import { assess, loadConfig, type Assessment } from '../assess.js';
import { findDeclaration, isDeclarationPath } from '../declarations.js';
import { revertSurface, type RevertSections } from '../../registry.js';
import type { AdmissionReport } from '../../kube/admission.js';
import type { SchemaValidation } from '../../kube/schema.js';
import type { LiveOptions } from '../../live/index.js';
import type { TargetReport } from '../targets.js';

export const REVERT_SCHEMA = 'rollwright.revert/v1';

export interface RevertReport {
  schema: typeof REVERT_SCHEMA;
  /** The reverted commits, full ids, newest first. */
  reverted: string[];
  /** The commit the revert applies onto (HEAD when checked). */
  onto: string;
  clean: boolean;
  /** Paths that conflict when the revert is applied onto `onto` (empty when clean). */
  conflicts: string[];
  /** The revert commit that was checked (an unreferenced object until `--apply`), or null on conflict. */
  revertCommit: string | null;
  /** The declaration id of the reverted change, when it has one (the Rollback-Change trailer). */
  changeId: string | null;
  /** The incident the revert is linked to (the Rollback-Incident trailer), if any. */
  incident: string | null;
  /** The revert assessed as a change (rollwright.assessment/v1), or null on conflict. */
  assessment: Assessment | null;
  schemaValidation: SchemaValidation | null;
  admission: AdmissionReport | null;
  /** True when the revert applies cleanly, its gate passes, and no object is invalid or denied. */
  passed: boolean;
  /** Why it did not pass (empty when it passed). */
  reasons: string[];
  /**
   * The artifacts the revert brings back (images, chart versions, module refs), checked live: a missing
   * one fails the check. Null when no live check was asked for.
   */
  targets: TargetReport | null;
  /** Set by `--apply`. */
  applied: { commit: string; branch: string; ledgerEvent: number | null; incident: string | null } | null;
}

export interface RevertCheckOptions {
  repo: string;
  spec: string;
  mainline?: number;
  env?: string;
  configFile?: string;
  incident?: string;
  /**
   * Called once the reverted change's declaration id is known, when no `incident` is given: the
   * incident to link the revert to (the open incident of that change in the ledger), if any.
   */
  incidentFor?: (changeId: string | null) => Promise<string | undefined>;
  surfaces: readonly Surface[];
  rules: readonly AnyRule[];
  /** Check that what the revert brings back still exists (registries, chart repositories, git remotes). */
  live?: LiveOptions;
}

export interface RevertCheck {
  report: RevertReport;
  /** The git result, for `--apply`. */
  result: RevertResult;
}

export async function checkRevert(opts: RevertCheckOptions): Promise<RevertCheck> {
  const target = await resolveRevertTarget(opts.repo, opts.spec, {
    ...(opts.mainline !== undefined ? { mainline: opts.mainline } : {}),
  });
  const original = await revertedDeclaration(opts, target.commits);
  const changeId = original?.id ?? null;
  const incident = opts.incident ?? (opts.incidentFor ? await opts.incidentFor(changeId) : undefined);
  const trailers: Array<[string, string]> = [];
  if (incident !== undefined) trailers.push(['Rollback-Incident', incident]);
  if (changeId) trailers.push(['Rollback-Change', changeId]);
  const result = await makeRevert(opts.repo, target, {
    trailers,
    ...(opts.mainline !== undefined ? { mainline: opts.mainline } : {}),
  });
  const report: RevertReport = {
    schema: REVERT_SCHEMA,
    reverted: target.commits,
    onto: result.onto,
    clean: result.clean,
    conflicts: result.conflicts,
    revertCommit: result.commit ?? null,
    changeId,
    incident: incident ?? null,
    assessment: null,
    schemaValidation: null,
    admission: null,
    passed: false,
    reasons: [],
    targets: null,
    applied: null,
  };
  if (!result.clean || !result.commit) {
    report.reasons.push(
      `the revert does not apply cleanly onto ${result.onto.slice(0, 12)}: ${result.conflicts.length} conflicting path(s): ${result.conflicts.join(', ')}`,
    );
    return { report, result };
  }
  if (result.empty)
    report.reasons.push(
      `the revert changes nothing at ${result.onto.slice(0, 12)}: what it would undo is already undone there`,
    );
  const sections: RevertSections = {};
  const assessment = await assess({
    repo: opts.repo,
    base: result.onto,
    head: result.commit,
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
    surfaces: [...opts.surfaces, revertSurface(sections)],
    rules: opts.rules,
    // A revert made for a recovery (an incident, or a declared change) declares itself, so that the gate
    // judges what the revert does, not whether someone wrote a file for it.
    ...(incident !== undefined || changeId !== null
      ? { declare: (assessed: RollbackClass) => recoveryDeclaration(assessed, target.commits, original, incident) }
      : {}),
  });
  report.assessment = assessment;
  report.schemaValidation = sections.schema ?? null;
  report.admission = sections.admission ?? null;
  if (!assessment.gate.passed) report.reasons.push(...assessment.gate.reasons.map((r) => `gate: ${r}`));
  if (original?.rollbackClass && compareClasses(assessment.class, original.rollbackClass) > 0)
    report.reasons.push(
      `gate: the revert's own class ${assessment.class} is worse than the reverted change's ${original.rollbackClass} (${original.source}): undoing it costs more than the change declared`,
    );
  const invalid = sections.schema?.checked.filter((c) => c.result === 'invalid') ?? [];
  if (invalid.length)
    report.reasons.push(
      `schema: ${invalid.length} object(s) fail their schema: ${invalid.map((c) => c.object).join(', ')}`,
    );
  const denied = sections.admission?.results.filter((r) => r.verdict === 'denied') ?? [];
  if (denied.length)
    report.reasons.push(
      `admission: ${denied.length} request(s) denied: ${denied.map((r) => `${r.object} by ${r.policy}`).join(', ')}`,
    );
  const unknown =
    sections.admission?.results.filter((r) => r.verdict === 'not-evaluated' && r.actions.includes('Deny')) ?? [];
  if (unknown.length)
    report.reasons.push(
      `admission: ${unknown.length} Deny policy evaluation(s) could not be made: ${unknown.map((r) => `${r.object} by ${r.policy}`).join(', ')}`,
    );
  if (opts.live) {
    const { checkRollbackTargets } = await import('../check-targets.js');
    report.targets = await checkRollbackTargets({
      repo: opts.repo,
      base: result.onto,
      head: result.commit,
      side: 'head',
      findings: assessment.findings,
      ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
      live: opts.live,
      rules: opts.rules,
    });
    for (const t of report.targets.targets.filter((x) => x.status === 'missing'))
      report.reasons.push(
        `target: the revert brings back ${t.target} (${t.what}, ${t.file}:${t.line}), which no longer exists: ${t.reason}`,
      );
  }
  report.passed = report.reasons.length === 0;
  return { report, result };
}

/**
 * The declaration of a revert made for a recovery: its own assessed class, the method `git revert`, and
 * the incident (or the reverted change) as its justification; the reverted change's environment,
 * verification and window carry over. Irreversible effects are not carried: a revert that has some
 * still fails the gate until someone declares them.
 */
export function recoveryDeclaration(
  assessed: RollbackClass,
  reverted: readonly string[],
  original: Declaration | null,
  incident: string | undefined,
): Declaration {
  const what = reverted.length === 1 ? reverted[0]!.slice(0, 12) : `${reverted.length} commits`;
  return {
    ...(original?.id ? { id: original.id } : {}),
    ...(original?.environment ? { environment: original.environment } : {}),
    rollbackClass: assessed,
    rollbackMethod: 'git revert',
    ...(original?.rollbackWindow !== undefined ? { rollbackWindow: original.rollbackWindow } : {}),
    ...(original?.verification ? { verification: original.verification } : {}),
    source:
      `the revert of ${what}` +
      (incident !== undefined ? ` for incident ${incident}` : '') +
      (original?.id ? ` (change ${original.id})` : ''),
  };
}

/** The reverted change's declaration (a file it added, or its trailers), if any. */
async function revertedDeclaration(opts: RevertCheckOptions, commits: readonly string[]): Promise<Declaration | null> {
  const newest = commits[0]!;
  const oldest = commits[commits.length - 1]!;
  const repo = await GitRepo.open(opts.repo);
  try {
    await repo.resolveRange({ base: `${oldest}^`, head: newest });
    const config = await loadConfig(repo, opts.configFile, opts.rules);
    const changes = await repo.changeSet({
      ...config.limits,
      wants: (p) => isDeclarationPath(config, p),
    });
    const { declaration } = await findDeclaration(changes, repo, config);
    return declaration;
  } catch {
    // A declaration that does not read is the assessment's business, not the trailer's.
    return null;
  } finally {
    repo.close();
  }
}
