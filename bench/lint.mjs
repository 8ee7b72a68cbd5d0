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
// Usage: node bench/lint.mjs [--runs 5] [--warmup 1] [--manifests 20000] [--cli dist/cli.cjs]
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
    cli: { type: 'string', default: join(here, '..', 'dist', 'cli.cjs') },
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

const cli = resolve(opt.cli);
const cases = [
  { id: 'lint', argv: [process.execPath, cli, 'lint', '--repo', corpus.dir, '--rev', rev, '-o', 'json'] },
  { id: 'floor', argv: [process.execPath, join(here, 'floor.mjs'), '--repo', corpus.dir, '--rev', rev] },
];

// One checked run first: lint must succeed (exit 0 or 1) and read the tree with a bounded number of git processes.
const check = runOnce(cases[0].argv, RUN_ENV);
if (check.status !== 0 && check.status !== 1) {
  log(`rollwright lint exited ${check.status}: ${check.stderr.slice(0, 2000)}`);
  process.exit(1);
}
const doc = JSON.parse(check.stdout.toString('utf8'));
const gitProcesses = (check.stderr.match(/^rollwright: git /gm) ?? []).length;
log(
  `lint: ${doc.summary.files} files, ${doc.summary.filesRead} read, ${doc.findings.length} findings; git processes: ${gitProcesses}`,
);

const times = { lint: [], floor: [] };
measureRounds(cases, {
  runs: Math.max(1, Number(opt.runs)),
  warmup: Math.max(0, Number(opt.warmup)),
  log,
  onResult(c, r) {
    if (r.status === 0 || (c.id === 'lint' && r.status === 1)) times[c.id].push(r.ms);
  },
});
const lint = summary(times.lint);
const floor = summary(times.floor);
const ratio = lint.median / floor.median;
const line = (name, s) =>
  `${name.padEnd(6)} median ${s.median.toFixed(0).padStart(6)} ms  p90 ${s.p90.toFixed(0).padStart(6)} ms  (n=${s.n})`;
process.stdout.write(
  [
    `rollwright lint on ${stats.files} files (${Number(opt.manifests).toLocaleString('en')} manifests)`,
    line('lint', lint),
    line('floor', floor),
    `ratio  ${ratio.toFixed(2)}x the floor (target <= ${TARGET_RATIO}x): ${ratio <= TARGET_RATIO ? 'ok' : 'MISS'}`,
    `git processes ${gitProcesses} (target <= ${MAX_GIT_PROCESSES}, never one per file): ${gitProcesses <= MAX_GIT_PROCESSES ? 'ok' : 'MISS'}`,
  ].join('\n') + '\n',
);
