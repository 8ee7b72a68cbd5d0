// Replays a repository's history through `rollwright assess`, one first-parent commit at a time
// (`parent..commit`, the root commit against the empty tree), and writes one JSON line per commit:
// what rollwright said (exit code, class, gate, findings), how long it took, and the error text of a
// run that did not produce an assessment (exit 2 input error, exit 3 internal error, a timeout).
//
// The history is either a git bundle (`--bundle FILE`, cloned into a temporary directory that is
// removed afterwards) or an existing clone (`--repo DIR`, only read).
//
// Usage:
//   node bench/replay.mjs --bundle FILE | --repo DIR [--out FILE] [--jobs 1] [--timeout 120]
//                         [--from REV] [--limit N] [--commits FILE] [--resume] [--cli dist/cli.cjs]
//
// The commits are replayed oldest first; `--from REV` starts at that first-parent commit (inclusive),
// `--limit N` stops after N commits, `--commits FILE` replays only the commits listed in FILE (one
// sha per line; the order of the history is kept), `--resume` skips commits already in `--out`.
// `--all` walks every commit instead of the first-parent history (the commits of merged branches,
// where a web app's migrations are usually written), and `--select`/`--sample`/`--seed` keep the
// commits that touch given paths plus a reproducible random sample of the others.
// Lines are appended in completion order (with `--jobs` > 1 that is not the history's order).
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GIT_ENV, sampleOf } from './common.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Environment of the CLI under test: no CI variables of the machine running the replay leak in. */
const CLI_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(CI|GITHUB_|GITLAB_|BUILDKITE|ROLLWRIGHT_)/.test(k)),
);
CLI_ENV.NO_COLOR = '1';

function git(dir, args) {
  return execFileSync('git', ['-C', dir, ...args], { env: GIT_ENV, maxBuffer: 1 << 30, encoding: 'utf8' });
}

const HELP = `Usage: node bench/replay.mjs (--bundle FILE | --repo DIR) [flags]

Replays every first-parent commit of a history through \`rollwright assess -o json\` and writes
one JSON line per commit.

Flags:
  --bundle FILE    git bundle to clone into a temporary directory
  --repo DIR       existing clone to replay instead (only read)
  --ref REV        tip of the history to replay (default: HEAD)
  --out FILE       JSONL output (default: bench/.work/replay/<name>.jsonl; replaced unless --resume)
  --jobs N         commits assessed in parallel (default 1)
  --timeout S      seconds before one commit's run is killed and recorded as a timeout (default 120)
  --from REV       start at this first-parent commit (inclusive)
  --limit N        replay at most N commits
  --commits FILE   replay only these commits (one sha per line, '#' comments allowed)
  --resume         keep the lines already in --out and skip their commits
  --all            every commit reachable from --ref (merged branches' commits too), each against
                   its first parent, instead of the first-parent history
  --select PATS    keep only commits that change a path matching one of PATS (comma-separated:
                   "dir/" prefix, "*.ext" suffix, or an exact path) ...
  --sample N       ... plus N of the other commits drawn at random with --seed (default seed 1);
                   without --select, a random sample of N commits
  --cli FILE       the CLI to run (default: dist/cli.cjs; run \`npm run build\` first)
  -h, --help       this help
`;

