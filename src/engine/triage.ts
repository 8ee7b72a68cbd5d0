/**
 * Sorts a change set before any surface sees it, so that nothing passes silently and nothing is
 * hidden by the shape of a change:
 *
 * - a rename whose two paths deploy differently (another environment, or a name no surface claims,
 *   such as `pvc.yaml` -> `pvc.yaml.disabled`) is the deletion of the old file and the addition of
 *   the new one, which is what the controller applying the folder sees;
 * - a symbolic link is never followed: where a surface would read it or what it points to, or an
 *   environment deploys it, a `core/symlink` finding names the link and the path it points to (a link
 *   that only a reference search would read, to a file no surface reads, is listed as skipped); a
 *   manifest replaced by a link is read as removed;
 * - a submodule is listed: a finding in an environment or a claimed path, a stated skip elsewhere;
 * - a file in an environment that no surface reads is a `core/unassessed-file` finding (documentation
 *   excepted; a file of a ksonnet app, which no controller renders any more, is one at info anywhere), and a claimed file that cannot be read (binary, not UTF-8, too large) a
 *   `core/unreadable-file` finding;
 * - `ignore` entries of the config lift the last four, with their reason shown under skipped.
 */
import { posix } from 'node:path';
import type { ChangedFile } from '../core/change.js';
import { environmentsOfPath, ignoredBy, type RollwrightConfig } from '../core/config.js';
import type { Report, Rule } from '../core/rule.js';
import type { Surface } from '../core/surface.js';
import { symlink, unassessedFile, unreadableFile } from '../surfaces/core/rules/index.js';

/** Documentation and repository housekeeping: never applied by a GitOps controller, not held when unread. */
const INERT =
  /\.(md|markdown|mdx|txt|rst|adoc|asciidoc|png|jpe?g|gif|svg|webp|ico)$|(^|\/)(README|LICEN[CS]E|NOTICE|AUTHORS|OWNERS(_ALIASES)?|CODEOWNERS|CHANGELOG|CONTRIBUTING)(\.[^/]*)?$|(^|\/)\.(gitignore|gitkeep|keep|gitattributes|editorconfig|helmignore)$/i;

/** Jsonnet sources and libraries (and ksonnet's `.ksonnet` components). */
export const JSONNET = /\.(jsonnet|libsonnet|ksonnet)$/i;

/** The directory a ksonnet app's file would sit under: `app/components/x.jsonnet`, `app/environments/dev/main.jsonnet` -> `app`. */
function ksonnetRootOf(path: string): string | undefined {
  const m = /^(?:(.*?)\/)?(?:components|environments)\//.exec(path);
  return m ? (m[1] ?? '') : undefined;
}

/**
 * The directories of the changed jsonnet files that hold a ksonnet app (an `app.yaml` of kind
 * `ksonnet.io/app` at either revision): read before triage, since only ksonnet's own `ks` tool
 * renders such a directory.
 */
