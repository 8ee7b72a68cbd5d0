import { git } from './exec.js';

/**
 * Reading history: commits, merge bases, trailers, remotes and the files of a revision. Every
 * function is one git command run with an argument array; revisions must be resolved or validated by
 * the caller (`GitRepo.resolveCommit`, `validateRev`) before they reach it.
 */

export interface CommitInfo {
  sha: string;
  /** First parent first; none for a root commit, two or more for a merge. */
  parents: string[];
  subject: string;
}

/** `git log` of `revArgs` limited to `paths`: each commit's sha, parents and subject, in git's order. */
async function logCommits(
  dir: string,
  revArgs: readonly string[],
  paths: readonly string[] = [],
): Promise<CommitInfo[]> {
  const out = await git(dir, ['log', '-z', '--no-color', '--format=%H%x1f%P%x1f%s', ...revArgs, '--', ...paths]);
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

/** One commit (a resolved sha), or undefined when git lists none. */
export async function commitInfo(dir: string, sha: string): Promise<CommitInfo | undefined> {
  const [c] = await logCommits(dir, ['-1', sha]);
  return c;
}

/** The commits in `base..head`, oldest first. */
export function commitsBetween(dir: string, base: string, head: string): Promise<CommitInfo[]> {
  return logCommits(dir, ['--reverse', `${base}..${head}`]);
}

/** The commits of `rev` (merges left out) that added or edited `path`, oldest first. */
export function commitsTouching(dir: string, rev: string, path: string): Promise<CommitInfo[]> {
  return logCommits(dir, ['--reverse', '--no-merges', rev], [path]);
}

/** The best common ancestor of two commits; '' when they have none. */
export async function mergeBase(dir: string, a: string, b: string): Promise<string> {
  return (await git(dir, ['merge-base', a, b], { okCodes: [1] })).toString('utf8').trim();
}

/**
 * The commits reachable from `rev` with a `<key>: <value>` trailer (`Change-Id: CHG-7`), oldest
 * first. The message is searched for the value as a fixed string first; the trailer must then hold it
 * exactly (one of its values, when the trailer repeats).
 */
export async function commitsWithTrailer(dir: string, key: string, value: string, rev: string): Promise<string[]> {
  const out = await git(dir, [
    'log',
    '-z',
    '--no-color',
    '-F',
    `--grep=${value}`,
    `--format=%H%x1f%(trailers:key=${key},valueonly,separator=%x1e)`,
    rev,
    '--',
  ]);
  return out
    .toString('utf8')
    .split('\0')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.trim())
    .map((r) => r.split('\x1f'))
    .filter(([, t]) =>
      (t ?? '')
        .split('\x1e')
        .map((v) => v.trim())
        .includes(value),
    )
    .map(([sha]) => sha!)
    .reverse();
}

/** The committer time (Unix seconds) of each of these commits, in the order given. */
export async function commitTimes(dir: string, shas: readonly string[]): Promise<Array<{ sha: string; time: number }>> {
  return (await git(dir, ['log', '--no-walk=unsorted', '--format=%H %ct', ...shas, '--']))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .map(([sha, time]) => ({ sha: sha!, time: Number(time) }));
}

/** The URLs of the repository's remotes (`git remote -v`, fetch and push); none when git cannot list them. */
export async function remoteUrls(dir: string): Promise<string[]> {
  const out = await git(dir, ['remote', '-v']).catch(() => Buffer.alloc(0));
  const urls: string[] = [];
  for (const line of out.toString('utf8').split('\n')) {
    const url = line.split(/\s+/)[1];
    if (url) urls.push(url);
  }
  return urls;
}

/** Every file path of a revision's tree (`git ls-tree -r --name-only`). */
export async function listFiles(dir: string, rev: string): Promise<string[]> {
  return (await git(dir, ['ls-tree', '-r', '-z', '--name-only', rev])).toString('utf8').split('\0').filter(Boolean);
}

/** The files each of these commits changed against its first parent (none listed for a merge), by sha. */
export async function filesOfCommits(dir: string, shas: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (shas.length === 0) return out;
  const text = (
    await git(dir, [
      'log',
      '--no-walk=unsorted',
      '-z',
      '--no-color',
      '--no-renames',
      '--format=%x1e%H',
      '--name-only',
      ...shas,
      '--',
    ])
  ).toString('utf8');
  for (const record of text.split('\x1e')) {
    if (!record.trim()) continue;
    const [sha, ...files] = record.split('\0').map((s) => s.replace(/^\n/, ''));
    out.set(sha!, files.filter(Boolean));
  }
  return out;
}

/**
 * The merge on the first-parent line of `head` that brought `commit` in from a branch: the oldest
 * first-parent descendant of `commit`, when it is a merge whose first parent does not hold `commit`.
 * Undefined when `commit` sits on that line itself (it was committed, squashed or rebased onto it).
 */
export async function mergeThatBroughtIn(dir: string, commit: string, head: string): Promise<CommitInfo | undefined> {
  const out = (
    await git(dir, ['rev-list', '--first-parent', '--ancestry-path', '--reverse', `${commit}..${head}`, '--'])
  ).toString('utf8');
  const oldest = out.split('\n').find(Boolean);
  if (!oldest) return undefined;
  const c = await commitInfo(dir, oldest);
  if (!c || c.parents.length < 2) return undefined;
  return (await mergeBase(dir, commit, c.parents[0]!)) === commit ? undefined : c;
}

/** True when `path` is in the tree of `rev` (a resolved commit). */
export async function pathExists(dir: string, rev: string, path: string): Promise<boolean> {
  const out = await git(dir, ['ls-tree', '--name-only', rev, '--', path]);
  return out.toString('utf8').trim() !== '';
}

export interface DatedCommit extends CommitInfo {
  /** Committer time, Unix seconds. */
  time: number;
  /** The files it changed against its first parent (a merge: what its branch brought in). */
  files: string[];
}

/**
 * The first-parent line of `rev` (a resolved commit) committed at or after `since` (Unix seconds),
 * newest first, with the files each changed: each change as it landed on the branch (a merge stands
 * for its branch). One git command for the whole window.
 */
export async function firstParentSince(dir: string, rev: string, since: number): Promise<DatedCommit[]> {
  const out = await git(dir, [
    'log',
    '-z',
    '--no-color',
    '--first-parent',
    '--diff-merges=first-parent',
    '--no-renames',
    '--name-only',
    // git reads `--since=@0` as no commit at all: a window from the epoch is the whole history.
    ...(since > 0 ? [`--since=@${Math.floor(since)}`] : []),
    '--format=%x1e%H%x1f%P%x1f%ct%x1f%s',
    rev,
    '--',
  ]);
  const commits: DatedCommit[] = [];
  for (const record of out.toString('utf8').split('\x1e')) {
    if (!record.trim()) continue;
    const [head, ...files] = record.split('\0').map((s) => s.replace(/^\n/, ''));
    const [sha, parents, time, subject] = head!.split('\x1f');
    commits.push({
      sha: sha!,
      parents: (parents ?? '').split(' ').filter(Boolean),
      time: Number(time),
      subject: subject ?? '',
      files: files.filter(Boolean),
    });
  }
  return commits;
}
