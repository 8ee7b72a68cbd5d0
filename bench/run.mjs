// `npm run bench`: whole-process wall time of `rollwright assess` against the floor (bench/floor.mjs:
// git diff + one cat-file + js-yaml, nothing else), on a generated repository of 20,000 Kubernetes
// manifests, for a change of no relevant file and for a 50-file change, plus the same 50-file change on
// a repository of 2,000 manifests (cost must follow the change, not the repository).
//
// Runs are strictly sequential (a 2-core machine measures nothing useful in parallel), interleaved
// round by round (every scenario once per round, the order rotated each round), after warm-up rounds.
// It exits 0 even when a target is missed: it is a measurement; misses are printed as MISS.
//
// Usage: node bench/run.mjs [--runs 20] [--warmup 3] [--manifests 20000] [--small 2000]
//                           [--cli PATH] [--no-snapshot] [--no-scaling] [--json FILE]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { changeStats, ensureCorpus, repoStats, WORK_DIR } from './corpus.mjs';
import { snapshotCli } from './snapshot.mjs';
import { FOREIGN_LIMIT, measureRounds, runOnce, summary } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    manifests: { type: 'string', default: '20000' },
    small: { type: 'string', default: '2000' },
    cli: { type: 'string' },
    'no-snapshot': { type: 'boolean', default: false },
    'no-scaling': { type: 'boolean', default: false },
    json: { type: 'string', default: join(WORK_DIR, 'latest.json') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(0, 11)
      .join('\n') + '\n',
  );
  process.exit(0);
}
const RUNS = Math.max(1, Number(opt.runs));
const WARMUP = Math.max(0, Number(opt.warmup));

/** The contract: targets from the issue. */
const TARGETS = { noopMs: 80, changeMs: 300, floorRatio: 1.5, gitProcesses: 5 };
/** The bench's own threshold for "cost follows the change": the same change on 10× the repository may cost 10% more. */
const SCALING_RATIO = 1.1;

const log = (m) => process.stderr.write(`bench: ${m}\n`);

// ------------------------------------------------------------------------------------------------
// The CLI under test: a snapshot of dist/ (other work in the tree may rebuild dist/ mid-run).

function cliUnderTest() {
  if (opt.cli) return { cli: resolve(opt.cli), label: relative(root, resolve(opt.cli)) };
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'cli.cjs')))
    throw new Error(`${join(dist, 'cli.cjs')} does not exist: run \`npm run bench\` (it builds first)`);
  if (opt['no-snapshot']) return { cli: join(dist, 'cli.cjs'), label: 'dist/cli.cjs' };
  return { cli: snapshotCli(join(WORK_DIR, 'dist')), label: 'dist/cli.cjs (built into bench/.work/dist)' };
}

// ------------------------------------------------------------------------------------------------
// One whole-process run

function gitCount(scenario, r) {
  if (scenario.kind === 'rollwright') return (r.stderr.match(/^rollwright: git /gm) ?? []).length;
  if (scenario.kind === 'floor') return (r.stderr.match(/^floor: git /gm) ?? []).length;
  return 0;
}

function okStatus(scenario, r) {
  if (r.error || r.signal) return false;
  // rollwright: 0 the gate passed, 1 the gate failed; both are a completed assessment.
  return scenario.kind === 'rollwright' ? r.status === 0 || r.status === 1 : r.status === 0;
}

// ------------------------------------------------------------------------------------------------

