import type { CheckedTarget, TargetReport } from '../engine/targets.js';

const LABEL: Record<CheckedTarget['status'], string> = {
  present: 'present',
  missing: 'MISSING',
  unauthorised: 'unauthorised',
  unreachable: 'unreachable',
  'rate-limited': 'rate-limited',
  unknown: 'unknown',
};

/** `check-targets` as text: one block per target, its status first, then where and why. */
export function renderTargetsText(r: TargetReport, opts: { color?: boolean; title?: string } = {}): string {
  const paint = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const scope =
    r.mode === 'tree' ? `the tree at ${r.head.slice(0, 12)}` : `${(r.base ?? '').slice(0, 12)}..${r.head.slice(0, 12)}`;
  const lines = [
    `${opts.title ?? `Rollback targets of ${scope}`}${r.offline ? ' (offline: nothing was contacted)' : ''}`,
  ];
  if (r.targets.length === 0) lines.push('  none: the change replaces no image, chart version or module ref');
  const width = Math.max(...r.targets.map((t) => LABEL[t.status].length), 7);
  for (const t of r.targets) {
    const label = LABEL[t.status].padEnd(width);
    const col = t.status === 'present' ? '32' : t.status === 'missing' ? '31;1' : '33';
    lines.push(`  ${paint(col, label)}  ${t.target}`);
    const pad = ' '.repeat(width + 4);
    lines.push(`${pad}${t.what} (${t.file}:${t.line})${t.replacedBy ? `, replaced by ${t.replacedBy}` : ''}`);
    lines.push(`${pad}${t.reason}${t.source === 'live' ? ' [live]' : t.source === 'offline' ? ' [offline]' : ''}`);
    if (t.signature) {
      const s = t.signature;
      lines.push(
        `${pad}signature: ${s.status}${s.via ? ` via ${s.via}` : ''}${s.types.length ? ` (${s.types.join(', ')})` : ''}${s.status !== 'present' ? `: ${s.reason}` : ''}`,
      );
    }
  }
  const c = r.counts;
  const parts = Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  lines.push('', `${r.targets.length} target(s)${parts.length ? `: ${parts.join(', ')}` : ''}`);
  return lines.join('\n') + '\n';
}
