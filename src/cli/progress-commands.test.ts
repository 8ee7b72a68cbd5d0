/**
 * The long-running commands tell a person at a terminal what they are doing (src/cli/progress.ts):
 * each command, run in process on a real repository, starts a progress line, updates it as its work
 * moves on, and ends it whether it succeeds or fails. The terminal handling itself (the delay, the
 * rewrite in place, nothing off a terminal) is progress.test.ts's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { webDeployment, webProdApplication as app } from '../engine/decide/fixtures.js';
import { exampleMigrations } from '../rehearse/fixtures.js';
import { GitFixture } from '../testing/git-fixture.js';
import { command as decide } from './commands/decide.js';
import { command as rehearse } from './commands/rehearse.js';
import { command as revert } from './commands/revert.js';
import { command as score } from './commands/score.js';

const seen: { started: string[]; updates: string[]; done: number } = { started: [], updates: [], done: 0 };
vi.mock('./progress.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./progress.js')>()),
  startProgress: (text: string) => {
    seen.started.push(text);
    return { update: (t: string) => void seen.updates.push(t), done: () => void seen.done++ };
  },
}));

let f: GitFixture;
let bad: string;
let migrations: string;
let state: string;
beforeAll(() => {
  f = GitFixture.create('rollwright-progress-');
  const deployment = (d: string) => webDeployment(`registry.example/web@sha256:${d.repeat(64)}`);
  f.commit('web v1', {
    'argocd/web-prod.yaml': app,
    'clusters/prod/web/deployment.yaml': deployment('1'),
    '.rollwright.yaml': 'environments:\n  prod:\n    paths: ["clusters/prod/**"]\n',
  });
  bad = f.commit('web v2', { 'clusters/prod/web/deployment.yaml': deployment('2') });
  migrations = mkdtempSync(join(tmpdir(), 'rollwright-progress-db-'));
  for (const [p, t] of Object.entries(exampleMigrations())) {
    mkdirSync(join(migrations, dirname(p)), { recursive: true });
    writeFileSync(join(migrations, p), t);
  }
  state = mkdtempSync(join(tmpdir(), 'rollwright-progress-state-'));
  vi.stubEnv('XDG_STATE_HOME', state);
}, 60_000);
afterAll(() => {
  vi.unstubAllEnvs();
  f?.cleanup();
  rmSync(migrations, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});
beforeEach(() => {
  seen.started = [];
  seen.updates = [];
  seen.done = 0;
});

const commands = { decide, rehearse, revert, score };
const main = (name: keyof typeof commands, argv: string[]) => commands[name].main(argv);

describe('progress of the long-running commands', () => {
  it('revert --check', async () => {
    const r = await main('revert', [bad, '--check', '--repo', f.dir, '--offline', '-o', 'json']);
    expect(r.exitCode).toBeLessThanOrEqual(1);
    expect(seen.started).toEqual([`checking the revert of ${bad}: render, schema, policy, reversibility…`]);
    expect(seen.done).toBe(1);
  }, 60_000);

  it('rehearse', async () => {
    const r = await main('rehearse', ['--dir', join(migrations, 'db/migrations'), '--from', '2', '--to', '3']);
    expect(r.exitCode).toBe(0);
    expect(seen.started).toEqual([
      `rehearsing the migrations of ${join(migrations, 'db/migrations')} (up, down, up) on embedded PostgreSQL…`,
    ]);
    expect(seen.done).toBe(1);
  }, 120_000);

  it('score: the tree, then each commit of the window', async () => {
    const r = await main('score', ['--repo', f.dir, '--offline', '--no-record', '-o', 'json']);
    expect(r.exitCode).toBe(0);
    expect(seen.started).toEqual(['linting the tree…']);
    expect(seen.updates[0]).toBe('reading the policies and the history…');
    expect(seen.updates).toContain(`assessing commit 1 of 1 in the window (${bad.slice(0, 12)})…`);
    expect(seen.done).toBe(1);
  }, 60_000);

  it('decide, and the line ends when the command fails', async () => {
    await expect(main('decide', ['--repo', f.dir, '--change', bad, '--no-record', '-o', 'json'])).resolves.toBeDefined();
    expect(seen.started).toEqual(['gathering the incident: the change, its controllers, the ledger…']);
    expect(seen.done).toBe(1);
    seen.started = [];
    seen.done = 0;
    await expect(main('decide', ['--repo', f.dir, '--change', 'no-such-rev', '--no-record'])).rejects.toThrow();
    expect(seen.done).toBe(seen.started.length);
  }, 60_000);
});
