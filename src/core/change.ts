/** One file of a change set, with the text of each side that a surface may read. */
export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

export interface ChangedFile {
  status: FileStatus;
  /** Path in the head revision (the old path for a deletion). */
  path: string;
  /** Path in the base revision when it differs (renames and copies). */
  oldPath?: string;
  /** Blob ids; undefined for the side where the file does not exist. */
  oldBlob?: string;
  newBlob?: string;
  /** Text of each side; undefined when the side does not exist or was not read (binary, too large, not claimed). */
  oldText?: string;
  newText?: string;
  oldSize?: number;
  newSize?: number;
  /** Set when a side could not be read as text: the file is reported, not parsed. */
  unreadable?: 'binary' | 'too-large' | 'encoding';
  /** With `unreadable: 'encoding'`: the line of the first byte that is not UTF-8. */
  unreadableLine?: number;
  /**
   * A side that is a symbolic link (mode 120000, or a link on disk with `--worktree`): the path it
   * names, as written. Its text is left unset: what a link points to is never read.
   */
  symlink?: { old?: string; new?: string };
  /** A side that is a submodule (gitlink, mode 160000): the commit it records. Never read. */
  submodule?: { old?: string; new?: string };
}

export interface ChangeSet {
  /** Full commit ids; `head` is 'WORKTREE' for `--worktree`. */
  base: string;
  head: string;
  files: ChangedFile[];
  /** Commits in base..head, oldest first (empty for the worktree). */
  commits: CommitInfo[];
}

export interface CommitInfo {
  sha: string;
  subject: string;
  body: string;
  /** Trailers parsed from the message, keys as written (case kept), in order. */
  trailers: Array<[string, string]>;
}

/** Lazy access to repository content beyond the change set: only surfaces that need it pay for it. */
export interface RepoReader {
  /** Text of a path at base or head; undefined when absent, binary or too large. */
  readText(side: 'base' | 'head', path: string): Promise<string | undefined>;
  /** Entries of a directory at base or head (non-recursive). */
  listDir(side: 'base' | 'head', dir: string): Promise<Array<{ name: string; type: 'blob' | 'tree' }>>;
  /**
   * The git tree id of a directory at base or head (content-addressed: the same id means the same files);
   * undefined when the directory is absent or the side is a work tree (which has no tree ids).
   */
  treeId?(side: 'base' | 'head', dir: string): Promise<string | undefined>;
  /**
   * Paths that contain any of the fixed strings, limited to the path globs (a glob starting with `!`
   * excludes). A search started
   * ahead of need can be cancelled with `signal` when nothing needs it after all.
   */
  grep(side: 'base' | 'head', fixedStrings: string[], pathGlobs: string[], signal?: AbortSignal): Promise<string[]>;
  /**
   * Paths of the regular files (not symbolic links) whose base name is one of `names`, anywhere in the
   * tree of a side: found from the tree listing, without reading any file. Readers without it are
   * searched with `grep`.
   */
  findFiles?(side: 'base' | 'head', names: readonly string[]): Promise<string[]>;
  /**
   * The files `findFiles` finds, each with its blob id (content-addressed: the same id is the same
   * text at either side), for `readBlobText`; undefined when the side is a work tree (use `findFiles`).
   */
  findBlobs?(
    side: 'base' | 'head',
    names: readonly string[],
  ): Promise<Array<{ path: string; oid: string }> | undefined>;
  /** The text of a blob found by `findBlobs`, read once per run whichever side asks; undefined when binary or too large. */
  readBlobText?(oid: string): Promise<string | undefined>;
  /**
   * Every regular file of a side's tree, from the tree listing, without reading any file; undefined
   * when the side is a work tree (search it with `grep`).
   */
  listFiles?(side: 'base' | 'head'): Promise<string[] | undefined>;
}
