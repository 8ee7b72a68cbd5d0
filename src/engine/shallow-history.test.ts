/**
 * Shallow history is never a silent pass: in a real `git clone --depth 1` (what most CI systems check
 * out) the head's parent is cut off, and every command that needs a base stops with an input error
 * (exit 2) that says how to fetch it, instead of assessing the whole tree against the empty tree. A
 * deepened clone works, and so does a true root commit that a shallow clone marks as a boundary.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf, InputError } from '../core/errors.js';
import { allRules, surfaces } from '../registry.js';
import { recordedParents } from '../git/shallow.js';
import { fixtureGitEnv, GitFixture } from '../testing/git-fixture.js';
import { cli, ensureBuilt } from '../testing/cli.js';
import { assess } from './assess.js';
import { checkRollbackTargets } from './check-targets.js';
import { gatherDecisionInput } from './decide/gather/index.js';
import { checkRevert } from './revert/check.js';

const DEPLOYMENT = (digest: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web@sha256:${digest.repeat(64)}
`;
const PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 10Gi
`;

let source: GitFixture;
let work: string;
const commits: string[] = [];

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { env: fixtureGitEnv(), encoding: 'utf8', stdio: 'pipe' }).trim();
}

/** A `git clone --depth <n>` of the source repository into a new directory under `work`. */
function shallowClone(name: string, depth = 1, from = source.dir): string {
  const dir = join(work, name);
  execFileSync('git', ['clone', '-q', '--no-local', `--depth=${depth}`, `file://${from}`, dir], {
    env: fixtureGitEnv(),
    stdio: 'pipe',
  });
  return dir;
}

const assessIn = (repo: string, more: { base?: string; head?: string } = {}) =>
  assess({ repo, ...more, surfaces, rules: allRules() });

/** The rejection of `p`, which must be an input error (exit 2) that says how to fetch the history. */
async function fetchAdviceOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => {
      throw new Error('expected an input error, got a result');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect(exitCodeOf(err)).toBe(2);
  const msg = (err as Error).message;
  expect(msg).toContain('fetch-depth: 0');
  expect(msg).toContain('git fetch --deepen=');
  expect(msg).toContain('--base');
  return msg;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rollwright-shallow-'));
  source = GitFixture.create();
  commits.push(source.commit('web and its data', { 'apps/web.yaml': DEPLOYMENT('1'), 'apps/pvc.yaml': PVC }));
  commits.push(source.commit('new digest', { 'apps/web.yaml': DEPLOYMENT('2') }));
  commits.push(source.commit('drop the data claim', {}, { delete: ['apps/pvc.yaml'] }));
});

afterAll(() => {
  source.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('a depth-1 clone (the default CI checkout)', () => {
  it('is what CI gives: shallow, HEAD recorded in .git/shallow, HEAD^ unresolvable, the parent still in the commit object', () => {
    const dir = shallowClone('probe');
    expect(git(dir, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(commits[2]);
    expect(() => git(dir, 'rev-parse', '--verify', '--quiet', 'HEAD^')).toThrow();
    expect(recordedParents(git(dir, 'cat-file', 'commit', 'HEAD'))).toEqual([commits[1]]);
  });

  it('assess with the default base is an input error with the fetch advice, not the whole tree as added', async () => {
    const msg = await fetchAdviceOf(assessIn(shallowClone('default-base')));
    expect(msg).toContain(`has a parent (${commits[1]!.slice(0, 12)}) that is not in the repository`);
    expect(msg).toContain('shallow clone');
  });

  it('assess with an explicit --base the clone never fetched is an input error with the fetch advice', async () => {
    const dir = shallowClone('explicit-base');
    const msg = await fetchAdviceOf(assessIn(dir, { base: commits[0]! }));
    expect(msg).toContain(`--base: unknown revision "${commits[0]}"`);
    await fetchAdviceOf(assessIn(dir, { base: 'HEAD~2' }));
  });

  it('a base fetched on its own but cut off from the head by the shallow boundary is an input error too', async () => {
    const dir = shallowClone('cut-range');
    git(dir, 'fetch', '-q', '--depth=1', 'origin', commits[0]!);
    const msg = await fetchAdviceOf(assessIn(dir, { base: commits[0]! }));
    expect(msg).toContain('is not reachable from --head');
  });

  it('check-targets, revert --check and decide stop the same way; a whole-tree check-targets needs no base', async () => {
    const dir = shallowClone('other-commands');
    await fetchAdviceOf(checkRollbackTargets({ repo: dir, live: { offline: true } }));
    await fetchAdviceOf(checkRevert({ repo: dir, spec: 'HEAD', surfaces, rules: allRules() }));
    await fetchAdviceOf(gatherDecisionInput({ repo: dir, change: 'HEAD' }));
    const tree = await checkRollbackTargets({ repo: dir, tree: true, live: { offline: true } });
    expect(tree.mode).toBe('tree');
    expect(tree.head).toBe(commits[2]);
  });

  it('the CLI exits 2 and prints the advice on stderr, with nothing on stdout', async () => {
    await ensureBuilt();
    const dir = shallowClone('cli');
    const r = await cli(['assess', '--repo', dir, '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('fetch-depth: 0');
    expect(r.stderr).toContain('git fetch --deepen=');
  });
});

describe('once the history is there', () => {
  it('a clone deepened by one commit assesses the head commit against its parent', async () => {
    const dir = shallowClone('deepened');
    git(dir, 'fetch', '-q', '--deepen=1');
    const a = await assessIn(dir);
    expect(a.base).toBe(commits[1]);
    expect(a.head).toBe(commits[2]);
    expect(a.stats.filesChanged).toBe(1);
    expect(a.findings.map((f) => f.rule)).toContain('kubernetes/stateful-object-deleted');
    expect(a.class).toBe('non-recoverable-without-restore');
  });

  it('a depth-2 clone assesses HEAD, and an explicit base inside it', async () => {
    const dir = shallowClone('depth-2', 2);
    expect((await assessIn(dir)).base).toBe(commits[1]);
    expect((await assessIn(dir, { base: commits[1]!, head: commits[2]! })).stats.filesChanged).toBe(1);
  });

  it('a true root commit, which a depth-1 clone also lists in .git/shallow, is still assessed against the empty tree', async () => {
    const single = GitFixture.create();
    try {
      const root = single.commit('first', { 'apps/web.yaml': DEPLOYMENT('3') });
      const dir = shallowClone('root', 1, single.dir);
      expect(git(dir, 'rev-parse', '--is-shallow-repository')).toBe('true');
      const a = await assessIn(dir);
      expect(a.head).toBe(root);
      expect(a.stats.filesChanged).toBe(1);
    } finally {
      single.cleanup();
    }
  });
});
