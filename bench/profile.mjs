// Where does `rollwright assess` spend its time? Runs it once per scenario on the bench corpus with
// `node --cpu-prof`, and prints:
//   - a timeline: when each git process was started (from ROLLWRIGHT_TRACE lines, as the parent saw
//     them arrive on stderr), when stdout arrived and when the process exited;
//   - CPU self time by source module (functions mapped to the `// src/...` and `// node_modules/...`
//     markers esbuild leaves in the bundle), by package, and the top functions;
//   - the import time of each chunk of the bundle, alone in a fresh Node process (median of 5).
//
// Usage: node bench/profile.mjs [--cli PATH] [--scenario noop|change|all] [--manifests 20000]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCorpus, WORK_DIR } from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opt } = parseArgs({
  options: {
    cli: { type: 'string', default: join(root, 'dist', 'cli.cjs') },
    scenario: { type: 'string', default: 'all' },
    manifests: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
  },
});
const cli = resolve(opt.cli);
const distDir = dirname(cli);
const corpus = ensureCorpus({ manifests: Number(opt.manifests), log: (m) => process.stderr.write(`profile: ${m}\n`) });
const profDir = join(WORK_DIR, 'prof');

/** Module sections of a bundled file: [{line, name}] from esbuild's `// path` markers. */
const sectionsCache = new Map();
function sections(url) {
  if (sectionsCache.has(url)) return sectionsCache.get(url);
  let out = [];
  // The launcher compiles the bundle with vm.Script, whose frames carry a plain path, not a file:// URL.
  const file = url.startsWith('file://') ? fileURLToPath(url) : url.startsWith('/') ? url : undefined;
  if (file) {
    try {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((l, i) => {
        const m = /^\/\/ ((?:\.\.\/)*(?:src|node_modules)\/\S+)$/.exec(l);
        if (m) out.push({ line: i, name: m[1].replace(/^(\.\.\/)+/, '') });
      });
    } catch {
      out = [];
    }
  }
  sectionsCache.set(url, out);
  return out;
}

function moduleOf(frame) {
  const { url, lineNumber, functionName } = frame;
  if (!url) return functionName ? `(${functionName})` : '(program)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const secs = sections(url);
  let name;
  for (const s of secs) if (s.line <= lineNumber) name = s.name;
  if (name) return name;
  return url.startsWith('file://') ? basename(fileURLToPath(url)) : basename(url);
}

const packageOf = (mod) => {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(mod);
  if (m) return m[1];
  if (mod.startsWith('src/')) return `src/${mod.split('/')[1]}`;
  return mod;
};

function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  const byModule = new Map();
  const byPackage = new Map();
  const byFn = new Map();
  let total = 0;
  for (const [id, t] of self) {
    const n = byId.get(id);
    const mod = moduleOf(n.callFrame);
    total += t;
    byModule.set(mod, (byModule.get(mod) ?? 0) + t);
    byPackage.set(packageOf(mod), (byPackage.get(packageOf(mod)) ?? 0) + t);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${mod}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  }
  // Inclusive ("total") time: each sample counts once for every distinct function on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame)}`;
  const inclusive = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      if (!n.callFrame.url || n.callFrame.url.startsWith('node:')) continue;
      seen.add(keyOf(n));
    }
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
  return {
    total,
    byModule: top(byModule, 15),
    byPackage: top(byPackage, 12),
    byFn: top(byFn, 15),
    inclusive: top(inclusive, 25),
  };
}

function runTimeline(args) {
  return new Promise((done) => {
    const t0 = process.hrtime.bigint();
    const at = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const events = [];
    const p = spawn(process.execPath, args, {
      env: { ...process.env, ROLLWRIGHT_TRACE: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let firstOut;
    p.stdout.on('data', () => {
      firstOut ??= at();
    });
    p.stderr.on('data', (c) => {
      const t = at();
      err += c.toString();
      const lines = err.split('\n');
      err = lines.pop();
      for (const l of lines) if (l) events.push([t, l]);
    });
    p.on('close', (code) => {
      events.push([firstOut ?? NaN, 'stdout: first bytes']);
      events.push([at(), `exit ${code}`]);
      done(events.sort((a, b) => a[0] - b[0]));
    });
  });
}

const f = (x) => x.toFixed(1).padStart(7);

async function profileScenario(head) {
  const args = ['assess', '--repo', corpus.dir, '--base', corpus.base, '--head', corpus[head], '-o', 'json'];
  // Warm the page cache and the git object store first.
  spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
  console.log(`\n=== ${head === 'noop' ? '0 relevant files' : '50 files'} (${corpus.key}) ===`);
  console.log('timeline (ms since spawn, as seen by the parent):');
  for (const [t, l] of await runTimeline([cli, ...args])) console.log(`${f(t)}  ${l}`);
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '100', cli, ...args], {
    stdio: 'ignore',
  });
  const file = readdirSync(profDir).find((n) => n.endsWith('.cpuprofile'));
  const s = summarize(JSON.parse(readFileSync(join(profDir, file), 'utf8')));
  console.log(`CPU profile: ${s.total.toFixed(1)} ms sampled on the main thread`);
  console.log('self time by package:');
  for (const [k, v] of s.byPackage) console.log(`${f(v)}  ${k}`);
  console.log('self time by module:');
  for (const [k, v] of s.byModule) console.log(`${f(v)}  ${k}`);
  console.log('top functions (self):');
  for (const [k, v] of s.byFn) console.log(`${f(v)}  ${k}`);
  console.log('top functions (total, callees included; project and package code only):');
  for (const [k, v] of s.inclusive) console.log(`${f(v)}  ${k}`);
}

function importTimes() {
  // The CLI is one CommonJS bundle now (no chunks); split builds still get a per-chunk table.
  if (!existsSync(join(distDir, 'chunks'))) {
    console.log('(dist/ has no chunks: the CLI is a single bundle, so there is no per-chunk import table)');
    return;
  }
  const files = [
    cli,
    ...readdirSync(join(distDir, 'chunks'))
      .filter((n) => n.endsWith('.mjs'))
      .map((n) => join(distDir, 'chunks', n)),
  ];
  const runs = Number(opt.runs);
  const code =
    'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));';
  const rows = [];
  for (const file of files) {
    if (file === cli) continue; // importing cli.cjs alone would not run it (entry check), but skip anyway
    const ts = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, pathToFileURL(file).href], {
        encoding: 'utf8',
      });
      ts.push(Number(r.stdout));
    }
    ts.sort((a, b) => a - b);
    const mods = [...new Set(sections(pathToFileURL(file).href).map((s) => packageOf(s.name)))];
    rows.push([
      ts[Math.floor(ts.length / 2)],
      basename(file),
      mods.slice(0, 6).join(', ') + (mods.length > 6 ? ', …' : ''),
    ]);
  }
  rows.sort((a, b) => b[0] - a[0]);
  console.log('\n=== import time of each chunk, with everything it imports (median ms, fresh process) ===');
  for (const [t, name, mods] of rows.slice(0, 12)) console.log(`${f(t)}  ${name.padEnd(28)} ${mods}`);
}

const scenarios = opt.scenario === 'all' ? ['noop', 'change'] : [opt.scenario];
for (const s of scenarios) await profileScenario(s);
importTimes();