function main() {
  const { cli, label } = cliUnderTest();
  const node = process.execPath;
  const floor = join(here, 'floor.mjs');

  const big = ensureCorpus({ manifests: Number(opt.manifests), log });
  const small = opt['no-scaling'] ? undefined : ensureCorpus({ manifests: Number(opt.small), log });

  const corpora = [big, ...(small ? [small] : [])].map((c) => ({
    ...c,
    repository: repoStats(c.dir, c.base),
    changes: { noop: changeStats(c.dir, c.base, c.noop), change: changeStats(c.dir, c.base, c.change) },
  }));

  const rw = (c, head) => [node, cli, 'assess', '--repo', c.dir, '--base', c.base, '--head', c[head], '-o', 'json'];
  const fl = (c, head) => [node, floor, '--repo', c.dir, '--base', c.base, '--head', c[head]];
  const bigN = big.manifests.toLocaleString('en-US');
  const smallN = small?.manifests.toLocaleString('en-US');
  /** @type {Array<{id:string,label:string,kind:string,argv:string[],floor?:string,target?:number,corpus?:object,change?:string}>} */
  const scenarios = [
    { id: 'node', label: 'node -e 0 (bare Node start)', kind: 'reference', argv: [node, '-e', '0'] },
    { id: 'version', label: 'rollwright version (CLI start)', kind: 'reference', argv: [node, cli, 'version'] },
    { id: 'floor-noop', label: `floor, 0 relevant files, ${bigN}`, kind: 'floor', argv: fl(big, 'noop') },
    {
      id: 'rw-noop',
      label: `assess, 0 relevant files, ${bigN}`,
      kind: 'rollwright',
      argv: rw(big, 'noop'),
      floor: 'floor-noop',
      target: TARGETS.noopMs,
      corpus: big,
      change: 'noop',
    },
    { id: 'floor-50', label: `floor, 50 files, ${bigN}`, kind: 'floor', argv: fl(big, 'change') },
    {
      id: 'rw-50',
      label: `assess, 50 files, ${bigN}`,
      kind: 'rollwright',
      argv: rw(big, 'change'),
      floor: 'floor-50',
      target: TARGETS.changeMs,
      corpus: big,
      change: 'change',
    },
  ];
  if (small) {
    scenarios.push(
      { id: 'floor-noop-small', label: `floor, 0 relevant files, ${smallN}`, kind: 'floor', argv: fl(small, 'noop') },
      {
        id: 'rw-noop-small',
        label: `assess, 0 relevant files, ${smallN}`,
        kind: 'rollwright',
        argv: rw(small, 'noop'),
        floor: 'floor-noop-small',
        target: TARGETS.noopMs,
        corpus: small,
        change: 'noop',
      },
      { id: 'floor-50-small', label: `floor, 50 files, ${smallN}`, kind: 'floor', argv: fl(small, 'change') },
      {
        id: 'rw-50-small',
        label: `assess, 50 files, ${smallN}`,
        kind: 'rollwright',
        argv: rw(small, 'change'),
        floor: 'floor-50-small',
        target: TARGETS.changeMs,
        corpus: small,
        change: 'change',
      },
    );
  }

  // Sanity: one run each, outside the measurement; what did each process actually do?
  const checks = {};
  for (const s of scenarios) {
    const r = runOnce(s.argv);
    if (!okStatus(s, r)) {
      log(`${s.label}: exit ${r.status ?? r.signal ?? r.error?.message}\n${r.stderr.slice(0, 2000)}`);
      checks[s.id] = { error: `exit ${r.status ?? r.signal}`, stderr: r.stderr.slice(0, 2000) };
      continue;
    }
    if (s.kind === 'floor') checks[s.id] = JSON.parse(r.stdout.toString('utf8'));
    if (s.kind === 'rollwright') {
      try {
        const a = JSON.parse(r.stdout.toString('utf8'));
        checks[s.id] = {
          exitCode: r.status,
          class: a.class,
          findings: a.findings?.length,
          stats: a.stats,
          gatePassed: a.gate?.passed,
          skipped: a.skipped?.length,
          gitArgs: r.stderr
            .split('\n')
            .filter((l) => l.startsWith('rollwright: git '))
            .map((l) => l.slice('rollwright: git '.length)),
        };
      } catch (e) {
        checks[s.id] = { error: `output is not JSON: ${e.message}` };
      }
    }
  }
  const broken = new Set(
    Object.entries(checks)
      .filter(([, v]) => v.error)
      .map(([k]) => k),
  );

  // Measurement: interleaved rounds, order rotated each round, strictly one process at a time;
  // rounds disturbed by other processes on the machine are measured again (see measure.mjs).
  const live = scenarios.filter((s) => !broken.has(s.id));
  const times = Object.fromEntries(live.map((s) => [s.id, []]));
  const gits = Object.fromEntries(live.map((s) => [s.id, []]));
  const cpu = Object.fromEntries(live.map((s) => [s.id, []]));
  const failures = Object.fromEntries(live.map((s) => [s.id, 0]));
  const la0 = loadavg();
  const tStart = performance.now();
  const rounds = measureRounds(live, {
    runs: RUNS,
    warmup: WARMUP,
    log,
    onResult(s, r) {
      if (!okStatus(s, r)) {
        failures[s.id]++;
        return;
      }
      times[s.id].push(r.ms);
      gits[s.id].push(gitCount(s, r));
      if (r.cpuMs !== undefined) cpu[s.id].push(r.cpuMs);
    },
  });
  const elapsed = (performance.now() - tStart) / 1000;

  // Results
  const stat = Object.fromEntries(live.map((s) => [s.id, summary(times[s.id])]));
  const rows = [];
  for (const s of scenarios) {
    if (broken.has(s.id)) {
      rows.push({ id: s.id, label: s.label, error: checks[s.id].error });
      continue;
    }
    const st = stat[s.id];
    const g = gits[s.id];
    const row = {
      id: s.id,
      label: s.label,
      kind: s.kind,
      medianMs: st.median,
      p90Ms: st.p90,
      minMs: st.min,
      maxMs: st.max,
      cpuMeanMs: cpu[s.id].length ? summary(cpu[s.id]).mean : undefined,
      runs: st.n,
      failedRuns: failures[s.id],
      gitProcesses: s.kind === 'reference' ? undefined : Math.max(...g),
      gitProcessesMin: s.kind === 'reference' ? undefined : Math.min(...g),
    };
    if (s.kind === 'rollwright') {
      const fs = stat[s.floor];
      row.floorMedianMs = fs?.median;
      row.floorCpuMeanMs = stat[s.floor] ? summary(cpu[s.floor]).mean : undefined;
      row.ratio = fs ? st.median / fs.median : undefined;
      row.targets = {
        time: { limitMs: s.target, pass: st.median < s.target },
        floor: { limit: TARGETS.floorRatio, pass: row.ratio !== undefined && row.ratio <= TARGETS.floorRatio },
        git: { limit: TARGETS.gitProcesses, pass: row.gitProcesses <= TARGETS.gitProcesses },
      };
      row.pass = Object.values(row.targets).every((t) => t.pass);
      row.change = s.corpus.changes?.[s.change] ?? corpora.find((c) => c.key === s.corpus.key).changes[s.change];
    }
    rows.push(row);
  }
  const scaling =
    small && stat['rw-50'] && stat['rw-50-small']
      ? {
          manifests: [small.manifests, big.manifests],
          rollwrightMs: [stat['rw-50-small'].median, stat['rw-50'].median],
          floorMs: [stat['floor-50-small']?.median, stat['floor-50']?.median],
          ratio: stat['rw-50'].median / stat['rw-50-small'].median,
          floorRatio:
            stat['floor-50'] && stat['floor-50-small']
              ? stat['floor-50'].median / stat['floor-50-small'].median
              : undefined,
          noopRatio:
            stat['rw-noop'] && stat['rw-noop-small']
              ? stat['rw-noop'].median / stat['rw-noop-small'].median
              : undefined,
          limit: SCALING_RATIO,
          pass: stat['rw-50'].median / stat['rw-50-small'].median <= SCALING_RATIO,
        }
      : undefined;

  const environment = {
    node: process.version,
    git: spawnSync('git', ['--version']).stdout?.toString().trim(),
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadavgBefore: la0.map((x) => +x.toFixed(2)),
    loadavgAfter: loadavg().map((x) => +x.toFixed(2)),
    loadMaxDuringRun: +Math.max(...rounds.load).toFixed(2),
    roundsDiscarded: rounds.discarded,
    roundsKeptDisturbed: rounds.keptDisturbed,
    foreignCpuMedian: rounds.foreign.length ? +summary(rounds.foreign).median.toFixed(3) : 0,
    platform: `${process.platform} ${process.arch}`,
  };
  const result = {
    date: new Date().toISOString(),
    command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    cli: label,
    runs: RUNS,
    warmup: WARMUP,
    elapsedSeconds: +elapsed.toFixed(1),
    environment,
    targets: TARGETS,
    corpora: corpora.map((c) => ({
      key: c.key,
      manifests: c.manifests,
      dir: relative(root, c.dir),
      base: c.base,
      heads: { noop: c.noop, change: c.change },
      repository: c.repository,
      changes: c.changes,
    })),
    checks,
    rows,
    scaling,
  };
  mkdirSync(dirname(resolve(opt.json)), { recursive: true });
  writeFileSync(resolve(opt.json), JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(report(result) + '\n');
  log(`results written to ${relative(process.cwd(), resolve(opt.json)) || opt.json}`);
}

// ------------------------------------------------------------------------------------------------
// The table

const ms = (x) => (x === undefined || Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(1) : x.toFixed(0));
const kb = (b) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(2)} MiB` : `${(b / 1024).toFixed(0)} KiB`);
const num = (n) => n.toLocaleString('en-US');

function table(header, body) {
  const w = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

function report(r) {
  const out = [];
  const e = r.environment;
  out.push(`rollwright assess benchmark — ${r.cli}`);
  out.push(
    `${e.node}, ${e.git}, ${e.cores} × ${e.cpu}; load ${e.loadavgBefore.join(' ')} → ${e.loadavgAfter.join(' ')}; ` +
      `${r.runs} runs each after ${r.warmup} warm-up rounds, interleaved, sequential (${r.elapsedSeconds} s)`,
  );
  out.push('');
  out.push('Repositories (at base)');
  out.push(
    table(
      ['corpus', 'manifests', 'files', 'YAML files', 'objects', 'tree bytes', 'pack bytes'],
      r.corpora.map((c) => [
        c.key,
        num(c.manifests),
        num(c.repository.files),
        num(c.repository.yamlFiles),
        num(c.repository.objects),
        kb(c.repository.treeBytes),
        kb(c.repository.packBytes),
      ]),
    ),
  );
  out.push('');
  out.push('Changes (base..head)');
  const c0 = r.corpora[0];
  out.push(
    table(
      ['change', 'files', 'YAML files', 'bytes at base', 'bytes at head', 'statuses'],
      Object.entries(c0.changes).map(([k, c]) => [
        k === 'noop' ? '0 relevant files (README.md, docs/notes.txt)' : '50 files',
        c.files,
        c.yamlFiles,
        kb(c.oldBytes),
        kb(c.newBytes),
        Object.entries(c.statuses)
          .map(([s, n]) => `${s}${n}`)
          .join(' '),
      ]),
    ),
  );
  out.push('');
  out.push('Wall time of the whole process (ms)');
  const body = [];
  for (const row of r.rows) {
    if (row.error) {
      body.push([row.label, 'ERROR', '', '', '', '', '', row.error]);
      continue;
    }
    const t = row.targets;
    const verdict = t
      ? [
          `< ${t.time.limitMs} ms ${t.time.pass ? 'PASS' : 'MISS'}`,
          `≤ ${t.floor.limit}× floor ${t.floor.pass ? 'PASS' : 'MISS'}`,
          `≤ ${t.git.limit} git ${t.git.pass ? 'PASS' : 'MISS'}`,
        ].join(', ')
      : row.kind === 'floor'
        ? 'floor'
        : 'reference';
    body.push([
      row.label,
      ms(row.medianMs),
      ms(row.p90Ms),
      ms(row.cpuMeanMs),
      row.ratio !== undefined ? `${row.ratio.toFixed(2)}×` : '',
      row.gitProcesses === undefined
        ? ''
        : row.gitProcesses === row.gitProcessesMin
          ? row.gitProcesses
          : `${row.gitProcessesMin}–${row.gitProcesses}`,
      row.failedRuns ? `${row.failedRuns} failed` : '',
      verdict,
    ]);
  }
  out.push(table(['scenario', 'median', 'p90', 'CPU', 'vs floor', 'git', '', 'targets'], body));
  out.push(
    'median and p90: wall ms of the whole process; CPU: mean user+system ms of the process tree (all threads, git included);',
  );
  out.push(
    "vs floor: median / the floor's median in the same run; git: git processes started per run (ROLLWRIGHT_TRACE).",
  );
  if (e.roundsDiscarded)
    out.push(
      `${e.roundsDiscarded} round(s) were measured again: other processes used more than ` +
        `${FOREIGN_LIMIT * 100}% of a core during them.`,
    );
  if (e.roundsKeptDisturbed)
    out.push(
      `WARNING: ${e.roundsKeptDisturbed} of ${r.runs} kept rounds ran while other processes used the machine ` +
        `(median ${(e.foreignCpuMedian * 100).toFixed(0)}% of a core): wall times are inflated. Rerun on a quiet machine.`,
    );
  if (r.scaling) {
    const s = r.scaling;
    out.push('');
    out.push(
      `Scaling (same 50-file change): ${num(s.manifests[0])} manifests ${ms(s.rollwrightMs[0])} ms → ` +
        `${num(s.manifests[1])} manifests ${ms(s.rollwrightMs[1])} ms: ${s.ratio.toFixed(2)}× ` +
        `(floor ${s.floorRatio?.toFixed(2)}×; 0-file change ${s.noopRatio?.toFixed(2)}×) — ` +
        `≤ ${s.limit}× ${s.pass ? 'PASS' : 'MISS'}`,
    );
  }
  const rwRows = r.rows.filter((x) => x.targets);
  const missed = rwRows.filter((x) => !x.pass).length + r.rows.filter((x) => x.error).length;
  out.push('');
  out.push(
    missed
      ? `MISS: ${missed} of ${rwRows.length + r.rows.filter((x) => x.error).length} rollwright scenarios miss a target (see the targets column).`
      : `PASS: every rollwright scenario meets every target.`,
  );
  const rwChecks = Object.entries(r.checks).filter(([k, v]) => k.startsWith('rw-') && !v.error);
  if (rwChecks.length) {
    out.push('');
    out.push('What rollwright reported (one run each):');
    for (const [k, v] of rwChecks)
      out.push(
        `  ${k}: exit ${v.exitCode}, class ${v.class}, ${v.findings} findings, ${v.stats?.filesChanged} files changed, ` +
          `${v.stats?.filesRead} read (${kb(v.stats?.bytesRead ?? 0)} of text); git: ${v.gitArgs.map((a) => a.split(' ')[0]).join(', ')}`,
      );
  }
  return out.join('\n');
}

main();
