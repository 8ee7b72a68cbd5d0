import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, ensureBuilt, ROOT } from '../testing/cli.js';
import { wrapWidth } from './flags.js';
import { GitFixture } from '../testing/git-fixture.js';

/** Runs the built CLI with stdout a pipe that the reader closes after the first chunk, as `| head -1` does. */
async function readFirstChunkThenClose(
  args: string[],
): Promise<{ code: number | null; first: string; stderr: string }> {
  const cli = await ensureBuilt();
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const first = await new Promise<string>((resolve) => {
    child.stdout.once('data', (d: Buffer) => {
      child.stdout.destroy();
      resolve(d.toString('utf8'));
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, first, stderr };
}

describe('manners: a closed pipe', () => {
  it('`rollwright rules -o json | head -1` exits 0 without a word on stderr', async () => {
    const r = await readFirstChunkThenClose(['rules', '-o', 'json']);
    expect(r.first.length).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the text output too', async () => {
    const r = await readFirstChunkThenClose(['rules']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('manners: colour', () => {
  let repo: GitFixture;
  beforeAll(async () => {
    await ensureBuilt();
    repo = await GitFixture.create();
    repo.commit('init', { 'README.md': 'x\n' });
    repo.commit('drop a column', {
      'migrations/0002_drop.up.sql': 'ALTER TABLE users DROP COLUMN email;\n',
      'migrations/0002_drop.down.sql': 'ALTER TABLE users ADD COLUMN email text;\n',
    });
  });
  afterAll(() => repo.cleanup());
  const ESC = '\u001b[';

  it('FORCE_COLOR colours the text output; --no-color and NO_COLOR turn it off', async () => {
    const forced = await cli(['assess', '--repo', repo.dir], { env: cleanEnv({ FORCE_COLOR: '1' }) });
    expect(forced.code).toBe(1);
    expect(forced.stdout).toContain(ESC);
    const flag = await cli(['assess', '--repo', repo.dir, '--no-color'], { env: cleanEnv({ FORCE_COLOR: '1' }) });
    expect(flag.code).toBe(1);
    expect(flag.stdout).not.toContain(ESC);
    expect(flag.stdout.replace(/\s+/g, ' ')).toBe(forced.stdout.replace(/\u001b\[[0-9;]*m/g, '').replace(/\s+/g, ' '));
    const env = await cli(['assess', '--repo', repo.dir], { env: cleanEnv({ NO_COLOR: '1' }) });
    expect(env.stdout).not.toContain(ESC);
  });
});

describe('manners: the width text output wraps to', () => {
  const cases: Array<{ name: string; isTTY?: boolean; columns?: number; COLUMNS?: string; width: number | undefined }> =
    [
      { name: 'a pipe or a file: no wrapping', isTTY: false, columns: 100, width: undefined },
      { name: 'a pipe even with COLUMNS set: no wrapping', COLUMNS: '100', width: undefined },
      { name: 'a terminal: its width', isTTY: true, columns: 132, width: 132 },
      { name: 'COLUMNS overrides the terminal', isTTY: true, columns: 132, COLUMNS: '90', width: 90 },
      { name: 'COLUMNS that is not a number is ignored', isTTY: true, columns: 132, COLUMNS: 'wide', width: 132 },
      { name: 'an empty COLUMNS is ignored', isTTY: true, columns: 100, COLUMNS: '', width: 100 },
      { name: 'a terminal of unknown width: no wrapping', isTTY: true, width: undefined },
      { name: 'narrower than 40 columns: no wrapping', isTTY: true, columns: 30, width: undefined },
      { name: 'COLUMNS=0: no wrapping', isTTY: true, columns: 100, COLUMNS: '0', width: undefined },
    ];
  for (const c of cases) {
    it(c.name, () => {
      const env = c.COLUMNS === undefined ? {} : { COLUMNS: c.COLUMNS };
      const out = {
        ...(c.isTTY !== undefined ? { isTTY: c.isTTY } : {}),
        ...(c.columns !== undefined ? { columns: c.columns } : {}),
      };
      expect(wrapWidth(out, env)).toBe(c.width);
    });
  }

  it('piped `assess` output keeps one line per finding however wide COLUMNS is', async () => {
    const repo = await GitFixture.create();
    try {
      repo.commit('init', { 'README.md': 'x\n' });
      repo.commit('drop a column', { 'migrations/0002_drop.up.sql': 'ALTER TABLE users DROP COLUMN email;\n' });
      const wide = await cli(['assess', '--repo', repo.dir], { env: cleanEnv() });
      const narrow = await cli(['assess', '--repo', repo.dir], { env: cleanEnv({ COLUMNS: '40' }) });
      expect(narrow.stdout).toBe(wide.stdout);
      expect(wide.stdout.split('\n').some((l) => l.length > 40)).toBe(true);
    } finally {
      repo.cleanup();
    }
  });
});
