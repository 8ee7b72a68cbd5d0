/**
 * Witnesses of the ledger's signed checkpoints, outside its database: `--witness FILE` appends one
 * JSON line per checkpoint to a file (a file on other storage, a mounted bucket, a log shipper's
 * input); `--witness git:DIR[#REF]` appends it to a git note in another repository (REF, default
 * refs/notes/rollwright-checkpoints, on a blob naming the ledger), one commit per checkpoint, which can
 * be pushed and mirrored. A writer who rewrites the ledger's database, checkpoints included, does not
 * reach them: `ledger verify --witness` then finds the rewrite.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';
import type { SignedCheckpoint } from '../ledger/checkpoint.js';

export const DEFAULT_NOTES_REF = 'refs/notes/rollwright-checkpoints';

export type Witness =
  { kind: 'file'; path: string; name: string } | { kind: 'git'; dir: string; ref: string; name: string };

export async function parseWitness(text: string): Promise<Witness> {
  const t = text.trim();
  if (t === '') throw new UsageError('--witness: name a FILE or git:DIR[#REF]');
  if (t.startsWith('git:')) {
    const rest = t.slice('git:'.length);
    const hash = rest.lastIndexOf('#');
    const dir = hash >= 0 ? rest.slice(0, hash) : rest;
    const ref = hash >= 0 ? rest.slice(hash + 1) : DEFAULT_NOTES_REF;
    if (dir === '') throw new UsageError(`--witness ${t}: git: needs the witness repository's directory`);
    const { validNotesRef } = await import('../git/notes.js');
    if (!validNotesRef(ref))
      throw new UsageError(
        `--witness ${t}: ${JSON.stringify(ref)} is not a notes ref (e.g. refs/notes/rollwright-checkpoints)`,
      );
    return { kind: 'git', dir: resolve(dir), ref, name: `git:${resolve(dir)}#${ref}` };
  }
  const path = resolve(t.startsWith('file:') ? t.slice('file:'.length) : t);
  return { kind: 'file', path, name: path };
}

/** The object a ledger's note hangs on: a blob naming the ledger. */
function noteSubject(ledgerId: string): string {
  return `rollwright-ledger:${ledgerId}\n`;
}

/** What a witness holds: its signed checkpoints (of every ledger, for a file), and lines it could not read. */
export async function readWitness(
  w: Witness,
  ledgerId: string,
): Promise<{ entries: SignedCheckpoint[]; malformed: string[] }> {
  const { parseCheckpointLine } = await import('../ledger/checkpoint.js');
  let text: string | undefined;
  let where: (line: number) => string;
  if (w.kind === 'file') {
    try {
      text = await readFile(w.path, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read the witness: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, w.path);
    }
    where = (n) => `${w.path}:${n}`;
  } else {
    const notes = await import('../git/notes.js');
    await witnessRepo(w);
    text = await notes.readNote(w.dir, w.ref, await notes.blobId(w.dir, noteSubject(ledgerId), false));
    where = (n) => `${w.name} (note line ${n})`;
  }
  const entries: SignedCheckpoint[] = [];
  const malformed: string[] = [];
  (text ?? '').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      entries.push(parseCheckpointLine(line, where(i + 1)));
    } catch (e) {
      malformed.push((e as Error).message);
    }
  });
  return { entries, malformed };
}

/** Appends a signed checkpoint to a witness, unless it holds that one already. */
export async function appendWitness(w: Witness, c: SignedCheckpoint): Promise<'appended' | 'present'> {
  const { checkpointLine } = await import('../ledger/checkpoint.js');
  const line = checkpointLine(c);
  if (w.kind === 'file') {
    let have = '';
    try {
      have = await readFile(w.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new InputError(`cannot read the witness: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, w.path);
    }
    if (have.split('\n').includes(line)) return 'present';
    try {
      await mkdir(dirname(w.path), { recursive: true });
      // One write of a whole line, in append mode: lines from several writers do not interleave.
      await appendFile(w.path, (have === '' || have.endsWith('\n') ? '' : '\n') + line + '\n', { flag: 'a' });
    } catch (e) {
      throw new InputError(`cannot write the witness: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, w.path);
    }
    return 'appended';
  }
  const notes = await import('../git/notes.js');
  await witnessRepo(w);
  const subject = await notes.blobId(w.dir, noteSubject(c.ledger), true);
  const have = await notes.readNote(w.dir, w.ref, subject);
  if (have?.split('\n').includes(line)) return 'present';
  await notes.appendNote(w.dir, w.ref, subject, line);
  return 'appended';
}

/**
 * Checks before anything is signed that a witness can be written: the git repository exists, the
 * file is readable if it exists. (A write that fails after the checkpoint was stored is retried by
 * running `ledger checkpoint` again: the stored checkpoint is appended where it is missing.)
 */
export async function checkWitness(w: Witness): Promise<void> {
  if (w.kind === 'git') return witnessRepo(w);
  try {
    await readFile(w.path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new InputError(`cannot read the witness: ${code ?? String(e)}`, w.path);
  }
}

async function witnessRepo(w: Extract<Witness, { kind: 'git' }>): Promise<void> {
  const { gitDirOf } = await import('../git/notes.js');
  if (!(await gitDirOf(w.dir)))
    throw new InputError('the witness is not a git repository (create one with git init)', w.dir);
}
