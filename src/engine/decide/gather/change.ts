import { InputError, UsageError } from '../../../core/errors.js';
import type { RollwrightConfig } from '../../../core/config.js';
import {
  commitInfo,
  commitsBetween,
  commitsTouching,
  commitsWithTrailer,
  commitTimes,
  filesOfCommits,
  mergeBase,
  mergeThatBroughtIn,
  type CommitInfo,
} from '../../../git/history.js';
import type { GitRepo } from '../../../git/repo.js';
import { cutHistoryAt, cutRangeError, isShallowRepository } from '../../../git/shallow.js';
import { validateRev } from '../../../git/revs.js';
import type { StoreSpec } from '../../../ledger/store-spec.js';
import { isDeclarationPath } from '../../declarations.js';
import type { ResolutionSource } from '../types.js';
import { ledgerCommit, type LedgerCommit } from './ledger.js';

/**
 * Which commits a `--change` names, the way the change shipped: a range, a commit (a merge stands for
 * the commits it brought in), or a change id: the commit or range the ledger recorded for it
 * (`change.deployed`, else `change.merged`, with `commit=`), else the commits whose `Change-Id:`
 * trailer names it, else the history of its declaration file. Each resolution is checked to be one line
 * of history a revert can undo, and says how it was found.
 */

/** A change id as accepted by `--change`: no spaces, no leading dash, no range. */
const CHANGE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,127}$/;
const SHA_RE = /^[0-9a-f]{7,64}$/i;

/** A commit of the change, with the files it changed and whether they are only change declarations. */
export interface ResolvedCommit extends CommitInfo {
  files: string[];
  declarationOnly: boolean;
}

export interface ResolvedChange {
  /** As the decision names it: the change id, the full sha, or `base..head`. */
  name: string;
  changeId: string | null;
  base: string;
  head: string;
  commits: ResolvedCommit[];
  /** A declaration file with that id at HEAD (passed to assess as --change-id). */
  declarationFile: string | null;
  /** Where the commits were found. */
  source: ResolutionSource;
  /** How, in one sentence naming the record, trailer, file or merge. */
  how: string;
  /** Every commit changes only change declarations: the change's own commits were not found. */
  declarationOnly: boolean;
}

type Unannotated = Omit<ResolvedChange, 'commits' | 'declarationOnly'> & { commits: CommitInfo[] };

/**
 * `--change`: a range `A..B` (refused when it holds a merge), a commit (its change against its first
 * parent; a merge commit: the commits it brought in), or a change id, resolved the way it shipped:
 * the ledger's record first, then `Change-Id:` trailers, then the declaration file's history.
 */
export async function resolveChange(
  repo: GitRepo,
  text: string,
  config: RollwrightConfig,
  store: StoreSpec | null,
  environment: string | null = null,
): Promise<ResolvedChange> {
  const r = await resolve(repo, text, config, store, environment);
  const files = await filesOfCommits(
    repo.dir,
    r.commits.map((c) => c.sha),
  );
  const commits = r.commits.map((c) => {
    const changed = files.get(c.sha) ?? [];
    return {
      ...c,
      files: changed,
      declarationOnly: changed.length > 0 && changed.every((p) => isDeclarationPath(config, p)),
    };
  });
  return { ...r, commits, declarationOnly: commits.length > 0 && commits.every((c) => c.declarationOnly) };
}

/**
 * A change id whose commits someone names (a commit or a range `A..B`, at the prompt when the
 * commits found change only declarations): those commits, under the id, with its declaration file.
 */
export async function resolveChangeAs(
  repo: GitRepo,
  id: string,
  commits: string,
  config: RollwrightConfig,
): Promise<ResolvedChange> {
  const named = await resolveChange(repo, commits, config, null);
  const r: ResolvedChange = {
    ...named,
    name: id,
    changeId: id,
    declarationFile: await declarationFileOf(repo, id, config),
    source: 'argument',
    how: `named for ${id}: ${named.how.replace(/^--change [^:]+: /, '')}`,
  };
  return r;
}

