// `npm run bench:scale`: a change of thousands of files. Files per second and peak memory of
// `rollwright assess` on a change of 5,000 and 50,000 manifest files, modified (an image bump and a
// ConfigMap value in every file) and added (as many new files), against the floor of reading the
// same change (bench/floor.mjs: git diff, one cat-file, js-yaml) measured in the same run.
//
// Peak memory is the child's maximum resident set size from `/usr/bin/time -f %M` (apt-get install
// time where it is missing). One round per case by default: a 50,000-file run takes a while on a
// shared 2-core machine. It exits 0 when the ceiling is missed (it is a measurement) and prints MISS.
//
// Usage: node bench/scale.mjs [--sizes 5000,50000] [--rounds 1] [--cli PATH] [--no-snapshot] [--json FILE]
//        --kinds modified (or added): only that change of each size (default: both)
//        node bench/scale.mjs --sizes 10000 --repo-only   (generates the repositories, or finds them
//        cached, and prints one JSON line per size: {dir, files, base, modified, added}; nothing runs)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FastImport, WORK_DIR } from './corpus.mjs';
import { GIT_ENV } from './common.mjs';
import { snapshotCli } from './snapshot.mjs';
import { summary } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const { values: opt } = parseArgs({
  options: {
    sizes: { type: 'string', default: '5000,50000' },
    rounds: { type: 'string', default: '1' },
    cli: { type: 'string' },
    'no-snapshot': { type: 'boolean', default: false },
    json: { type: 'string', default: join(WORK_DIR, 'scale.json') },
    'repo-only': { type: 'boolean', default: false },
    kinds: { type: 'string', default: 'modified,added' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(0, 13)
      .join('\n') + '\n',
  );
  process.exit(0);
}

/** The ceiling: a 50,000-file change in under this many minutes and this much peak memory. */
export const CEILING = { files: 50_000, minutes: 5, rssMiB: 1024 };

const log = (m) => process.stderr.write(`bench:scale: ${m}\n`);
const SOURCE_HASH = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 8);
const ENVS = ['prod', 'staging', 'dev'];

/** File i of the repository: a Deployment, its ConfigMap and its Service (about 1.5 KB). */
function manifest(i, version, prefix = 'app') {
  const env = ENVS[i % 3];
  const team = `team-${Math.floor(i / 3) % 40}`;
  const name = `${prefix}-${i}`;
  const ns = `${team}-${env}`;
  return {
    path: `clusters/${env}/${team}/${name}.yaml`,
    text: `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: ${ns}
data:
  LOG_LEVEL: info
  FEATURE_SET: "${version}"
  UPSTREAM: http://${name}.${ns}.svc.cluster.local:8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      containers:
        - name: app
          image: registry.example.com/${team}/${name}:1.${version}.0
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef:
                name: ${name}-config
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - port: 80
      targetPort: 8080
`,
  };
}

const CONFIG = `environments:
  prod:
    paths: ["clusters/prod/**"]
  staging:
    paths: ["clusters/staging/**"]
  dev:
    paths: ["clusters/dev/**"]
`;

function git(dir, args) {
  return execFileSync('git', ['-C', dir, ...args], { env: GIT_ENV, maxBuffer: 1 << 30 });
}

/** A repository of `n` files with two heads: every file modified, and `n` files added. Cached. */
function ensureRepo(n) {
  const dir = join(WORK_DIR, `scale-${SOURCE_HASH}-${n}`);
  const done = join(dir, '.bench-scale.json');
  if (existsSync(done)) return { dir, ...JSON.parse(readFileSync(done, 'utf8')) };
  const t0 = performance.now();
  log(`generating a repository of ${n} files ...`);
  mkdirSync(WORK_DIR, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  execFileSync('git', ['init', '-q', '-b', 'main', tmp], { env: GIT_ENV });
  git(tmp, ['config', 'gc.auto', '0']);
  const fi = new FastImport();
  const ops = [{ path: '.rollwright.yaml', mark: fi.blob(CONFIG) }];
  for (let i = 0; i < n; i++) {
    const m = manifest(i, 1);
    ops.push({ path: m.path, mark: fi.blob(m.text) });
  }
  const time = 1_700_000_000;
  const base = fi.commit('refs/heads/main', { message: 'Fleet\n', time, ops });
  const trailers = '\n\nRollback-Class: fully-reversible\nRollback-Method: git revert\n';
  const modified = [];
  for (let i = 0; i < n; i++) {
    const m = manifest(i, 2);
    modified.push({ path: m.path, mark: fi.blob(m.text) });
  }
  fi.commit('refs/heads/modified', {
    message: `Bump every app${trailers}`,
    time: time + 60,
    from: base,
    ops: modified,
  });
  const added = [];
  for (let i = 0; i < n; i++) {
    const m = manifest(i, 1, 'new');
    added.push({ path: m.path, mark: fi.blob(m.text) });
  }
  fi.commit('refs/heads/added', { message: `Add a fleet${trailers}`, time: time + 120, from: base, ops: added });
  execFileSync('git', ['-C', tmp, 'fast-import', '--quiet', '--done'], {
    env: GIT_ENV,
    input: Buffer.concat([fi.buffer(), Buffer.from('done\n')]),
    maxBuffer: 1 << 30,
  });
  git(tmp, ['repack', '-a', '-d', '-q']);
  const [b, mo, ad] = git(tmp, ['rev-parse', 'refs/heads/main', 'refs/heads/modified', 'refs/heads/added'])
    .toString()
    .trim()
    .split('\n');
  const info = { files: n, base: b, modified: mo, added: ad };
  writeFileSync(join(tmp, '.bench-scale.json'), JSON.stringify(info));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, ...info };
}

const TIME = '/usr/bin/time';

/** Runs argv once: wall seconds, peak RSS (MiB) from /usr/bin/time, exit status, stdout. */
function measure(argv) {
  const timed = existsSync(TIME);
  const full = timed ? [TIME, '-f', '@@rss %M', ...argv] : argv;
  const t0 = performance.now();
  const r = spawnSync(full[0], full.slice(1), {
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const s = (performance.now() - t0) / 1000;
  const stderr = r.stderr?.toString('utf8') ?? '';
  const rss = /@@rss (\d+)/.exec(stderr);
  return {
    s,
    rssMiB: rss ? Number(rss[1]) / 1024 : undefined,
    status: r.status,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: stderr.replace(/@@rss \d+\n?/, ''),
  };
}

if (opt['repo-only']) {
  for (const n of opt.sizes.split(',').map(Number).filter((x) => x > 0))
    process.stdout.write(JSON.stringify(ensureRepo(n)) + '\n');
  process.exit(0);
}

const cli = opt.cli
  ? resolve(opt.cli)
  : opt['no-snapshot']
    ? join(root, 'dist', 'cli.cjs')
    : snapshotCli(join(WORK_DIR, 'dist-scale'));
const sizes = opt.sizes
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const rounds = Math.max(1, Number(opt.rounds));
if (!existsSync(TIME)) log(`${TIME} is missing (apt-get install time): peak memory is not measured`);

const rows = [];
for (const n of sizes) {
  const repo = ensureRepo(n);
  for (const kind of ['modified', 'added'].filter((k) => opt.kinds.split(',').includes(k))) {
    const floorArgv = [
      process.execPath,
      join(here, 'floor.mjs'),
      '--repo',
      repo.dir,
      '--base',
      repo.base,
      '--head',
      repo[kind],
    ];
    const toolArgv = [
      process.execPath,
      cli,
      'assess',
      '--repo',
      repo.dir,
      '--base',
      repo.base,
      '--head',
      repo[kind],
      '-o',
      'json',
    ];
    const floor = [];
    const tool = [];
    let check;
    for (let r = 0; r < rounds; r++) {
      floor.push(measure(floorArgv));
      const t = measure(toolArgv);
      tool.push(t);
      if (t.status !== 0 && t.status !== 1)
        throw new Error(`rollwright exited ${t.status} on ${n} ${kind}: ${t.stderr.slice(0, 2000)}`);
      if (!check) {
        const a = JSON.parse(t.stdout.toString('utf8'));
        check = {
          filesChanged: a.stats.filesChanged,
          filesRead: a.stats.filesRead,
          class: a.class,
          findings: a.findings.length,
        };
        if (a.stats.filesChanged !== n)
          throw new Error(`expected ${n} changed files, assessment says ${a.stats.filesChanged}`);
      }
    }
    const ts = summary(tool.map((x) => x.s)).median;
    const fs = summary(floor.map((x) => x.s)).median;
    const row = {
      files: n,
      kind,
      seconds: ts,
      filesPerSecond: n / ts,
      rssMiB: Math.max(...tool.map((x) => x.rssMiB ?? NaN)),
      floorSeconds: fs,
      floorFilesPerSecond: n / fs,
      floorRssMiB: Math.max(...floor.map((x) => x.rssMiB ?? NaN)),
      ratio: ts / fs,
      ...check,
    };
    rows.push(row);
    log(
      `${n} ${kind}: ${ts.toFixed(1)} s (${row.filesPerSecond.toFixed(0)} files/s), ${row.rssMiB.toFixed(0)} MiB; floor ${fs.toFixed(1)} s, ${row.floorRssMiB.toFixed(0)} MiB`,
    );
  }
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const lines = [
  '| change | rollwright | files/s | peak RSS | floor | floor files/s | floor RSS | × floor | findings |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.files.toLocaleString('en')} ${r.kind} | ${fmt(r.seconds)} s | ${fmt(r.filesPerSecond, 0)} | ${fmt(r.rssMiB, 0)} MiB | ${fmt(r.floorSeconds)} s | ${fmt(r.floorFilesPerSecond, 0)} | ${fmt(r.floorRssMiB, 0)} MiB | ${fmt(r.ratio, 2)} | ${r.findings} |`,
  ),
];
process.stdout.write(lines.join('\n') + '\n\n');
const atCeiling = rows.filter((r) => r.files >= CEILING.files);
for (const r of atCeiling) {
  const ok = r.seconds < CEILING.minutes * 60 && !(r.rssMiB >= CEILING.rssMiB);
  process.stdout.write(
    `${ok ? 'ok  ' : 'MISS'} ${r.files.toLocaleString('en')} ${r.kind} files: ${fmt(r.seconds)} s < ${CEILING.minutes} min, ${fmt(r.rssMiB, 0)} MiB < ${CEILING.rssMiB} MiB\n`,
  );
}
mkdirSync(dirname(opt.json), { recursive: true });
writeFileSync(opt.json, JSON.stringify({ date: new Date().toISOString(), ceiling: CEILING, rows }, null, 2));
