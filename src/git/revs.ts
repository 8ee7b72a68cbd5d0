import { UsageError } from '../core/errors.js';

/**
 * Revisions are validated before git sees them: no leading dash (an option in disguise),
 * no shell or control characters, no ranges. Revision syntax that is allowed: branch and tag
 * names, full or abbreviated ids, `HEAD~2`, `v1.2^{commit}`, `origin/main`, `@{upstream}`.
 */
const REV_CHARS = /^[A-Za-z0-9._/@{}^~+-]+$/;

export function validateRev(rev: string, flag: string): string {
  const shown = JSON.stringify(rev);
  if (rev.length === 0) throw new UsageError(`${flag}: the revision is empty`);
  if (rev.length > 255) throw new UsageError(`${flag}: the revision is longer than 255 characters`);
  if (rev.startsWith('-')) throw new UsageError(`${flag}: invalid revision ${shown}: a revision cannot start with '-'`);
  if (!REV_CHARS.test(rev))
    throw new UsageError(
      `${flag}: invalid revision ${shown}: only letters, digits and . _ / @ { } ^ ~ + - are allowed in a revision`,
    );
  if (rev.includes('..'))
    throw new UsageError(`${flag}: invalid revision ${shown}: give --base and --head, not a range`);
  if (rev.endsWith('.lock') || rev.endsWith('/') || rev.includes('//'))
    throw new UsageError(`${flag}: invalid revision ${shown}`);
  return rev;
}

/** The id of git's empty tree (SHA-1): the base of a root commit. */
export const EMPTY_TREE_SHA1 = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
export const EMPTY_TREE_SHA256 = '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321';
