/** What a GitRepo resolves and reads: the range options, the change-set options, the resolved range. */

export interface RangeOptions {
  /**
   * Base revision; default: the first parent of head, or the empty tree for a root commit. A head whose
   * parent the clone does not hold (a shallow clone's boundary) is an input error, never a root commit.
   */
  base?: string;
  /** Head revision; default HEAD. Ignored with `worktree`. */
  head?: string;
  /** Uncommitted changes (staged, unstaged and untracked) against HEAD. */
  worktree?: boolean;
}

export interface ChangeSetOptions {
  /** Which paths to read both texts of (the others are listed, not read). */
  wants: (path: string) => boolean;
  /** Files larger than this are reported as too large and not read. */
  maxFileBytes: number;
  /** The run's budget: a change of more files than this is an input error (how to raise it included), never a hang. */
  maxFiles?: number;
  /** The run's budget: reading more bytes of changed files (both sides) than this is an input error. */
  maxBytes?: number;
}

export interface ResolvedRange {
  base: string;
  head: string;
  /** True when base is git's empty tree (head is a root commit). */
  baseIsEmptyTree: boolean;
  /** The revisions as given, for messages. */
  baseRev?: string;
  headRev: string;
}
