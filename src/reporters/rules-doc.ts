/**
 * The rule reference (docs/rules.md), generated from rule metadata by `rollwright rules -o markdown`.
 * Pure and deterministic: no version, no date, so the file changes only when a rule does.
 */
import { CLASS_MEANING, ROLLBACK_CLASSES } from '../core/classes.js';
import { messageSpec, type RuleMeta } from '../core/rule.js';
import { keyOf, ruleAnchor } from './common.js';
import { code, escapeText, reference, table } from './md.js';

export interface SurfaceInfo {
  name: string;
  summary: string;
}

/** Rules sorted by key, as every listing shows them. */
export function sortRules<R extends RuleMeta>(rules: readonly R[]): R[] {
  return [...rules].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** The per-message outcomes of a rule with their effective class and severity, in declaration order. */
export function messagesOf(rule: RuleMeta): Array<{ id: string } & ReturnType<typeof messageSpec>> {
  return Object.keys(rule.messages).map((id) => ({ id, ...messageSpec(rule, id) }));
}

/** A trusted Markdown paragraph (rule docs) made safe for a table cell. */
function cell(md: string): string {
  return md.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|');
}

export function renderRulesDoc(
  rules: readonly RuleMeta[],
  surfaces: Readonly<Record<string, SurfaceInfo>> = {},
): string {
  const sorted = sortRules(rules);
  const bySurface = new Map<string, RuleMeta[]>();
  for (const r of sorted) bySurface.set(r.surface, [...(bySurface.get(r.surface) ?? []), r]);

  const out: string[] = [
    '# Rule reference',
    '',
    '<!-- Generated from the rule metadata by `npm run docs` (`rollwright rules -o markdown`). Do not edit by hand: a test fails when this file and the rules drift apart. -->',
    '',
    "Every rule rollwright runs, by surface. A finding's rollback class is its rule's class unless the message says otherwise; a change's class is the worst class of its findings.",
    '',
    'Rollback classes, from best to worst:',
    '',
    ...table(
      ['Class', 'Meaning'],
      ROLLBACK_CLASSES.map((c) => [code(c), escapeText(CLASS_MEANING[c])]),
    ),
    '',
    '## Rules',
    '',
    ...table(
      ['Rule', 'Class', 'Severity', 'Summary'],
      sorted.map((r) => [
        `[${code(keyOf(r))}](#${ruleAnchor(keyOf(r))})`,
        code(r.class),
        r.severity,
        cell(r.docs.summary),
      ]),
    ),
  ];

  for (const [surface, list] of bySurface) {
    const info = surfaces[surface];
    out.push('', `## ${surface}${info ? `: ${escapeText(info.name)}` : ''}`);
    if (info) out.push('', info.summary);
    for (const r of list) out.push('', ...ruleDoc(r));
  }
  return out.join('\n') + '\n';
}

/** One rule's section: anchor, heading, class, severity, summary, rationale, fix, messages, references. */
export function ruleDoc(r: RuleMeta): string[] {
  const key = keyOf(r);
  return [`<a name="${ruleAnchor(key)}"></a>`, '', `### ${key}`, '', ...ruleDocBody(r)];
}

/** A rule's section without anchor and heading (also SARIF `help.markdown`). */
export function ruleDocBody(r: RuleMeta): string[] {
  const out = [
    `- Class: ${code(r.class)}`,
    `- Severity: ${r.severity}`,
    ...(r.neverAccepted
      ? [`- Gate: its error findings fail the gate whatever the declaration says, and cannot be accepted or ignored: ${r.neverAccepted}`]
      : r.blocksGate
        ? [
            '- Gate: its error findings fail the gate whatever the declaration says (the input must be fixed), unless one is accepted by name with a reason (`accept:` in the declaration, an inline `rollwright-ignore`, `ignore.rules` in the config)',
          ]
        : []),
    '',
    r.docs.summary,
    '',
    `**Why it matters.** ${r.docs.rationale}`,
  ];
  if (r.docs.fix) out.push('', `**Fix.** ${r.docs.fix}`);
  out.push(
    '',
    '**Messages**',
    '',
    ...table(
      ['Message', 'Class', 'Severity', 'Text'],
      messagesOf(r).map((m) => [code(m.id), code(m.class), m.severity, escapeText(m.text)]),
    ),
  );
  if (r.docs.references?.length)
    out.push('', '**References**', '', ...r.docs.references.map((ref) => `- ${reference(ref)}`));
  return out;
}

/** The same content as plain text, for SARIF `help.text`. */
export function ruleHelpText(r: RuleMeta): string {
  const lines = [r.docs.summary, '', `Why it matters: ${r.docs.rationale}`];
  if (r.docs.fix) lines.push('', `Fix: ${r.docs.fix}`);
  lines.push('', `Rollback class: ${r.class}. Messages:`);
  for (const m of messagesOf(r)) lines.push(`- ${m.id} (${m.class}, ${m.severity}): ${m.text}`);
  if (r.docs.references?.length) lines.push('', 'References:', ...r.docs.references.map((ref) => `- ${ref}`));
  return lines.join('\n');
}
