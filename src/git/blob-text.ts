/**
 * How a blob or a work-tree file becomes a changed file's text: git's binary test, UTF-8 only, the
 * size limit, symbolic links and submodules by their modes, and repository paths as `<rev>:<path>`
 * wants them.
 */
import { isUtf8 } from 'node:buffer';
import { posix } from 'node:path';
import type { ChangedFile } from '../core/change.js';
import { firstInvalidUtf8 } from '../core/utf8.js';

/**
 * A repository path as `<rev>:<path>` wants it: normalised, no trailing slash, '' for the root.
 * Undefined for a path that leaves the repository: `git cat-file` exits on `<rev>:../x`, which
 * would fail every later read of the run.
 */
export function treePath(path: string): string | undefined {
  const n = posix.normalize(path.replace(/\/+$/, '') || '.');
  if (n === '.') return '';
  if (n === '..' || n.startsWith('../') || n.startsWith('/')) return undefined;
  return n.replace(/\/+$/, '');
}

export const SUBMODULE = '160000';
export const SYMLINK = '120000';
/** A link target longer than this is not a path any system accepts (PATH_MAX). */
export const MAX_LINK_BYTES = 4096;

/** Records one side's read (a text, or why there is none) on a changed file. */
export function setSide(f: ChangedFile, old: boolean, r: TextRead): void {
  if (old) {
    f.oldSize = r.size;
    if (r.text !== undefined) f.oldText = r.text;
    else f.unreadable = r.unreadable;
  } else {
    f.newSize = r.size;
    if (r.text !== undefined) f.newText = r.text;
    else f.unreadable = r.unreadable;
  }
  if (r.line !== undefined) f.unreadableLine = r.line;
}

/** Records that one side is a symbolic link naming `target` (its text is left unset). */
export function setLink(f: ChangedFile, old: boolean, target: string): void {
  f.symlink = { ...f.symlink, [old ? 'old' : 'new']: target };
}

export interface TextRead {
  size: number;
  text?: string;
  unreadable?: 'binary' | 'too-large' | 'encoding';
  /** encoding: the line of the first byte that is not UTF-8. */
  line?: number;
}

/**
 * Text as git sees it: a NUL byte in the first 8000 bytes means binary. Text must be UTF-8 (what
 * Kubernetes, Terraform and PostgreSQL's parsers read): anything else is reported with the line of
 * its first bad byte, never decoded into replacement characters and passed on.
 */
export function decode(data: Buffer): TextRead {
  const probe = data.length > 8000 ? data.subarray(0, 8000) : data;
  if (probe.indexOf(0) >= 0) return { size: data.length, unreadable: 'binary' };
  if (!isUtf8(data)) return { size: data.length, unreadable: 'encoding', line: firstInvalidUtf8(data).line };
  let text = data.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { size: data.length, text };
}
