/**
 * Files found by name in git's tree objects, read through a running `cat-file --batch-command` process:
 * no new git process and no file read (a repository-wide `git grep` reads every file it matches). Each
 * tree's answer is kept by its id, so the other side of a change reads only the trees the change made
 * different.
 */
import { SYMLINK } from './blob-text.js';
import { parseTree, type CatFile } from './catfile.js';

/** A file found in the trees: its path and blob id. */
export interface TreeBlob {
  path: string;
  oid: string;
}

/** Per cat-file process, names and tree id: the files found, their paths relative to that tree. */
const memos = new WeakMap<CatFile, Map<string, Promise<TreeBlob[]>>>();
/** Per cat-file process and tree id: its entries, read once for every list of names walked. */
const trees = new WeakMap<CatFile, Map<string, Promise<ReturnType<typeof parseTree>>>>();

function entriesOf(cat: CatFile, idBytes: number, tree: string): Promise<ReturnType<typeof parseTree>> {
  let memo = trees.get(cat);
  if (!memo) trees.set(cat, (memo = new Map()));
  let entries = memo.get(tree);
  if (!entries) {
    entries = cat.contents(tree).then((c) => (c?.info.type === 'tree' ? parseTree(c.data, idBytes) : []));
    memo.set(tree, entries);
  }
  return entries;
}

/** Path globs of the files named `names` in any directory. */
export function anywhere(names: readonly string[]): string[] {
  return names.map((n) => `**/${n}`);
}

/**
 * Paths of the regular files (not symbolic links or submodules) named one of `names` in `rev`'s tree;
 * every regular file of it without `names`.
 */
export async function findInTrees(
  cat: CatFile,
  idBytes: number,
  rev: string,
  names?: readonly string[],
): Promise<string[]> {
  return (await findBlobsInTrees(cat, idBytes, rev, names)).map((b) => b.path);
}

/** The files `findInTrees` finds, each with its blob id. */
export async function findBlobsInTrees(
  cat: CatFile,
  idBytes: number,
  rev: string,
  names?: readonly string[],
): Promise<TreeBlob[]> {
  if (names?.length === 0) return [];
  const root = await cat.info(`${rev}^{tree}`);
  if (root?.type !== 'tree') return [];
  let memo = memos.get(cat);
  if (!memo) memos.set(cat, (memo = new Map()));
  const cache = memo;
  const wanted = names && new Set(names);
  // Every file: a key no list of names makes (a name holds no NUL, and an empty list returned above).
  const key = names ? names.join('\0') : '\0';
  const filesIn = (tree: string): Promise<TreeBlob[]> => {
    const k = `${key}\0${tree}`;
    let found = cache.get(k);
    if (found === undefined) {
      found = entriesOf(cat, idBytes, tree).then(async (entries) => {
        const parts = await Promise.all(
          entries.map(async (e): Promise<TreeBlob[]> => {
            if (e.type === 'tree')
              return (await filesIn(e.oid)).map((b) => ({ path: `${e.name}/${b.path}`, oid: b.oid }));
            return e.type === 'blob' && e.mode !== SYMLINK && (!wanted || wanted.has(e.name))
              ? [{ path: e.name, oid: e.oid }]
              : [];
          }),
        );
        return parts.flat();
      });
      cache.set(k, found);
    }
    return found;
  };
  return filesIn(root.oid);
}
