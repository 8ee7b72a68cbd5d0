import { InputError, UsageError } from '../../../core/errors.js';
import type { RollwrightConfig } from '../../../core/config.js';
import {
  commitInfo,
  commitsBetween,
  commitsTouching,
  commitsWithTrailer,
  commitTimes,
  mergeBase,
  type CommitInfo,
} from '../../../git/history.js';
import type { GitRepo } from '../../../git/repo.js';
import { cutHistoryAt, cutRangeError, isShallowRepository } from '../../../git/shallow.js';
import { validateRev } from '../../../git/revs.js';
import type { StoreSpec } from '../../../ledger/store-spec.js';
import { isDeclarationPath } from '../../declarations.js';
import { ledgerCommit } from './ledger.js';

/**
 * Which commits a `--change` names: a range, a commit, or a change id (a `Change-Id:` trailer, a
 * declaration file, or the ledger's record), each checked to be one line of history a revert can undo.
 */

/** A change id as accepted by `--change`: no spaces, no leading dash, no range. */
const CHANGE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,127}$/;
const SHA_RE = /^[0-9a-f]{7,64}$/i;

export interface ResolvedChange {
  /** As the decision names it: the change id, the full sha, or `base..head`. */
  name: string;
  changeId: string | null;
  base: string;
  head: string;
  commits: CommitInfo[];
  /** A declaration file with that id at HEAD (passed to assess as --change-id). */
  declarationFile: string | null;
}

/**
 * `--change`: a range `A..B` (refused when it holds a merge), a commit (its change against its first
 * parent), or a change id: the commits whose `Change-Id:` trailer names it, else the commits that added
 * or edited its declaration file at HEAD, else the commit the ledger recorded for it (`change.merged` or
 * `change.deployed` with `commit=`).
 */
export async function resolveChange(
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
  const c = await commitInfo(repo.dir, sha);
  if (!c) throw new InputError(`--change ${JSON.stringify(given)}: cannot read commit ${sha}`);
  if (c.parents.length > 1) {
    // The commits a merge brought in: from where the branch left the first parent to the second.
    const mb = await mergeBase(repo.dir, c.parents[0]!, c.parents[1]!);
    throw new InputError(
      `--change ${JSON.stringify(given)}: ${sha.slice(0, 12)} ("${c.subject}") is a merge commit; ` +
        `name the commits it merged instead` +
        (mb ? ` (--change ${mb.slice(0, 12)}..${c.parents[1]!.slice(0, 12)} when that branch holds no merges)` : ''),
    );
  }
  if (c.parents.length === 0) {
    // A parent the clone does not hold (a shallow clone) is not a first commit.
    const cut = await cutHistoryAt(repo.dir, sha, `--change ${given}`);
    if (cut) throw cut;
    throw new InputError(
      `--change ${JSON.stringify(given)}: ${sha.slice(0, 12)} is the repository's first commit; there is no previous state to decide about`,
    );
  }
  return { name: changeId ?? sha, changeId, base: c.parents[0]!, head: sha, commits: [c], declarationFile };
}

/** Commits in base..head, oldest first; refuses a range that holds a merge, or whose base is not an ancestor of head. */
async function commitsIn(repo: GitRepo, base: string, head: string, shown: string): Promise<ResolvedChange['commits']> {
  if (base === head) throw new InputError(`--change ${shown}: the range is empty`);
  const mb = await mergeBase(repo.dir, base, head);
  const isAncestor = mb === base;
  if (!isAncestor) {
    if (!mb && (await isShallowRepository(repo.dir))) throw cutRangeError({ baseRev: base, base, headRev: head, head });
    throw new InputError(`--change ${shown}: ${base.slice(0, 12)} is not an ancestor of ${head.slice(0, 12)}`);
  }
  const commits = await commitsBetween(repo.dir, base, head);
  const merge = commits.find((c) => c.parents.length > 1);
  if (merge)
    throw new InputError(
      `--change ${shown}: the range holds the merge commit ${merge.sha.slice(0, 12)} ("${merge.subject}"); ` +
        'a revert of a range with merges is not one well-defined change: name the commits on one side of the merge',
    );
  if (commits.length === 0) throw new InputError(`--change ${shown}: the range holds no commits`);
  return commits;
}

async function resolveChangeId(
  repo: GitRepo,
  id: string,
  config: RollwrightConfig,
  store: StoreSpec | null,
): Promise<ResolvedChange | undefined> {
  // 1. Commits whose Change-Id trailer names it.
  const byTrailer = await commitsWithTrailer(repo.dir, 'Change-Id', id, 'HEAD');

  // 2. The declaration file with that id at HEAD, and the commits that added or edited it.
  const declarationFile = await declarationFileOf(repo, id, config);
  const byFile = declarationFile ? (await commitsTouching(repo.dir, 'HEAD', declarationFile)).map((c) => c.sha) : [];

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
  const dated = (await commitTimes(repo.dir, shas)).sort((a, b) => a.time - b.time);
  const oldest = dated[0]!.sha;
  const newest = dated[dated.length - 1]!.sha;
  const first = await commitInfo(repo.dir, oldest);
  if (!first || first.parents.length === 0) {
    const cut = first ? await cutHistoryAt(repo.dir, oldest, `change ${id}: its first commit`) : undefined;
    if (cut) throw cut;
    throw new InputError(`change ${id}: its first commit ${oldest.slice(0, 12)} has no parent to decide against`);
  }
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
  const { parseSingleYaml } = await import('../../../core/yaml.js');
  for (const path of files) {
    const text = await repo.readText('head', path);
    if (text === undefined) continue;
    const { value } = parseSingleYaml(text);
    const change = (value as { change?: { id?: unknown } } | null)?.change;
    if (change && change.id === id) return path;
  }
  return null;
}
