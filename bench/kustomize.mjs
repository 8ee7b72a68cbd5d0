// `npm run bench:kustomize`: the cost of the Kustomize rendered diff. Generates a git repository of
// 200 overlays over 4 shared bases, changes one base that 50 of the overlays read, and measures in
// the same run:
//   - rollwright: whole-process `rollwright assess -o json` of that change (it finds the affected
//     overlays, renders both revisions of each with `kubectl kustomize`, in parallel, and assesses
//     the rendered objects with the Kubernetes rules);
//   - kubectl alone: `kubectl kustomize` of the same affected overlays, head only and both revisions,
//     with the same parallelism, from a checked-out tree (no git, no assessment);
//   - kubectl of all 200 overlays (what rendering everything on every change would cost).
// Medians of --runs rounds, interleaved. It is a measurement: it exits 0.
//
// Usage: node bench/kustomize.mjs [--runs 5] [--overlays 200] [--cli dist/cli.cjs] [--keep]
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { env, makeRepo } from './kustomize-repo.mjs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    overlays: { type: 'string', default: '200' },
    cli: { type: 'string', default: join(root, 'dist', 'cli.cjs') },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(opt.runs));
const N = Math.max(4, Number(opt.overlays));
const BASES = 4;
const log = (m) => process.stderr.write(`bench:kustomize: ${m}\n`);

function time(f) {
  const t = performance.now();
  const r = f();
  return r instanceof Promise ? r.then((v) => ({ ms: performance.now() - t, v })) : { ms: performance.now() - t, v: r };
}

/** kubectl kustomize of the directories, `availableParallelism()` at a time. */
async function renderAll(dirs) {
  const limit = Math.max(2, availableParallelism());
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const d = dirs[next++];
      await new Promise((res) =>
        execFile('kubectl', ['kustomize', d], { maxBuffer: 64 << 20 }, (err) => {
          if (err) failed++;
          res();
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return failed;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const repo = makeRepo(N, BASES);
const baseTree = mkdtempSync(join(tmpdir(), 'rollwright-bench-kustomize-base-'));
execFileSync('git', ['-C', repo, 'worktree', 'add', '-q', '--detach', baseTree, 'HEAD~1'], { env, stdio: 'ignore' });
const affected = Array.from({ length: N }, (_, i) => i)
  .filter((i) => i % BASES === 0)
  .map((i) => `overlays/o${String(i).padStart(3, '0')}`);
const all = Array.from({ length: N }, (_, i) => `overlays/o${String(i).padStart(3, '0')}`);
log(`${N} overlays over ${BASES} bases in ${repo}; the change touches bases/b0, read by ${affected.length} overlays`);

const rows = { rollwright: [], headOnly: [], bothSides: [], everything: [] };
let findings = 0;
for (let round = 0; round < RUNS + 1; round++) {
  const rw = time(() =>
    spawnSync(
      process.execPath,
      [opt.cli, 'assess', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '-o', 'json'],
      {
        env: { ...process.env, NO_COLOR: '1' },
        maxBuffer: 256 << 20,
      },
    ),
  );
  if (rw.v.status !== 0 && rw.v.status !== 1) {
    log(`rollwright failed (exit ${rw.v.status}): ${rw.v.stderr.toString().slice(0, 500)}`);
    process.exit(0);
  }
  const doc = JSON.parse(rw.v.stdout.toString());
  findings = doc.findings.filter((f) => f.file.endsWith('(rendered)')).length;
  const head = await time(() => renderAll(affected.map((d) => join(repo, d))));
  const both = await time(() =>
    renderAll([...affected.map((d) => join(repo, d)), ...affected.map((d) => join(baseTree, d))]),
  );
  const every = await time(() => renderAll(all.map((d) => join(repo, d))));
  if (round === 0) continue; // warm-up
  rows.rollwright.push(rw.ms);
  rows.headOnly.push(head.ms);
  rows.bothSides.push(both.ms);
  rows.everything.push(every.ms);
}

const rwMs = median(rows.rollwright);
const fmt = (ms) => `${ms.toFixed(0)} ms`;
process.stdout.write(
  [
    `| measurement (median of ${RUNS}, ${availableParallelism()} cores) | wall time | vs rollwright |`,
    '|---|---|---|',
    `| rollwright assess (renders ${affected.length} overlays × 2 revisions, assesses; ${findings} findings on rendered output) | ${fmt(rwMs)} | 1.00× |`,
    `| kubectl kustomize, ${affected.length} affected overlays, head only | ${fmt(median(rows.headOnly))} | ${(median(rows.headOnly) / rwMs).toFixed(2)}× |`,
    `| kubectl kustomize, ${affected.length} affected overlays, both revisions | ${fmt(median(rows.bothSides))} | ${(median(rows.bothSides) / rwMs).toFixed(2)}× |`,
    `| kubectl kustomize, all ${N} overlays, head only | ${fmt(median(rows.everything))} | ${(median(rows.everything) / rwMs).toFixed(2)}× |`,
    '',
  ].join('\n'),
);
execFileSync('git', ['-C', repo, 'worktree', 'remove', '--force', baseTree], { env, stdio: 'ignore' });
if (opt.keep) log(`repository kept at ${repo}`);
else rmSync(repo, { recursive: true, force: true });
rmSync(baseTree, { recursive: true, force: true });
