import { compareFindings } from '../core/finding.js';
import { printable as t } from '../core/printable.js';
import type { LintFinding, LintResult } from '../engine/lint/index.js';
import type { RuleMeta } from '../core/rule.js';
import { CLASS_STYLE, keyOf, painter, ruleAnchor, ruleDocUrl, shortRev, summaryLine } from './common.js';
import { findingJson } from './json.js';
import { code, escapeText, table } from './md.js';
import type { Format, RenderOptions, ResolvedRenderOptions } from './options.js';
import { MAX_SKIPPED_LISTED, findingLines } from './text.js';

/** The formats of `rollwright lint -o`. */
export type LintFormat = Extract<Format, 'text' | 'json' | 'markdown' | 'sarif'>;

/** Renders a lint result; `-o json` is the `rollwright.lint/v1` contract. */
export async function renderLint(r: LintResult, format: LintFormat, opts: RenderOptions): Promise<string> {
  switch (format) {
    case 'json':
      return renderLintJson(r);
    case 'text':
      return renderLintText(r, opts);
    case 'markdown':
      return renderLintMarkdown(r, opts);
    case 'sarif': {
      const rules = opts.rules ?? (await import('../registry.js')).allRules();
      return renderLintSarif(r, { ...opts, rules });
    }
  }
}

/** `-o json`: key order fixed, so the output is byte-stable for the same tree. */
export function renderLintJson(r: LintResult): string {
  const out = {
    schema: r.schema,
    commit: r.commit,
    rev: r.rev,
    environment: r.environment ?? null,
    summary: r.summary,
    findings: r.findings.map((f) => findingJson(f, { fix: f.fix ?? null })),
    unassessed: r.unassessed,
    skipped: r.skipped,
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** `-o text`: the findings grouped by file, then the smells per rule with their fix, then a summary. */
export function renderLintText(r: LintResult, opts: Pick<RenderOptions, 'color' | 'width'>): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  const s = r.summary;
  out.push(
    `${paint('bold', 'rollwright lint')} ${t(r.rev)} (${shortRev(r.commit)})${r.environment ? `, environment ${t(r.environment)}` : ''}: ${s.files} files, ${s.filesRead} read`,
  );
  const findings = [...r.findings].sort(compareFindings);
  if (findings.length) {
    out.push('', ...findingLines(findings, paint, opts.width), '', paint('bold', 'smells by rule'));
    const w = Math.max(...s.rules.map((x) => x.rule.length));
    const fixes = fixesByRule(findings);
    for (const x of s.rules) {
      out.push(`  ${String(x.count).padStart(5)}  ${x.rule.padEnd(w)}  ${paint(CLASS_STYLE[x.class], x.class)}`);
      const fix = fixes.get(x.rule);
      if (fix) out.push(`         ${' '.repeat(w)}  ${paint('dim', `fix: ${t(fix)}`)}`);
    }
  } else out.push('', paint('green', 'no smells found'));
  if (r.skipped.length) {
    const n = r.skipped.length;
    out.push('', `skipped: ${n} file${n === 1 ? '' : 's'} not read by any surface`);
    if (n <= MAX_SKIPPED_LISTED) for (const k of r.skipped) out.push(`  ${t(k.file)}  ${paint('dim', t(k.reason))}`);
    else out.push('  (too many to list; run with -o json to see them)');
  }
  out.push('', summaryLine(findings));
  return out.join('\n') + '\n';
}

/** `-o markdown`: a page for a pull request or a repository's docs: a table per rule, then every finding. */
export function renderLintMarkdown(r: LintResult, opts: Pick<RenderOptions, 'docsUrl' | 'maxRows'>): string {
  const s = r.summary;
  const max = opts.maxRows ?? 100;
  const out: string[] = [
    `### rollwright lint: ${s.error} error, ${s.warning} warning, ${s.info} info`,
    '',
    `Tree ${code(r.rev)} (${code(shortRev(r.commit))})${r.environment ? `, environment ${code(r.environment)}` : ''}: ${s.files} files, ${s.filesRead} read.`,
  ];
  if (r.findings.length) {
    const fixes = fixesByRule(r.findings);
    out.push(
      '',
      ...table(
        ['Rule', 'Findings', 'Class', 'Fix'],
        s.rules.map((x) => [
          `[${code(x.rule)}](${ruleDocUrl(x.rule, opts.docsUrl)})`,
          String(x.count),
          x.class,
          escapeText(fixes.get(x.rule) ?? ''),
        ]),
      ),
      '',
    );
    const rows = [...r.findings].sort(compareFindings).slice(0, max);
    out.push(
      ...table(
        ['File', 'Severity', 'Rule', 'Message'],
        rows.map((f) => [`${code(`${f.file}:${f.line}`)}`, f.severity, code(f.rule), escapeText(f.message)]),
      ),
    );
    if (r.findings.length > rows.length)
      out.push('', `${r.findings.length - rows.length} more findings: see \`-o json\`.`);
  } else out.push('', 'No smells found.');
  return out.join('\n') + '\n';
}

/** `-o sarif`: one run for code scanning, categorised `rollwright-lint/<environment>`. */
export async function renderLintSarif(r: LintResult, opts: ResolvedRenderOptions): Promise<string> {
  const { sarifLog } = await import('./sarif.js');
  return sarifLog(
    {
      findings: r.findings,
      automationId: `rollwright-lint/${r.environment ? `${r.environment.replace(/[^A-Za-z0-9._-]/g, '_')}/` : ''}${r.commit}`,
      properties: { commit: r.commit, rev: r.rev, rollbackClass: r.summary.class },
    },
    opts,
  );
}

function fixesByRule(findings: readonly LintFinding[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of findings) if (f.fix && !m.has(f.rule)) m.set(f.rule, f.fix);
  return m;
}

/**
 * The smells lint reports, as the table of docs/lint.md: each rule with smell messages, its class of
 * risk, what it finds and its fix (generated: src/engine/lint/lint.test.ts fails when the page drifts).
 */
export function renderSmellTable(rules: readonly RuleMeta[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = [...rules]
    .filter((r) => r.smell !== undefined)
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1))
    .map(
      (r) =>
        `| [\`${keyOf(r)}\`](rules.md#${ruleAnchor(keyOf(r))}) | ${r.class} | ${cell(r.docs.summary)} | ${cell(r.docs.fix ?? '')} |`,
    );
  return ['| Rule | Class of risk | Smell | Fix |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}
