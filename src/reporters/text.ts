import type { Assessment } from '../engine/assess.js';
import type { RenderOptions } from './index.js';

/** Placeholder text reporter; replaced by the full one (grouped by file, coloured). */
export function renderText(a: Assessment, _opts: RenderOptions): string {
  const lines = [`class: ${a.class}`];
  for (const f of a.findings) lines.push(`${f.file}:${f.line} ${f.severity} ${f.rule} ${f.message}`);
  lines.push(`gate: ${a.gate.passed ? 'passed' : 'failed'}`);
  for (const r of a.gate.reasons) lines.push(`  - ${r}`);
  return lines.join('\n') + '\n';
}
