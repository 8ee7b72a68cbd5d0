import { compareFindings, type Finding } from '../core/finding.js';
import { printable as t } from '../core/printable.js';
import type { Assessment } from '../engine/assess.js';
import {
  CLASS_STYLE,
  classMeaning,
  painter,
  SEVERITY_STYLE,
  shortRev,
  summaryLine,
  suppressionText,
  unassessedSummary,
  windowText,
  type Paint,
  type Style,
} from './common.js';
import type { RenderOptions } from './options.js';
import { wrap } from '../core/wrap.js';

/** Above this many skipped files only their count is printed (the list is in `-o json`). */
export const MAX_SKIPPED_LISTED = 20;

/** When wrapping leaves a message column narrower than this, messages go on their own line under the finding. */
export const MIN_MESSAGE_COLUMN = 30;

/**
 * `-o text`, for a person at a terminal: the range and the class, the findings grouped by file in
 * aligned columns, the declaration, the gate verdict with its reasons, skipped files, and a
 * one-line summary. Deterministic; colour only when asked. Finding data is never printed beyond
 * the message. Every piece of repository text goes through `printable`: a file name cannot end a
 * line, forge a "gate: PASSED" line or send a terminal escape.
 */
export function renderText(a: Assessment, opts: Pick<RenderOptions, 'color' | 'width'>): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  /** A `  - ` list item; wrapped, its further lines are indented under its text. */
  const item = (text: string) =>
    '  ' + (opts.width ? wrap(`- ${t(text)}`, opts.width, 4, 2, true).join('\n') : `- ${t(text)}`);

  out.push(`${paint('bold', 'rollwright assessment')} ${t(shortRev(a.base))}..${t(shortRev(a.head))}`);
  out.push(`class: ${paint(CLASS_STYLE[a.class], a.class)} (${classMeaning(a)})`);
  if (a.environments.length) out.push(`environments: ${t(a.environments.join(', '))}`);
  const unassessed = unassessedSummary(a);
  if (unassessed) {
    out.push(paint('yellow', t(unassessed.head)) + ':');
    for (const l of unassessed.lines) out.push(item(l));
  }

  const findings = [...a.findings].sort(compareFindings);
  if (findings.length) {
    out.push('');
    out.push(...findingLines(findings, paint, opts.width));
  }

  out.push('');
  out.push(...declarationLines(a, paint));

  out.push('');
  out.push(`gate: ${a.gate.passed ? paint('boldGreen', 'PASSED') : paint('boldRed', 'FAILED')}`);
  for (const r of a.gate.reasons) out.push(item(r));

  if (a.skipped.length) {
    out.push('');
    const n = a.skipped.length;
    out.push(`skipped: ${n} file${n === 1 ? '' : 's'} not assessed`);
    if (n <= MAX_SKIPPED_LISTED) {
      const w = Math.max(...a.skipped.map((s) => t(s.file).length));
      for (const s of a.skipped) out.push(`  ${t(s.file).padEnd(w)}  ${paint('dim', t(s.reason))}`);
    } else {
      out.push(`  (too many to list; run with -o json to see them)`);
    }
  }

  out.push('');
  out.push(summaryLine(findings));
  return out.join('\n') + '\n';
}

/**
 * Findings grouped by file; columns are aligned across all files so the report reads as one table.
 * With `wrapTo` (a width), a message wraps at spaces with its lines indented under the message column (under
 * the finding, four spaces in, when that column leaves too little room); without, one line each.
 */
export function findingLines(findings: readonly Finding[], paint: Paint, wrapTo?: number): string[] {
  const width = (get: (f: Finding) => string) => Math.max(...findings.map((f) => get(f).length));
  const wLine = width((f) => String(f.line));
  const wSev = width((f) => f.severity);
  const wClass = width((f) => f.class);
  const wRule = width((f) => f.rule);
  const pad = (style: Style, text: string, w: number) => paint(style, text) + ' '.repeat(w - text.length);
  const indent = 2 + wLine + 2 + wSev + 2 + wClass + 2 + wRule + 2;
  const beside = !wrapTo || wrapTo - indent >= MIN_MESSAGE_COLUMN;
  const at = beside ? indent : 4;
  const message = (f: Finding) => (wrapTo ? wrap(t(f.message), wrapTo, at, at, true).join('\n') : t(f.message));

  const lines: string[] = [];
  let file: string | undefined;
  for (const f of findings) {
    if (f.file !== file) {
      if (file !== undefined) lines.push('');
      file = f.file;
      lines.push(paint('bold', t(f.file)));
    }
    lines.push(
      [
        '  ' + String(f.line).padStart(wLine),
        pad(SEVERITY_STYLE[f.severity], f.severity, wSev),
        pad(CLASS_STYLE[f.class], f.class, wClass),
        f.rule.padEnd(wRule),
        ...(beside ? [message(f)] : []),
      ]
        .join('  ')
        .replace(beside ? /$/ : /\s+$/, ''),
    );
    if (!beside) lines.push('    ' + message(f));
    if (f.object) lines.push(' '.repeat(at) + paint('dim', `object: ${t(f.object)}`));
    if (f.suppression) lines.push(' '.repeat(at) + paint('yellow', t(suppressionText(f.suppression))));
  }
  return lines;
}

function declarationLines(a: Assessment, paint: Paint): string[] {
  const d = a.declaration;
  if (!d) return ['declaration: no declaration'];
  const rows: Array<[string, string]> = [];
  if (d.id) rows.push(['id', t(d.id)]);
  if (d.environment) rows.push(['environment', t(d.environment)]);
  rows.push(['declared class', d.rollbackClass ? paint(CLASS_STYLE[d.rollbackClass], d.rollbackClass) : '(none)']);
  rows.push(['method', t(d.rollbackMethod ?? '(none)')]);
  rows.push(['window', t(windowText(d.rollbackWindow) ?? '(none)')]);
  const w = Math.max(...rows.map(([k]) => k.length)) + 1;
  return [`declaration: ${t(d.source)}`, ...rows.map(([k, v]) => `  ${(k + ':').padEnd(w)} ${v}`)];
}
