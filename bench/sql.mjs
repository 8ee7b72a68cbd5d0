// `npm run bench:sql`: the cost of the database surface, whole process, medians of --runs rounds
// (interleaved). Generates a git repository whose change adds --files migration files (golang-migrate
// pairs of typical DDL and backfills) and measures in the same run:
//   - rollwright: `rollwright assess -o json` of that change (parse with libpg-query, classify, pair);
//   - squawk: the native linter's binary called directly, not through npx, on the same files. It is not a
//     project dependency (its optional packages for other platforms are not all published at one
//     version, which breaks `npm ci`): without --squawk, the bench installs squawk-cli into
//     bench/.work/tools/squawk (its own prefix: the project's node_modules is never touched) the first time;
//   - the floor (bench/sql-floor.mjs): only git diff, one cat-file and libpg-query's parse of the same
//     files, the fastest way found; what neither rollwright nor any tool using that parser can go under;
//   - rollwright on a change of 10 migration files on top of that repository;
//   - `rollwright rehearse --from 0` of a 200-migration history on PGlite (up, down, up again), with the
//     time of its start step (cached data directory or cold).
// Targets (issue 4): at most 1.2x squawk on 5,000 files; under 150 ms for the 10-file change.
// It is a measurement: it exits 0 and prints MISS for a missed target.
//
// Usage: node bench/sql.mjs [--runs 5] [--files 5000] [--history 200] [--cli dist/cli.cjs] [--squawk PATH] [--loose]
//                           [--compare OTHER/cli.cjs]... [--keep] [--no-rehearse]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMMIT_ENV, gitIn } from './common.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    files: { type: 'string', default: '5000' },
    history: { type: 'string', default: '200' },
    cli: { type: 'string', default: join(root, 'dist', 'cli.cjs') },
    keep: { type: 'boolean', default: false },
    squawk: { type: 'string' },
    // A second build (e.g. of the previous commit) measured in the same rounds, for before/after ratios.
    // Repeatable: each build is measured in the same rounds.
    compare: { type: 'string', multiple: true },
    // Measure assess only (the rehearsal takes seconds per round).
    'no-rehearse': { type: 'boolean', default: false },
    // Keep the 5,000 new objects loose, as right after `git add`/`commit` (by default they are packed, as in a clone).
    loose: { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(opt.runs));
const FILES = Math.max(10, Number(opt.files));
const HISTORY = Math.max(2, Number(opt.history));
// --squawk PATH (or $SQUAWK): a squawk binary installed elsewhere, so the bench need not touch node_modules.
const SQUAWK_VERSION = '2.66.0';
const SQUAWK_PREFIX = join(root, 'bench', '.work', 'tools', 'squawk');
const SQUAWK =
  opt.squawk ??
  process.env.SQUAWK ??
  join(SQUAWK_PREFIX, `node_modules/@squawk-cli/${process.platform}-${process.arch}/bin/squawk`);
const log = (m) => process.stderr.write(`bench:sql: ${m}\n`);
const env = { ...COMMIT_ENV, NO_COLOR: '1' };
const git = gitIn;

/** Typical migrations: expands, backfills, constraints, indexes, contracts. i selects the template. */
function migration(i) {
  const t = `t${Math.floor(i / 10)}`;
  const c = `c${i}`;
  const templates = [
    [
      `CREATE TABLE ${t} (\n  id bigserial PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
      `DROP TABLE ${t};`,
    ],
    [`ALTER TABLE ${t} ADD COLUMN ${c} text;`, `ALTER TABLE ${t} DROP COLUMN ${c};`],
    [`CREATE INDEX CONCURRENTLY ${t}_${c}_idx ON ${t} (name);`, `DROP INDEX CONCURRENTLY ${t}_${c}_idx;`],
    [`UPDATE ${t} SET name = lower(name) WHERE name <> lower(name);`, `SELECT 1;`],
    [
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_${c}_chk CHECK (length(name) < 200) NOT VALID;`,
      `ALTER TABLE ${t} DROP CONSTRAINT ${t}_${c}_chk;`,
    ],
    [`ALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_c${i - 1}_chk;`, `SELECT 1;`],
    [
      `ALTER TABLE ${t} ADD COLUMN ${c} integer NOT NULL DEFAULT 0;\nCOMMENT ON COLUMN ${t}.${c} IS 'counter';`,
      `ALTER TABLE ${t} DROP COLUMN ${c};`,
    ],
    [`ALTER TABLE ${t} ALTER COLUMN name TYPE varchar(200);`, `ALTER TABLE ${t} ALTER COLUMN name TYPE text;`],
    [
      `INSERT INTO settings (key, value) VALUES ('${c}', 'on') ON CONFLICT DO NOTHING;`,
      `DELETE FROM settings WHERE key = '${c}';`,
    ],
    [`ALTER TABLE ${t} DROP COLUMN IF EXISTS legacy_${c};`, `ALTER TABLE ${t} ADD COLUMN legacy_${c} text;`],
  ];
  return templates[i % templates.length];
}

