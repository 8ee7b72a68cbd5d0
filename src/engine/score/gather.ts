/**
 * What `rollwright score` reads before it judges anything: the first-parent history of the window (one
 * `git log`), each change of it assessed through one repository handle, the artifacts of the tree at
 * HEAD, the policies and their tests at HEAD. The ledger is read by the caller (the CLI resolves the store).
 */
import type { ChangedFile } from '../../core/change.js';
import { environmentsOfPath, requiresDeclaration, type RollwrightConfig } from '../../core/config.js';
import type { Declaration } from '../../core/declaration.js';
import { RollwrightError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import type { AnyRule } from '../../core/rule.js';
import type { Surface } from '../../core/surface.js';
import { firstParentSince, listFiles, type DatedCommit } from '../../git/history.js';
import type { GitRepo } from '../../git/repo.js';
import type { LiveOptions } from '../../live/index.js';
import { assessChangeSet, assessRange, loadConfig } from '../assess.js';
import { isDeclarationPath, parseDeclarationFile } from '../declarations.js';
import type { ScoredChange, ScoreInput, TreeArtifact, TreeFacts } from './types.js';

/** At most this many changes of the window are assessed (the newest); the rest are counted, not judged. */
export const MAX_ASSESSED = 400;

export interface GatherOptions {
  repo: GitRepo;
  dir: string;
  head: string;
  configFile?: string;
  /** Window start, Unix seconds. */
  since: number;
  surfaces: readonly Surface[];
  rules: readonly AnyRule[];
  live: LiveOptions;
  /** The tree's artifact facts; `lint` replaces the default (the rollback targets' readers). */
  treeFacts?: TreeFactsSource;
  /** Told what is being done (a terminal's progress line). */
  progress?: (text: string) => void;
}

export type TreeFactsSource = (input: {
  dir: string;
  head: string;
  config: RollwrightConfig;
  configFile?: string;
  live: LiveOptions;
}) => Promise<TreeFacts>;

export type Gathered = Pick<
  ScoreInput,
  'config' | 'commitsInWindow' | 'changes' | 'notAssessed' | 'tree' | 'policyTests' | 'policies'
>;

export async function gather(opts: GatherOptions): Promise<Gathered> {
  const { repo, dir, head } = opts;
  await repo.resolveHead(head);
  const config = await loadConfig(repo, opts.configFile, opts.rules);
  const [window, files] = await Promise.all([firstParentSince(dir, head, opts.since), listFiles(dir, head)]);
  const late = await lateDeclarations(repo, config, files);
  const treeFacts = opts.treeFacts ?? lintTreeFacts;
  const tree = await treeFacts({
    dir,
    head,
    config,
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
    live: opts.live,
  });
  await repo.resolveHead(head);
  opts.progress?.('reading the policies and the history…');
  const policies = await policiesAtHead(repo, config, opts.surfaces, files);

  const claimed = (p: string) =>
    isDeclarationPath(config, p) || opts.surfaces.some((s) => s.claims(p) && !s.searchesOnly?.(p));
  // A root commit is the repository's first import, not a change to roll back; commits touching no
  // file any surface reads have nothing to judge.
  const candidates = window.filter((c) => c.parents.length > 0 && c.files.some(claimed));
  const assessed = candidates.slice(0, MAX_ASSESSED);
  const changes: ScoredChange[] = [];
  for (const [i, c] of assessed.entries()) {
    opts.progress?.(`assessing commit ${i + 1} of ${assessed.length} in the window (${c.sha.slice(0, 12)})…`);
    changes.push(await scoreChange(repo, c, config, opts, late));
  }
  return {
    config,
    commitsInWindow: window.length,
    changes: changes.reverse(),
    notAssessed: candidates.length - assessed.length,
    tree,
    policyTests: files.filter(isPolicyTest),
    policies,
  };
}

async function scoreChange(
  repo: GitRepo,
  c: DatedCommit,
  config: RollwrightConfig,
  opts: GatherOptions,
  late: Map<string, string>,
): Promise<ScoredChange> {
  const environments = [...new Set(c.files.flatMap((f) => environmentsOfPath(config, f)))].sort();
  const base = {
    sha: c.sha,
    subject: c.subject,
    at: new Date(c.time * 1000).toISOString(),
    environments,
    production: environments.some((e) => requiresDeclaration(config, e)),
  };
  const lateSource = lateFor(late, c.sha);
  try {
    const a = await assessRange(
      repo,
      { base: c.parents[0]!, head: c.sha, surfaces: opts.surfaces, rules: opts.rules },
      config,
    );
    const declaration = a.declaration && Object.keys(a.declaration).length > 1 ? a.declaration : null;
    return {
      ...base,
      declaration,
      ...(lateSource !== undefined && !declaration ? { declaredLate: lateSource } : {}),
      findings: a.findings,
    };
  } catch (e) {
    if (!(e instanceof RollwrightError)) throw e;
    return { ...base, declaration: null, findings: [], error: e.message };
  }
}

/** A change named after the fact: a declaration at HEAD whose id is the commit's id (7 characters or more). */
function lateFor(late: Map<string, string>, sha: string): string | undefined {
  for (const [id, source] of late) if (id.length >= 7 && sha.startsWith(id.toLowerCase())) return source;
  return undefined;
}

/** Declaration files at HEAD by id (a change id may be the commit it declares). */
async function lateDeclarations(
  repo: GitRepo,
  config: RollwrightConfig,
  files: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of files.filter((p) => isDeclarationPath(config, p))) {
    const text = await repo.readText('head', path);
    if (text === undefined) continue;
    let d: Declaration | undefined;
    try {
      d = await parseDeclarationFile(path, text, []);
    } catch {
      continue; // a declaration that does not parse is the gate's to report, on its own change
    }
    if (d?.id !== undefined && /^[0-9a-f]{7,64}$/i.test(d.id)) out.set(d.id, path);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The tree at HEAD

/**
 * The default: the rollback targets' inventory of the tree (and the registry's answers), with the
 * smells `rollwright lint` finds in the same tree marking what is not pinned.
 */
export const lintTreeFacts: TreeFactsSource = async (input) => {
  const { lintTree } = await import('../lint/index.js');
  const [facts, lint] = await Promise.all([
    targetsTreeFacts(input),
    lintTree({ repo: input.dir, rev: input.head, config: input.config }),
  ]);
  return withLintFindings(facts, lint.findings, input.config);
};

/**
 * The images and Terraform modules the tree references, read by the rollback targets' readers (the
 * ones `check-targets --rev` uses), each checked in its registry unless offline. The `lint` command's
 * tree findings are the richer source; this is the one that needs nothing beyond what exists.
 */
export const targetsTreeFacts: TreeFactsSource = async ({ dir, head, configFile, live, config }) => {
  const [{ checkRollbackTargets }, { isCommitId, isVersionTag, exactVersion }] = await Promise.all([
    import('../check-targets.js'),
    import('../../surfaces/terraform/source.js'),
  ]);
  const report = await checkRollbackTargets({
    repo: dir,
    head,
    tree: true,
    ...(configFile !== undefined ? { configFile } : {}),
    live,
  });
  const production = (file: string) => environmentsOfPath(config, file).some((e) => requiresDeclaration(config, e));
  const retention = (t: (typeof report.targets)[number]) =>
    t.status === 'present' || t.status === 'missing' ? t.status : 'unknown';
  const images: TreeFacts['images'] = [];
  const modules: TreeFacts['modules'] = [];
  for (const t of report.targets) {
    const common = {
      ref: t.target,
      file: t.file,
      line: t.line,
      production: production(t.file),
      retention: retention(t),
      ...(t.status !== 'present' ? { reason: t.reason } : {}),
    } as const;
    if (t.kind === 'image') {
      const pinned = /@sha256:[0-9a-f]{64}$/.test(t.target);
      const tag = /:([^/:@]+)$/.exec(t.target)?.[1];
      images.push({ ...common, pinned, ...(pinned ? {} : { why: tag ? `tag ${tag}` : 'no tag or digest' }) });
    } else if (t.what.startsWith('module.')) {
      const check = t.check;
      let pinned = false;
      let why: string | undefined;
      if (check?.kind === 'module') {
        pinned = exactVersion(check.version) !== undefined;
        if (!pinned) why = `version constraint ${check.version}`;
      } else if (check?.kind === 'git') {
        pinned = check.ref !== undefined && (isCommitId(check.ref) || isVersionTag(check.ref));
        if (!pinned) why = check.ref === undefined ? 'no ref' : `ref ${check.ref}`;
      } else why = t.why ?? 'no version';
      modules.push({ ...common, pinned, ...(why !== undefined ? { why } : {}) });
    }
  }
  return {
    source: 'the rollback targets of the tree (check-targets --rev)',
    images,
    modules,
    live: !report.offline,
  };
};

// ---------------------------------------------------------------------------------------------
// Policies at HEAD

const POLICY_MARKERS = [
  'kyverno.io/',
  'templates.gatekeeper.sh',
  'constraints.gatekeeper.sh',
  'ValidatingAdmissionPolicy',
];

const POLICY_KINDS =
  /^kind:\s*["']?(ClusterPolicy|Policy|ConstraintTemplate|ValidatingAdmissionPolicy|ValidatingPolicy)\b/m;

/** Kyverno CLI tests, Rego unit tests, Gatekeeper (gator) suites, conftest policies' tests. */
export function isPolicyTest(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^kyverno-test\.ya?ml$/.test(name) || /_test\.rego$/.test(name) || /^suite\.ya?ml$/.test(name);
}

/** Policies (Kyverno, Gatekeeper, ValidatingAdmissionPolicy, Rego) and PolicyExceptions at HEAD, read by the policy surface. */
async function policiesAtHead(
  repo: GitRepo,
  config: RollwrightConfig,
  surfaces: readonly Surface[],
  files: readonly string[],
): Promise<Gathered['policies']> {
  const rego = files.filter((p) => p.endsWith('.rego') && !p.endsWith('_test.rego'));
  const yaml = await repo.grep('head', POLICY_MARKERS, ['**/*.yaml', '**/*.yml']);
  const policy = surfaces.filter((s) => s.id === 'policy');
  const changed: ChangedFile[] = [];
  for (const path of yaml.sort()) {
    if (isPolicyTest(path)) continue;
    const text = await repo.readText('head', path);
    if (text !== undefined) changed.push({ status: 'added', path, newText: text });
  }
  const policies = new Set<string>(rego);
  for (const f of changed) if (POLICY_KINDS.test(f.newText ?? '')) policies.add(f.path);
  const exceptions = new Map<string, boolean>();
  if (changed.length && policy.length) {
    // Every policy file read as if newly added: the policy surface's rules name each policy and exception.
    const a = await assessChangeSet({ base: 'HEAD', head: 'HEAD', files: changed, commits: [] }, repo, config, {
      surfaces: policy,
    });
    for (const f of a.findings) {
      if (!f.rule.startsWith('policy/')) continue;
      if (f.rule === 'policy/policy-exception') {
        const ref = f.object ?? `${f.file}:${f.line}`;
        exceptions.set(ref, (exceptions.get(ref) ?? true) && f.messageId !== 'noExpiry');
      }
    }
  }
  return {
    policies: [...policies].sort(),
    exceptions: [...exceptions].map(([ref, expiry]) => ({ ref, expiry })),
  };
}

// ---------------------------------------------------------------------------------------------
// With lint

/** The lint rules whose findings say that an image, or a module call, is not pinned. */
export const UNPINNED_RULES = {
  images: ['kubernetes/mutable-image-tag'],
  modules: ['terraform/module-source-unpinned'],
} as const;

/**
 * The tree's artifacts with the smells `rollwright lint` found in the same tree: an artifact a lint
 * finding names (same file and line) is not pinned, whatever its reference looks like, and one the
 * targets' readers did not list is added (its retention unknown). The inventory and the registry
 * answers stay the targets'.
 */
export function withLintFindings(
  facts: TreeFacts,
  findings: readonly Finding[],
  config: RollwrightConfig,
  source = 'rollwright lint and the rollback targets of the tree',
): TreeFacts {
  const merge = (list: readonly TreeArtifact[], rules: readonly string[]): TreeArtifact[] => {
    const out = list.map((a) => ({ ...a }));
    for (const f of findings) {
      if (!rules.includes(f.rule)) continue;
      const why = f.message.length > 120 ? `${f.message.slice(0, 117)}...` : f.message;
      const known = out.find((a) => a.file === f.file && a.line === f.line);
      if (known) {
        if (known.pinned) Object.assign(known, { pinned: false, why });
        continue;
      }
      out.push({
        ref: f.object ?? `${f.file}:${f.line}`,
        file: f.file,
        line: f.line,
        pinned: false,
        why,
        production: environmentsOfPath(config, f.file).some((e) => requiresDeclaration(config, e)),
        retention: 'unknown',
        reason: 'found by lint, not listed as a rollback target',
      });
    }
    return out;
  };
  return {
    source,
    images: merge(facts.images, UNPINNED_RULES.images),
    modules: merge(facts.modules, UNPINNED_RULES.modules),
    live: facts.live,
  };
}
