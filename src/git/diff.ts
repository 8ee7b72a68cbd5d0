import type { FileStatus } from '../core/change.js';

export interface RawDiffEntry {
  status: FileStatus;
  oldMode: string;
  newMode: string;
  oldBlob?: string;
  newBlob?: string;
  path: string;
  oldPath?: string;
}

const STATUS: Record<string, FileStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

/** git's null object id: the side of the diff where the file does not exist. */
const ZERO_ID = /^0+$/;

/** Parses `git diff --raw -z --no-abbrev` output. Submodules (mode 160000) are kept: their modes say so. */
export function parseRawDiff(out: Buffer | string): RawDiffEntry[] {
  const parts = (typeof out === 'string' ? out : out.toString('utf8')).split('\0');
  const entries: RawDiffEntry[] = [];
  let i = 0;
  while (i < parts.length) {
    const meta = parts[i++];
    if (!meta) continue;
    if (!meta.startsWith(':')) throw new Error(`unexpected git diff --raw output: ${meta.slice(0, 80)}`);
    const [oldMode, newMode, oldSha, newSha, statusField] = meta.slice(1).split(' ');
    if (statusField === undefined) throw new Error(`unexpected git diff --raw output: ${meta.slice(0, 80)}`);
    const letter = statusField.charAt(0);
    const status = STATUS[letter];
    const first = parts[i++]!;
    let path = first;
    let oldPath: string | undefined;
    if (letter === 'R' || letter === 'C') {
      oldPath = first;
      path = parts[i++]!;
    }
    if (!status) continue; // U (unmerged) and X never appear between two commits
    entries.push({
      status,
      oldMode: oldMode!,
      newMode: newMode!,
      oldBlob: status === 'added' || ZERO_ID.test(oldSha!) ? undefined : oldSha,
      newBlob: status === 'deleted' || ZERO_ID.test(newSha!) ? undefined : newSha,
      path,
      ...(oldPath !== undefined ? { oldPath } : {}),
    });
  }
  return entries;
}

/**
 * Parses `git ls-tree -r -z` output (`<mode> <type> <id>\t<path>`) as entries that add every file
 * of the tree: blobs, symbolic links and submodules (whose modes say so).
 */
export function parseLsTree(out: Buffer | string): RawDiffEntry[] {
  const entries: RawDiffEntry[] = [];
  for (const rec of (typeof out === 'string' ? out : out.toString('utf8')).split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, id] = rec.slice(0, tab).split(' ');
    if (tab < 0 || !mode || !id || (type !== 'blob' && type !== 'commit'))
      throw new Error(`unexpected git ls-tree output: ${rec.slice(0, 80)}`);
    entries.push({ status: 'added', oldMode: '000000', newMode: mode, newBlob: id, path: rec.slice(tab + 1) });
  }
  return entries;
}

/** Parses trailers printed by `%(trailers:only,unfold)`: one `Key: value` per line. */
export function parseTrailers(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line.trim());
    if (m) out.push([m[1]!, m[2]!.trim()]);
  }
  return out;
}
