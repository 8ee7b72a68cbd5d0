import { compareFindings, type Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import type { Assessment } from '../engine/assess.js';
import {
  bySeverity,
  classMeaning,
  keyOf,
  ruleDocUrl,
  RULES_DOC_URL,
  shortRev,
  summaryLine,
  unassessedSummary,
  windowText,
} from './common.js';
import type { ResolvedRenderOptions } from './options.js';
import { code, escapeHtml, escapeText, table } from './md.js';

/** The first line of every comment, so a bot can find its own comment and update it in place. */
export const MARKDOWN_MARKER = '<!-- rollwright:assessment -->';
export const DEFAULT_MAX_ROWS = 100;
const MAX_SKIPPED_LISTED = 100;

/**
 * `-o markdown`: a pull-request comment. A hidden marker, a summary with the class and the gate
 * verdict, a table of findings (most severe first, capped), then folded details: gate reasons, the
 * docs of every rule that fired, skipped files. Every piece of repository text is escaped.
 */
export function renderMarkdown(a: Assessment, opts: ResolvedRenderOptions): string {
  const docsUrl = opts.docsUrl ?? RULES_DOC_URL;
  const maxRows = Math.max(0, opts.maxRows ?? DEFAULT_MAX_ROWS);
  const rules = new Map(opts.rules.map((r) => [keyOf(r), r]));
  const out: string[] = [MARKDOWN_MARKER];

  const verdict = a.gate.passed ? 'PASSED' : 'FAILED';
  out.push(`**Rollback class: ${code(a.class)}** (${escapeText(classMeaning(a))}). Declaration gate: **${verdict}**.`);
  out.push('');
  const facts = [`Range ${code(`${shortRev(a.base)}..${shortRev(a.head)}`)}`];
  if (a.environments.length) facts.push(`environments ${a.environments.map(code).join(', ')}`);
  out.push(`${facts.join(', ')}. ${summaryLine(a.findings)}.`);
  const unassessed = unassessedSummary(a);
  if (unassessed) {
    out.push('');
    out.push(`**${escapeText(unassessed.head[0]!.toUpperCase() + unassessed.head.slice(1))}:**`);
    for (const l of unassessed.lines) out.push(`- ${escapeText(l)}`);
  }
  out.push('');
  out.push(declarationLine(a));

  const findings = sortedFindings(a.findings);
  out.push('');
  if (findings.length === 0) out.push('No findings.');
  else {
    const shown = findings.slice(0, maxRows);
    out.push(...findingsTable(shown, rules, docsUrl));
    const rest = findings.length - shown.length;
    if (rest > 0) {
      out.push('');
      out.push(
        `and ${rest} more finding${rest === 1 ? '' : 's'} not shown: run \`rollwright assess\` for all of them.`,
      );
    }
  }

  if (a.gate.reasons.length) {
    const n = a.gate.reasons.length;
    out.push(
      '',
      ...details(
        `Gate ${verdict}: ${n} reason${n === 1 ? '' : 's'}`,
        a.gate.reasons.map((r) => `- ${escapeText(r)}`),
      ),
    );
  }

  const fired = [...new Set(findings.map((f) => f.rule))].sort();
  if (fired.length) {
    const body: string[] = [];
    for (const key of fired) {
      if (body.length) body.push('');
      body.push(...ruleSection(key, rules.get(key), docsUrl));
    }
    out.push('', ...details(`Rules that fired (${fired.length})`, body));
  }

  if (a.skipped.length) {
    const n = a.skipped.length;
    const listed = a.skipped.slice(0, MAX_SKIPPED_LISTED).map((s) => `- ${code(s.file)}: ${escapeText(s.reason)}`);
    if (n > MAX_SKIPPED_LISTED) listed.push(`- and ${n - MAX_SKIPPED_LISTED} more`);
    out.push('', ...details(`Skipped files (${n}): not assessed`, listed));
  }

  return out.join('\n') + '\n';
}

/** Most severe first, then in the findings' own order (file, line, rule). */
export function sortedFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((x, y) => bySeverity(x, y) || compareFindings(x, y));
}

export const FINDINGS_TABLE_HEADER = ['Severity', 'Class', 'Rule', 'Location', 'Message'] as const;

/** One table row per finding: severity, class, rule (linked to its docs when registered), location, message. */
export function findingRow(f: Finding, rules: ReadonlyMap<string, RuleMeta>, docsUrl: string): string[] {
  return [
    f.severity,
    code(f.class),
    rules.has(f.rule) ? `[${code(f.rule)}](${ruleDocUrl(f.rule, docsUrl)})` : code(f.rule),
    code(`${f.file}:${f.line}`),
    // A finding a person owned shows who and why, beside its message.
    escapeText(f.message) +
      (f.suppression ? `<br>**${f.suppression.kind}**: ${escapeText(f.suppression.reason)}` : ''),
  ];
}

export function findingsTable(
  findings: readonly Finding[],
  rules: ReadonlyMap<string, RuleMeta>,
  docsUrl: string,
): string[] {
  return table(
    FINDINGS_TABLE_HEADER,
    findings.map((f) => findingRow(f, rules, docsUrl)),
  );
}

export function declarationLine(a: Assessment): string {
  const d = a.declaration;
  if (!d) return 'Declaration: none found.';
  const parts = [
    `declared class ${d.rollbackClass ? code(d.rollbackClass) : 'none'}`,
    `method ${d.rollbackMethod ? code(d.rollbackMethod) : 'none'}`,
    `window ${windowText(d.rollbackWindow) !== undefined ? code(windowText(d.rollbackWindow)!) : 'none'}`,
  ];
  return `Declaration ${code(d.source)}${d.id ? ` (${code(d.id)})` : ''}: ${parts.join(', ')}.`;
}

export function ruleSection(key: string, rule: RuleMeta | undefined, docsUrl: string): string[] {
  if (!rule) return [`#### ${code(key)}`, '', 'No documentation is registered for this rule.'];
  // Rule docs are Markdown written in this repository (trusted), so they are not escaped.
  const lines = [`#### [${code(key)}](${ruleDocUrl(key, docsUrl)})`, '', rule.docs.summary];
  if (rule.docs.fix) lines.push('', `**Fix:** ${rule.docs.fix}`);
  return lines;
}

export function details(summary: string, body: readonly string[]): string[] {
  // The blank line after <summary> lets GitHub render the body as Markdown.
  return ['<details>', `<summary>${escapeHtml(summary)}</summary>`, '', ...body, '', '</details>'];
}
