#!/usr/bin/env node
// The bundled example: builds the GitOps history of examples/gitops/ into a real git repository in a
// temporary folder, then runs `rollwright assess` on every commit of it, as a CI job would on each
// pull request, and ends with a one-line-per-commit summary.
//
//   npm run example                  (builds rollwright first)
//   node examples/run.mjs [--keep] [-o json]
//
// Some gates fail on purpose: that is what the example shows. It exits 0 then, 2 on a bad command
// line or a missing build, and 3 when rollwright itself fails (an internal error, or an exit code
// that assess never returns for this repository).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExampleRepo } from './build-history.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// ROLLWRIGHT_CLI runs another rollwright, such as an installed package's (CI checks the packed tarball so).
const CLI = process.env.ROLLWRIGHT_CLI ? resolve(process.env.ROLLWRIGHT_CLI) : join(ROOT, 'dist', 'cli.cjs');

const USAGE = `Usage: node examples/run.mjs [--keep] [-o text|json]

Builds the example GitOps repository (examples/gitops/) in a temporary folder and runs
\`rollwright assess\` on each of its commits.

  --keep            keep the temporary repository and print its path
  -o, --output FMT  text (default) or json (one JSON document with every assessment)
  -h, --help        show this help`;

function parseArgs(argv) {
  const opts = { keep: false, output: 'text' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep') opts.keep = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (a === '-o' || a === '--output') opts.output = argv[++i];
    else if (a.startsWith('--output=')) opts.output = a.slice('--output='.length);
    else if (a.startsWith('-o') && a.length > 2) opts.output = a.slice(2).replace(/^=/, '');
    else throw new Error(`unknown argument ${JSON.stringify(a)}`);
  }
  if (opts.output !== 'text' && opts.output !== 'json')
    throw new Error(`-o: ${JSON.stringify(opts.output)} is not one of text, json`);
  return opts;
}

function colorWanted() {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}

