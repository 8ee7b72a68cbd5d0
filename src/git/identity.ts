import { resolve } from 'node:path';
import { git } from './exec.js';

/**
 * What the ledger needs to know about the repository it serves: where its work tree and exclude file
 * are, what identifies it across clones (its origin, its first commit), and whether git would commit
 * a path. Every function is one git command with an argument array; none fails when `dir` is not a
 * repository (they answer undefined, empty or false).
 */

export interface RepositoryPaths {
  /** The work tree's top directory (absolute). */
  toplevel: string;
  /** The repository's `info/exclude` (shared by its worktrees; absolute). */
  excludeFile: string;
  /** The repository's git directory shared by all its worktrees (`.git` of the main one; absolute). */
  commonDir: string;
}

/** The work tree and the exclude file of the repository `dir` is in, or undefined outside one. */
export async function repositoryPaths(dir: string): Promise<RepositoryPaths | undefined> {
  try {
    const [toplevel, exclude, common] = (
      await git(dir, ['rev-parse', '--show-toplevel', '--git-path', 'info/exclude', '--git-common-dir'])
    )
      .toString('utf8')
      .split('\n');
    if (!toplevel || !exclude || !common) return undefined;
    return { toplevel, excludeFile: resolve(dir, exclude), commonDir: resolve(dir, common) };
  } catch {
    return undefined;
  }
}

/** The URL of the `origin` remote as configured, or undefined. */
export async function originUrl(dir: string): Promise<string | undefined> {
  try {
    const out = (await git(dir, ['config', '--get', 'remote.origin.url'], { okCodes: [1] })).toString('utf8').trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

/** The root commits of HEAD's history, oldest last (git's order); empty without commits. */
export async function rootCommits(dir: string): Promise<string[]> {
  try {
    return (await git(dir, ['rev-list', '--max-parents=0', 'HEAD', '--'])).toString('utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Whether git's ignore rules (any .gitignore, info/exclude, core.excludesFile) match `path` (relative to the top). */
export async function isIgnored(toplevel: string, path: string): Promise<boolean> {
  try {
    // Prints the path when a rule matches (exit 0), nothing when none does (exit 1).
    return (await git(toplevel, ['check-ignore', '--no-index', '--', path], { okCodes: [1] })).length > 0;
  } catch {
    return false;
  }
}

/** Whether `path` (relative to the work tree's top) is tracked: in the index, so committed with changes. */
export async function isTracked(toplevel: string, path: string): Promise<boolean> {
  try {
    return (await git(toplevel, ['ls-files', '-z', '--', path])).length > 0;
  } catch {
    return false;
  }
}
