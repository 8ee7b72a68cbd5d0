import { posix } from 'node:path';
import type { ChangedFile } from '../../../core/change.js';
import type { Finding } from '../../../core/finding.js';
import { listFiles } from '../../../git/history.js';
import { GitRepo } from '../../../git/repo.js';
import { ARGO_GROUP } from '../../../surfaces/argocd/model.js';
import type { RollwrightConfig } from '../../../core/config.js';
import { isDeclarationPath } from '../../declarations.js';
import type { DecisionInput, FlagRef, Reconciler, RolloutRef, WorkspaceRef } from '../types.js';
import { iacToolsFor } from './iac-tool.js';
import { findReconcilers } from './loops.js';
import { isObj, MANIFEST_GLOBS, repoPath, str, type Obj, type Unread } from './paths.js';
import { flagOf } from '../findings.js';

/**
 * What else the repository shows about the change: the progressive rollouts it touches, the feature
 * flags it references or changes (and where each is defined), and the Terraform/OpenTofu workspaces it
 * touches.
 */

/**
 * The repository's side of the decision: the control loops (at HEAD), progressive rollouts, flags and
 * IaC workspaces of the change `range.base..range.head`, and the files that may define a loop or a
 * rollout but could not be read.
 */
export async function repositoryFacts(
  dir: string,
  range: { base: string; head: string },
  config: RollwrightConfig,
  findings: readonly Finding[],
): Promise<DecisionInput['repository']> {
  // The loops that reconcile the changed paths are those of the repository as it is now (HEAD), not
  // as it was at the change: an Application with self-heal added after a bad change still fights an
  // imperative fix of it, and one removed since no longer does.
  const unreadLoops: Unread[] = [];
  const unreadRollouts: Unread[] = [];
  const loopsNow = async (paths: string[]): Promise<Reconciler[]> => {
    const now = await GitRepo.open(dir);
    try {
      await now.resolveHead('HEAD');
      return await findReconcilers(now, paths, unreadLoops);
    } finally {
      now.close();
    }
  };
  const head = await GitRepo.open(dir);
  try {
    await head.resolveRange({ base: range.base, head: range.head });
    const changes = await head.changeSet({
      ...config.limits,
      wants: (p) => /\.ya?ml$/i.test(p) && !isDeclarationPath(config, p),
    });
    const paths = changes.files.flatMap((f) => (f.oldPath !== undefined ? [f.path, f.oldPath] : [f.path]));
    const [reconcilers, rollouts, workspaces] = await Promise.all([
      loopsNow([...new Set(paths)].sort()),
      findRollouts(head, changes.files, unreadRollouts),
      findWorkspaces(head, paths),
    ]);
    return {
      reconcilers,
      rollouts,
      flags: await findFlags(head, findings),
      workspaces,
      ...(unreadLoops.length ? { unreadLoops } : {}),
      ...(unreadRollouts.length ? { unreadRollouts } : {}),
    };
  } finally {
    head.close();
  }
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
  unread: Unread[] = [],
): Promise<RolloutRef[]> {
  const { parseYaml } = await import('../../../core/yaml.js');
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
    const d = flagOf(f);
    if (!d) continue;
    const key = d.flag;
    if (typeof key !== 'string' || key === '') continue;
    const source = typeof d.source === 'string' ? d.source : f.file;
    const id = `${source}\0${key}`;
    const off = d.offVariant;
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
      import('../../../core/yaml.js'),
      import('../../../surfaces/flags/model.js'),
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
 * call it (through `source = "../x"`, transitively). The command of each (`terraform` or `tofu`) is
 * read from the repository (see iac-tool.ts), with what decided it.
 */
export async function findWorkspaces(repo: GitRepo, changed: readonly string[]): Promise<WorkspaceRef[]> {
  const dirs = [...new Set(changed.filter((p) => TF_FILE.test(p)).map((p) => posix.dirname(p)))].map((d) =>
    d === '.' ? '' : d,
  );
  if (dirs.length === 0) return [];
  const listing = await listFiles(repo.dir, 'HEAD');
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
  const sorted = [...roots].sort();
  const tools = await iacToolsFor(sorted, listing, (p) => repo.readText('head', p));
  return sorted.map((dir) => {
    const t = tools.get(dir)!;
    return { dir: dir === '' ? '.' : dir, tool: t.tool, toolFrom: t.from };
  });
}
