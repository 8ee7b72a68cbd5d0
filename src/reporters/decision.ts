import { printable as t } from '../core/printable.js';
import type { Decision } from '../engine/decide/types.js';
import { CLASS_STYLE, painter, type Style } from './common.js';
import { code, escapeText } from './md.js';

/**
 * The views of an incident decision (`rollwright decide -o text|json|markdown`). Pure: a Decision in,
 * a string out. JSON is a contract (`rollwright.decision/v1`, see docs/decide.md) with a fixed key order:
 * the issue's keys first, the extensions after them.
 */
export function renderDecision(
  d: Decision,
  format: 'text' | 'json' | 'markdown',
  opts: { color?: boolean } = {},
): string {
  if (format === 'json') return renderDecisionJson(d);
  if (format === 'markdown') return renderDecisionMarkdown(d);
  return renderDecisionText(d, opts.color ?? false);
}

const TRANSITION_STYLE: Record<Decision['transition'], Style> = {
  rollback: 'boldGreen',
  'abort-rollout': 'boldGreen',
  rollforward: 'yellow',
  compensate: 'magenta',
  pause: 'cyan',
  restore: 'boldRed',
  'repair-state': 'yellow',
  'break-glass': 'boldRed',
};

/** How the commits were found, as the views introduce them. */
const SOURCE_TEXT: Record<Decision['resolution']['source'], string> = {
  ledger: 'from the ledger',
  trailer: 'from Change-Id trailers',
  declaration: "from the declaration's history",
  argument: 'as given',
};

/** Said when every commit found changes only change declarations. */
export function declarationOnlyWarning(d: Decision): string {
  return `the commits found change only change declarations, not what the change changed: this decision is about a declaration. Name the change's own commits with --change A..B (or record change.deployed --data commit=<merge or commit> for ${d.change})`;
}

