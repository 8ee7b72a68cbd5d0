import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cleanEnv, ensureBuilt, ROOT } from '../testing/cli.js';

/** Runs the built CLI with stdout a pipe that the reader closes after the first chunk, as `| head -1` does. */
async function readFirstChunkThenClose(args: string[]): Promise<{ code: number | null; first: string; stderr: string }> {
  const cli = await ensureBuilt();
  const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
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
