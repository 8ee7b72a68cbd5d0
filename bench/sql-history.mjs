// `npm run bench:sql-history`: what reading a migration folder's history costs, whole process, medians of
// --runs rounds (interleaved). A Prisma folder of --history applied migrations (tables, columns, indexes,
// type changes) is the base; measured in the same rounds:
//   - floor: `rollwright assess` of a new migration that needs the schema before it (an ALTER COLUMN TYPE)
//     in a repository whose folder holds only the table it alters: the same process with no history;
//   - new migration: the same new migration on top of the --history migrations (the folder replayed once
//     to give it its schema);
//   - edited migration: an applied migration in the middle of the history edited (a column moved into a
//     later migration): the folder read at head and at the base and both end states compared.
// Ratios are against the floor, by wall time and by CPU time (user + system of the assess process, which a
// busy shared machine skews least). --compare OTHER/cli.cjs measures another build in the same rounds.
// It is a measurement: it exits 0.
//
// Usage: node bench/sql-history.mjs [--runs 5] [--history 400] [--cli dist/cli.cjs] [--compare OTHER/cli.cjs]... [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMMIT_ENV, gitIn } from './common.mjs';
import { childrenCpuMs, summary } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    history: { type: 'string', default: '400' },
    cli: { type: 'string', default: join(root, 'dist', 'cli.cjs') },
    compare: { type: 'string', multiple: true },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(opt.runs));
const HISTORY = Math.max(4, Number(opt.history));
const log = (m) => process.stderr.write(`bench:sql-history: ${m}\n`);
const env = { ...COMMIT_ENV, NO_COLOR: '1' };
const git = gitIn;

/** Migration i of the history: a table every 4th, then a column, an index, a type change on it. */
function migration(i) {
  const t = `t${Math.floor(i / 4)}`;
  switch (i % 4) {
    case 0:
      return `-- CreateTable\nCREATE TABLE "${t}" (\n    "id" UUID NOT NULL,\n    "name" VARCHAR(100) NOT NULL,\n    CONSTRAINT "${t}_pkey" PRIMARY KEY ("id")\n);\n`;
    case 1:
      return `-- AlterTable\nALTER TABLE "${t}" ADD COLUMN "c${i}" VARCHAR(50);\n`;
    case 2:
      return `-- CreateIndex\nCREATE INDEX "${t}_name_idx" ON "${t}"("name");\n`;
    default:
      return `-- AlterTable\nALTER TABLE "${t}" ALTER COLUMN "name" SET DATA TYPE VARCHAR(200);\n`;
  }
}
const id = (i) => `${String(i).padStart(5, '0')}_m${i}`;
const write = (repo, name, text) => {
  mkdirSync(join(repo, 'prisma', 'migrations', name), { recursive: true });
  writeFileSync(join(repo, 'prisma', 'migrations', name, 'migration.sql'), text);
};
const commit = (repo, m) => {
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', m]);
  return git(repo, ['rev-parse', 'HEAD']);
};
const NEW = `-- AlterTable\nALTER TABLE "t0" ALTER COLUMN "name" SET DATA TYPE TEXT;\n`;

/** One assess: its wall time and its CPU time (the CPU time is what a busy shared machine skews least). */
function time(cli, repo, base, head) {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'assess', '--repo', repo, '--base', base, '--head', head, '-o', 'json'], {
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`assess exited ${r.status}: ${r.stderr}`);
  return { ms, cpu: childrenCpuMs() - c0 };
}

for (const cli of [opt.cli, ...(opt.compare ?? [])])
  if (!existsSync(cli)) {
    log(`${cli} not found: run npm run build`);
    process.exit(2);
  }
const work = mkdtempSync(join(tmpdir(), 'rollwright-bench-sql-history-'));
try {
  // The floor's repository: only the table the new migration alters.
  const small = join(work, 'small');
  git(work, ['init', '-q', '-b', 'main', small]);
  write(small, id(0), migration(0));
  const smallBase = commit(small, 'base');
  write(small, id(HISTORY), NEW);
  const smallHead = commit(small, 'new migration');

  const repo = join(work, 'repo');
  git(work, ['init', '-q', '-b', 'main', repo]);
  for (let i = 0; i < HISTORY; i++) write(repo, id(i), migration(i));
  const base = commit(repo, `${HISTORY} migrations`);
  write(repo, id(HISTORY), NEW);
  const added = commit(repo, 'new migration');
  git(repo, ['checkout', '-q', base]);
  // A column moved from an applied migration into a later one: the same end state.
  const mid = Math.floor(HISTORY / 8) * 4 + 1;
  write(repo, id(mid), '-- moved\n');
  write(repo, id(mid + 1), `${migration(mid)}${migration(mid + 1)}`);
  const edited = commit(repo, 'edit applied migrations');
  log(`repository: ${HISTORY} applied migrations; builds: ${[opt.cli, ...(opt.compare ?? [])].join(', ')}`);

  const cases = {};
  for (const cli of [opt.cli, ...(opt.compare ?? [])]) {
    const tag = cli === opt.cli ? '' : ` [${cli}]`;
    cases[`floor (new migration, no history)${tag}`] = () => time(cli, small, smallBase, smallHead);
    cases[`new migration on ${HISTORY} migrations${tag}`] = () => time(cli, repo, base, added);
    cases[`edited migrations in ${HISTORY} migrations${tag}`] = () => time(cli, repo, base, edited);
  }
  const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const f of Object.values(cases)) f(); // warm the page cache and the compile cache once
  for (let r = 0; r < RUNS; r++) for (const [k, f] of Object.entries(cases)) results[k].push(f());
  const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summary(v.map((x) => x.ms)).median]));
  const cpu = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summary(v.map((x) => x.cpu)).median]));
  const out = [`SQL history benchmark: ${HISTORY} migrations, ${RUNS} rounds (medians, whole process, ms: wall, CPU)`];
  for (const k of Object.keys(med))
    out.push(`  ${k.padEnd(70)} ${med[k].toFixed(0).padStart(6)} ${cpu[k].toFixed(0).padStart(6)}`);
  for (const cli of [opt.cli, ...(opt.compare ?? [])]) {
    const tag = cli === opt.cli ? '' : ` [${cli}]`;
    const f = `floor (new migration, no history)${tag}`;
    const ratio = (k, m) => (m[`${k}${tag}`] / m[f]).toFixed(2);
    const n = `new migration on ${HISTORY} migrations`;
    const e = `edited migrations in ${HISTORY} migrations`;
    out.push(
      `  ratios to the floor${tag}: new migration ${ratio(n, med)}x wall, ${ratio(n, cpu)}x CPU; edited migrations ${ratio(e, med)}x wall, ${ratio(e, cpu)}x CPU`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  if (opt.keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
