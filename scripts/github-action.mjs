// The steps of the GitHub Action (action.yml) that are more than a line: run with `node` by the
// composite action, and by its test against a real shallow clone and a local GitHub API server.
//
//   node scripts/github-action.mjs run        fetch the base if the clone lacks it, assess, write the
//                                             job summary, post or update the sticky comment, and
//                                             set the step outputs
//   node scripts/github-action.mjs conclude   map the assessment's exit code to the job's result
//
// Inputs come as environment variables (RW_*, set by action.yml from the action's inputs) next to the
// ones GitHub Actions sets (GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP,
// GITHUB_TOKEN). Every program runs through execFile with an argument array, never a shell: inputs
// are data, not commands.
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;

/** Runs a program; resolves with its exit code and output, never throws on a non-zero exit. */
function run(file, args, opts = {}) {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd, env: opts.env ?? env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 3) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** `rollwright` as installed, or RW_ROLLWRIGHT (a JavaScript file is run with this node). */
function rollwright(args, opts) {
  const bin = env.RW_ROLLWRIGHT || 'rollwright';
  return /\.(c|m)?js$/.test(bin) ? run(process.execPath, [bin, ...args], opts) : run(bin, args, opts);
}

const git = (cwd, args) => run('git', args, { cwd });

/** A workflow command (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions). */
function annotate(level, message) {
  const escaped = String(message).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  process.stdout.write(`::${level}::${escaped}\n`);
}

function setOutput(name, value) {
  if (!env.GITHUB_OUTPUT) return;
  const v = String(value);
  if (/[\r\n]/.test(v)) {
    const delimiter = `rollwright_${Math.random().toString(36).slice(2)}`;
    appendFileSync(env.GITHUB_OUTPUT, `${name}<<${delimiter}\n${v}\n${delimiter}\n`);
  } else appendFileSync(env.GITHUB_OUTPUT, `${name}=${v}\n`);
}

function readEvent() {
  if (!env.GITHUB_EVENT_PATH || !existsSync(env.GITHUB_EVENT_PATH)) return {};
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch {
    return {};
  }
}

const ZERO = /^0{40}$/;

/**
 * The range to assess: the inputs, else the event's. A pull request: its base commit
 * (`pull_request.base.sha`) to HEAD (actions/checkout checks out the merge commit, whose first parent is
 * the base branch). A push: `before` to HEAD, unless `before` is all zeros (a new branch).
 */
export function rangeOf(event, inputs) {
  const base = inputs.base || event.pull_request?.base?.sha || (ZERO.test(event.before ?? '0') ? '' : event.before);
  const head = inputs.head || 'HEAD';
  return { base: base || '', head };
}

const SAFE_REV = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/**
 * Makes `base` an ancestor the clone holds: nothing to do in a full clone; in a shallow one (the
 * default `fetch-depth: 1`), fetch the base commit, then deepen the history in steps until the base
 * is reachable from head, and unshallow as the last resort. Returns what it did, for the log.
 */