function writePairs(dir, from, count, gen = migration) {
  const paths = [];
  for (let i = from; i < from + count; i++) {
    const [up, down] = gen(i);
    const v = String(i + 1).padStart(6, '0');
    const up_ = join(dir, `${v}_m${i}.up.sql`);
    writeFileSync(up_, `-- migration ${i}\n${up}\n`);
    writeFileSync(join(dir, `${v}_m${i}.down.sql`), `${down}\n`);
    paths.push(up_, join(dir, `${v}_m${i}.down.sql`));
  }
  return paths;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(file, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(file, args, { env, maxBuffer: 512 * 1024 * 1024, ...opts });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { ms, code: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

if (!existsSync(SQUAWK)) {
  if (opt.squawk ?? process.env.SQUAWK) {
    log(`${SQUAWK} not found`);
    process.exit(2);
  }
  log(`installing squawk-cli@${SQUAWK_VERSION} into ${SQUAWK_PREFIX}`);
  execFileSync(
    'npm',
    ['install', '--prefix', SQUAWK_PREFIX, '--no-save', '--no-audit', '--no-fund', `squawk-cli@${SQUAWK_VERSION}`],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (!existsSync(SQUAWK)) {
    log(`squawk-cli installed no binary at ${SQUAWK}`);
    process.exit(2);
  }
}
if (!existsSync(opt.cli)) {
  log(`${opt.cli} not found: run npm run build`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'rollwright-bench-sql-'));
try {
  // Repository: base (README), big (FILES migration files), small (10 more files on top).
  const repo = join(work, 'repo');
  const mig = join(repo, 'db', 'migrations');
  mkdirSync(mig, { recursive: true });
  git(work, ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), 'bench\n');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'base']);
  const base = git(repo, ['rev-parse', 'HEAD']);
  const files = writePairs(mig, 0, FILES / 2);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'big']);
  const big = git(repo, ['rev-parse', 'HEAD']);
  writePairs(mig, FILES / 2, 5);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'small']);
  const small = git(repo, ['rev-parse', 'HEAD']);
  // A CI checkout is a clone, whose objects come packed; 5,000 objects fresh from `git commit` are
  // loose files that git inflates one by one (about 150 ms more for rollwright to read, measured).
  if (!opt.loose) git(repo, ['repack', '-a', '-d', '-q']);
  log(
    `repository: ${files.length} migration files in the big change, 10 in the small one; objects ${opt.loose ? 'loose' : 'packed'}`,
  );

  // History for the rehearsal: tables and columns with exact downs.
  const hist = join(work, 'history');
  mkdirSync(hist);
  writePairs(hist, 0, HISTORY, (i) => {
    const t = `h${Math.floor(i / 4)}`;
    switch (i % 4) {
      case 0:
        return [`CREATE TABLE ${t} (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE);`, `DROP TABLE ${t};`];
      case 1:
        return [`ALTER TABLE ${t} ADD COLUMN c${i} integer NOT NULL DEFAULT 0;`, `ALTER TABLE ${t} DROP COLUMN c${i};`];
      case 2:
        return [`CREATE INDEX ${t}_c${i - 1}_idx ON ${t} (c${i - 1});`, `DROP INDEX ${t}_c${i - 1}_idx;`];
      default:
        return [
          `ALTER TABLE ${t} ADD CONSTRAINT ${t}_chk CHECK (c${i - 2} >= 0) NOT VALID;`,
          `ALTER TABLE ${t} DROP CONSTRAINT ${t}_chk;`,
        ];
    }
  });

  const rel = files.map((p) => p.slice(repo.length + 1));
  const cases = {
    'rollwright assess (5,000 files)': () =>
      time(process.execPath, [opt.cli, 'assess', '--repo', repo, '--base', base, '--head', big, '-o', 'json']),
    'squawk (same files)': () => time(SQUAWK, ['--reporter', 'json', ...rel], { cwd: repo }),
    'floor (diff, cat-file, parse only)': () =>
      time(process.execPath, [join(root, 'bench', 'sql-floor.mjs'), '--repo', repo, '--base', base, '--head', big]),
    'rollwright assess (10 files)': () =>
      time(process.execPath, [opt.cli, 'assess', '--repo', repo, '--base', big, '--head', small, '-o', 'json']),
    [`rollwright rehearse (${HISTORY} migrations, PGlite)`]: () =>
      time(process.execPath, [opt.cli, 'rehearse', '--dir', hist, '--from', '0', '-o', 'json']),
  };
  if (opt['no-rehearse']) delete cases[`rollwright rehearse (${HISTORY} migrations, PGlite)`];
  const compares = opt.compare ?? [];
  compares.forEach((other, i) => {
    const tag = compares.length > 1 ? `compare ${i + 1}` : 'compare';
    cases[`${tag}: assess (5,000 files)`] = () =>
      time(process.execPath, [other, 'assess', '--repo', repo, '--base', base, '--head', big, '-o', 'json']);
    cases[`${tag}: assess (10 files)`] = () =>
      time(process.execPath, [other, 'assess', '--repo', repo, '--base', big, '--head', small, '-o', 'json']);
  });
  // Warm-up once (page cache, PGlite data directory cache), then interleaved rounds.
  const first = {};
  for (const [name, fn] of Object.entries(cases)) first[name] = fn();
  // A build that cannot run (e.g. a copy of dist/ that finds no node_modules) would time its error.
  for (const [name, r] of Object.entries(first))
    if ((name.includes('assess') || name.startsWith('floor')) && r.code !== 0 && r.code !== 1)
      throw new Error(`${name} exited with ${r.code}: ${r.stderr.trim().split('\n').slice(0, 3).join(' ')}`);
  const a = JSON.parse(first['rollwright assess (5,000 files)'].stdout);
  log(`rollwright found ${a.findings.length} findings in ${a.stats.filesRead} files; class ${a.class}`);
  const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  let rehearsal;
  for (let r = 0; r < RUNS; r++) {
    const names = Object.keys(cases);
    const order = names.slice(r % names.length).concat(names.slice(0, r % names.length));
    for (const name of order) {
      const res = cases[name]();
      results[name].push(res.ms);
      if (name.startsWith('rollwright rehearse')) rehearsal = JSON.parse(res.stdout);
    }
    log(`round ${r + 1}/${RUNS}`);
  }
  const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
  const out = [];
  out.push(`SQL migrations benchmark: ${FILES} files, ${RUNS} rounds (medians, whole process, ms)`);
  for (const [k, v] of Object.entries(med)) out.push(`  ${k.padEnd(42)} ${v.toFixed(0).padStart(7)}`);
  const ratio = med['rollwright assess (5,000 files)'] / med['squawk (same files)'];
  out.push('');
  out.push(
    `  rollwright / squawk on ${FILES} files: ${ratio.toFixed(2)}x (target <= 1.2x) ${ratio <= 1.2 ? 'ok' : 'MISS'}`,
  );
  const floor = med['floor (diff, cat-file, parse only)'];
  out.push(
    `  floor / squawk: ${(floor / med['squawk (same files)']).toFixed(2)}x; rollwright / floor: ${(med['rollwright assess (5,000 files)'] / floor).toFixed(2)}x`,
  );
  compares.forEach((other, i) => {
    const tag = compares.length > 1 ? `compare ${i + 1}` : 'compare';
    const r = med[`${tag}: assess (5,000 files)`] / med['squawk (same files)'];
    out.push(`  ${tag} (${other}) / squawk on ${FILES} files: ${r.toFixed(2)}x`);
  });
  const ten = med['rollwright assess (10 files)'];
  out.push(`  10-file change: ${ten.toFixed(0)} ms (target < 150 ms) ${ten < 150 ? 'ok' : 'MISS'}`);
  if (rehearsal) {
    const steps = rehearsal.steps.map((s) => `${s.step} ${s.ms}`).join(', ');
    out.push(`  rehearsal of ${HISTORY} migrations: ${rehearsal.ok ? 'passed' : 'FAILED'}; steps (ms): ${steps}`);
  }
  process.stdout.write(out.join('\n') + '\n');
} finally {
  if (opt.keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