const CODES = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' };
function painter(on) {
  return (style, text) => (on ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
}

const CLASS_COLOR = {
  'fully-reversible': 'green',
  'reversible-with-compatibility-window': 'green',
  'reversible-with-manual-repair': 'yellow',
  'forward-only': 'yellow',
  compensatable: 'red',
  'non-recoverable-without-restore': 'red',
};

/** Runs the built CLI; returns its exit code and output, or throws on a crash of the process itself. */
function assess(repo, step, format, color) {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  if (color) env.FORCE_COLOR = '1';
  else env.NO_COLOR = '1';
  const args = [CLI, 'assess', '--repo', repo, '--base', step.parent, '--head', step.sha];
  // The step's Terraform plan, named relative to the project so reports show a stable path.
  if (step.plan) args.push('--plan', relative(ROOT, step.plan));
  if (format === 'json') args.push('-o', 'json');
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The incident part of the example: the web release of the first commit is deployed to prod, an
 * incident is detected, and `rollwright decide` chooses the recovery. The ledger is the repository's
 * default store, in the user's state directory, here a temporary one (XDG_STATE_HOME) so that the
 * example leaves nothing behind; the control loop that makes `kubectl rollout undo` useless is the
 * Argo CD Application with self-heal that a later commit of the history added.
 */
function incidentDecision(dir, stateHome, step, json, color) {
  const git = (...args) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).stdout.trim();
  const image = (rev) =>
    /image:\s*(\S+@sha256:[0-9a-f]{64})/.exec(git('show', `${rev}:clusters/prod/shop/web.yaml`))?.[1];
  const [before, after] = [image(step.parent), image(step.sha)];
  const committed = Date.parse(git('log', '-1', '--format=%cI', step.sha));
  const at = (minutes) => new Date(committed + minutes * 60_000).toISOString().replace('.000Z', 'Z');
  const env = { ...process.env, ROLLWRIGHT_ACTOR: 'example', XDG_STATE_HOME: stateHome };
  delete env.ROLLWRIGHT_STORE;
  const steps = [
    [
      'record',
      'change.deployed',
      '--change',
      step.parent,
      '--service',
      'web',
      '--env',
      'prod',
      '--at',
      at(-60),
      '--data',
      `artifact=${before}`,
    ],
    [
      'record',
      'change.deployed',
      '--change',
      step.sha,
      '--service',
      'web',
      '--env',
      'prod',
      '--at',
      at(15),
      '--data',
      `artifact=${after}`,
    ],
    [
      'record',
      'incident.detected',
      '--incident',
      'INC-2026-0042',
      '--change',
      step.sha,
      '--at',
      at(40),
      '--data',
      'severity=sev2',
      '--data',
      'description=basket totals wrong after the 1.8.1 release',
    ],
  ];
  const decideArgs = [
    'decide',
    '--change',
    step.sha,
    '--env',
    'prod',
    '--fact',
    'loop-repeating-damage=yes',
    '--at',
    at(50),
  ];
  const transcript = [];
  for (const args of steps) {
    const r = spawnSync(process.execPath, [CLI, ...args, '--repo', dir], { env, encoding: 'utf8' });
    transcript.push(`rollwright ${args.map(shellWord).join(' ')}`);
    if (r.status !== 0) {
      process.stderr.write(`examples/run.mjs: rollwright ${args[0]} ${args[1]} exited ${r.status}\n${r.stderr}`);
      return { internal: true };
    }
  }
  transcript.push(`rollwright ${decideArgs.map(shellWord).join(' ')}`);
  const run = (extra, record) => {
    const cenv = { ...env };
    delete cenv.NO_COLOR;
    delete cenv.FORCE_COLOR;
    if (color) cenv.FORCE_COLOR = '1';
    else cenv.NO_COLOR = '1';
    return spawnSync(
      process.execPath,
      [CLI, ...decideArgs, ...extra, ...(record ? [] : ['--no-record']), '--repo', dir],
      {
        env: cenv,
        encoding: 'utf8',
      },
    );
  };
  // The JSON run records the decision in the ledger (decision.made); the text run only prints it.
  const data = run(['-o', 'json'], true);
  const text = json ? undefined : run([], false);
  for (const r of [data, text]) {
    if (r && r.status !== 0) {
      process.stderr.write(`examples/run.mjs: rollwright decide exited ${r.status}\n${r.stderr}`);
      return { internal: true };
    }
  }
  return { decision: JSON.parse(data.stdout), text: text?.stdout, transcript };
}

function shellWord(w) {
  return /^[A-Za-z0-9._\/:@=,+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

function table(rows, paint) {
  const head = ['#', 'commit', 'subject', 'class', 'gate'];
  const cells = rows.map((r) => [r.n, r.sha.slice(0, 7), r.subject, r.class, r.gate]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c, style) =>
    c
      .map((v, i) => {
        const padded = i === c.length - 1 ? v : v.padEnd(widths[i]);
        return style ? style(i, v, padded) : padded;
      })
      .join('  ');
  return [
    paint('bold', line(head)),
    ...cells.map((c) =>
      line(c, (i, v, padded) => {
        if (i === 3) return paint(CLASS_COLOR[v] ?? 'bold', padded);
        if (i === 4) return paint(v === 'PASSED' ? 'green' : 'red', padded);
        return padded;
      }),
    ),
  ].join('\n');
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`examples/run.mjs: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!existsSync(CLI)) {
    process.stderr.write(`examples/run.mjs: ${CLI} is missing: run \`npm run build\` first (or \`npm run example\`)\n`);
    return 2;
  }
  const json = opts.output === 'json';
  const color = !json && colorWanted();
  const paint = painter(color);
  const out = (s) => process.stdout.write(s);

  const dir = mkdtempSync(join(tmpdir(), 'rollwright-example-'));
  const stateHome = mkdtempSync(join(tmpdir(), 'rollwright-example-state-'));
  let internal = false;
  try {
    const { steps } = buildExampleRepo(dir);
    const rows = [];
    const documents = [];
    for (const [i, step] of steps.entries()) {
      const n = String(i + 1).padStart(2, '0');
      const report = json ? undefined : assess(dir, step, 'text', color);
      const data = assess(dir, step, 'json', false);
      for (const r of [report, data]) {
        if (!r) continue;
        if (r.code !== 0 && r.code !== 1) {
          internal = true;
          process.stderr.write(
            `examples/run.mjs: rollwright assess exited ${r.code}${r.signal ? ` (${r.signal})` : ''} on ${step.slug}\n${r.stderr}`,
          );
        } else if (r.stderr) process.stderr.write(r.stderr);
      }
      if (internal) break;
      const assessment = JSON.parse(data.stdout);
      const gate = assessment.gate.passed ? 'PASSED' : 'FAILED';
      rows.push({ n, sha: step.sha, subject: step.subject, class: assessment.class, gate });
      documents.push({
        step: step.slug,
        subject: step.subject,
        commit: step.sha,
        parent: step.parent,
        exitCode: data.code,
        assessment,
      });
      if (!json) {
        const rule = '─'.repeat(Math.max(8, 76 - step.subject.length));
        out(`\n${paint('bold', `── ${n} ${step.subject} ${rule}`)}\n`);
        out(
          paint(
            'dim',
            `$ rollwright assess --base ${step.parent.slice(0, 7)} --head ${step.sha.slice(0, 7)}` +
              (step.plan ? ` --plan ${relative(ROOT, step.plan)}` : ''),
          ) + '\n\n',
        );
        out(report.stdout);
      }
    }
    const incident = internal ? undefined : incidentDecision(dir, stateHome, steps[0], json, color);
    if (incident?.internal) internal = true;
    if (json) {
      out(
        JSON.stringify(
          {
            repository: opts.keep ? dir : null,
            stateHome: opts.keep ? stateHome : null,
            commits: documents,
            decision: incident?.decision ?? null,
          },
          null,
          2,
        ) + '\n',
      );
    } else if (!internal) {
      const failed = rows.filter((r) => r.gate === 'FAILED').length;
      out(`\n${paint('bold', `── summary ${'─'.repeat(67)}`)}\n`);
      out(`${table(rows, paint)}\n\n`);
      out(
        `${rows.length} commits assessed: ${rows.length - failed} gates passed, ${failed} failed ` +
          `(the failures are part of the example).\n`,
      );
      if (incident?.text) {
        out(`\n${paint('bold', `── incident: the web release of commit 01 breaks checkout ${'─'.repeat(20)}`)}\n`);
        for (const line of incident.transcript) out(`${paint('dim', `$ ${line}`)}\n`);
        out(`\n${incident.text}`);
      }
    }
  } catch (e) {
    internal = true;
    process.stderr.write(`examples/run.mjs: internal error: ${e && e.stack ? e.stack : String(e)}\n`);
  } finally {
    if (opts.keep)
      (json ? process.stderr : process.stdout).write(
        `repository kept at ${dir}; its ledger is the default store under XDG_STATE_HOME=${stateHome}\n`,
      );
    else for (const d of [dir, stateHome]) rmSync(d, { recursive: true, force: true });
  }
  return internal ? 3 : 0;
}

// `node examples/run.mjs | head`: a reader that stops early is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = main();