export function renderDecisionJson(d: Decision): string {
  const out = {
    schema: d.schema,
    change: d.change,
    transition: d.transition,
    containment: [...d.containment],
    rationale: d.rationale.map((r) => ({ question: r.question, answer: r.answer, source: r.source })),
    runbook: d.runbook.map((s) => ({ step: s.step, command: s.command, check: s.check })),
    assumptions: [...d.assumptions],
    evidenceOwed: [...d.evidenceOwed],
    playbook: d.playbook,
    class: d.class,
    environment: d.environment,
    refused: d.refused.map((r) => ({ transition: r.transition, reason: r.reason, alternative: r.alternative })),
    overruled: d.overruled.map((o) => ({ fact: o.fact, stated: o.stated, evidence: o.evidence })),
    resolution: {
      source: d.resolution.source,
      how: d.resolution.how,
      commits: d.resolution.commits.map((c) => ({
        sha: c.sha,
        subject: c.subject,
        declarationOnly: c.declarationOnly,
      })),
      declarationOnly: d.resolution.declarationOnly,
    },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function renderDecisionText(d: Decision, color: boolean): string {
  const p = painter(color);
  const lines: string[] = [];
  const head = [
    `${p('bold', 'Decision:')} ${p(TRANSITION_STYLE[d.transition], d.transition)}`,
    d.containment.length > 0 ? `after ${t(d.containment.join(', '))}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  lines.push(head);
  lines.push(
    `Change:   ${t(d.change)}${d.environment ? ` (${t(d.environment)})` : ''}   class: ${p(CLASS_STYLE[d.class], d.class)}   playbook: ${d.playbook}`,
  );
  lines.push(`Commits:  ${SOURCE_TEXT[d.resolution.source]}: ${d.resolution.how}`);
  for (const c of d.resolution.commits)
    lines.push(
      `          ${c.sha.slice(0, 12)}${c.subject ? `  ${c.subject}` : ''}${c.declarationOnly ? p('dim', '  (declaration only)') : ''}`,
    );
  if (d.resolution.declarationOnly) lines.push(`  ${p('yellow', '!')} ${declarationOnlyWarning(d)}`);
  lines.push('');
  lines.push(p('bold', 'Rationale:'));
  const width = Math.max(...d.rationale.map((r) => r.source.length), 0);
  for (const r of d.rationale) {
    lines.push(`  [${r.source.padEnd(width)}] ${t(r.question)}`);
    lines.push(`  ${' '.repeat(width + 2)} ${p(r.source === 'assumed' ? 'yellow' : 'dim', '→')} ${t(r.answer)}`);
  }
  if (d.refused.length > 0) {
    lines.push('');
    lines.push(p('bold', 'Refused:'));
    for (const r of d.refused) lines.push(`  ${p('red', r.transition)}: ${t(r.reason)} → ${t(r.alternative)}`);
  }
  if (d.overruled.length > 0) {
    lines.push('');
    lines.push(p('bold', 'Overruled facts (the assessment wins):'));
    for (const o of d.overruled) lines.push(`  ${o.fact}=${t(String(o.stated))}: ${t(o.evidence)}`);
  }
  lines.push('');
  lines.push(p('bold', 'Runbook:'));
  const n = String(d.runbook.length).length;
  d.runbook.forEach((s, i) => {
    lines.push(`  ${String(i + 1).padStart(n)}. ${t(s.step)}`);
    const pad = ' '.repeat(n + 4);
    if (s.command !== null) lines.push(`${pad}${p('cyan', '$')} ${t(s.command)}`);
    if (s.check !== null) lines.push(`${pad}${p('dim', 'check:')} ${t(s.check)}`);
  });
  if (d.assumptions.length > 0) {
    lines.push('');
    lines.push(p('bold', 'Assumptions (state them with --fact name=value):'));
    for (const a of d.assumptions) lines.push(`  ${p('yellow', '!')} ${t(a)}`);
  }
  lines.push('');
  lines.push(`${p('bold', 'Evidence owed:')} ${d.evidenceOwed.length > 0 ? d.evidenceOwed.join(', ') : 'none'}`);
  return `${lines.join('\n')}\n`;
}

export function renderDecisionMarkdown(d: Decision): string {
  const out: string[] = [];
  out.push(`## rollwright decision: ${code(d.transition)}`);
  out.push('');
  out.push(
    `Change ${code(d.change)}${d.environment ? ` in ${code(d.environment)}` : ''}, class ${code(d.class)}, playbook ${code(d.playbook)}${
      d.containment.length > 0 ? `; containment first: ${d.containment.map(code).join(', ')}` : ''
    }.`,
  );
  out.push('');
  out.push(`Commits ${SOURCE_TEXT[d.resolution.source]}: ${escapeText(d.resolution.how)}`);
  out.push('');
  for (const c of d.resolution.commits)
    out.push(
      `- ${code(c.sha.slice(0, 12))}${c.subject ? ` ${escapeText(c.subject)}` : ''}${c.declarationOnly ? ' (declaration only)' : ''}`,
    );
  if (d.resolution.commits.length > 0) out.push('');
  if (d.resolution.declarationOnly) {
    out.push(`> **Warning:** ${escapeText(declarationOnlyWarning(d))}`);
    out.push('');
  }
  out.push('### Rationale');
  out.push('');
  out.push('| # | Question | Answer | Source |');
  out.push('|---|---|---|---|');
  d.rationale.forEach((r, i) =>
    out.push(`| ${i + 1} | ${escapeText(r.question)} | ${escapeText(r.answer)} | ${code(r.source)} |`),
  );
  if (d.refused.length > 0) {
    out.push('');
    out.push('### Refused');
    out.push('');
    for (const r of d.refused)
      out.push(`- ${code(r.transition)} refused: ${escapeText(r.reason)}; instead ${code(r.alternative)}`);
  }
  if (d.overruled.length > 0) {
    out.push('');
    out.push('### Overruled facts');
    out.push('');
    for (const o of d.overruled)
      out.push(`- ${code(`${o.fact}=${o.stated}`)} is contradicted by the assessment: ${escapeText(o.evidence)}`);
  }
  out.push('');
  out.push('### Runbook');
  out.push('');
  d.runbook.forEach((s, i) => {
    out.push(`${i + 1}. ${escapeText(s.step)}`);
    if (s.command !== null) {
      const fence = '`'.repeat(Math.max(3, ...(s.command.match(/`+/g) ?? []).map((m) => m.length + 1)));
      out.push(`   ${fence}sh`);
      out.push(`   ${s.command.replace(/\r\n?|\n/g, ' ')}`);
      out.push(`   ${fence}`);
    }
    if (s.check !== null) out.push(`   - check: ${escapeText(s.check)}`);
  });
  if (d.assumptions.length > 0) {
    out.push('');
    out.push('### Assumptions');
    out.push('');
    for (const a of d.assumptions) out.push(`- ${escapeText(a)}`);
  }
  out.push('');
  out.push('### Evidence owed');
  out.push('');
  out.push(d.evidenceOwed.length > 0 ? d.evidenceOwed.map((e) => `- ${code(e)}`).join('\n') : 'None.');
  return `${out.join('\n')}\n`;
}