async function resolve(
  repo: GitRepo,
  text: string,
  config: RollwrightConfig,
  store: StoreSpec | null,
  environment: string | null,
): Promise<Unannotated> {
  const value = text.trim();
  if (value === '') throw new UsageError('--change: give a commit, a range A..B or a change id');
  if (value.includes('..')) {
    const m = /^([^.]+)\.\.([^.]+)$/.exec(value);
    if (!m) throw new UsageError(`--change ${JSON.stringify(value)}: a range is written A..B (not A...B)`);
    return rangeChange(repo, m[1]!, m[2]!, value, null, null, (n) => ({
      source: 'argument',
      how: `--change ${value}: ${n}`,
    }));
  }
  if (SHA_RE.test(value)) return commitChange(repo, await repo.resolveCommit(value, '--change'), value, null);

  if (CHANGE_ID_RE.test(value)) {
    const byId = await resolveChangeId(repo, value, config, store, environment);
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
  if (sha) return commitChange(repo, sha, value, null);
  throw new InputError(
    `--change ${JSON.stringify(value)} matches nothing: no commit or revision of that name, no commit with a ` +
      `Change-Id: ${value} trailer, no declaration with id ${value} in ${config.declarations.dir}/ at HEAD` +
      (store
        ? ', and no change.merged or change.deployed commit= for it in the ledger'
        : ' (and no ledger to look in)'),
  );
}

/** `what` completes "how": the resolution's source and a sentence ending with what was taken. */
type Describe = (taken: string) => { source: ResolutionSource; how: string };

const argument =
  (given: string): Describe =>
  (taken) => ({ source: 'argument', how: `--change ${given}: ${taken}` });

/** A commit: its change against its first parent; a merge: the commits it brought in. */
async function commitChange(
  repo: GitRepo,
  sha: string,
  given: string,
  changeId: string | null,
  declarationFile: string | null = null,
  describe: Describe = argument(given),
): Promise<Unannotated> {
  const c = await commitInfo(repo.dir, sha);
  if (!c) throw new InputError(`--change ${JSON.stringify(given)}: cannot read commit ${sha}`);
  if (c.parents.length > 1) return mergeChange(repo, c, given, changeId, declarationFile, describe);
  if (c.parents.length === 0) {
    // A parent the clone does not hold (a shallow clone) is not a first commit.
    const cut = await cutHistoryAt(repo.dir, sha, `--change ${given}`);
    if (cut) throw cut;
    throw new InputError(
      `--change ${JSON.stringify(given)}: ${sha.slice(0, 12)} is the repository's first commit; there is no previous state to decide about`,
    );
  }
  return {
    name: changeId ?? sha,
    changeId,
    base: c.parents[0]!,
    head: sha,
    commits: [c],
    declarationFile,
    ...describe(`the commit ${sha.slice(0, 12)} ("${c.subject}") against its first parent`),
  };
}

/**
 * A merge commit stands for the commits it brought in: from where its second parent's branch left the
 * first parent to the second parent (a revert of those commits undoes what the merge added). A branch
 * that holds merges itself is refused by commitsIn, naming them.
 */
async function mergeChange(
  repo: GitRepo,
  merge: CommitInfo,
  given: string,
  changeId: string | null,
  declarationFile: string | null,
  describe: Describe,
): Promise<Unannotated> {
  if (merge.parents.length > 2)
    throw new InputError(
      `--change ${JSON.stringify(given)}: ${merge.sha.slice(0, 12)} ("${merge.subject}") is an octopus merge of ${merge.parents.length} parents; name the commits of one branch with --change A..B`,
    );
  const [first, second] = merge.parents as [string, string];
  const base = await mergeBase(repo.dir, first, second);
  if (!base)
    throw new InputError(
      `--change ${JSON.stringify(given)}: the merge ${merge.sha.slice(0, 12)} joins unrelated histories; name the commits with --change A..B`,
    );
  const shown = `${given} (the merge ${merge.sha.slice(0, 12)}: ${base.slice(0, 12)}..${second.slice(0, 12)})`;
  const commits = await commitsIn(repo, base, second, shown);
  return {
    name: changeId ?? `${base}..${second}`,
    changeId,
    base,
    head: second,
    commits,
    declarationFile,
    ...describe(
      `the merge ${merge.sha.slice(0, 12)} ("${merge.subject}"): the ${plural(commits.length, 'commit')} it brought in (${base.slice(0, 12)}..${second.slice(0, 12)})`,
    ),
  };
}

async function rangeChange(
  repo: GitRepo,
  from: string,
  to: string,
  shown: string,
  changeId: string | null,
  declarationFile: string | null,
  describe: Describe,
): Promise<Unannotated> {
  const base = await repo.resolveCommit(validateRev(from, '--change'), '--change');
  const head = await repo.resolveCommit(validateRev(to, '--change'), '--change');
  const commits = await commitsIn(repo, base, head, shown);
  return {
    name: changeId ?? `${base}..${head}`,
    changeId,
    base,
    head,
    commits,
    declarationFile,
    ...describe(`the ${plural(commits.length, 'commit')} of ${base.slice(0, 12)}..${head.slice(0, 12)}`),
  };
}

/** Commits in base..head, oldest first; refuses a range that holds a merge, or whose base is not an ancestor of head. */
async function commitsIn(repo: GitRepo, base: string, head: string, shown: string): Promise<CommitInfo[]> {
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
  environment: string | null,
): Promise<Unannotated | undefined> {
  const declarationFile = await declarationFileOf(repo, id, config);

  // 1. What the ledger recorded as shipped.
  const recorded = store ? await ledgerCommit(store, id, environment) : undefined;
  if (recorded) return ledgerChange(repo, id, recorded, declarationFile);

  // 2. Commits whose Change-Id trailer names it.
  const byTrailer = await commitsWithTrailer(repo.dir, 'Change-Id', id, 'HEAD');
  if (byTrailer.length > 0)
    return commitsChange(repo, id, byTrailer, declarationFile, (taken) => ({
      source: 'trailer',
      how: `${plural(byTrailer.length, 'commit')} with the trailer Change-Id: ${id}: ${taken}`,
    }));

  // 3. The commits that added or edited its declaration file at HEAD; when they are on a branch that a
  // merge brought in, that merge's commits (the change, merged with its declaration).
  if (!declarationFile) return undefined;
  const byFile = (await commitsTouching(repo.dir, 'HEAD', declarationFile)).map((c) => c.sha);
  if (byFile.length === 0) return undefined;
  const touched = await filesOfCommits(repo.dir, byFile);
  const onlyDeclarations = byFile.every((s) => (touched.get(s) ?? []).every((p) => isDeclarationPath(config, p)));
  if (onlyDeclarations) {
    const merge = await mergeThatBroughtIn(repo.dir, byFile[byFile.length - 1]!, 'HEAD');
    if (merge)
      return mergeChange(repo, merge, id, id, declarationFile, (taken) => ({
        source: 'declaration',
        how: `${declarationFile} was added and edited by commits that change nothing else, on a branch merged by ${taken}`,
      }));
  }
  return commitsChange(repo, id, byFile, declarationFile, (taken) => ({
    source: 'declaration',
    how: `the ${plural(byFile.length, 'commit')} that added or edited ${declarationFile}: ${taken}`,
  }));
}

/** The ledger's `commit=`: a range, a commit, or a merge (the commits it brought in). */
async function ledgerChange(
  repo: GitRepo,
  id: string,
  recorded: LedgerCommit,
  declarationFile: string | null,
): Promise<Unannotated> {
  const record = `${recorded.type} #${recorded.seq}${recorded.environment ? ` (${recorded.environment})` : ''}`;
  const describe: Describe = (taken) => ({ source: 'ledger', how: `${record} recorded ${taken}` });
  const where = `the ledger's commit for ${id} (${record}: ${recorded.commit})`;
  const known = async (rev: string) => {
    validateRev(rev, 'the ledger');
    try {
      return await repo.resolveCommit(rev, where);
    } catch {
      throw new InputError(
        `${where} is not in this repository: fetch it (git fetch), or name the commits with --change A..B`,
      );
    }
  };
  const range = /^([^.\s]+)\.\.([^.\s]+)$/.exec(recorded.commit);
  if (range) {
    const [from, to] = [await known(range[1]!), await known(range[2]!)];
    return rangeChange(repo, from, to, `${id} (${record}: ${recorded.commit})`, id, declarationFile, describe);
  }
  return commitChange(repo, await known(recorded.commit), id, id, declarationFile, describe);
}

/** Several commits of one change: the range from the first parent of the oldest to the newest, which must hold them all and no merge. */
async function commitsChange(
  repo: GitRepo,
  id: string,
  shas: readonly string[],
  declarationFile: string | null,
  describe: Describe,
): Promise<Unannotated> {
  if (shas.length === 1) return commitChange(repo, shas[0]!, id, id, declarationFile, describe);
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
  return {
    name: id,
    changeId: id,
    base,
    head: newest,
    commits,
    declarationFile,
    ...describe(`the ${plural(commits.length, 'commit')} of ${base.slice(0, 12)}..${newest.slice(0, 12)}`),
  };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
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
