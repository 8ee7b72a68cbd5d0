// `npm run bench:replay`: what a commit costs on repositories shaped like real GitOps ones. Replays
// histories one first-parent commit at a time and measures, per commit and in the same rounds:
//   - `rollwright assess --repo R --base PARENT --head COMMIT -o json` of each CLI given (--cli, repeatable:
//     an earlier build and the current one, say);
//   - the floor of reading the change (bench/floor.mjs: git diff, one cat-file for both sides of the
//     changed YAML files, js-yaml).
// Histories:
//   - generated: a Flux-style repository of --apps apps (a plain base of an OCIRepository, a HelmRelease
//     and a Deployment per app; a staging overlay listing the base; a production overlay that patches the
//     HelmRelease, and one in ten that also sets a namespace): 3 kustomizations per app, then --bumps
//     Renovate-like one-line commits (an OCIRepository tag, a chart version or an image tag, in turn);
//   - every --bundle given (a git bundle of a real repository): every first-parent commit (a root commit
//     is assessed against the empty tree).
// Each commit is measured --rounds times (the order of the processes rotated each round); a commit's time
// is the median of its rounds. Printed: p50 and p95 over the commits of each history, and each CLI's p50
// as a ratio of the floor's. Target: p50 within 1.5x of the floor. A measurement: it exits 0 unless a CLI
// fails (exit code other than 0 or 1) on a commit.
//
// Usage: node bench/replay-bench.mjs [--bundle FILE]... [--apps 100] [--bumps 30] [--rounds 1]
//                                    [--cli dist/cli.cjs]... [--no-generated] [--json FILE] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GIT_ENV, rng } from './common.mjs';
import { deployment, git as repoGit, write } from './kustomize-repo.mjs';
import { quantile } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    bundle: { type: 'string', multiple: true, default: [] },
    apps: { type: 'string', default: '100' },
    bumps: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '1' },
    cli: { type: 'string', multiple: true },
    'no-generated': { type: 'boolean', default: false },
    json: { type: 'string', default: join(root, 'bench', '.work', 'replay-bench.json') },
    keep: { type: 'boolean', default: false },
  },
});
const APPS = Math.max(2, Number(opt.apps));
const BUMPS = Math.max(1, Number(opt.bumps));
const ROUNDS = Math.max(1, Number(opt.rounds));
const CLIS = (opt.cli?.length ? opt.cli : [join(root, 'dist', 'cli.cjs')]).map((c) => resolve(c));
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const log = (m) => process.stderr.write(`bench:replay: ${m}\n`);

/** The CLI's environment: no CI variables or rollwright settings of the machine leak in. */
const CLI_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(CI|GITHUB_|GITLAB_|BUILDKITE|ROLLWRIGHT_)/.test(k)),
);
CLI_ENV.NO_COLOR = '1';

const ociRepository = (app, tag) => `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: ${app}
  namespace: flux-system
spec:
  interval: 10m
  url: oci://ghcr.io/acme/charts/${app}
  ref:
    tag: ${tag}
`;
const helmRelease = (app, version) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app}
  namespace: flux-system
spec:
  interval: 30m
  chart:
    spec:
      chart: ${app}
      version: ${version}
      sourceRef:
        kind: HelmRepository
        name: acme
  values:
    replicaCount: 1
