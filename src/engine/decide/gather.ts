import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import type { ChangedFile } from '../../core/change.js';
import { InputError, UsageError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import { git } from '../../git/exec.js';
import { GitRepo } from '../../git/repo.js';
import { validateRev } from '../../git/revs.js';
import type { LedgerEvent } from '../../ledger/chain.js';
import { describeStore, resolveStore, type StoreSpec } from '../../ledger/store-spec.js';
import { allRules, surfaces } from '../../registry.js';
import { autoSync, sourcesOf } from '../../surfaces/argocd/model.js';
import type { JsonObject } from '../../kube/model.js';
import { assess, loadConfig } from '../assess.js';
import type { RollwrightConfig } from '../../core/config.js';
import { isDeclarationPath } from '../declarations.js';
import type { DecisionInput, FactValue, FlagRef, LedgerFacts, Reconciler, RolloutRef, WorkspaceRef } from './types.js';

/**
 * Gathers what `decide()` needs (issue 7 §1): the change and its commits, the assessment of the change
 * with every surface, the control loops, rollouts, flags and Terraform workspaces of the repository at
 * the change's head that touch it, and the ledger's record of the change (deployment, windows, phases,
 * pauses, evidence, incident). Reads only; never creates a ledger.
 */
export interface GatherOptions {
  /** The repository (default: the current directory). */
  repo: string;
  /** `--change`: a commit, a range `A..B` or a change id (`CHG-2026-0821`). */
  change: string;
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

/** A change id as accepted by `--change`: no spaces, no leading dash, no range. */
const CHANGE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,127}$/;
const SHA_RE = /^[0-9a-f]{7,64}$/i;

interface ResolvedChange {
  /** As the decision names it: the change id, the full sha, or `base..head`. */
  name: string;
  changeId: string | null;
  base: string;
  head: string;
  commits: Array<{ sha: string; parents: string[]; subject: string }>;
  /** A declaration file with that id at HEAD (passed to assess as --change-id). */
  declarationFile: string | null;
}

export async function gatherDecisionInput(opts: GatherOptions): Promise<Gathered> {
  const at = opts.at ?? new Date().toISOString();
  const repo = await GitRepo.open(opts.repo);
  let config: RollwrightConfig;
  let resolved: ResolvedChange;
  const storeSpec = resolveStore(opts.store, opts.repo);
  const ledgerAvailable = storeSpec.kind === 'postgres' || existsSync(storeSpec.path);
  try {
    // The configuration (the declarations directory) as of HEAD.
    await repo.resolveRange({ head: 'HEAD' });
    config = await loadConfig(repo, opts.configFile, allRules());
    resolved = await resolveChange(repo, opts.change, config, ledgerAvailable ? storeSpec : null);
  } finally {
    repo.close();
  }

  const assessment = await assess({
    repo: opts.repo,
    base: resolved.base,
    head: resolved.head,
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
    ...(resolved.declarationFile ? { changeId: resolved.changeId! } : {}),
    ...(opts.plan !== undefined ? { plan: opts.plan } : {}),
    surfaces,
    rules: allRules(),
  });

  const environment =
    opts.env ??
    assessment.declaration?.environment ??
    (assessment.environments.length === 1 ? assessment.environments[0]! : null);

  // The loops that reconcile the changed paths are those of the repository as it is now (HEAD), not
  // as it was at the change: an Application with self-heal added after a bad change still fights an
  // imperative fix of it, and one removed since no longer does.
  const unreadLoops: Array<{ file: string; line: number; reason: string }> = [];
  const unreadRollouts: Array<{ file: string; line: number; reason: string }> = [];
  const loopsNow = async (paths: string[]): Promise<Reconciler[]> => {
    const now = await GitRepo.open(opts.repo);
    try {
      await now.resolveRange({ head: 'HEAD' });
      return await findReconcilers(now, paths, unreadLoops);
    } finally {
      now.close();
    }
  };
  const head = await GitRepo.open(opts.repo);
  let repository: DecisionInput['repository'];
  try {
    await head.resolveRange({ base: resolved.base, head: resolved.head });
    const changes = await head.changeSet({
      maxFileBytes: config.limits.maxFileBytes,
      wants: (p) => /\.ya?ml$/i.test(p) && !isDeclarationPath(config, p),
    });
    const paths = changes.files.flatMap((f) => (f.oldPath !== undefined ? [f.path, f.oldPath] : [f.path]));
    const [reconcilers, rollouts, workspaces] = await Promise.all([
      loopsNow([...new Set(paths)].sort()),
      findRollouts(head, changes.files, unreadRollouts),
      findWorkspaces(head, paths),
    ]);
    repository = {
      reconcilers,
      rollouts,
      flags: await findFlags(head, assessment.findings),
      workspaces,
      ...(unreadLoops.length ? { unreadLoops } : {}),
      ...(unreadRollouts.length ? { unreadRollouts } : {}),
    };
  } finally {
    head.close();
  }

  const changeKeys = [
    ...new Set(
      [resolved.changeId, assessment.declaration?.id, ...resolved.commits.map((c) => c.sha)].filter(
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
      declaredWindow: assessment.declaration?.rollbackWindow,
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
    environment,
    assessment,
    declaration: assessment.declaration,
    ledger,
    repository,
    facts: new Map(opts.facts ?? []),
    at,
  };
  return { input, store: ledgerAvailable ? storeSpec : null, ledgerState, incident };
}

// ------------------------------------------------------------------------------------------------
// The change

/**
 * `--change`: a range `A..B` (refused when it holds a merge), a commit (its change against its first
 * parent), or a change id: the commits whose `Change-Id:` trailer names it, else the commits that added
 * or edited its declaration file at HEAD, else the commit the ledger recorded for it (`change.merged` or
 * `change.deployed` with `commit=`).
 */
async function resolveChange(
  repo: GitRepo,
  text: string,
  config: RollwrightConfig,
  store: StoreSpec | null,
): Promise<ResolvedChange> {
  const value = text.trim();
  if (value === '') throw new UsageError('--change: give a commit, a range A..B or a change id');
  if (value.includes('..')) {
    const m = /^([^.]+)\.\.([^.]+)$/.exec(value);
    if (!m) throw new UsageError(`--change ${JSON.stringify(value)}: a range is written A..B (not A...B)`);
    const base = await repo.resolveCommit(validateRev(m[1]!, '--change'), '--change');
    const head = await repo.resolveCommit(validateRev(m[2]!, '--change'), '--change');
    const commits = await commitsIn(repo, base, head, value);
    return { name: `${base}..${head}`, changeId: null, base, head, commits, declarationFile: null };
  }
  if (SHA_RE.test(value)) return singleCommit(repo, await repo.resolveCommit(value, '--change'), value, null);

  if (CHANGE_ID_RE.test(value)) {
    const byId = await resolveChangeId(repo, value, config, store);
    if (byId) return byId;
  }
  // Any other revision git knows (HEAD~1, a tag, a branch).
  let sha: string | undefined;
  try {
    validateRev(value, '--change');
    sha = await repo.resolveCommit(value, '--change');
  } catch {
    sha = undefined;
  }
  if (sha) return singleCommit(repo, sha, value, null);
  throw new InputError(
    `--change ${JSON.stringify(value)} matches nothing: no commit or revision of that name, no commit with a ` +
      `Change-Id: ${value} trailer, no declaration with id ${value} in ${config.declarations.dir}/ at HEAD` +
      (store
        ? ', and no change.merged or change.deployed commit= for it in the ledger'
        : ' (and no ledger to look in)'),
  );
}

async function singleCommit(
  repo: GitRepo,
  sha: string,
  given: string,
  changeId: string | null,
  declarationFile: string | null = null,
): Promise<ResolvedChange> {
  const [c] = await logCommits(repo, ['-1', sha]);
  if (!c) throw new InputError(`--change ${JSON.stringify(given)}: cannot read commit ${sha}`);
  if (c.parents.length > 1) {
    // The commits a merge brought in: from where the branch left the first parent to the second.
    const mb = (await git(repo.dir, ['merge-base', c.parents[0]!, c.parents[1]!], { okCodes: [1] }))
      .toString('utf8')
      .trim();
    throw new InputError(
      `--change ${JSON.stringify(given)}: ${sha.slice(0, 12)} ("${c.subject}") is a merge commit; ` +
        `name the commits it merged instead` +
        (mb ? ` (--change ${mb.slice(0, 12)}..${c.parents[1]!.slice(0, 12)} when that branch holds no merges)` : ''),
    );
  }
  if (c.parents.length === 0)
    throw new InputError(
      `--change ${JSON.stringify(given)}: ${sha.slice(0, 12)} is the repository's first commit; there is no previous state to decide about`,
    );
  return { name: changeId ?? sha, changeId, base: c.parents[0]!, head: sha, commits: [c], declarationFile };
}

/** Commits in base..head, oldest first; refuses a range that holds a merge, or whose base is not an ancestor of head. */
async function commitsIn(repo: GitRepo, base: string, head: string, shown: string): Promise<ResolvedChange['commits']> {
  if (base === head) throw new InputError(`--change ${shown}: the range is empty`);
  const mb = (await git(repo.dir, ['merge-base', base, head], { okCodes: [1] })).toString('utf8').trim();
  const isAncestor = mb === base;
  if (!isAncestor)
    throw new InputError(`--change ${shown}: ${base.slice(0, 12)} is not an ancestor of ${head.slice(0, 12)}`);
  const commits = await logCommits(repo, ['--reverse', `${base}..${head}`]);
  const merge = commits.find((c) => c.parents.length > 1);
  if (merge)
    throw new InputError(
      `--change ${shown}: the range holds the merge commit ${merge.sha.slice(0, 12)} ("${merge.subject}"); ` +
        'a revert of a range with merges is not one well-defined change: name the commits on one side of the merge',
    );
  if (commits.length === 0) throw new InputError(`--change ${shown}: the range holds no commits`);
  return commits;
}

async function logCommits(repo: GitRepo, args: string[], paths: string[] = []): Promise<ResolvedChange['commits']> {
  const out = await git(repo.dir, ['log', '-z', '--no-color', '--format=%H%x1f%P%x1f%s', ...args, '--', ...paths]);
  return out
    .toString('utf8')
    .split('\0')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.trim())
    .map((r) => {
      const [sha, parents, subject] = r.split('\x1f');
      return { sha: sha!, parents: (parents ?? '').split(' ').filter(Boolean), subject: subject ?? '' };
    });
}

async function resolveChangeId(
  repo: GitRepo,
  id: string,
  config: RollwrightConfig,
  store: StoreSpec | null,
): Promise<ResolvedChange | undefined> {
  // 1. Commits whose Change-Id trailer names it.
  const out = await git(repo.dir, [
    'log',
    '-z',
    '--no-color',
    '-F',
    `--grep=${id}`,
    '--format=%H%x1f%(trailers:key=Change-Id,valueonly,separator=%x1e)',
    'HEAD',
    '--',
  ]);
  const byTrailer = out
    .toString('utf8')
    .split('\0')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.trim())
    .map((r) => r.split('\x1f'))
    .filter(([, t]) =>
      (t ?? '')
        .split('\x1e')
        .map((v) => v.trim())
        .includes(id),
    )
    .map(([sha]) => sha!)
    .reverse();

  // 2. The declaration file with that id at HEAD, and the commits that added or edited it.
  const declarationFile = await declarationFileOf(repo, id, config);
  const byFile = declarationFile
    ? (await logCommits(repo, ['--reverse', '--no-merges', 'HEAD'], [declarationFile])).map((c) => c.sha)
    : [];

  const shas = [...new Set([...byTrailer, ...byFile])];
  if (shas.length === 0 && store) {
    const commit = await ledgerCommit(store, id);
    if (commit) {
      validateRev(commit, 'the ledger');
      const sha = await repo.resolveCommit(commit, `the ledger's commit for ${id}`);
      return singleCommit(repo, sha, id, id, declarationFile);
    }
  }
  if (shas.length === 0) return undefined;
  if (shas.length === 1) return singleCommit(repo, shas[0]!, id, id, declarationFile);
  // Several commits: the range from the first parent of the oldest to the newest; every commit of the
  // change must lie on it (commitsIn refuses merges and a base that is not an ancestor).
  const dated = (await git(repo.dir, ['log', '--no-walk=unsorted', '--format=%H %ct', ...shas, '--']))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  const oldest = dated[0]![0]!;
  const newest = dated[dated.length - 1]![0]!;
  const [first] = await logCommits(repo, ['-1', oldest]);
  if (!first || first.parents.length === 0)
    throw new InputError(`change ${id}: its first commit ${oldest.slice(0, 12)} has no parent to decide against`);
  const base = first.parents[0]!;
  const commits = await commitsIn(repo, base, newest, `${id} (${base.slice(0, 12)}..${newest.slice(0, 12)})`);
  const stray = shas.filter((s) => !commits.some((c) => c.sha === s));
  if (stray.length)
    throw new InputError(
      `change ${id}: its commits ${shas.map((s) => s.slice(0, 12)).join(', ')} are not one line of history; name the range with --change A..B`,
    );
  return { name: id, changeId: id, base, head: newest, commits, declarationFile };
}

/** The declaration file at HEAD whose `change.id` is `id` (the repository was resolved at HEAD). */
async function declarationFileOf(repo: GitRepo, id: string, config: RollwrightConfig): Promise<string | null> {
  const dir = config.declarations.dir.replace(/\/+$/, '');
  const files = (await repo.grep('head', [id], [`${dir}/*.yaml`, `${dir}/*.yml`]))
    .filter((p) => isDeclarationPath(config, p))
    .sort();
  if (files.length === 0) return null;
  const { parseSingleYaml } = await import('../../core/yaml.js');
  for (const path of files) {
    const text = await repo.readText('head', path);
    if (text === undefined) continue;
    const { value } = parseSingleYaml(text);
    const change = (value as { change?: { id?: unknown } } | null)?.change;
    if (change && change.id === id) return path;
  }
  return null;
}

async function ledgerCommit(store: StoreSpec, id: string): Promise<string | undefined> {
  const { Ledger } = await import('../../ledger/store.js');
  const ledger = await Ledger.open(store, { create: false });
  try {
    const events = await ledger.select({ changes: [id], types: ['change.merged', 'change.deployed'] });
    for (const e of [...events].reverse()) if (typeof e.payload.commit === 'string') return e.payload.commit;
    return undefined;
  } finally {
    await ledger.close();
  }
}

// ------------------------------------------------------------------------------------------------
// The repository at head

const ARGO_GROUP = 'argoproj.io';
const FLUX_KUSTOMIZE = 'kustomize.toolkit.fluxcd.io';
const FLUX_HELM = 'helm.toolkit.fluxcd.io';
const FLUX_SOURCE = 'source.toolkit.fluxcd.io';
const MANIFEST_GLOBS = ['**/*.yaml', '**/*.yml'];

/** `./apps/web/` → `apps/web`; '' for the repository root; undefined for a path that leaves it. */
function repoPath(p: string): string | undefined {
  const n = posix.normalize(p.trim().replace(/\/+$/, '') || '.');
  if (n === '.' || n === './') return '';
  if (n === '..' || n.startsWith('../') || n.startsWith('/')) return undefined;
  return n.replace(/^\.\//, '');
}

function covers(dir: string, file: string): boolean {
  return dir === '' || file === dir || file.startsWith(`${dir}/`);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A loop found at head, before its covered files and parents are known. */
interface Candidate extends Omit<Reconciler, 'covers' | 'parent'> {
  /** Flux: the GitRepository it reads (`namespace/name`), to leave out sources of other repositories. */
  gitSource?: string;
}

/**
 * Every Argo CD Application/ApplicationSet and Flux Kustomization/HelmRelease at head whose paths (with
 * the local directories their kustomizations pull in) hold a changed file, narrowest first.
 */
export async function findReconcilers(
  repo: GitRepo,
  changed: readonly string[],
  /** Receives the files that may define a loop and could not be read: never taken as "no loop". */
  unread: Array<{ file: string; line: number; reason: string }> = [],
): Promise<Reconciler[]> {
  if (changed.length === 0) return [];
  const [files, remotes] = await Promise.all([
    repo.grep('head', [ARGO_GROUP, FLUX_KUSTOMIZE, FLUX_HELM, FLUX_SOURCE], MANIFEST_GLOBS),
    remoteUrls(repo),
  ]);
  // A source of another repository reconciles that repository's paths, not ours. Without remotes
  // (a local clone), every source is taken to be this repository.
  const ours = (url: unknown) => typeof url !== 'string' || remotes.size === 0 || remotes.has(normalizeRepoUrl(url));
  const { parseYaml } = await import('../../core/yaml.js');
  const candidates: Candidate[] = [];
  /** Flux GitRepository objects at head: `namespace/name` -> spec.url. */
  const gitRepositories = new Map<string, string>();
  for (const file of files.sort()) {
    const text = await repo.readText('head', file);
    if (text === undefined) {
      unread.push({ file, line: 1, reason: 'binary or larger than the size limit' });
      continue;
    }
    const y = parseYaml(text);
    for (const doc of y.docs) {
      if (doc.error) unread.push({ file, line: doc.error.line, reason: `YAML: ${doc.error.reason}` });
      const v = doc.value;
      if (!isObj(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') continue;
      const group = v.apiVersion.includes('/') ? v.apiVersion.slice(0, v.apiVersion.indexOf('/')) : '';
      const meta = isObj(v.metadata) ? v.metadata : {};
      const name = str(meta.name);
      if (!name) continue;
      const line = y.locate(doc, ['metadata', 'name']);
      const spec = isObj(v.spec) ? v.spec : {};
      if (group === ARGO_GROUP && (v.kind === 'Application' || v.kind === 'ApplicationSet')) {
        // The Argo CD surface's own reading of sources and of the automated sync policy.
        const app = { kind: v.kind, body: v as JsonObject };
        const appSpec =
          v.kind === 'Application' ? spec : isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : {};
        const paths = sourcesOf(app)
          .map((s) => s.source)
          .filter((s) => ours(s.repoURL))
          .map((s) => str(s.path))
          .filter((p): p is string => p !== undefined)
          // An ApplicationSet template path with parameters covers what precedes the first parameter.
          .map((p) => (p.includes('{{') ? p.slice(0, p.indexOf('{{')).replace(/[^/]*$/, '') : p))
          .map(repoPath)
          .filter((p): p is string => p !== undefined);
        const sp = isObj(appSpec.syncPolicy) ? appSpec.syncPolicy : undefined;
        const sync = autoSync(app);
        candidates.push({
          controller: 'argocd',
          kind: v.kind,
          name,
          namespace: str(meta.namespace) ?? 'argocd',
          file,
          line,
          paths,
          automated: sync.automated,
          selfHeal: sync.selfHeal,
          prune: sync.prune,
          suspended: false,
          syncPolicy: sp === undefined ? null : JSON.stringify(sp),
          ...(v.kind === 'ApplicationSet'
            ? {
                ignoreApplicationDifferences: Array.isArray(spec.ignoreApplicationDifferences)
                  ? JSON.stringify(spec.ignoreApplicationDifferences)
                  : null,
              }
            : {}),
        });
      } else if (group === FLUX_SOURCE && v.kind === 'GitRepository') {
        const url = str(spec.url);
        if (url) gitRepositories.set(`${str(meta.namespace) ?? 'flux-system'}/${name}`, url);
      } else if (group === FLUX_KUSTOMIZE && v.kind === 'Kustomization') {
        const p = repoPath(str(spec.path) ?? './');
        const ref = isObj(spec.sourceRef) ? spec.sourceRef : {};
        candidates.push({
          ...(ref.kind === 'GitRepository' && str(ref.name)
            ? { gitSource: `${str(ref.namespace) ?? str(meta.namespace) ?? 'flux-system'}/${str(ref.name)}` }
            : {}),
          controller: 'flux',
          kind: 'Kustomization',
          name,
          namespace: str(meta.namespace) ?? 'flux-system',
          file,
          line,
          paths: p === undefined ? [] : [p],
          automated: spec.suspend !== true,
          selfHeal: spec.suspend !== true,
          prune: spec.prune === true,
          suspended: spec.suspend === true,
          syncPolicy: null,
        });
      } else if (group === FLUX_HELM && v.kind === 'HelmRelease') {
        const chart = isObj(spec.chart) && isObj(spec.chart.spec) ? spec.chart.spec : undefined;
        const fromGit = chart && isObj(chart.sourceRef) && chart.sourceRef.kind === 'GitRepository';
        const p = fromGit ? repoPath(str(chart.chart) ?? '') : undefined;
        const ref = fromGit ? (chart.sourceRef as Obj) : undefined;
        candidates.push({
          ...(ref && str(ref.name)
            ? { gitSource: `${str(ref.namespace) ?? str(meta.namespace) ?? 'flux-system'}/${str(ref.name)}` }
            : {}),
          controller: 'flux',
          kind: 'HelmRelease',
          name,
          namespace: str(meta.namespace) ?? 'flux-system',
          file,
          line,
          // A HelmRelease reconciles its chart (a path in a GitRepository source) and its own definition.
          paths: p !== undefined && p !== '' ? [p, file] : [file],
          automated: spec.suspend !== true,
          selfHeal: spec.suspend !== true,
          prune: true,
          suspended: spec.suspend === true,
          syncPolicy: null,
        });
      }
    }
  }
  if (candidates.length === 0) return [];
  const expand = await kustomizeExpander(repo);
  /** Per candidate: the directories it renders -> the reconciler path each came from. */
  const dirsOf = new Map<Candidate, Map<string, string>>();
  for (const c of candidates) {
    // A Flux source defined here whose URL is not one of our remotes reads another repository.
    const url = c.gitSource !== undefined ? gitRepositories.get(c.gitSource) : undefined;
    if (url !== undefined && !ours(url)) {
      // Its chart path belongs to the other repository; its own definition file is still ours.
      c.paths = c.kind === 'HelmRelease' ? [c.file] : [];
    }
    const dirs = new Map<string, string>(); // covered dir -> the reconciler path it came from
    for (const p of c.paths) for (const d of await expand(p)) if (!dirs.has(d)) dirs.set(d, p);
    dirsOf.set(c, dirs);
  }
  /** Narrowness of a candidate for a file: the longest own path that covers it (-1: does not cover it). */
  const depthFor = (c: Candidate, file: string): number => {
    let depth = -1;
    for (const [d, from] of dirsOf.get(c)!) if (d !== c.file && covers(d, file)) depth = Math.max(depth, from.length);
    return depth;
  };
  const toReconciler = (c: Candidate, hit: string[]): Reconciler => {
    const { gitSource: _g, ...rest } = c;
    return { ...rest, covers: hit };
  };
  /**
   * The loop that syncs the manifest of an Argo CD Application or ApplicationSet: another Application
   * (an app of apps) syncing automatically, or a Flux Kustomization not suspended, whose paths hold the
   * object's file. One that puts a changed sync policy back at once (selfHeal, or Flux) wins over one
   * that syncs only new revisions; then the narrowest. The chain continues up (bounded, no cycles).
   */
  const parentOf = (c: Candidate, seen: ReadonlySet<Candidate>): Reconciler | undefined => {
    if (c.controller !== 'argocd' || seen.size > 4) return undefined;
    const syncs = (p: Candidate) =>
      p.controller === 'argocd' ? p.automated : p.kind === 'Kustomization' && !p.suspended;
    const putsBackAtOnce = (p: Candidate) => (p.controller === 'argocd' ? p.automated && p.selfHeal : true);
    const holders = candidates
      .filter((p) => p !== c && !seen.has(p) && syncs(p) && depthFor(p, c.file) >= 0)
      .sort(
        (a, b) =>
          Number(putsBackAtOnce(b)) - Number(putsBackAtOnce(a)) ||
          depthFor(b, c.file) - depthFor(a, c.file) ||
          (a.controller + a.kind + a.namespace + a.name < b.controller + b.kind + b.namespace + b.name ? -1 : 1),
      );
    const p = holders[0];
    if (!p) return undefined;
    const rec = toReconciler(p, [c.file]);
    const up = parentOf(p, new Set([...seen, c]));
    return up ? { ...rec, parent: up } : rec;
  };
  const out: Array<Reconciler & { depth: number }> = [];
  for (const c of candidates) {
    const dirs = dirsOf.get(c)!;
    const hit = changed.filter((f) => [...dirs.keys()].some((d) => covers(d, f)));
    if (hit.length === 0) continue;
    // Narrowness: the longest own path that covers a changed file (a directory pulled in through a
    // kustomization counts at the length of the path that pulled it in).
    let depth = -1;
    for (const [d, from] of dirs) if (hit.some((f) => covers(d, f))) depth = Math.max(depth, from.length);
    const parent = parentOf(c, new Set());
    out.push({ ...toReconciler(c, hit), ...(parent ? { parent } : {}), depth });
  }
  out.sort(
    (a, b) =>
      b.depth - a.depth ||
      a.covers.length - b.covers.length ||
      (a.controller + a.kind + a.namespace + a.name < b.controller + b.kind + b.namespace + b.name ? -1 : 1),
  );
  return out.map(({ depth: _d, ...r }) => r);
}

/** The repository's remote URLs, normalised (`git remote -v`). */
async function remoteUrls(repo: GitRepo): Promise<Set<string>> {
  const out = await git(repo.dir, ['remote', '-v']).catch(() => Buffer.alloc(0));
  const urls = new Set<string>();
  for (const line of out.toString('utf8').split('\n')) {
    const url = line.split(/\s+/)[1];
    if (url) urls.add(normalizeRepoUrl(url));
  }
  return urls;
}

/**
 * `https://github.com/org/repo.git`, `git@github.com:org/repo`, `ssh://git@github.com/org/repo` all
 * become `github.com/org/repo`: how Argo CD's repoURL and a clone's remote name the same repository.
 */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim().toLowerCase();
  u = u.replace(/^[a-z+]+:\/\//, '');
  u = u.replace(/^[^@/]+@/, '');
  const scp = /^([^/:]+):(?!\d+\/)(.*)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^([^/]+):\d+\//, '$1/');
  return u.replace(/\.git\/?$/, '').replace(/\/+$/, '');
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The directories a reconciled path really renders: the path itself plus the local directories its
 * kustomization.yaml pulls in (`resources`, `bases`, `components`, recursively, bounded).
 */
async function kustomizeExpander(repo: GitRepo): Promise<(path: string) => Promise<string[]>> {
  const { parseSingleYaml } = await import('../../core/yaml.js');
  const memo = new Map<string, string[]>();
  const refsOf = async (dir: string): Promise<string[]> => {
    const hit = memo.get(dir);
    if (hit) return hit;
    const refs: string[] = [];
    memo.set(dir, refs);
    for (const n of KUSTOMIZATION_NAMES) {
      const text = await repo.readText('head', dir ? `${dir}/${n}` : n);
      if (text === undefined) continue;
      const { value } = parseSingleYaml(text);
      if (!isObj(value)) break;
      for (const key of ['resources', 'bases', 'components']) {
        const list = value[key];
        if (!Array.isArray(list)) continue;
        for (const r of list) {
          if (typeof r !== 'string' || /^[a-z]+:\/\//i.test(r) || r.includes('?') || r.startsWith('github.com/'))
            continue;
          const p = repoPath(posix.join(dir || '.', r));
          if (p !== undefined) refs.push(p);
        }
      }
      break;
    }
    return refs;
  };
  return async (path: string) => {
    const seen = new Set<string>([path]);
    let frontier = [path];
    for (let depth = 0; depth < 6 && frontier.length && seen.size < 200; depth++) {
      const next: string[] = [];
      for (const d of frontier)
        for (const r of await refsOf(d))
          if (!seen.has(r)) {
            seen.add(r);
            next.push(r);
          }
      frontier = next;
    }
    return [...seen];
  };
}

/** The API groups of Argo Rollouts and Flagger, as a file names them. */
const ROLLOUT_API = /argoproj\.io|flagger\.app/;

/**
 * Progressive rollouts the change touches: Argo Rollouts `Rollout` and Flagger `Canary` objects in the
 * changed files, and those at head whose `workloadRef`/`targetRef` names a workload the change touches.
 */
export async function findRollouts(
  repo: GitRepo,
  files: readonly ChangedFile[],
  /** Receives the files that may define a rollout and could not be read: never taken as "no rollout". */
  unread: Array<{ file: string; line: number; reason: string }> = [],
): Promise<RolloutRef[]> {
  const { parseYaml } = await import('../../core/yaml.js');
  const out = new Map<string, RolloutRef>();
  const workloads = new Set<string>(); // kind/namespace/name of changed objects
  const scan = (file: string, text: string, changedFile: boolean, match: (ref: string) => boolean) => {
    const y = parseYaml(text);
    // A document that does not parse may be the Rollout or Canary: said when the file names their API.
    const mayDefine = ROLLOUT_API.test(text);
    for (const doc of y.docs) {
      if (doc.error && mayDefine) unread.push({ file, line: doc.error.line, reason: `YAML: ${doc.error.reason}` });
      const v = doc.value;
      if (!isObj(v) || typeof v.kind !== 'string' || typeof v.apiVersion !== 'string') continue;
      const meta = isObj(v.metadata) ? v.metadata : {};
      const name = str(meta.name);
      if (!name) continue;
      const namespace = str(meta.namespace) ?? 'default';
      const group = v.apiVersion.split('/')[0]!;
      const spec = isObj(v.spec) ? v.spec : {};
      if (changedFile) workloads.add(`${v.kind}/${namespace}/${name}`);
      let kind: RolloutRef['kind'] | undefined;
      let target: Obj | undefined;
      if (group === ARGO_GROUP && v.kind === 'Rollout') {
        kind = 'Rollout';
        target = isObj(spec.workloadRef) ? spec.workloadRef : undefined;
      } else if (group === 'flagger.app' && v.kind === 'Canary') {
        kind = 'Canary';
        target = isObj(spec.targetRef) ? spec.targetRef : undefined;
      }
      if (!kind) continue;
      const ref = target ? `${str(target.kind) ?? 'Deployment'}/${namespace}/${str(target.name) ?? ''}` : '';
      if (!changedFile && !match(ref)) continue;
      const key = `${kind}/${namespace}/${name}`;
      if (!out.has(key)) out.set(key, { kind, name, namespace, file, line: y.locate(doc, ['metadata', 'name']) });
    }
  };
  for (const f of files) {
    const text = f.newText ?? f.oldText;
    if (text !== undefined) scan(f.path, text, true, () => false);
    else if (f.unreadable) unread.push({ file: f.path, line: 1, reason: 'binary or larger than the size limit' });
  }
  if (workloads.size) {
    const names = [...new Set([...workloads].map((w) => w.split('/')[2]!))];
    const candidates = await repo.grep('head', ['flagger.app', 'workloadRef'], MANIFEST_GLOBS);
    const changedPaths = new Set(files.map((f) => f.path));
    for (const file of candidates.sort()) {
      if (changedPaths.has(file)) continue;
      const text = await repo.readText('head', file);
      if (text === undefined) {
        unread.push({ file, line: 1, reason: 'binary or larger than the size limit' });
        continue;
      }
      if (!names.some((n) => text.includes(n))) continue;
      scan(file, text, false, (ref) => workloads.has(ref));
    }
  }
  return [...out.values()].sort((a, b) => (a.file + a.line < b.file + b.line ? -1 : 1));
}

/**
 * Flags the change references or changes: the flags surface's findings name them in `data.flag`, with
 * the definition they come from in `data.source` (a flagd file, `ConfigMap ns/name key k`,
 * `FeatureFlag ns/name`). `file` and `line` point at the definition at head, where the flag is turned
 * off; a finding about a reference in code points at the code, so the definition is looked up.
 */
export async function findFlags(repo: GitRepo, findings: readonly Finding[]): Promise<FlagRef[]> {
  const out = new Map<string, FlagRef>();
  const unresolved: FlagRef[] = [];
  for (const f of findings) {
    if (f.surface !== 'flags' || !f.data) continue;
    const key = f.data.flag;
    if (typeof key !== 'string' || key === '') continue;
    const source = typeof f.data.source === 'string' ? f.data.source : f.file;
    const id = `${source}\0${key}`;
    const off = f.data.offVariant;
    const ref: FlagRef = {
      key,
      source,
      file: f.file,
      line: f.line,
      offVariant: typeof off === 'string' && off !== '' ? off : null,
    };
    const seen = out.get(id);
    // A finding in the definition itself wins over one at a reference.
    if (seen && (seen.file === seen.source || f.file !== source)) continue;
    out.set(id, ref);
  }
  for (const ref of out.values()) if (ref.file !== ref.source) unresolved.push(ref);
  if (unresolved.length) {
    const [{ parseYaml }, { sourcesInText }] = await Promise.all([
      import('../../core/yaml.js'),
      import('../../surfaces/flags/model.js'),
    ]);
    const texts = new Map<string, string | undefined>();
    const read = async (path: string) => {
      if (!texts.has(path)) texts.set(path, await repo.readText('head', path));
      return texts.get(path);
    };
    for (const ref of unresolved) {
      const candidates = /\s/.test(ref.source)
        ? (await repo.grep('head', [ref.key], ['**/*.yaml', '**/*.yml'])).sort()
        : [ref.source];
      for (const path of candidates) {
        const text = await read(path);
        if (text === undefined) continue;
        const src = sourcesInText(path, text, parseYaml, 'default').find(
          (x) => x.name === ref.source && x.flags.has(ref.key),
        );
        if (!src) continue;
        const at = src.locate(ref.key);
        ref.file = at.file;
        ref.line = at.line;
        break;
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.source < b.source ? -1 : 1));
}

const TF_FILE = /\.(tf|tofu|tf\.json|tofu\.json)$|(^|\/)\.terraform\.lock\.hcl$|\.tfvars(\.json)?$|\.tfbackend$/;

/**
 * Terraform/OpenTofu root modules (workspaces) the change touches: the directories of changed HCL,
 * lock and tfvars files; a directory that is a local module of others stands for the root modules that
 * call it (through `source = "../x"`, transitively). The tool: `tofu` when the repository has
 * `.opentofu-version` or `*.tofu` files, `terraform` when it has `.terraform-version` or
 * `.terraform.lock.hcl`, else `tofu`.
 */
export async function findWorkspaces(repo: GitRepo, changed: readonly string[]): Promise<WorkspaceRef[]> {
  const dirs = [...new Set(changed.filter((p) => TF_FILE.test(p)).map((p) => posix.dirname(p)))].map((d) =>
    d === '.' ? '' : d,
  );
  if (dirs.length === 0) return [];
  const listing = (await git(repo.dir, ['ls-tree', '-r', '-z', '--name-only', 'HEAD']))
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  const tool: WorkspaceRef['tool'] = listing.some((p) => /(^|\/)\.opentofu-version$/.test(p) || /\.tofu$/.test(p))
    ? 'tofu'
    : listing.some((p) => /(^|\/)\.terraform-version$/.test(p) || /(^|\/)\.terraform\.lock\.hcl$/.test(p))
      ? 'terraform'
      : 'tofu';
  const hclFiles = listing.filter((p) => /\.(tf|tofu)$/.test(p));
  // Local module calls: caller dir -> called dir.
  const callers = new Map<string, Set<string>>();
  const wanted = new Set(dirs.map((d) => posix.basename(d)).filter(Boolean));
  const mayCall = wanted.size ? await repo.grep('head', [...wanted], ['**/*.tf', '**/*.tofu']) : [];
  for (const file of mayCall) {
    const text = await repo.readText('head', file);
    if (text === undefined) continue;
    const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
    for (const m of text.matchAll(/^\s*source\s*=\s*"(\.\.?\/[^"]*)"/gm)) {
      const target = repoPath(posix.join(dir || '.', m[1]!));
      if (target === undefined) continue;
      const set = callers.get(target) ?? new Set<string>();
      set.add(dir);
      callers.set(target, set);
    }
  }
  const roots = new Set<string>();
  const hasHcl = (d: string) => hclFiles.some((p) => (posix.dirname(p) === '.' ? '' : posix.dirname(p)) === d);
  for (const d of dirs) {
    const seen = new Set<string>();
    const walk = (x: string, depth: number) => {
      if (seen.has(x) || depth > 8) return;
      seen.add(x);
      const up = callers.get(x);
      if (!up || up.size === 0) {
        if (hasHcl(x) || x === d) roots.add(x);
        return;
      }
      for (const c of up) walk(c, depth + 1);
    };
    walk(d, 0);
  }
  return [...roots].sort().map((dir) => ({ dir: dir === '' ? '.' : dir, tool }));
}

// ------------------------------------------------------------------------------------------------
// The ledger

interface LedgerQuery {
  changeKeys: string[];
  commits: string[];
  environment: string | null;
  at: string;
  incident?: string;
  declaredWindow: unknown;
}

/** The ledger's record of the change as of `at`; facts null when the ledger knows nothing of it. */
async function readLedger(spec: StoreSpec, q: LedgerQuery): Promise<{ facts: LedgerFacts | null }> {
  const [{ Ledger }, { computeWindows }, { providedItems }] = await Promise.all([
    import('../../ledger/store.js'),
    import('../../ledger/windows.js'),
    import('../../ledger/evidence.js'),
  ]);
  const ledger = await Ledger.open(spec, { create: false });
  try {
    const asOf = (e: LedgerEvent) => e.occurredAt <= q.at;
    // The change as the ledger names it: one of our keys, else a change whose recorded commit is ours.
    let changeId: string | null = null;
    const byKey = (await ledger.select({ changes: q.changeKeys })).filter(asOf);
    if (byKey.length) {
      changeId = q.changeKeys.find((k) => byKey.some((e) => e.subject.change === k)) ?? null;
    } else {
      const withCommit = (await ledger.select({ types: ['change.merged', 'change.deployed'] })).filter(asOf);
      const hit = withCommit.find(
        (e) =>
          typeof e.payload.commit === 'string' &&
          e.payload.commit.length >= 7 &&
          q.commits.some((c) => c.startsWith(String(e.payload.commit))),
      );
      changeId = hit?.subject.change ?? null;
    }

    let incident: string | null = null;
    if (q.incident !== undefined) {
      const detected = await ledger.first('incident.detected', { incident: q.incident });
      if (!detected)
        throw new InputError(
          `--incident ${q.incident}: no such incident in the ledger ${ledger.where} (record incident.detected first)`,
        );
      incident = q.incident;
      changeId ??= detected.subject.change;
    } else if (changeId !== null) {
      const detections = (await ledger.select({ changes: [changeId], types: ['incident.detected'] })).filter(asOf);
      incident = detections.length ? detections[detections.length - 1]!.subject.incident : null;
    }
    if (changeId === null && incident === null) return { facts: null };

    const changeEvents = changeId ? (await ledger.select({ changes: [changeId] })).filter(asOf) : [];
    const deploys = changeEvents.filter(
      (e) => e.type === 'change.deployed' && (q.environment === null || e.subject.environment === q.environment),
    );
    const firstDeploy = deploys.reduce<LedgerEvent | undefined>(
      (m, e) => (m === undefined || e.occurredAt < m.occurredAt ? e : m),
      undefined,
    );
    const artifactDeploy = [...deploys].reverse().find((e) => typeof e.payload.artifact === 'string');
    const service = firstDeploy?.subject.service ?? null;
    const environment = firstDeploy?.subject.environment ?? q.environment;

    const allDeploys = (await ledger.select({ types: ['change.declared', 'change.deployed'] })).filter(asOf);
    let previousArtifact: string | null = null;
    if (firstDeploy && service !== null) {
      const prev = allDeploys
        .filter(
          (e) =>
            e.type === 'change.deployed' &&
            e.subject.change !== changeId &&
            e.subject.service === service &&
            e.subject.environment === environment &&
            e.occurredAt <= firstDeploy.occurredAt &&
            typeof e.payload.artifact === 'string',
        )
        .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.seq - b.seq));
      previousArtifact = prev.length ? String(prev[prev.length - 1]!.payload.artifact) : null;
    }

    const repoDecl = new Map<string, unknown>();
    if (changeId && q.declaredWindow !== undefined) repoDecl.set(changeId, q.declaredWindow);
    const windows = changeId
      ? computeWindows(allDeploys, repoDecl, {
          ...(environment !== null ? { env: environment } : {}),
          all: true,
          now: q.at,
        }).windows.filter((w) => w.change === changeId)
      : [];

    const phases = new Set<string>();
    if (firstDeploy)
      for (const e of allDeploys)
        if (
          e.type === 'change.deployed' &&
          typeof e.payload.phase === 'string' &&
          e.occurredAt >= firstDeploy.occurredAt &&
          (e.subject.change === changeId ||
            (service !== null && e.subject.service === service && e.subject.environment === environment))
        )
          phases.add(e.payload.phase);

    const incidentEvents = incident ? (await ledger.select({ incidents: [incident] })).filter(asOf) : [];
    const pauseEvents = [...changeEvents, ...incidentEvents]
      .filter((e) => e.type === 'pause.started' || e.type === 'pause.ended')
      .filter((e, i, all) => all.findIndex((x) => x.seq === e.seq) === i)
      .sort((a, b) => a.seq - b.seq);
    const open = new Map<string, { target: string; controller: string | null; since: string }>();
    for (const e of pauseEvents) {
      const target = String(e.payload.target);
      if (e.type === 'pause.started')
        open.set(target, {
          target,
          controller: typeof e.payload.controller === 'string' ? e.payload.controller : null,
          since: e.occurredAt,
        });
      else open.delete(target);
    }
    const evidence = incident ? [...providedItems(incidentEvents, 'incident', incident).keys()].sort() : [];

    return {
      facts: {
        store: ledger.where,
        incident,
        deployedAt: firstDeploy?.occurredAt ?? null,
        previousArtifact,
        artifact: artifactDeploy ? String(artifactDeploy.payload.artifact) : null,
        windows,
        phasesPassed: [...phases].sort(),
        activePauses: [...open.values()].sort((a, b) => (a.since < b.since ? -1 : 1)),
        evidenceAttached: evidence,
      },
    };
  } finally {
    await ledger.close();
  }
}
