/**
 * History a change needs that the clone does not hold. Most CI systems check out one commit
 * (`git clone --depth 1`, actions/checkout's default `fetch-depth: 1`): the head's parent is cut off
 * by the shallow boundary (`.git/shallow`), so `HEAD^` does not resolve and the head looks like a root
 * commit. Assessed against the empty tree, every file of the repository would read as added, a
 * silent pass of whatever the change really does. These functions tell a cut history from a true
 * root commit (a commit object records its parents even when the clone lacks them) and build the
 * input error that says how to fetch the base.
 */
import { InputError } from '../core/errors.js';
import { git } from './exec.js';

/** Whether the repository is a shallow clone (`git rev-parse --is-shallow-repository`). */
export async function isShallowRepository(dir: string): Promise<boolean> {
  const out = await git(dir, ['rev-parse', '--is-shallow-repository']);
  return out.toString('utf8').trim() === 'true';
}

/**
 * The parents a raw commit object records (its `parent` header lines). A shallow clone keeps these
 * lines even for the commits at its boundary, whose parents it does not have; a root commit has none.
 */
export function recordedParents(rawCommit: Buffer | string): string[] {
  const text = typeof rawCommit === 'string' ? rawCommit : rawCommit.toString('latin1');
  const end = text.indexOf('\n\n');
  const headers = (end < 0 ? text : text.slice(0, end)).split('\n');
  const parents: string[] = [];
  for (const h of headers) if (h.startsWith('parent ')) parents.push(h.slice('parent '.length).trim());
  return parents;
}

/** How to get the missing history, for the ways a pipeline usually runs (one item per line). */
export function fetchAdvice(rev?: string): string {
  // A branch, tag or commit id can be fetched by name; an expression such as main~3 cannot.
  const name = rev && /^[A-Za-z0-9._/-]+$/.test(rev) ? rev.replace(/^(refs\/remotes\/)?origin\//, '') : '<base>';
  return [
    'Fetch the history first:',
    '  - GitHub Actions: `fetch-depth: 0` on actions/checkout (GitLab CI: `GIT_DEPTH: 0`)',
    `  - an existing clone: \`git fetch --deepen=<N>\` (N at least the commits in the change), \`git fetch --unshallow\`, or \`git fetch origin ${name}\``,
    '  - or pass --base with a commit the clone has',
  ].join('\n');
}

const NOT_SILENT =
  'rollwright does not assess a change against a base it cannot read: against the empty tree every file would read as added.';

/** The input error for a head whose recorded parent the clone does not hold. */
export function cutParentError(o: { what: string; commit: string; parent: string; shallow: boolean }): InputError {
  const where = o.shallow
    ? 'this is a shallow clone (the default checkout of most CI systems) and its history is cut at that commit'
    : 'the repository does not hold that commit (an incomplete or partial clone?)';
  return new InputError(
    `${o.what} (${o.commit.slice(0, 12)}) has a parent (${o.parent.slice(0, 12)}) that is not in the ` +
      `repository, so the change has no base to compare with: ${where}. ${NOT_SILENT}\n${fetchAdvice()}`,
  );
}

/** The input error for a revision (a --base, a commit to revert) that does not resolve in a shallow clone. */
export function missingRevisionError(o: { flag: string; rev: string; dir: string }): InputError {
  return new InputError(
    `${o.flag}: unknown revision ${JSON.stringify(o.rev)} in ${o.dir}, which is a shallow clone: it was ` +
      `probably never fetched. ${NOT_SILENT}\n${fetchAdvice(o.rev)}`,
  );
}

/** The input error for a base that exists but is cut off from the head by the shallow boundary. */
export function cutRangeError(o: { baseRev: string; base: string; headRev: string; head: string }): InputError {
  return new InputError(
    `--base ${o.baseRev} (${o.base.slice(0, 12)}) is not reachable from --head ${o.headRev} (${o.head.slice(0, 12)}) ` +
      `in this shallow clone: the commits between them were not fetched, so the change cannot be listed. ` +
      `${NOT_SILENT}\n${fetchAdvice(o.baseRev)}`,
  );
}

/**
 * For a commit that shows no parent: the input error when it records parents the repository does not
 * hold (a history cut by a shallow clone), or undefined for a true root commit. `what` names the commit
 * in the message (`--head HEAD`, `revert abc123`); `readRaw` returns the raw commit object (`git cat-file
 * commit`), undefined when it cannot be read.
 */
export async function cutHistoryAt(
  dir: string,
  commit: string,
  what: string,
  readRaw: (sha: string) => Promise<Buffer | undefined> = async (sha) => git(dir, ['cat-file', 'commit', sha]),
): Promise<InputError | undefined> {
  const raw = await readRaw(commit);
  const parents = raw ? recordedParents(raw) : [];
  if (parents.length === 0) return undefined;
  return cutParentError({ what, commit, parent: parents[0]!, shallow: await isShallowRepository(dir) });
}