export async function ksonnetRoots(
  files: readonly ChangedFile[],
  readText: (side: 'base' | 'head', path: string) => Promise<string | undefined>,
): Promise<Set<string>> {
  const candidates = new Set<string>();
  for (const f of files)
    for (const p of [f.path, f.oldPath])
      if (p !== undefined && JSONNET.test(p)) {
        const root = ksonnetRootOf(p);
        if (root !== undefined) candidates.add(root);
      }
  const out = new Set<string>();
  await Promise.all(
    [...candidates].map(async (root) => {
      const path = root ? `${root}/app.yaml` : 'app.yaml';
      for (const side of ['head', 'base'] as const) {
        const text = await readText(side, path).catch(() => undefined);
        if (text !== undefined && /^kind:\s*["']?ksonnet\.io\/app["']?\s*$/m.test(text)) {
          out.add(root);
          return;
        }
      }
    }),
  );
  return out;
}

export interface TriageInput {
  files: readonly ChangedFile[];
  /** Directories that hold a ksonnet app (see `ksonnetRoots`). */
  ksonnetRoots?: ReadonlySet<string>;
  config: RollwrightConfig;
  claimants: (f: { path: string; oldPath?: string | undefined }) => readonly Surface[];
  isDeclaration: (path: string) => boolean;
  reporter: <M extends string>(rule: Rule<any, M>) => Report<M>;
  skip: (file: string, reason: string) => void;
}

export interface Triaged {
  /** Files the surfaces assess, each with its claimants. */
  assessed: Array<{ file: ChangedFile; owners: readonly Surface[] }>;
}

export function triage(input: TriageInput): Triaged {
  const { config, claimants } = input;
  const link = input.reporter(symlink);
  const unassessed = input.reporter(unassessedFile);
  const unreadable = input.reporter(unreadableFile);
  const assessed: Triaged['assessed'] = [];
  const envsOf = (f: ChangedFile): string[] => {
    const envs = new Set(environmentsOfPath(config, f.path));
    if (f.oldPath !== undefined) for (const e of environmentsOfPath(config, f.oldPath)) envs.add(e);
    return [...envs].sort();
  };
  const ignoreOf = (f: ChangedFile) =>
    ignoredBy(config, f.path) ?? (f.oldPath ? ignoredBy(config, f.oldPath) : undefined);

  for (const whole of input.files) {
    for (let f of splitRename(whole, config, claimants)) {
      const owners = claimants(f);
      const envs = envsOf(f);
      const ignored = ignoreOf(f);
      const matters = owners.length > 0 || envs.length > 0;
      const lifted = (why: string) => input.skip(f.path, `${why}; ignored by the config: ${ignored!.reason}`);

      if (f.submodule) {
        const from = short(f.submodule.old) ?? '(none)';
        const to = short(f.submodule.new) ?? '(none)';
        const why = `submodule ${from} -> ${to}: another repository's commit, not assessed`;
        if (!matters) input.skip(f.path, why);
        else if (ignored) lifted(why);
        else unassessed('submodule', { path: f.path, from, to }, { file: f.path, line: 1 });
        continue;
      }

      if (f.symlink) {
        for (const [side, target] of [
          ['old', f.symlink.old],
          ['new', f.symlink.new],
        ] as const) {
          if (target === undefined) continue;
          const path = side === 'old' ? (f.oldPath ?? f.path) : f.path;
          const why = `symbolic link to ${target}: not followed`;
          if (!matters) input.skip(path, why);
          else if (envs.length === 0 && !linkIsRead(path, target, claimants))
            input.skip(
              path,
              `symbolic link to ${target}: neither the link nor what it points to is a file a surface reads, so nothing it points to is deployed by the change`,
            );
          else if (ignored) lifted(why);
          else link('link', { path, target }, { file: path, line: 1 });
        }
        const rest = withoutLinks(f);
        if (!rest) continue;
        f = rest;
      }

      if (owners.length === 0) {
        if (input.isDeclaration(f.path)) continue;
        const ksonnetApp = inKsonnetApp(f, input.ksonnetRoots);
        if (ksonnetApp !== undefined) {
          // No controller renders a ksonnet app any more (Argo CD removed ksonnet in 2.4; Flux never read
          // it): stated, not held.
          const why = 'part of a ksonnet app, which no GitOps controller renders any more';
          if (ignored) lifted(why);
          else unassessed('ksonnet', { path: f.path, app: ksonnetApp || '.' }, { file: f.path, line: 1 });
          continue;
        }
        const why = 'no surface reads this kind of file';
        if (envs.length === 0 || INERT.test(f.path)) input.skip(f.path, why);
        else if (ignored) lifted(why);
        else unassessed('unknownFormat', { path: f.path, env: envs.join(', ') }, { file: f.path, line: 1 });
        continue;
      }

      // Claimed only to be searched (for feature flag keys): in an environment, its own effect is unknown.
      if (envs.length > 0 && !INERT.test(f.path) && owners.every((s) => s.searchesOnly?.(f.path))) {
        if (ignored) lifted('searched for references only, not assessed');
        else unassessed('unknownFormat', { path: f.path, env: envs.join(', ') }, { file: f.path, line: 1 });
      }

      if (f.unreadable) {
        const why =
          f.unreadable === 'binary'
            ? 'binary'
            : f.unreadable === 'encoding'
              ? 'not valid UTF-8'
              : `larger than ${config.limits.maxFileBytes} bytes`;
        if (owners.every((s) => s.searchesOnly?.(f.path))) {
          input.skip(f.path, `${why}: not searched for references`);
          continue;
        }
        if (ignored) {
          lifted(`${why}: not parsed`);
          continue;
        }
        const size = Math.max(f.newSize ?? 0, f.oldSize ?? 0);
        if (f.unreadable === 'encoding')
          unreadable(
            'encoding',
            { path: f.path, line: f.unreadableLine ?? 1 },
            { file: f.path, line: f.unreadableLine ?? 1 },
          );
        else
          unreadable(
            f.unreadable === 'binary' ? 'binary' : 'tooLarge',
            { path: f.path, size, limit: config.limits.maxFileBytes },
            { file: f.path, line: 1 },
          );
        continue;
      }
      assessed.push({ file: f, owners });
    }
  }
  return { assessed };
}

/**
 * Whether a surface reads the link or the file it points to (not only searches it for references): a
 * link's blob is the path it points to, not content, so a link to a script no surface applies (a seed
 * script, a helper) deploys nothing the change could assess. A target outside the repository, or one
 * that a surface reads, is a deployment input that the link hides.
 */
function linkIsRead(path: string, target: string, claimants: TriageInput['claimants']): boolean {
  const reads = (p: string) => claimants({ path: p }).some((s) => !s.searchesOnly?.(p));
  if (reads(path)) return true;
  const resolved = resolveLink(path, target);
  return resolved === undefined || reads(resolved);
}

/** The repository path a relative link points to, or undefined when it leaves the repository (or is absolute). */
function resolveLink(path: string, target: string): string | undefined {
  if (posix.isAbsolute(target)) return undefined;
  const resolved = posix.join(posix.dirname(path), target);
  return resolved === '.' || resolved === '..' || resolved.startsWith('../') ? undefined : resolved;
}

function inKsonnetApp(f: ChangedFile, roots: ReadonlySet<string> | undefined): string | undefined {
  if (!roots?.size) return undefined;
  const paths = [f.path, ...(f.oldPath !== undefined ? [f.oldPath] : [])];
  if (!paths.every((p) => JSONNET.test(p))) return undefined;
  // A file moved from one ksonnet app to another (an app folder renamed) is still ksonnet on both sides.
  const root = ksonnetRootOf(f.path);
  return root !== undefined && paths.every((p) => roots.has(ksonnetRootOf(p) ?? '\0')) ? root : undefined;
}

function short(sha: string | undefined): string | undefined {
  return sha === undefined ? undefined : sha.slice(0, 12);
}

/**
 * A rename is kept as one file only when both paths deploy the same way: the same surfaces claim
 * them and they lie in the same environments. Otherwise the controller of the old path sees a
 * deletion and that of the new path an addition, and so do the surfaces.
 */
export function splitRename(
  f: ChangedFile,
  config: RollwrightConfig,
  claimants: TriageInput['claimants'],
): ChangedFile[] {
  if (f.status !== 'renamed' || f.oldPath === undefined) return [f];
  const before = claimants({ path: f.oldPath });
  const after = claimants({ path: f.path });
  const sameOwners = before.length === after.length && before.every((s) => after.includes(s));
  const sameEnvs = environmentsOfPath(config, f.oldPath).join('\0') === environmentsOfPath(config, f.path).join('\0');
  if (sameOwners && sameEnvs) return [f];
  const deleted: ChangedFile = { status: 'deleted', path: f.oldPath };
  const added: ChangedFile = { status: 'added', path: f.path };
  if (f.oldBlob !== undefined) deleted.oldBlob = f.oldBlob;
  if (f.oldText !== undefined) deleted.oldText = f.oldText;
  if (f.oldSize !== undefined) deleted.oldSize = f.oldSize;
  if (f.newBlob !== undefined) added.newBlob = f.newBlob;
  if (f.newText !== undefined) added.newText = f.newText;
  if (f.newSize !== undefined) added.newSize = f.newSize;
  if (f.symlink?.old !== undefined) deleted.symlink = { old: f.symlink.old };
  if (f.symlink?.new !== undefined) added.symlink = { new: f.symlink.new };
  // Which side could not be read is not recorded: both halves carry it (the conservative reading).
  for (const half of [deleted, added])
    if (f.unreadable) {
      half.unreadable = f.unreadable;
      if (f.unreadableLine !== undefined) half.unreadableLine = f.unreadableLine;
    }
  return [deleted, added];
}

/**
 * The file as the surfaces see it once its link sides are taken away: a file replaced by a link is
 * deleted, a link replaced by a file is added, a link on both sides is nothing to assess.
 */
function withoutLinks(f: ChangedFile): ChangedFile | undefined {
  const oldLink = f.symlink?.old !== undefined;
  const newLink = f.symlink?.new !== undefined;
  const hasOld = !oldLink && f.status !== 'added' && (f.oldBlob !== undefined || f.oldText !== undefined);
  const hasNew = !newLink && f.status !== 'deleted' && (f.newBlob !== undefined || f.newText !== undefined);
  const { symlink: _s, ...rest } = f;
  if (hasOld && hasNew) return rest;
  if (hasOld) {
    const { newBlob: _b, newText: _t, newSize: _z, oldPath: _p, ...old } = rest;
    return { ...old, status: 'deleted', path: f.oldPath ?? f.path };
  }
  if (hasNew) {
    const { oldBlob: _b, oldText: _t, oldSize: _z, oldPath: _p, ...neu } = rest;
    return { ...neu, status: 'added' };
  }
  return undefined;
}
