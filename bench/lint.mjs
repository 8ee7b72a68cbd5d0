// `npm run bench:lint`: whole-process wall time of `rollwright lint -o json` on the tree of the
// 20,000-manifest bench repository (bench/corpus.mjs, the repository `npm run bench` uses), against
// the floor measured in the same run: `node bench/floor.mjs --rev` (one `git ls-tree -r`, one
// `git cat-file --batch` of every YAML file of the tree, js-yaml on each; nothing else). Target: at
// most 1.5x the floor. Also counts rollwright's git processes (ROLLWRIGHT_TRACE): the tree must be
// read with one ls-tree and batched cat-file, never a process per file.
//
// Runs are sequential and interleaved (measure.mjs). It is a measurement: it exits 0, and prints MISS
// when a target is missed.
//
// Wall time is the figure; the CPU time of each process tree is printed beside it (on a machine other
// work shares, CPU time is the steadier of the two). Give --cli more than once to measure several
// builds against the same floor in the same rounds (before/after a change: build the other one with
// ROLLWRIGHT_DIST=/tmp/before node scripts/build.mjs; the first --cli is the one the targets judge).
//
// Usage: node bench/lint.mjs [--runs 5] [--warmup 1] [--manifests 20000] [--cli dist/cli.cjs ...]
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCorpus, repoStats } from './corpus.mjs';
import { measureRounds, runOnce, RUN_ENV, summary } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    manifests: { type: 'string', default: '20000' },
    cli: { type: 'string', multiple: true, default: [join(here, '..', 'dist', 'cli.cjs')] },
  },
});
const TARGET_RATIO = 1.5;
/** ls-tree, the config read and at most two cat-file readers, plus slack for a kubectl-free tree. */
const MAX_GIT_PROCESSES = 6;
const log = (m) => process.stderr.write(`bench:lint: ${m}\n`);

const corpus = ensureCorpus({ manifests: Number(opt.manifests), log });
const rev = corpus.base;
const stats = repoStats(corpus.dir, rev);
log(
  `repository ${corpus.key}: ${stats.files} files (${stats.yamlFiles} YAML), ${(stats.treeBytes / 1e6).toFixed(1)} MB`,
);

const clis = opt.cli.map((c) => resolve(c));
const lintArgv = (cli) => [process.execPath, cli, 'lint', '--repo', corpus.dir, '--rev', rev, '-o', 'json'];
const cases = [
  ...clis.map((cli, i) => ({ id: i === 0 ? 'lint' : `lint#${i + 1}`, cli, argv: lintArgv(cli) })),
  { id: 'floor', argv: [process.execPath, join(here, 'floor.mjs'), '--repo', corpus.dir, '--rev', rev] },
];

// One checked run of each build first: lint must succeed (exit 0 or 1) and read the tree with a
// bounded number of git processes.
let gitProcesses = 0;
for (const c of cases.slice(0, clis.length)) {
  const check = runOnce(c.argv, RUN_ENV);
  if (check.status !== 0 && check.status !== 1) {
    log(`rollwright lint (${c.cli}) exited ${check.status}: ${check.stderr.slice(0, 2000)}`);
    process.exit(1);
  }
  const doc = JSON.parse(check.stdout.toString('utf8'));
  const git = (check.stderr.match(/^rollwright: git /gm) ?? []).length;
  if (c.id === 'lint') gitProcesses = git;
  log(
    `${c.id} (${c.cli}): ${doc.summary.files} files, ${doc.summary.filesRead} read, ${doc.findings.length} findings; git processes: ${git}`,
  );
}

const times = Object.fromEntries(cases.map((c) => [c.id, { wall: [], cpu: [] }]));
measureRounds(cases, {
  runs: Math.max(1, Number(opt.runs)),
  warmup: Math.max(0, Number(opt.warmup)),
  log,
  onResult(c, r) {
    if (r.status !== 0 && !(c.id !== 'floor' && r.status === 1)) return;
    times[c.id].wall.push(r.ms);
    if (r.cpuMs !== undefined) times[c.id].cpu.push(r.cpuMs);
  },
});
const floor = { wall: summary(times.floor.wall), cpu: summary(times.floor.cpu) };
const lines = [`rollwright lint on ${stats.files} files (${Number(opt.manifests).toLocaleString('en')} manifests)`];
let ratio = NaN;
for (const c of cases) {
  const wall = summary(times[c.id].wall);
  const cpu = summary(times[c.id].cpu);
  const vs =
    c.id === 'floor'
      ? ''
      : `  ${(wall.median / floor.wall.median).toFixed(2)}x the floor (cpu ${(cpu.median / floor.cpu.median).toFixed(2)}x)`;
  if (c.id === 'lint') ratio = wall.median / floor.wall.median;
  lines.push(
    `${c.id.padEnd(7)} median ${wall.median.toFixed(0).padStart(6)} ms  p90 ${wall.p90.toFixed(0).padStart(6)} ms  cpu ${cpu.median.toFixed(0).padStart(6)} ms  (n=${wall.n})${vs}${c.cli && clis.length > 1 ? `  ${c.cli}` : ''}`,
  );
}
lines.push(
  `ratio  ${ratio.toFixed(2)}x the floor (target <= ${TARGET_RATIO}x): ${ratio <= TARGET_RATIO ? 'ok' : 'MISS'}`,
  `git processes ${gitProcesses} (target <= ${MAX_GIT_PROCESSES}, never one per file): ${gitProcesses <= MAX_GIT_PROCESSES ? 'ok' : 'MISS'}`,
);
process.stdout.write(lines.join('\n') + '\n');
