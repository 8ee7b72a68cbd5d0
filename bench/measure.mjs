// Whole-process measurement shared by run.mjs and compare.mjs: one child at a time, wall time from
// spawn to exit, CPU time of the child's whole process tree, and rounds that are repeated when other
// processes on the machine used CPU during them (a shared 2-core machine otherwise measures noise).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export const RUN_ENV = { ...process.env, ROLLWRIGHT_TRACE: '1', NO_COLOR: '1' };

const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout) || 100;
})();

/**
 * CPU time (user + system, ms) of this process's waited-for children and their descendants, from
 * /proc/self/stat (Linux; clock ticks of 10 ms, so only a mean over many runs means anything).
 * Less disturbed than wall time by other load on the machine. undefined elsewhere.
 */
export function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK; // cutime, cstime
  } catch {
    return undefined;
  }
}

/** Busy CPU time of the whole machine (all cores, ms) from /proc/stat; undefined elsewhere. */
export function systemCpuMs() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f;
    return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** One whole-process run: wall ms from spawn to exit, CPU ms of its process tree, its output. */
export function runOnce(argv, env = RUN_ENV) {
  const c0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c1 = childrenCpuMs();
  return {
    ms,
    cpuMs: c0 === undefined || c1 === undefined ? undefined : c1 - c0,
    status: r.status,
    signal: r.signal,
    error: r.error,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: r.stderr?.toString('utf8') ?? '',
  };
}

/** A round is disturbed when other processes used more than this share of one core during it. */
export const FOREIGN_LIMIT = 0.1;

/**
 * Runs every case once per round, in an order rotated each round, strictly one process at a time:
 * `warmup` rounds thrown away, then `runs` kept rounds. A round during which other processes used
 * more than FOREIGN_LIMIT of a core is measured again, up to `runs * 3` rounds in all; past that,
 * disturbed rounds are kept and counted. `onResult(case, result)` receives each kept run.
 */
export function measureRounds(cases, { runs, warmup, onResult, log = () => {} }) {
  const maxRounds = warmup + runs * 3;
  const stats = { kept: 0, discarded: 0, keptDisturbed: 0, foreign: [], load: [] };
  for (let round = 0; stats.kept < runs && round < maxRounds; round++) {
    if (round === 0 && warmup) log(`warm-up: ${warmup} rounds`);
    if (round === warmup) log(`measuring: ${runs} rounds of ${cases.length} processes`);
    const sys0 = systemCpuMs();
    const self0 = process.cpuUsage();
    const kids0 = childrenCpuMs();
    const w0 = performance.now();
    const results = [];
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + round) % cases.length];
      results.push([c, runOnce(c.argv, c.env)]);
    }
    const wall = performance.now() - w0;
    const sys1 = systemCpuMs();
    const self = process.cpuUsage(self0);
    const kids = (childrenCpuMs() ?? 0) - (kids0 ?? 0);
    stats.load.push(loadavg()[0]);
    if (round < warmup) continue;
    // CPU the machine spent outside this process and its children, as a share of one core.
    const foreign =
      sys0 !== undefined && sys1 !== undefined ? (sys1 - sys0 - kids - (self.user + self.system) / 1000) / wall : 0;
    stats.foreign.push(foreign);
    if (foreign > FOREIGN_LIMIT && maxRounds - round - 1 >= runs - stats.kept) {
      stats.discarded++;
      if (stats.discarded % 5 === 0) log(`${stats.discarded} rounds disturbed by other processes so far`);
      continue;
    }
    if (foreign > FOREIGN_LIMIT) stats.keptDisturbed++;
    stats.kept++;
    for (const [c, r] of results) onResult(c, r);
  }
  return stats;
}

export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return { n: 0, median: NaN, p90: NaN, min: NaN, max: NaN, mean: NaN };
  return {
    n: s.length,
    median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2,
    p90: quantile(s, 0.9),
    min: s[0],
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}
