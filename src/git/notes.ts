import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError } from '../core/errors.js';
import { git } from './exec.js';

/**
 * Git notes in a repository used as a witness (the ledger's signed checkpoints): a blob names what the
 * notes are about, and the note on it grows by one paragraph per entry. Each change of a note is a
 * commit on the notes ref, so the ref's history is itself an append-only record that can be pushed
 * and mirrored (`git push <remote> refs/notes/<name>`). Every function is one or two git commands run
 * with argument arrays.
 */

/**
 * A notes ref rollwright passes to `git notes --ref=`: `refs/notes/…`, `notes/…` or a bare name (git
 * puts those under refs/notes/), made of plain characters, no `..`, no component starting with `.`
 * or `-`, not ending in `/` or `.lock`.
 */
export function validNotesRef(ref: string): boolean {
  return (
    ref.length > 0 &&
    ref.length <= 200 &&
    /^[A-Za-z0-9._/-]+$/.test(ref) &&
    !ref.includes('..') &&
    !ref.includes('//') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.lock') &&
    ref.split('/').every((c) => c !== '' && !c.startsWith('.') && !c.startsWith('-'))
  );
}

/** The repository's git directory (absolute), or undefined when `dir` is not in a repository. */
export async function gitDirOf(dir: string): Promise<string | undefined> {
  try {
    return (await git(dir, ['rev-parse', '--absolute-git-dir'])).toString('utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The id of `content` as a blob of the repository (its hash algorithm); with `write`, stored in it. */
export async function blobId(dir: string, content: string, write: boolean): Promise<string> {
  const tmp = await mkdtemp(join(tmpdir(), 'rollwright-blob-'));
  try {
    const file = join(tmp, 'blob');
    await writeFile(file, content);
    return (await git(dir, ['hash-object', ...(write ? ['-w'] : []), '--no-filters', '--', file]))
      .toString('utf8')
      .trim();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The note on `object` under the notes ref, or undefined when it has none. */
export async function readNote(dir: string, ref: string, object: string): Promise<string | undefined> {
  checkRef(ref);
  const out = await git(dir, ['notes', `--ref=${ref}`, 'show', object], { okCodes: [1] });
  return out.length ? out.toString('utf8') : undefined;
}

/**
 * Appends `text` as a paragraph of the note on `object` (creating the note and the ref if needed): one
 * commit on the notes ref, made with the repository's identity, or rollwright's when it has none.
 */
export async function appendNote(dir: string, ref: string, object: string, text: string): Promise<void> {
  checkRef(ref);
  const identity = (await git(dir, ['var', 'GIT_COMMITTER_IDENT']).then(
    () => true,
    () => false,
  ))
    ? []
    : ['-c', 'user.name=rollwright', '-c', 'user.email=rollwright@localhost.invalid'];
  await git(dir, [...identity, 'notes', `--ref=${ref}`, 'append', '-m', text, object]);
}

function checkRef(ref: string): void {
  if (!validNotesRef(ref)) throw new GitError(`not a notes ref rollwright uses: ${JSON.stringify(ref)}`);
}
