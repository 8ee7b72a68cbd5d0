import { printable } from '../core/printable.js';
import { formatDuration } from '../ledger/time.js';
import type { PhaseResult, PhaseStats, SloReport } from '../ledger/slo.js';
import { SLO_PHASES } from '../core/vocabulary.js';

/** `slo report`: JSON (the `rollwright.slo/v1` contract), text tables or markdown. Pure. */
export function renderSlo(r: SloReport, format: 'text' | 'json' | 'markdown'): string {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  return format === 'markdown' ? markdown(r) : text(r);
}

const d = (s: number | null) => (s === null ? '?' : formatDuration(s));

/** `4m/5m`, `18m/15m BREACH`, `?/5m`, `?/24h BREACH` (still open and already over), `4m` (no target). */
export function phaseCell(p: PhaseResult): string {
  const value = p.target === null ? d(p.seconds) : `${d(p.seconds)}/${d(p.target)}`;
  return p.breached ? `${value} BREACH` : value;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c))
      .join('  ')
      .trimEnd(),
  );
}

function cell(s: string): string {
  return printable(s).replace(/\|/g, '\\|');
}

function breachCount(r: SloReport): number {
  return r.incidents.filter((i) => SLO_PHASES.some((p) => i.phases[p].breached)).length;
}

function text(r: SloReport): string {
  if (r.incidents.length === 0) return 'Rollback SLOs: no incidents in the ledger match.\n';
  const out = [
    `Rollback SLOs: ${r.incidents.length} incident${r.incidents.length === 1 ? '' : 's'}, ${breachCount(r)} with a breached phase ` +
      '(duration/target; ? = unknown: an event is missing)',
    '',
  ];
  out.push(
    ...table([
      ['INCIDENT', 'SERVICE', 'CHANGE', ...SLO_PHASES.map((p) => p.toUpperCase())],
      ...r.incidents.map((i) => [
        i.id,
        i.service ?? '-',
        i.change ?? '-',
        ...SLO_PHASES.map((p) => phaseCell(i.phases[p])),
      ]),
    ]),
  );
  out.push('');
  const stat = (s: PhaseStats) => [d(s.p50), d(s.p90), d(s.max), String(s.breaches)];
  out.push(
    ...table([
      ['SERVICE', 'PHASE', 'P50', 'P90', 'MAX', 'BREACHES'],
      ...Object.entries(r.services).flatMap(([name, phases]) => SLO_PHASES.map((p) => [name, p, ...stat(phases[p])])),
    ]),
  );
  // Ledger text (actors, references, summaries) may come from a webhook: one line each, no escapes.
  return out.map(printable).join('\n') + '\n';
}

function markdown(r: SloReport): string {
  const out = [
    '### Rollback SLOs',
    '',
    `${r.incidents.length} incident${r.incidents.length === 1 ? '' : 's'}, ${breachCount(r)} with a breached phase. Cells are duration/target; \`?\` is unknown (an event is missing).`,
    '',
    `| incident | service | change | ${SLO_PHASES.join(' | ')} |`,
    `|---|---|---|${SLO_PHASES.map(() => '---').join('|')}|`,
  ];
  for (const i of r.incidents)
    out.push(
      `| ${cell(i.id)} | ${cell(i.service ?? '-')} | ${cell(i.change ?? '-')} | ${SLO_PHASES.map((p) => {
        const c = phaseCell(i.phases[p]);
        return i.phases[p].breached ? `**${c}**` : c;
      }).join(' | ')} |`,
    );
  out.push('', '| service | phase | p50 | p90 | max | breaches |', '|---|---|---|---|---|---|');
  for (const [name, phases] of Object.entries(r.services))
    for (const p of SLO_PHASES) {
      const s = phases[p];
      out.push(`| ${cell(name)} | ${p} | ${d(s.p50)} | ${d(s.p90)} | ${d(s.max)} | ${s.breaches} |`);
    }
  return out.join('\n') + '\n';
}
