// Summarises replay JSONL files (bench/replay.mjs) as markdown: outcomes (assessed, gate failed,
// input errors, internal errors, timeouts), the class histogram, the rule histogram by severity,
// and the time per commit (p50, p95, max).
//
// Usage: node bench/replay-summary.mjs FILE.jsonl [FILE.jsonl ...] [--top 40] > summary.md
import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The rollback classes, best to worst, as the rule reference generated from the code lists them
 * (docs/rules.md, kept in step with the rules by a test): the order the histograms and the
 * sample's class distances use.
 */
export const CLASSES = (() => {
  const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'rules.md'), 'utf8');
  const table = doc.slice(doc.indexOf('| Class |'), doc.indexOf('## Rules'));
  const classes = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
  if (classes.length < 2) throw new Error('docs/rules.md: the table of rollback classes was not found');
  return classes;
})();

/** Reads one replay file: its records and its meta (the .meta.json beside it, when there). */
export function readReplay(file) {
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const metaFile = `${file.replace(/\.jsonl$/, '')}.meta.json`;
  const meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) : null;
  return { name: basename(file).replace(/\.jsonl$/, ''), records, meta };
}

/** What became of one commit's run. */
export function outcome(r) {
  if (r.signal === 'timeout') return 'timeout';
  if (r.class && (r.exit === 0 || r.exit === 1)) return r.exit === 0 ? 'gate passed' : 'gate failed';
  if (r.exit === 2) return 'input error';
  if (r.exit === 3) return 'internal error';
  return 'other';
}

function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarise({ name, records, meta }, top) {
  const lines = [];
  const n = records.length;
  const outs = {};
  for (const r of records) outs[outcome(r)] = (outs[outcome(r)] ?? 0) + 1;
  const classes = Object.fromEntries(CLASSES.map((c) => [c, 0]));
  const rules = new Map();
  let findings = 0;
  for (const r of records) {
    if (r.class) classes[r.class] = (classes[r.class] ?? 0) + 1;
    const seen = new Set();
    for (const f of r.findings) {
      findings++;
      const e = rules.get(f.rule) ?? { error: 0, warning: 0, info: 0, commits: 0, raises: 0 };
      e[f.severity] = (e[f.severity] ?? 0) + 1;
      if (!seen.has(f.rule)) {
        seen.add(f.rule);
        e.commits++;
        if (f.class === r.class && r.class !== 'fully-reversible') e.raises++;
      }
      rules.set(f.rule, e);
    }
  }
  const ms = records.map((r) => r.ms).sort((a, b) => a - b);
  lines.push(`### ${name}`, '');
  if (meta) {
    lines.push(
      `${meta.source} at ${meta.tip?.slice(0, 12)}, ${meta.history === 'first-parent' ? 'first-parent history' : meta.history}` +
        (meta.select
          ? `, commits touching ${meta.select.join(', ')} plus ${meta.sample} others (seed ${meta.seed})`
          : '') +
        `; rollwright ${meta.rollwright?.slice(0, 12) ?? '?'}` +
        `; --jobs ${meta.jobs}, timeout ${meta.timeoutMs / 1000} s.`,
      '',
    );
  }
  lines.push(
    `${n} commits, ${findings} findings. Time per commit: p50 ${pct(ms, 50)} ms, p95 ${pct(ms, 95)} ms, max ${ms.at(-1)} ms.`,
    '',
  );
  lines.push('| outcome | commits |', '| --- | ---: |');
  for (const k of ['gate passed', 'gate failed', 'input error', 'internal error', 'timeout', 'other'])
    if (outs[k] || ['input error', 'internal error', 'timeout'].includes(k)) lines.push(`| ${k} | ${outs[k] ?? 0} |`);
  lines.push('', '| class | commits | share |', '| --- | ---: | ---: |');
  for (const c of CLASSES)
    lines.push(`| \`${c}\` | ${classes[c]} | ${n ? ((100 * classes[c]) / n).toFixed(1) : 0} % |`);
  lines.push(
    '',
    '| rule | error | warning | info | commits | commits it sets the class of |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  const sorted = [...rules.entries()].sort((a, b) => b[1].commits - a[1].commits || a[0].localeCompare(b[0]));
  for (const [rule, e] of sorted.slice(0, top))
    lines.push(`| \`${rule}\` | ${e.error} | ${e.warning} | ${e.info} | ${e.commits} | ${e.raises} |`);
  if (sorted.length > top) lines.push(`| (${sorted.length - top} more rules) | | | | | |`);
  const errors = records.filter((r) => ['input error', 'internal error', 'timeout', 'other'].includes(outcome(r)));
  if (errors.length) {
    lines.push('', 'Runs that produced no assessment:', '');
    for (const r of errors.slice(0, 20))
      lines.push(`- \`${r.commit.slice(0, 12)}\` ${outcome(r)}: ${(r.stderr ?? '').split('\n')[0].slice(0, 200)}`);
    if (errors.length > 20) lines.push(`- ... ${errors.length - 20} more`);
  }
  lines.push('');
  return lines.join('\n');
}

function main() {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '40' } },
    allowPositionals: true,
  });
  if (!positionals.length) {
    process.stderr.write('Usage: node bench/replay-summary.mjs FILE.jsonl [...] [--top 40]\n');
    process.exit(2);
  }
  const out = positionals.map((f) => summarise(readReplay(f), Number(values.top)));
  process.stdout.write(out.join('\n'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
