/**
 * The six rollback classes (docs/concepts.md#rollback-classes), ordered from best to worst.
 * A change's class is the worst class among its findings.
 */
export const ROLLBACK_CLASSES = [
  'fully-reversible',
  'reversible-with-compatibility-window',
  'reversible-with-manual-repair',
  'forward-only',
  'compensatable',
  'non-recoverable-without-restore',
] as const;

export type RollbackClass = (typeof ROLLBACK_CLASSES)[number];

export const CLASS_MEANING: Record<RollbackClass, string> = {
  'fully-reversible': 'previous state restorable with low risk',
  'reversible-with-compatibility-window': 'rollback works only while old and new overlap',
  'reversible-with-manual-repair':
    'needs import, state repair, re-create of an object, partial data restore or operator action',
  'forward-only': 'old state unsafe or impossible',
  compensatable: 'cannot undo; the business effect can be counteracted',
  'non-recoverable-without-restore': 'data destroyed; only backup or disaster recovery brings it back',
};

/** The conservative end: what an input rollwright could not read is held at. */
export const CONSERVATIVE_CLASS: RollbackClass = 'non-recoverable-without-restore';

const RANK: Record<RollbackClass, number> = Object.fromEntries(ROLLBACK_CLASSES.map((c, i) => [c, i])) as Record<
  RollbackClass,
  number
>;

export function isRollbackClass(value: unknown): value is RollbackClass {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RANK, value);
}

export function classRank(c: RollbackClass): number {
  return RANK[c];
}

/** Negative when a is better than b, positive when worse, 0 when equal. */
export function compareClasses(a: RollbackClass, b: RollbackClass): number {
  return RANK[a] - RANK[b];
}

/** The worst of the given classes; `fully-reversible` for none. */
export function worst(...classes: Array<RollbackClass | readonly RollbackClass[]>): RollbackClass {
  let result: RollbackClass = 'fully-reversible';
  for (const c of classes.flat()) if (RANK[c] > RANK[result]) result = c;
  return result;
}

/** True when `a` is at least as bad as `b`. */
export function atLeast(a: RollbackClass, b: RollbackClass): boolean {
  return RANK[a] >= RANK[b];
}
