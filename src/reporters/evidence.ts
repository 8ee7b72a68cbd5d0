import { printable } from '../core/printable.js';
import type { EvidenceView } from '../ledger/evidence.js';

/** `evidence show`: the timeline and the evidence items, as text, JSON or markdown. Pure. */
export function renderEvidence(view: EvidenceView, format: 'text' | 'json' | 'markdown'): string {
  if (format === 'json') return JSON.stringify(view, null, 2) + '\n';
  if (format === 'markdown') return markdown(view);
  return text(view);
}

function headline(v: EvidenceView): string {
  const parts = [`${v.kind === 'incident' ? 'Incident' : 'Change'} ${v.id}`];
  if (v.service) parts.push(`service ${v.service}`);
  if (v.environment) parts.push(`env ${v.environment}`);
  if (v.kind === 'incident' && v.change) parts.push(`change ${v.change}`);
  return parts.join(' · ');
}

function verdict(v: EvidenceView): string {
  const required = v.items.filter((i) => i.required);
  const present = required.filter((i) => i.present).length;
  return v.complete
    ? `complete: all ${required.length} required items present (last at ${short(v.completedAt!)})`
    : `${present} of ${required.length} required items present; still owed: ${v.owed.join(', ')}`;
}

/** `2026-01-05T09:04:00.000Z` → `2026-01-05 09:04:00Z`. */
export function short(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

function text(v: EvidenceView): string {
  const out: string[] = [headline(v), '', 'Timeline'];
  const w = Math.max(...v.timeline.map((e) => e.type.length), 4);
  const aw = Math.max(...v.timeline.map((e) => e.actor.length), 5);
  const sw = Math.max(...v.timeline.map((e) => String(e.seq).length + 1));
  for (const e of v.timeline)
    out.push(
      `  ${short(e.occurredAt)}  ${`#${e.seq}`.padEnd(sw)}  ${e.type.padEnd(w)}  ${e.actor.padEnd(aw)}  ${e.summary}`.trimEnd(),
    );
  out.push('', `Evidence: ${verdict(v)}`);
  const iw = Math.max(...v.items.map((i) => i.item.length));
  const rw = Math.min(48, Math.max(...v.items.map((i) => (i.ref ?? '').length), 3));
  for (const i of v.items) {
    const state = i.present ? 'present' : i.required ? 'OWED' : '-';
    const detail = i.present
      ? `${clip(i.ref!, rw).padEnd(rw)}  by ${i.recordedBy} at ${short(i.at!)} (#${i.event} ${i.via})`
      : i.required
        ? 'required, not recorded yet'
        : 'not required here';
    out.push(`  ${state.padEnd(7)}  ${i.item.padEnd(iw)}  ${detail}`);
  }
  // Ledger text (actors, references, summaries) may come from a webhook: one line each, no escapes.
  return out.map(printable).join('\n') + '\n';
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function cell(s: string): string {
  return printable(s).replace(/\|/g, '\\|');
}

function markdown(v: EvidenceView): string {
  const out: string[] = [`### ${cell(headline(v))}`, '', `**Evidence:** ${cell(verdict(v))}`, ''];
  out.push('| item | state | proof | recorded by | at |', '|---|---|---|---|---|');
  for (const i of v.items)
    out.push(
      `| \`${i.item}\` | ${i.present ? 'present' : i.required ? '**owed**' : 'not required'} | ${i.ref ? `\`${cell(i.ref)}\`` : ''} | ${cell(i.recordedBy ?? '')} | ${i.at ? short(i.at) : ''} |`,
    );
  out.push(
    '',
    '<details><summary>Timeline</summary>',
    '',
    '| time | # | event | actor | details |',
    '|---|---|---|---|---|',
  );
  for (const e of v.timeline)
    out.push(`| ${short(e.occurredAt)} | ${e.seq} | \`${e.type}\` | ${cell(e.actor)} | ${cell(e.summary)} |`);
  out.push('', '</details>');
  return out.join('\n') + '\n';
}
