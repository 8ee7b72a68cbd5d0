import type { RuleMeta } from '../../core/rule.js';
import { allRules, ruleFamilies, surfaces } from '../../registry.js';
import { keyOf } from '../../reporters/common.js';
import { messagesOf, renderRulesDoc, sortRules, type SurfaceInfo } from '../../reporters/rules-doc.js';
import { defineCommand } from '../define.js';
import { outputOption } from '../flags.js';

export const command = defineCommand({
  name: 'rules',
  usage: ['rollwright rules [-o text|json|markdown]'],
  description: 'List every rule with its surface, class, severity and summary.',
  options: {
    output: outputOption({
      text: 'an aligned table',
      json: "every rule's full metadata",
      markdown: 'the rule reference: docs/rules.md is generated from it by `npm run docs`',
    }),
  },
  exitCodes: { 0: 'listed', 2: 'usage error', 3: 'internal error' },
  async run(opts) {
    const rules = sortRules(allRules());
    switch (opts.output) {
      case 'json':
        return { stdout: JSON.stringify(rules.map(ruleJson), null, 2) + '\n', exitCode: 0 };
      case 'markdown':
        return { stdout: renderRulesDoc(rules, surfaceInfo()), exitCode: 0 };
      case 'text':
        return { stdout: rulesTable(rules), exitCode: 0 };
    }
  },
});

export function surfaceInfo(): Record<string, SurfaceInfo> {
  const info: Record<string, SurfaceInfo> = {};
  for (const s of [...ruleFamilies, ...surfaces]) info[s.id] = { name: s.name, summary: s.summary };
  return info;
}

/** The JSON contract of `rules -o json`: full metadata, with each message's effective class and severity. */
export function ruleJson(r: RuleMeta) {
  return {
    rule: keyOf(r),
    surface: r.surface,
    id: r.id,
    class: r.class,
    severity: r.severity,
    blocksGate: r.blocksGate === true,
    // Whether a finding may be accepted or ignored with a reason (never a plaintext secret's).
    acceptable: r.neverAccepted === undefined,
    summary: r.docs.summary,
    rationale: r.docs.rationale,
    fix: r.docs.fix ?? null,
    references: r.docs.references ?? [],
    messages: Object.fromEntries(
      messagesOf(r).map((m) => [m.id, { text: m.text, class: m.class, severity: m.severity }]),
    ),
  };
}

/** kubectl-style: upper-case headers, columns padded with two spaces, the summary last and unpadded. */
export function rulesTable(rules: readonly RuleMeta[]): string {
  const rows = [
    ['RULE', 'CLASS', 'SEVERITY', 'SUMMARY'],
    ...rules.map((r) => [keyOf(r), r.class, r.severity, r.docs.summary]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ')).join('\n') + '\n';
}
