import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../testing/git-fixture.js';
import { cleanEnv, node, ROOT } from '../testing/cli.js';

/**
 * dist/cli.cjs is the launcher (scripts/launcher.cjs): it runs dist/main.cjs from the V8 code cache
 * the build wrote for that exact bundle. These tests run a copy of dist/ so they can break its cache.
 */
describe('the launcher and its code cache', () => {
  let dist: string;
  let repo: GitFixture;
  const env = cleanEnv({ ROLLWRIGHT_TRACE: '1' });

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollwright-launcher-'));
    dist = join(dir, 'dist');
    // A build of its own (the cache is made for the bundle's final path), beside the project's.
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
      cwd: ROOT,
      env: { ...process.env, ROLLWRIGHT_DIST: dist },
      stdio: 'ignore',
    });
    // External packages resolve from node_modules beside dist/, as in the project.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    repo = await GitFixture.create();
    repo.commit('init', { 'README.md': 'x\n' });
    repo.commit('drop a column', {
      'migrations/0002_drop.up.sql': 'ALTER TABLE users DROP COLUMN email;\n',
      'migrations/0002_drop.down.sql': 'ALTER TABLE users ADD COLUMN email text;\n',
    });
  });
  afterAll(async () => {
    rmSync(join(dist, '..'), { recursive: true, force: true });
    await repo.cleanup();
  });

  const cacheFile = () => readdirSync(dist).find((f) => /^main\.[0-9a-f]{16}\.[0-9a-f]{8}\.v8cache$/.test(f));

  it('the build names the cache by the hash stamped at the end of the bundle', () => {
    const id = /\/\/ rollwright-build ([0-9a-f]{16})(?: ascii)?\n$/.exec(
      readFileSync(join(dist, 'main.cjs'), 'utf8'),
    )?.[1];
    expect(id).toBeDefined();
    expect(cacheFile()).toMatch(new RegExp(`^main\\.${id}\\.[0-9a-f]{8}\\.v8cache$`));
  });

  it('the bundle is ASCII and stamped so, and the launcher then reads it as Latin-1 with its cache', async () => {
    const text = readFileSync(join(dist, 'main.cjs'), 'utf8');
    // A non-ASCII character (in a comment: esbuild escapes strings) costs every run a UTF-8 decode.
    expect(text.split('\n').filter((l) => /[^\x00-\x7f]/.test(l))).toEqual([]);
    expect(text).toMatch(/\/\/ rollwright-build [0-9a-f]{16} ascii\n$/);
    const r = await node(join(dist, 'cli.cjs'), ['version'], { env });
    expect(r.stderr).toContain('rollwright: code cache: used');
  });

  it('a bundle with a non-ASCII character is read as UTF-8 (its stamp says so) and still runs', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rollwright-launcher-utf8-'));
    try {
      cpSync(dist, join(other, 'dist'), { recursive: true });
      const main = join(other, 'dist', 'main.cjs');
      const text = readFileSync(main, 'utf8').replace(/ ascii\n$/, '\n');
      // A comment with a non-ASCII character, and a string that shows whether it was decoded right.
      writeFileSync(main, `// SPEC \u00a7 \u2026\nprocess.stderr.write('probe: \u00e9\\n');\n${text}`);
      const r = await node(join(other, 'dist', 'cli.cjs'), ['version'], { env });
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
      expect(r.stderr).toContain('probe: \u00e9\n');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a dist/ moved elsewhere does not use a cache made for another path (V8 keeps the file name in it)', async () => {
    const moved = mkdtempSync(join(tmpdir(), 'rollwright-launcher-moved-'));
    try {
      cpSync(dist, join(moved, 'dist'), { recursive: true });
      const r = await node(join(moved, 'dist', 'cli.cjs'), ['version'], { env });
      expect(r.stderr).toContain('rollwright: code cache: none');
      expect(r.code).toBe(0);
    } finally {
      rmSync(moved, { recursive: true, force: true });
    }
  });

  it('uses the cache, and external packages still load (the SQL parser) from cached code', async () => {
    const r = await node(join(dist, 'cli.cjs'), ['assess', '--repo', repo.dir, '-o', 'json'], { env });
    expect(r.stderr).toContain('rollwright: code cache: used');
    expect(r.code).toBe(1);
    const a = JSON.parse(r.stdout);
    expect(a.class).toBe('non-recoverable-without-restore');
    expect(a.findings.map((f: { rule: string }) => f.rule)).toContain('database/contract-statement');
  });

  it('a cache V8 rejects costs only the normal compile', async () => {
    writeFileSync(join(dist, cacheFile()!), Buffer.alloc(4096, 7));
    const r = await node(join(dist, 'cli.cjs'), ['version'], { env });
    expect(r.stderr).toContain('rollwright: code cache: rejected');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('without a cache it is a plain require', async () => {
    rmSync(join(dist, cacheFile()!));
    const r = await node(join(dist, 'cli.cjs'), ['assess', '--repo', repo.dir, '-o', 'json'], { env });
    expect(r.stderr).toContain('rollwright: code cache: none');
    expect(JSON.parse(r.stdout).class).toBe('non-recoverable-without-restore');
  });
});
