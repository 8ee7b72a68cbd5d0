import type { Finding } from '../core/finding.js';

/** The suffix of a rendered copy's file name: `overlays/prod/kustomization.yaml (rendered)`. */
const RENDERED = / \(rendered\)$/;

/** The source a finding's file stands for: a rendered copy stands for its kustomization. */
export function sourceOf(file: string): string {
  return file.replace(RENDERED, '');
}

/**
 * The same fact seen from several views (a kustomization's rule and the rendered objects, the SOPS file
 * and the Secret in it, a CRD rule and the revert's) reported once: findings stating the same fact id
 * about the same source file, from different rules, are one, kept at the most precise view (the lowest rank, then a file over
 * a rendered copy, then the first in report order), whose message and data name the other views.
 * The kept finding's class and severity are its own: the most precise view is the one that knows.
 * Findings without a fact are untouched. Returns the findings in their order, less the merged ones.
 */
export function dedupeFacts(
  findings: readonly Finding[],
  facts: ReadonlyMap<Finding, { id: string; rank: number }>,
): Finding[] {
  if (facts.size < 2) return [...findings];
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const fact = facts.get(f);
    if (!fact) continue;
    const key = `${fact.id}\0${sourceOf(f.file)}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const dropped = new Set<Finding>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const rank = (f: Finding) => facts.get(f)!.rank;
    const rendered = (f: Finding) => (RENDERED.test(f.file) ? 1 : 0);
    const keep = g.reduce((best, f) => ((rank(f) - rank(best) || rendered(f) - rendered(best)) < 0 ? f : best));
    // Only other rules' views merge: two findings of one rule are two objects (two Secrets of a file).
    const others = g.filter((f) => f.rule !== keep.rule);
    if (!others.length) continue;
    const views = others.map((f) => `${f.rule} at ${f.file}:${f.line}${f.object ? ` (${f.object})` : ''}`).join('; ');
    keep.message = `${keep.message} (the same fact, also seen as: ${views})`;
    keep.data = { ...keep.data, otherViews: views };
    for (const f of others) dropped.add(f);
  }
  return dropped.size ? findings.filter((f) => !dropped.has(f)) : [...findings];
}
