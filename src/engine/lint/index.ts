import type { RollbackClass } from '../../core/classes.js';
import { worst } from '../../core/classes.js';
import type { Finding, Severity } from '../../core/finding.js';
import { environmentsOfPath, type RollwrightConfig } from '../../core/config.js';
import { isSmell, ruleKey, type AnyRule } from '../../core/rule.js';
import type { Surface } from '../../core/surface.js';
import { GitRepo } from '../../git/repo.js';
import { allRules, surfaces as registered } from '../../registry.js';
import { assessChangeSet, claimantsOf, loadConfig, type RehearseHook, type UnassessedEntry } from '../assess.js';
import { isDeclarationPath } from '../declarations.js';

export const LINT_SCHEMA = 'rollwright.lint/v1';

/** One smell: an assess finding (same fields) with the fix its rule documents. */
export interface LintFinding extends Finding {
  /** What to do about it: the rule's documented fix. */
  fix?: string;
}

export interface LintSummary {
  /** Files in the tree, and those some surface read. */
  files: number;
  filesRead: number;
  /** Findings by severity. */
  error: number;
  warning: number;
  info: number;
  /** The worst class of risk among the findings of severity warning and above. */
  class: RollbackClass;
  /** Findings per rule key, with the rule's class and severity, most frequent first. */
  rules: Array<{ rule: string; count: number; severity: Severity; class: RollbackClass }>;
}

/** What `rollwright lint` found in one tree: its JSON contract is `rollwright.lint/v1`. */
export interface LintResult {
  schema: typeof LINT_SCHEMA;
  /** The commit whose tree was linted (full id), and the revision as given. */
  commit: string;
  rev: string;
  /** `--env`: only files of this environment (and of none) were linted. */
  environment?: string;
  findings: LintFinding[];
  /** What could not be assessed (files that do not parse...), from the findings. */
  unassessed: UnassessedEntry[];
  /** Files no surface read, with the reason. */
  skipped: Array<{ file: string; reason: string }>;
  summary: LintSummary;
}

export interface LintOptions {
  repo: string;
  /** The revision whose tree is linted; default HEAD. */
  rev?: string;
  /** Only the files of this environment (and files of no environment, the shared bases) are linted. */
  env?: string;
  /** A configuration already loaded; default: `configFile`, else `.rollwright.yaml` at the revision. */
  config?: RollwrightConfig;
  configFile?: string;
  /** Default: every registered surface and rule. */
  surfaces?: readonly Surface[];
  rules?: readonly AnyRule[];
  /**
   * `--rehearse`: runs a migrations folder of the tree on PostgreSQL (its whole history up, down to an
   * empty schema, up again); its failures are `database/rehearsal` findings.
   */
  rehearse?: RehearseHook;
  /** Told what the run is doing now (`linting 1,204 files`), for a progress line on a terminal. */
  progress?: (text: string) => void;
}

/**
 * Lints the tree of one revision: every file is read by every surface as if the revision added it
 * (the base is the empty tree), so each rule reports the properties present in the tree, plus the
 * smell rules that look at the whole tree. Only the smells (RuleMeta.smell) and what could not be read
 * are reported: a finding that describes a difference ("a CRD changes") says nothing about a tree.
 */
export async function lintTree(opts: LintOptions): Promise<LintResult> {
  const surfaces = opts.surfaces ?? registered;
  const rules = opts.rules ?? allRules();
  const repo = await GitRepo.open(opts.repo);
  try {
    const rev = opts.rev ?? 'HEAD';
    const range = await repo.resolveTree(rev, '--rev');
    const config = opts.config ?? (await loadConfig(repo, opts.configFile, rules));
    if (opts.env !== undefined && !config.environments[opts.env])
      throw new (await import('../../core/errors.js')).UsageError(
        `--env: no environment ${JSON.stringify(opts.env)} in the config (known: ${Object.keys(config.environments).join(', ') || 'none'})`,
      );
    const claimants = claimantsOf(surfaces);
    const inEnv = (p: string) => {
      if (opts.env === undefined) return true;
      const envs = environmentsOfPath(config, p);
      return envs.length === 0 || envs.includes(opts.env);
    };
    const changes = await repo.treeChangeSet({
      maxFileBytes: config.limits.maxFileBytes,
      wants: (p) => inEnv(p) && !isDeclarationPath(config, p) && claimants({ path: p }).length > 0,
    });
    const files = changes.files.length;
    // Change declarations describe changes, not the tree: a tree holds many, and none is this "change".
    changes.files = changes.files.filter((f) => inEnv(f.path) && !isDeclarationPath(config, f.path));
    const n = changes.files.length;
    opts.progress?.(`linting ${n.toLocaleString('en-US')} file${n === 1 ? '' : 's'}…`);
    const a = await assessChangeSet(changes, repo, config, {
      surfaces,
      tree: true,
      ...(opts.env !== undefined ? { env: opts.env } : {}),
      ...(opts.rehearse ? { rehearse: opts.rehearse } : {}),
    });
    const byKey = new Map(rules.map((r) => [ruleKey(r), r]));
    const findings: LintFinding[] = [];
    for (const f of a.findings) {
      const rule = byKey.get(f.rule);
      if (!keep(f, rule)) continue;
      const fix = rule?.docs.fix;
      findings.push(fix ? { ...f, fix } : f);
    }
    return {
      schema: LINT_SCHEMA,
      commit: range.head,
      rev,
      ...(opts.env !== undefined ? { environment: opts.env } : {}),
      findings,
      unassessed: a.unassessed,
      skipped: a.skipped,
      summary: summarize(findings, files, a.stats.filesRead),
    };
  } finally {
    repo.close();
  }
}

/**
 * What lint reports of the findings of a tree read as added: the smells (rules' messages that report a
 * property present in the files) and what could not be read (warning and above, and the engine's own
 * failures). A change rule's finding (a CRD "changed", a rule "added") says nothing about the tree.
 */
function keep(f: Finding, rule: AnyRule | undefined): boolean {
  if (f.unassessed || f.surface === 'core') return f.severity !== 'info';
  return rule !== undefined && isSmell(rule, f.messageId);
}

function summarize(findings: readonly LintFinding[], files: number, filesRead: number): LintSummary {
  const count = { error: 0, warning: 0, info: 0 };
  const byRule = new Map<string, LintSummary['rules'][number]>();
  const classes: RollbackClass[] = [];
  for (const f of findings) {
    count[f.severity]++;
    if (f.severity !== 'info') classes.push(f.class);
    const r = byRule.get(f.rule);
    if (r) {
      r.count++;
      r.class = worst(r.class, f.class);
      if (rank(f.severity) > rank(r.severity)) r.severity = f.severity;
    } else byRule.set(f.rule, { rule: f.rule, count: 1, severity: f.severity, class: f.class });
  }
  const rules = [...byRule.values()].sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : 1));
  return { files, filesRead, ...count, class: worst(classes), rules };
}

const rank = (s: Severity) => (s === 'error' ? 2 : s === 'warning' ? 1 : 0);
