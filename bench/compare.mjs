// Before/after: whole-process wall time of two or more builds of the CLI on the bench corpus,
// interleaved round by round, strictly sequential, with the floor of each change alongside.
// For checking a fix against the build before it:
//   ROLLWRIGHT_DIST=/tmp/before node scripts/build.mjs && <change, npm run build> &&
//   node bench/compare.mjs --cli /tmp/before/cli.cjs --cli dist/cli.cjs
// (build, do not copy: the code cache is made for the bundle's own path; a copied dist/ runs without it)
//
// Usage: node bench/compare.mjs --cli A [--cli B ...] [--runs 20] [--warmup 3] [--manifests 20000]
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCorpus } from './corpus.mjs';
import { measureRounds, summary } from './measure.mjs';

const { values: opt } = parseArgs({
  options: {
    cli: { type: 'string', multiple: true, default: [] },
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    manifests: { type: 'string', default: '20000' },
  },
});
if (opt.cli.length === 0) {
  process.stderr.write('usage: node bench/compare.mjs --cli A [--cli B ...] [--runs 20]\n');
  process.exit(2);
}
const log = (m) => process.stderr.write(`compare: ${m}\n`);
const c = ensureCorpus({ manifests: Number(opt.manifests), log });
const node = process.execPath;
const floor = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'floor.mjs');
const changes = { noop: '0 files', change: '50 files' };
const cases = [{ label: 'node -e 0', argv: [node, '-e', '0'] }];
for (const [head, what] of Object.entries(changes))
  cases.push({ label: `floor ${what}`, argv: [node, floor, '--repo', c.dir, '--base', c.base, '--head', c[head]] });
for (const cli of opt.cli)
  for (const [head, what] of Object.entries(changes))
    cases.push({
      label: `${relative(process.cwd(), resolve(cli))} ${what}`,
      argv: [node, resolve(cli), 'assess', '--repo', c.dir, '--base', c.base, '--head', c[head], '-o', 'json'],
    });
for (const x of cases) Object.assign(x, { times: [], cpu: [], gits: [], failed: 0 });

const rounds = measureRounds(cases, {
  runs: Number(opt.runs),
  warmup: Number(opt.warmup),
  log,
  onResult(x, r) {
    if (r.status !== 0 && r.status !== 1) {
      x.failed++;
      return;
    }
    x.times.push(r.ms);
    if (r.cpuMs !== undefined) x.cpu.push(r.cpuMs);
    x.gits.push((r.stderr.match(/^(rollwright|floor): git /gm) ?? []).length);
  },
});
const w = Math.max(...cases.map((x) => x.label.length));
console.log(`${'build and change'.padEnd(w)}  median     p90     CPU  git`);
for (const x of cases) {
  const s = summary(x.times);
  const cpu = summary(x.cpu).mean;
  console.log(
    `${x.label.padEnd(w)}  ${s.median.toFixed(1).padStart(6)}  ${s.p90.toFixed(1).padStart(6)}  ${cpu.toFixed(0).padStart(6)}  ${Math.max(0, ...x.gits)}` +
      (x.failed ? `  (${x.failed} failed)` : ''),
  );
}
console.log(
  `${rounds.kept} rounds kept, ${rounds.discarded} measured again (other load), ${rounds.keptDisturbed} kept although disturbed`,
);