`;
const app = (i) => `app-${String(i).padStart(3, '0')}`;

/** A Flux-style repository: per app a plain base and two overlays, then one-line bumps. */
function generated() {
  const dir = mkdtempSync(join(tmpdir(), 'rollwright-bench-replay-'));
  repoGit(dir, 'init', '-q', '-b', 'main');
  const versions = [];
  for (let i = 0; i < APPS; i++) {
    const a = app(i);
    versions.push({ oci: 0, chart: 0, image: 0 });
    write(dir, `apps/base/${a}/repository.yaml`, ociRepository(a, '1.0.0'));
    write(dir, `apps/base/${a}/release.yaml`, helmRelease(a, '1.0.0'));
    write(dir, `apps/base/${a}/deployment.yaml`, deployment(a, 'a').replace(/@sha256:\w+/, ':1.0.0'));
    write(
      dir,
      `apps/base/${a}/kustomization.yaml`,
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - repository.yaml\n  - release.yaml\n  - deployment.yaml\n',
    );
    write(
      dir,
      `clusters/staging/${a}/kustomization.yaml`,
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../../apps/base/${a}\n`,
    );
    write(
      dir,
      `clusters/production/${a}/kustomization.yaml`,
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${i % 10 === 0 ? `namespace: prod-${a}\n` : ''}resources:\n  - ../../../apps/base/${a}\npatches:\n  - target: {kind: HelmRelease, name: ${a}}\n    patch: |\n      - {op: replace, path: /spec/values/replicaCount, value: 3}\n`,
    );
  }
  repoGit(dir, 'add', '-A');
  repoGit(dir, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'initial');
  const rand = rng(7);
  for (let b = 0; b < BUMPS; b++) {
    const i = Math.floor(rand() * APPS);
    const a = app(i);
    const v = versions[i];
    const what = ['oci', 'chart', 'image'][b % 3];
    v[what]++;
    if (what === 'oci') write(dir, `apps/base/${a}/repository.yaml`, ociRepository(a, `1.0.${v.oci}`));
    if (what === 'chart') write(dir, `apps/base/${a}/release.yaml`, helmRelease(a, `1.${v.chart}.0`));
    if (what === 'image')
      write(dir, `apps/base/${a}/deployment.yaml`, deployment(a, 'a').replace(/@sha256:\w+/, `:1.0.${v.image}`));
    repoGit(dir, 'add', '-A');
    const subject = { oci: 'OCIRepository tag', chart: 'helm chart', image: 'image tag' }[what];
    repoGit(dir, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', `chore(deps): update ${a} ${subject}`);
  }
  return dir;
}

function cloneBundle(file) {
  const dir = mkdtempSync(join(tmpdir(), 'rollwright-bench-replay-bundle-'));
  execFileSync('git', ['clone', '-q', file, dir], { env: GIT_ENV, stdio: 'ignore' });
  return dir;
}

/** First-parent commits oldest first, each with its parent (undefined for a root). */
function history(dir) {
  return execFileSync('git', ['-C', dir, 'rev-list', '--first-parent', '--reverse', '--parents', 'HEAD'], {
    env: GIT_ENV,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  })
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [commit, parent] = l.split(' ');
      return { commit, parent };
    });
}

/**
 * The CPU time of each run (user + system, its git and kubectl children included) comes from
 * `/usr/bin/time` when it is installed: on a machine shared with other work the wall times stretch with
 * the load, and the CPU ratio is the figure that stays comparable between runs.
 */
const TIME = '/usr/bin/time';
const timed = existsSync(TIME);

function run(argv) {
  const full = timed ? [TIME, '-f', '@@cpu %U %S', ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), { env: CLI_ENV, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let stderr = r.stderr?.toString() ?? '';
  let cpu;
  const m = /@@cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  if (m) {
    cpu = (Number(m[1]) + Number(m[2])) * 1000;
    stderr = stderr.slice(0, m.index);
  }
  return { ms, cpu, status: r.status, stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Measures every commit of a history; returns per-commit medians for the floor and each CLI. */
function measure(name, dir, skip = 0) {
  const commits = history(dir).slice(skip);
  log(`${name}: ${commits.length} commits, ${ROUNDS} round(s) each, ${CLIS.length} CLI(s) and the floor`);
  const rows = [];
  for (const [n, { commit, parent }] of commits.entries()) {
    const cases = [
      {
        id: 'floor',
        argv: [
          process.execPath,
          join(root, 'bench', 'floor.mjs'),
          '--repo',
          dir,
          '--base',
          parent ?? EMPTY_TREE,
          '--head',
          commit,
        ],
      },
      ...CLIS.map((cli, k) => ({
        id: `cli${k}`,
        argv: [
          process.execPath,
          cli,
          'assess',
          '--repo',
          dir,
          ...(parent ? ['--base', parent] : []),
          '--head',
          commit,
          '-o',
          'json',
        ],
      })),
    ];
    const times = Object.fromEntries(
      cases.flatMap((c) => [
        [c.id, []],
        [`${c.id}:cpu`, []],
      ]),
    );
    for (let r = 0; r < ROUNDS; r++)
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(k + r + n) % cases.length];
        const res = run(c.argv);
        if (c.id === 'floor' ? res.status !== 0 : res.status !== 0 && res.status !== 1) {
          log(`${name} ${commit.slice(0, 10)}: ${c.id} exited ${res.status}: ${res.stderr.slice(0, 400)}`);
          process.exitCode = 1;
        }
        times[c.id].push(res.ms);
        if (res.cpu !== undefined) times[`${c.id}:cpu`].push(res.cpu);
      }
    rows.push({
      commit,
      ...Object.fromEntries(Object.entries(times).flatMap(([k, v]) => (v.length ? [[k, median(v)]] : []))),
    });
    if ((n + 1) % 20 === 0) log(`${name}: ${n + 1}/${commits.length}`);
  }
  return rows;
}

const histories = [];
if (!opt['no-generated'])
  histories.push({ name: `generated (${APPS * 3} kustomizations, ${BUMPS} bumps)`, make: generated });
for (const b of opt.bundle)
  histories.push({ name: basename(b).replace(/\.bundle$/, ''), make: () => cloneBundle(resolve(b)) });

const results = [];
for (const h of histories) {
  const dir = h.make();
  try {
    // The generated history's initial commit (hundreds of files added) is not a one-line change.
    results.push({ history: h.name, rows: measure(h.name, dir, h.make === generated ? 1 : 0) });
  } finally {
    if (opt.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;
const lines = [
  '| history | commits | what | p50 | p95 | p50 / floor p50 | CPU p50 | CPU p50 / floor |',
  '|---|---|---|---|---|---|---|---|',
];
const summary = [];
for (const { history: name, rows } of results) {
  const stat = (id) => {
    const s = rows.map((r) => r[id]).sort((a, b) => a - b);
    const c = rows.flatMap((r) => (r[`${id}:cpu`] === undefined ? [] : [r[`${id}:cpu`]])).sort((a, b) => a - b);
    return { p50: quantile(s, 0.5), p95: quantile(s, 0.95), ...(c.length ? { cpuP50: quantile(c, 0.5) } : {}) };
  };
  const floor = stat('floor');
  const cpuCells = (s) =>
    s.cpuP50 === undefined || floor.cpuP50 === undefined
      ? '– | –'
      : `${fmt(s.cpuP50)} | ${(s.cpuP50 / floor.cpuP50).toFixed(2)}×`;
  lines.push(
    `| ${name} | ${rows.length} | floor | ${fmt(floor.p50)} | ${fmt(floor.p95)} | 1.00× | ${cpuCells(floor)} |`,
  );
  const entry = { history: name, commits: rows.length, floor, clis: [] };
  CLIS.forEach((cli, k) => {
    const s = stat(`cli${k}`);
    const ratio = s.p50 / floor.p50;
    lines.push(
      `| ${name} | ${rows.length} | ${cli.replace(`${root}/`, '')} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${ratio.toFixed(2)}×${ratio <= 1.5 ? '' : ' MISS'} | ${cpuCells(s)} |`,
    );
    entry.clis.push({
      cli,
      ...s,
      ratio,
      ...(s.cpuP50 !== undefined && floor.cpuP50 ? { cpuRatio: s.cpuP50 / floor.cpuP50 } : {}),
    });
  });
  summary.push(entry);
}
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(dirname(opt.json), { recursive: true });
writeFileSync(opt.json, JSON.stringify({ rounds: ROUNDS, summary, results }, null, 2));
log(`per-commit times in ${opt.json}`);