function parse() {
  const { values } = parseArgs({
    options: {
      bundle: { type: 'string' },
      repo: { type: 'string' },
      ref: { type: 'string', default: 'HEAD' },
      out: { type: 'string' },
      jobs: { type: 'string', default: '1' },
      timeout: { type: 'string', default: '120' },
      from: { type: 'string' },
      limit: { type: 'string' },
      commits: { type: 'string' },
      resume: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      select: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string', default: '1' },
      cli: { type: 'string', default: join(root, 'dist', 'cli.cjs') },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  if (!values.bundle === !values.repo) fail('give exactly one of --bundle FILE or --repo DIR');
  const int = (name, min) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) fail(`--${name}: expected an integer >= ${min}, got "${values[name]}"`);
    return n;
  };
  return {
    ...values,
    jobs: int('jobs', 1),
    timeoutMs: int('timeout', 1) * 1000,
    limit: values.limit === undefined ? Infinity : int('limit', 1),
    sample: values.sample === undefined ? undefined : int('sample', 0),
    seed: int('seed', 0),
    select: values.select
      ?.split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  };
}

function fail(msg) {
  process.stderr.write(`replay: ${msg}\n`);
  process.exit(2);
}

/** Name of a history for file names: the bundle's or the clone directory's base name. */
function historyName(opts) {
  return basename(resolve(opts.bundle ?? opts.repo)).replace(/\.bundle$/, '');
}

/**
 * Commits of `ref`, oldest first: { commit, parent (the first parent, null for a root), subject,
 * files (paths changed against the first parent; only when `withFiles`) }. First-parent history by
 * default; `all` lists every commit reachable from `ref`, each still against its first parent.
 */
function listCommits(repo, ref, { all = false, withFiles = false } = {}) {
  const args = ['log', '--reverse', '--format=%x01%H%x00%P%x00%s%x00'];
  if (!all) args.push('--first-parent');
  if (withFiles) args.push('--diff-merges=first-parent', '--name-only', '--no-renames', '-z');
  const out = git(repo, [...args, ref, '--']);
  const commits = [];
  for (const rec of out.split('\x01')) {
    if (!rec) continue;
    const f = rec.split('\0');
    const commit = f[0].trim();
    if (!commit) continue;
    const c = { commit, parent: f[1].split(' ')[0] || null, subject: f[2] };
    if (withFiles)
      c.files = f
        .slice(3)
        .map((p) => p.replace(/^\n/, ''))
        .filter(Boolean);
    commits.push(c);
  }
  return commits;
}

/** Does a path match one of the `--select` patterns ("dir/" prefix, "*.ext" suffix, or an exact path)? */
function selects(patterns, path) {
  return patterns.some((p) =>
    p.endsWith('/') ? path.startsWith(p) : p.startsWith('*') ? path.endsWith(p.slice(1)) : path === p,
  );
}

/** Only the fields a judge needs from a finding, in a fixed order. */
function slimFinding(f) {
  return {
    rule: f.rule,
    severity: f.severity,
    class: f.class,
    file: f.file ?? null,
    line: f.line ?? null,
    object: f.object ?? null,
    message: f.message,
  };
}

/** Runs one commit and resolves to its JSONL record (never rejects). */
function assessOne(opts, repo, c) {
  // A root commit is given without --base: rollwright assesses it against the empty tree.
  const args = [
    opts.cli,
    'assess',
    '--repo',
    repo,
    ...(c.parent ? ['--base', c.parent] : []),
    '--head',
    c.commit,
    '-o',
    'json',
  ];
  return new Promise((done) => {
    const t0 = process.hrtime.bigint();
    // Own process group, so a timeout kills the CLI and every git/kubectl it started.
    const child = spawn(process.execPath, args, { env: CLI_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = [];
    const err = [];
    let timedOut = false;
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, opts.timeoutMs);
    const finish = (code, signal, spawnError) => {
      clearTimeout(timer);
      const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
      const stderr = Buffer.concat(err).toString('utf8');
      const rec = {
        commit: c.commit,
        parent: c.parent,
        subject: c.subject,
        exit: timedOut ? null : code,
        signal: timedOut ? 'timeout' : (signal ?? null),
        class: null,
        gate: null,
        findings: [],
        ms,
      };
      if (spawnError) rec.stderr = String(spawnError.message ?? spawnError);
      else if (!timedOut && (code === 0 || code === 1)) {
        try {
          const j = JSON.parse(Buffer.concat(out).toString('utf8'));
          rec.class = j.class;
          rec.gate = { passed: j.gate?.passed ?? null, reasons: j.gate?.reasons ?? [] };
          rec.findings = (j.findings ?? []).map(slimFinding);
          if (j.unassessed !== undefined) rec.unassessed = j.unassessed;
          rec.stats = j.stats ?? null;
        } catch (e) {
          rec.stderr = `output is not an assessment (${e.message}); stderr: ${stderr.slice(0, 2000)}`;
        }
      } else {
        rec.stderr = stderr.slice(0, 4000) || (timedOut ? `killed after ${opts.timeoutMs} ms` : '');
      }
      done(rec);
    };
    child.on('error', (e) => finish(null, null, e));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

async function main() {
  const opts = parse();
  if (!existsSync(opts.cli)) fail(`${opts.cli} does not exist: run \`npm run build\` first, or give --cli`);
  const name = historyName(opts);
  const out = resolve(opts.out ?? join(root, 'bench', '.work', 'replay', `${name}.jsonl`));
  mkdirSync(dirname(out), { recursive: true });

  let tmp = null;
  let repo;
  if (opts.bundle) {
    if (!existsSync(opts.bundle)) fail(`--bundle: ${opts.bundle} does not exist`);
    tmp = mkdtempSync(join(tmpdir(), 'rollwright-replay-'));
    repo = join(tmp, name);
    execFileSync('git', ['clone', '-q', '--no-checkout', resolve(opts.bundle), repo], {
      env: GIT_ENV,
      stdio: 'inherit',
    });
  } else {
    repo = resolve(opts.repo);
  }
  const cleanup = () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });

  try {
    let commits = listCommits(repo, opts.ref, { all: opts.all, withFiles: Boolean(opts.select) });
    if (opts.from) {
      const from = git(repo, ['rev-parse', '--verify', `${opts.from}^{commit}`]).trim();
      const i = commits.findIndex((c) => c.commit === from);
      if (i < 0) fail(`--from: ${opts.from} is not a first-parent commit of ${opts.ref}`);
      commits = commits.slice(i);
    }
    if (opts.commits) {
      const want = new Set(
        readFileSync(opts.commits, 'utf8')
          .split('\n')
          .map((l) => l.replace(/#.*/, '').trim())
          .filter(Boolean),
      );
      commits = commits.filter((c) => want.has(c.commit) || want.has(c.commit.slice(0, 12)));
    }
    if (opts.select || opts.sample !== undefined) {
      const hit = opts.select ? commits.filter((c) => c.files.some((p) => selects(opts.select, p))) : [];
      const hitSet = new Set(hit);
      const rest = commits.filter((c) => !hitSet.has(c));
      const drawn = new Set([...hit, ...(opts.sample === undefined ? [] : sampleOf(rest, opts.sample, opts.seed))]);
      process.stderr.write(
        `${name}: ${hit.length} of ${commits.length} commits selected by path, ${drawn.size - hit.length} sampled (seed ${opts.seed})\n`,
      );
      commits = commits.filter((c) => drawn.has(c));
    }
    for (const c of commits) delete c.files;
    let done = new Set();
    if (opts.resume && existsSync(out)) {
      for (const l of readFileSync(out, 'utf8').split('\n')) {
        if (!l.trim()) continue;
        try {
          done.add(JSON.parse(l).commit);
        } catch {
          /* a line cut by an interrupted run is replayed */
        }
      }
      commits = commits.filter((c) => !done.has(c.commit));
    } else {
      writeFileSync(out, '');
    }
    commits = commits.slice(0, opts.limit);

    const meta = {
      history: name,
      source: opts.bundle ? basename(opts.bundle) : repo,
      tip: git(repo, ['rev-parse', opts.ref]).trim(),
      rollwright: (() => {
        try {
          return git(root, ['rev-parse', 'HEAD']).trim();
        } catch {
          return null;
        }
      })(),
      cli: opts.cli,
      history: opts.all ? 'all commits, each against its first parent' : 'first-parent',
      select: opts.select ?? null,
      sample: opts.sample ?? null,
      seed: opts.select || opts.sample !== undefined ? opts.seed : null,
      jobs: opts.jobs,
      timeoutMs: opts.timeoutMs,
      commits: commits.length + done.size,
      startedAt: new Date().toISOString(),
    };
    writeFileSync(`${out.replace(/\.jsonl$/, '')}.meta.json`, JSON.stringify(meta, null, 2) + '\n');

    const total = commits.length;
    let next = 0;
    let finished = 0;
    const counts = { ok: 0, gateFailed: 0, inputError: 0, crash: 0, timeout: 0, other: 0 };
    const t0 = Date.now();
    const worker = async () => {
      while (next < total) {
        const c = commits[next++];
        const rec = await assessOne(opts, repo, c);
        appendFileSync(out, JSON.stringify(rec) + '\n');
        finished++;
        if (rec.signal === 'timeout') counts.timeout++;
        else if (rec.exit === 0 && rec.class) counts.ok++;
        else if (rec.exit === 1 && rec.class) counts.gateFailed++;
        else if (rec.exit === 2) counts.inputError++;
        else if (rec.exit === 3) counts.crash++;
        else counts.other++;
        if (process.stderr.isTTY || finished % 50 === 0 || finished === total) {
          const rate = (Date.now() - t0) / finished;
          process.stderr.write(
            `${name}: ${finished}/${total} (${Object.entries(counts)
              .filter(([, v]) => v)
              .map(([k, v]) => `${k} ${v}`)
              .join(
                ', ',
              )}) ${Math.round(rate)} ms/commit, ~${Math.round(((total - finished) * rate) / 60000)} min left\n`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.jobs, total) }, worker));
    process.stderr.write(`${name}: wrote ${out}\n`);
  } finally {
    cleanup();
  }
}

await main();
