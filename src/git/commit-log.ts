/**
 * The change set's commit log: `git log -z` records of id, parents, subject, body and trailers, read
 * alongside the diff.
 */
import type { CommitInfo } from '../core/change.js';
import { parseTrailers } from './diff.js';

/** The `git log` format of a change set's commits (records split by NUL with -z, fields by 0x1f). */
export const LOG_FORMAT = '--format=%H%x1f%P%x1f%s%x1f%b%x1f%(trailers:only,unfold)';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise as a value: its result or its error, never a rejection left unhandled meanwhile. */
export function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The id of the newest commit in `git log -z --reverse` output (the last record). */
export function lastCommit(out: Buffer): string | undefined {
  const text = out.toString('utf8');
  const recs = text.split('\0').filter((r) => r.trim());
  const last = recs[recs.length - 1];
  return last?.replace(/^\n/, '').split('\x1f')[0];
}

/** The commits of `git log -z --format=LOG_FORMAT` output, oldest first with --reverse. */
export function parseLog(out: string): Array<CommitInfo & { parents: string[] }> {
  const commits: Array<CommitInfo & { parents: string[] }> = [];
  for (const rec of out.split('\0')) {
    if (!rec.trim()) continue;
    const [sha, parents, subject, body, trailers] = rec.replace(/^\n/, '').split('\x1f');
    if (!sha) continue;
    commits.push({
      sha,
      parents: (parents ?? '').split(' ').filter(Boolean),
      subject: subject ?? '',
      body: (body ?? '').trim(),
      trailers: parseTrailers(trailers ?? ''),
    });
  }
  return commits;
}
