/**
 * What the checklist's judges share: how an item's verdict is shaped, how evidence lines name their
 * examples, and the readings of the gathered changes and the ledger window more than one item uses.
 */
import type { ScoreStatus } from '../../core/vocabulary.js';
import type { LedgerEvent } from '../../ledger/chain.js';
import type { ScoredChange, ScoreInput, ScoreItem, TreeArtifact } from './types.js';

export type Judged = Omit<ScoreItem, 'id' | 'title'>;

export interface ItemSpec {
  id: string;
  title: string;
  judge: (input: ScoreInput) => Judged;
}

/** How many examples an evidence line names before it says "and N more". */
export const SHOW = 5;

export const short = (sha: string) => sha.slice(0, 7);
export const changeRef = (c: ScoredChange) => `${short(c.sha)} ${JSON.stringify(c.subject)}`;

export function list<T>(items: readonly T[], show: (t: T) => string): string {
  const shown = items.slice(0, SHOW).map(show).join(', ');
  return items.length > SHOW ? `${shown} and ${items.length - SHOW} more` : shown;
}

/** pass when every one is good, partial when at least half are, fail below. */
export function byShare(good: number, total: number): ScoreStatus {
  if (good === total) return 'pass';
  return good * 2 >= total ? 'partial' : 'fail';
}

export const unknown = (evidence: string[], fix: string): Judged => ({ status: 'unknown', evidence, fix });

export function windowEvents(input: ScoreInput, types: readonly string[]): LedgerEvent[] {
  if (!input.ledger) return [];
  return input.ledger.events.filter((e) => types.includes(e.type) && e.occurredAt >= input.since.start);
}

export const NO_LEDGER = (_input: ScoreInput) =>
  'no ledger: nothing recorded for this repository (rollwright record, decide and serve write it)';

export function assessed(input: ScoreInput): ScoredChange[] {
  return input.changes.filter((c) => c.error === undefined);
}

export function withRule(input: ScoreInput, rules: readonly string[]): ScoredChange[] {
  return assessed(input).filter((c) => c.findings.some((f) => rules.includes(f.rule)));
}

export function windowLine(input: ScoreInput): string {
  const extra = input.notAssessed
    ? ` (the newest ${input.changes.length} assessed, ${input.notAssessed} older left out)`
    : '';
  return `${input.commitsInWindow} commits on the first-parent line since ${input.since.start.slice(0, 10)} (--since ${input.since.given})${extra}`;
}

/** Changes that could not be assessed, said once per item that reads changes. */
export function errorsLine(input: ScoreInput): string[] {
  const failed = input.changes.filter((c) => c.error !== undefined);
  return failed.length
    ? [`${failed.length} could not be assessed: ${list(failed, (c) => `${short(c.sha)} (${c.error})`)}`]
    : [];
}

/** Where a change's declaration came from: a file, trailers, or after the fact. */
export function declarationSource(c: ScoredChange): string {
  if (c.declaration?.source?.startsWith('trailer:')) return 'trailers';
  if (c.declaration) return 'file';
  return c.declaredLate ? 'late' : 'none';
}

/** Whether a ledger repair-state (or any) event names this commit. */
export function namesCommit(e: LedgerEvent, sha: string): boolean {
  const p = e.payload;
  const values = [p.change, p.commit, ...(Array.isArray(p.commits) ? p.commits : []), e.subject.change];
  return values.some((v) => typeof v === 'string' && v.length >= 7 && sha.startsWith(v.toLowerCase()));
}

export function transitionOf(e: LedgerEvent): string[] {
  const p = e.payload;
  return [p.transition, ...(Array.isArray(p.containment) ? p.containment : [])].filter(
    (t): t is string => typeof t === 'string',
  );
}

export function artifactsVerdict(
  all: readonly TreeArtifact[],
  live: boolean,
  noun: string,
): { status: ScoreStatus; evidence: string[] } {
  const loose = all.filter((a) => !a.pinned);
  const looseProd = loose.filter((a) => a.production);
  const missing = all.filter((a) => a.pinned && a.retention === 'missing');
  const unchecked = all.filter((a) => a.pinned && a.retention === 'unknown');
  const present = all.filter((a) => a.pinned && a.retention === 'present');
  const evidence = [
    `${all.length} ${noun} at HEAD: ${all.length - loose.length} pinned, ${loose.length} not pinned${looseProd.length ? ` (${looseProd.length} in production paths)` : ''}`,
  ];
  if (loose.length) evidence.push(`not pinned: ${list(loose, (a) => `${a.ref} (${a.why}) at ${a.file}:${a.line}`)}`);
  if (!live) evidence.push(`retention not checked: offline (the registries were not asked)`);
  else {
    evidence.push(
      `retention of the pinned ones: ${present.length} present, ${missing.length} missing, ${unchecked.length} not answered`,
    );
    if (missing.length) evidence.push(`missing: ${list(missing, (a) => `${a.ref} at ${a.file}:${a.line}`)}`);
    if (unchecked.length)
      evidence.push(`not answered: ${list(unchecked, (a) => `${a.ref}${a.reason ? ` (${a.reason})` : ''}`)}`);
  }
  let status: ScoreStatus;
  if (looseProd.length || missing.length) status = 'fail';
  else if (loose.length || unchecked.length || !live) status = 'partial';
  else status = 'pass';
  return { status, evidence };
}

export const DIGESTS_FIX =
  'pin every image by digest (image@sha256:...), and keep the previous digests in the registry (a retention policy that keeps what a rollback returns to); run score with registry access to check it';
export const MODULES_FIX =
  'give every registry module an exact version (version = "5.13.0") and every git module a tag or commit (?ref=v1.2.0), never a branch';

/** An item about the artifacts the tree references (images, modules): pinned, and retained where the registry answered. */
export function artifactsItem(
  input: ScoreInput,
  all: readonly TreeArtifact[],
  noun: string,
  none: string,
  fix: string,
): Judged {
  if (all.length === 0) return unknown([`${none} (${input.tree.source})`], fix);
  const v = artifactsVerdict(all, input.tree.live, noun);
  return { ...v, evidence: [...v.evidence, `from ${input.tree.source}`], fix: v.status === 'pass' ? '' : fix };
}

/**
 * An item over a population (changes, ledger events): the share that is good decides it, the first
 * evidence line says the counts, and the ones that are not good are named.
 */
export function share<T>(
  all: readonly T[],
  isGood: (t: T) => boolean,
  counts: (good: number, bad: number) => string,
  badLabel: string,
  show: (t: T) => string,
  fix: string,
  extra: readonly string[] = [],
): Judged {
  const good = all.filter(isGood);
  const bad = all.filter((t) => !isGood(t));
  const evidence = [counts(good.length, bad.length), ...extra];
  if (bad.length) evidence.push(`${badLabel}: ${list(bad, show)}`);
  return { status: byShare(good.length, all.length), evidence, fix: bad.length ? fix : '' };
}