export async function ensureBase(dir, base, head, opts = {}) {
  const remote = opts.remote ?? 'origin';
  const step = opts.step ?? 50;
  const did = [];
  if (!SAFE_REV.test(base) || base.includes('..')) throw new Error(`base ${JSON.stringify(base)} is not a revision`);
  const has = async () => (await git(dir, ['cat-file', '-e', `${base}^{commit}`])).code === 0;
  const reachable = async () => (await git(dir, ['merge-base', '--is-ancestor', base, head])).code === 0;
  const shallow = (await git(dir, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
  if ((await has()) && (await reachable())) return did;
  if (!shallow && (await has())) return did; // not an ancestor: assess says so, with the merge base to use
  if (!(await has())) {
    const r = await git(dir, ['fetch', '--no-tags', '--no-recurse-submodules', `--depth=${step}`, remote, base]);
    did.push(`git fetch --no-tags --depth=${step} ${remote} ${base}`);
    if (r.code !== 0) throw new Error(`cannot fetch the base ${base} from ${remote}: ${r.stderr.trim()}`);
  }
  for (let i = 0; i < 4 && !(await reachable()); i++) {
    const deepen = step * 2 ** i;
    const r = await git(dir, [
      'fetch',
      '--no-tags',
      '--no-recurse-submodules',
      `--deepen=${deepen}`,
      remote,
      head === 'HEAD' ? 'HEAD' : head,
    ]);
    did.push(`git fetch --no-tags --deepen=${deepen} ${remote} ${head}`);
    if (r.code !== 0) break;
  }
  if (!(await reachable()) && (await git(dir, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true') {
    const r = await git(dir, ['fetch', '--no-tags', '--no-recurse-submodules', '--unshallow', remote]);
    did.push(`git fetch --no-tags --unshallow ${remote}`);
    if (r.code !== 0) throw new Error(`cannot unshallow the clone: ${r.stderr.trim()}`);
  }
  return did;
}

export function truthy(v, dflt) {
  if (v === undefined || v === '') return dflt;
  return /^(true|yes|1|on)$/i.test(v.trim());
}

async function runStep() {
  const dir = resolve(env.RW_WORKING_DIRECTORY || '.');
  const event = readEvent();
  const inputs = { base: env.RW_BASE?.trim(), head: env.RW_HEAD?.trim() };
  const { base, head } = rangeOf(event, inputs);
  const out = join(env.RUNNER_TEMP || tmpdir(), `rollwright-${process.pid}`);
  mkdirSync(out, { recursive: true });
  const files = {
    json: join(out, 'assessment.json'),
    comment: join(out, 'comment.md'),
    sarif: join(out, 'rollwright.sarif'),
    upload: join(out, 'rollwright.upload.sarif'),
  };

  if (base) {
    try {
      for (const line of await ensureBase(dir, base, head)) process.stdout.write(`rollwright: ${line}\n`);
    } catch (e) {
      annotate('error', `rollwright: ${e.message}`);
      setOutput('exit-code', 2);
      return;
    }
  }

  const args = ['assess', '--repo', dir, '--head', head, '-o', 'text', '--no-color'];
  if (base) args.push('--base', base);
  for (const [flag, value] of [
    ['--env', env.RW_ENV],
    ['--config', env.RW_CONFIG],
    ['--fail-on', env.RW_FAIL_ON],
    ['--change-id', env.RW_CHANGE_ID],
  ])
    if (value && value.trim()) args.push(flag, value.trim());
  args.push(
    '--report',
    `json=${files.json}`,
    '--report',
    `comment=${files.comment}`,
    '--report',
    `sarif=${files.sarif}`,
  );
  const a = await rollwright(args);
  process.stdout.write(a.stdout);
  process.stderr.write(a.stderr);
  setOutput('exit-code', a.code);
  if (a.code !== 0 && a.code !== 1) {
    annotate('error', `rollwright assess exited ${a.code}: ${a.stderr.trim() || 'no message'}`);
    return;
  }
  const assessment = JSON.parse(readFileSync(files.json, 'utf8'));
  setOutput('class', assessment.class);
  setOutput('gate', assessment.gate.passed ? 'passed' : 'failed');
  setOutput('json', files.json);
  setOutput('sarif', files.sarif);
  const sarif = JSON.parse(readFileSync(files.sarif, 'utf8'));
  const upload = sarifForUpload(sarif, truthy(env.RW_UPLOAD_SUPPRESSED, false));
  writeFileSync(files.upload, JSON.stringify(upload, null, 2) + '\n');
  setOutput('sarif-upload', files.upload);
  setOutput('comment-file', files.comment);
  const body = readFileSync(files.comment, 'utf8');
  if (env.GITHUB_STEP_SUMMARY && truthy(env.RW_SUMMARY, true)) appendFileSync(env.GITHUB_STEP_SUMMARY, body + '\n');

  const number = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  if (truthy(env.RW_COMMENT, true) && number !== undefined) {
    const c = [
      'ci',
      'comment',
      '--forge',
      'github',
      '--body-file',
      files.comment,
      '--pr',
      String(number),
      '-o',
      'json',
    ];
    const key = env.RW_ENV?.trim() || assessment.environments.join('+');
    if (key) c.push('--env', key);
    if (env.RW_PROJECT?.trim()) c.push('--project', env.RW_PROJECT.trim());
    const r = await rollwright(c);
    if (r.code === 0) {
      const posted = JSON.parse(r.stdout);
      process.stdout.write(`rollwright: ${posted.action} comment ${posted.id}${posted.url ? ` ${posted.url}` : ''}\n`);
      setOutput('comment-id', posted.id);
    } else
      // A pull request from a fork gets a read-only token: the job summary and SARIF still carry it all.
      annotate('warning', `rollwright could not post the pull request comment: ${r.stderr.trim()}`);
  }
  if (!assessment.gate.passed) annotate('error', `rollwright: the rollback gate failed (class ${assessment.class})`);
}

/**
 * The SARIF that code scanning receives. Accepted and ignored findings are in the report with a SARIF
 * `suppressions` entry (kind, justification), but code scanning does not read that property: it opens
 * an alert for every result it is given. So, unless `upload-suppressed` asks for them, the uploaded
 * copy leaves them out, and an alert opened before the finding was accepted is closed as fixed by the
 * next analysis. The report itself (the `sarif` output) keeps them.
 */
export function sarifForUpload(sarif, keepSuppressed) {
  if (keepSuppressed) return sarif;
  return {
    ...sarif,
    runs: (sarif.runs ?? []).map((run) => ({
      ...run,
      results: (run.results ?? []).filter((r) => !(Array.isArray(r.suppressions) && r.suppressions.length > 0)),
    })),
  };
}

/**
 * The job's result from the assessment's exit code (src/core/errors.ts and `rollwright assess --help`):
 * 0 the gate passed; 1 the gate failed (a failure unless fail-on-gate is false, then a warning);
 * 2 usage or input error; 3 internal error; no code (the step did not run to the end) a failure.
 */
export function conclusion(exitCode, failOnGate) {
  const code = String(exitCode ?? '').trim();
  if (code === '0') return { exit: 0, message: 'the gate passed' };
  if (code === '1')
    return failOnGate
      ? { exit: 1, message: 'the gate failed' }
      : { exit: 0, message: 'the gate failed (fail-on-gate is false: reported, not failing the job)' };
  if (code === '2') return { exit: 2, message: 'usage or input error (see the log above)' };
  if (code === '3') return { exit: 3, message: 'internal error in rollwright (see the log above)' };
  return { exit: 3, message: `rollwright did not finish (exit code ${JSON.stringify(code)})` };
}

const main = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const mode = main ? process.argv[2] : undefined;
if (mode === 'run') await runStep();
else if (mode === 'conclude') {
  const c = conclusion(env.RW_EXIT_CODE, truthy(env.RW_FAIL_ON_GATE, true));
  process.stdout.write(`rollwright: ${c.message}\n`);
  process.exitCode = c.exit;
} else if (main) {
  process.stderr.write(`usage: node github-action.mjs run|conclude (got ${JSON.stringify(mode)})\n`);
  process.exitCode = 2;
}
