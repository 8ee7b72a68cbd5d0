// Builds the example GitOps repository: examples/gitops/base/ is the first commit, then each
// examples/gitops/history/NN-slug/ is one commit: files/ overlaid on the tree, the paths listed in
// delete.txt removed, message.txt as the commit message; an optional plan.json beside them is the
// Terraform plan of that step, assessed with --plan. Identity and dates are fixed, so the
// commit ids are the same on every machine. Git runs through execFileSync with argument arrays only.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_DIR = fileURLToPath(new URL('./gitops/', import.meta.url));
const BASE_DIR = join(EXAMPLE_DIR, 'base');
const HISTORY_DIR = join(EXAMPLE_DIR, 'history');

/** 2026-03-02T09:00:00Z; each step is one hour later. */
const EPOCH = Date.UTC(2026, 2, 2, 9, 0, 0) / 1000;

function gitEnv(date) {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Shop Platform Team',
    GIT_AUTHOR_EMAIL: 'platform@shop.example',
    GIT_COMMITTER_NAME: 'Shop Platform Team',
    GIT_COMMITTER_EMAIL: 'platform@shop.example',
    GIT_AUTHOR_DATE: `@${date} +0000`,
    GIT_COMMITTER_DATE: `@${date} +0000`,
    // The user's own git config (signing, hooks, templates) must not change the example.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: process.platform === 'win32' ? 'NUL' : '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
}

function git(dir, args, { date = EPOCH, input } = {}) {
  return execFileSync('git', ['-C', dir, ...args], {
    env: gitEnv(date),
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  }).trim();
}

/** The steps of the history, in order: `{ slug, dir, subject, message, files, deletes }`. */
export function loadSteps() {
  return readdirSync(HISTORY_DIR)
    .filter((name) => /^\d{2}-[a-z0-9-]+$/.test(name) && statSync(join(HISTORY_DIR, name)).isDirectory())
    .sort()
    .map((slug) => {
      const dir = join(HISTORY_DIR, slug);
      const message = readFileSync(join(dir, 'message.txt'), 'utf8');
      const filesDir = join(dir, 'files');
      const files = existsSync(filesDir) ? listFiles(filesDir) : [];
      const deletePath = join(dir, 'delete.txt');
      const deletes = existsSync(deletePath)
        ? readFileSync(deletePath, 'utf8')
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l && !l.startsWith('#'))
        : [];
      // A plan JSON beside the step (not committed) is what `terraform show -json` gave for it: run.mjs passes it with --plan.
      const planPath = join(dir, 'plan.json');
      const plan = existsSync(planPath) ? planPath : undefined;
      return { slug, dir, subject: message.split('\n')[0].trim(), message, files, deletes, ...(plan ? { plan } : {}) };
    });
}

function listFiles(root, dir = root) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(root, p));
    else if (e.isFile()) out.push(relative(root, p).split(sep).join('/'));
  }
  return out.sort();
}

function inside(repo, rel) {
  const abs = resolve(repo, rel);
  if (!abs.startsWith(resolve(repo) + sep)) throw new Error(`path leaves the repository: ${rel}`);
  return abs;
}

/**
 * Builds the repository in `dir` (an empty directory). Returns the initial commit and, per step,
 * `{ slug, subject, sha, parent }`.
 */
export function buildExampleRepo(dir) {
  git(dir, ['init', '-q', '-b', 'main']);
  cpSync(BASE_DIR, dir, { recursive: true });
  const commit = (message, date) => {
    git(dir, ['add', '-A'], { date });
    git(dir, ['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '--cleanup=strip', '-F', '-'], {
      date,
      input: message,
    });
    return git(dir, ['rev-parse', 'HEAD'], { date });
  };
  const initial = commit('shop: initial GitOps tree for prod and staging\n', EPOCH);
  let parent = initial;
  const steps = loadSteps().map((step, i) => {
    if (step.files.length) cpSync(join(step.dir, 'files'), dir, { recursive: true });
    for (const rel of step.deletes) {
      const abs = inside(dir, rel);
      if (!existsSync(abs)) throw new Error(`${step.slug}/delete.txt: ${rel} does not exist at this point`);
      rmSync(abs, { recursive: true });
    }
    const sha = commit(step.message, EPOCH + (i + 1) * 3600);
    const out = { slug: step.slug, subject: step.subject, sha, parent, ...(step.plan ? { plan: step.plan } : {}) };
    parent = sha;
    return out;
  });
  return { dir, initial, steps };
}
