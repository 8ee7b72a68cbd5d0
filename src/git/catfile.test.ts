import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitError } from '../core/errors.js';
import { GitFixture } from '../testing/git-fixture.js';
import { CatFile, parseTree } from './catfile.js';

describe('CatFile', () => {
  let repo: GitFixture;
  let sha: string;
  beforeAll(() => {
    repo = GitFixture.create();
    sha = repo.commit('one', { 'a.yaml': 'a: 1\n', 'dir/b.yaml': 'b: 2\n', 'bin.dat': Buffer.from([0, 1, 2, 0]) });
  });
  afterAll(() => repo.cleanup());

  it('resolves revisions and reads objects through one process, in request order', async () => {
    const cat = new CatFile(repo.dir);
    try {
      const [commit, a, b, bin, missing] = await Promise.all([
        cat.info('HEAD^{commit}'),
        cat.contents(`${sha}:a.yaml`),
        cat.contents('HEAD:dir/b.yaml'),
        cat.contents('HEAD:bin.dat'),
        cat.info('HEAD:nope.yaml'),
      ]);
      expect(commit).toEqual({ oid: sha, type: 'commit', size: expect.any(Number) });
      expect(a?.data.toString()).toBe('a: 1\n');
      expect(a?.info).toEqual({ oid: repo.git('rev-parse', 'HEAD:a.yaml'), type: 'blob', size: 5 });
      expect(b?.data.toString()).toBe('b: 2\n');
      expect([...bin!.data]).toEqual([0, 1, 2, 0]);
      expect(missing).toBeUndefined();
    } finally {
      cat.close();
    }
  });

  it('a large object that arrives in many chunks is whole and byte-exact, with the objects around it', async () => {
    // 6 MiB arrives in about a hundred pipe chunks; each byte is a function of its offset, so a chunk
    // dropped, repeated or joined out of order changes the content.
    const big = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 12)) & 0xff;
    const own = GitFixture.create();
    own.commit('big', { 'a.yaml': 'a: 1\n', 'big.bin': big, 'z.yaml': 'z: 2\n' });
    const cat = new CatFile(own.dir);
    try {
      const [a, b, z] = await Promise.all([
        cat.contents('HEAD:a.yaml'),
        cat.contents('HEAD:big.bin'),
        cat.contents('HEAD:z.yaml'),
      ]);
      expect(a?.data.toString()).toBe('a: 1\n');
      expect(b?.data.length).toBe(big.length);
      expect(b?.data.equals(big)).toBe(true);
      expect(z?.data.toString()).toBe('z: 2\n');
      const again = await cat.contentsUpTo('HEAD:big.bin', big.length);
      expect(again?.data?.equals(big)).toBe(true);
    } finally {
      cat.close();
      own.cleanup();
    }
  });

  it('contentsUpTo: an object over the limit comes back as its info only, its bytes discarded across chunks', async () => {
    const big = Buffer.alloc(700_000, 0x61);
    const own = GitFixture.create();
    const head = own.commit('big', { 'a.yaml': 'a: 1\n', 'big.sql': big, 'after.sql': 'SELECT 2;\n' });
    const cat = new CatFile(own.dir);
    try {
      const [a, skipped, after, full] = await Promise.all([
        cat.contentsUpTo(`${head}:a.yaml`, 100),
        cat.contentsUpTo(`${head}:big.sql`, 100),
        cat.contentsUpTo(`${head}:after.sql`, 100),
        cat.contentsUpTo(`${head}:big.sql`, 1_000_000),
      ]);
      expect(a?.data?.toString()).toBe('a: 1\n');
      expect(skipped).toEqual({ info: { oid: own.git('rev-parse', `${head}:big.sql`), type: 'blob', size: 700_000 } });
      expect(after?.data?.toString()).toBe('SELECT 2;\n');
      expect(full?.data?.equals(big)).toBe(true);
      expect(await cat.contentsUpTo(`${head}:nope.sql`, 100)).toBeUndefined();
    } finally {
      cat.close();
      own.cleanup();
    }
  });

  it('readEach: many objects in one request, interleaved with single requests, each in its own order', async () => {
    const big = Buffer.alloc(200_000, 0x62);
    const own = GitFixture.create();
    const head = own.commit('many', { 'a.sql': 'SELECT 1;\n', 'big.sql': big, 'c.sql': 'SELECT 3;\n' });
    const cat = new CatFile(own.dir);
    try {
      const got: Array<[number, string | undefined, number | undefined]> = [];
      const single = cat.contents(`${head}:c.sql`);
      const many = cat.readEach(
        [`${head}:a.sql`, `${head}:big.sql`, `${head}:nope.sql`, `${head}:a.sql\ninfo HEAD`, `${head}:big.sql`],
        100_000,
        (i, r) => got.push([i, r?.data?.toString('latin1', 0, 9), r?.info.size]),
      );
      const after = cat.contents(`${head}:a.sql`);
      await many;
      expect((await single)?.data.toString()).toBe('SELECT 3;\n');
      expect((await after)?.data.toString()).toBe('SELECT 1;\n');
      expect(got.sort((x, y) => x[0] - y[0])).toEqual([
        [0, 'SELECT 1;', 10],
        [1, undefined, 200_000],
        [2, undefined, undefined],
        [3, undefined, undefined],
        [4, undefined, 200_000],
      ]);
      await cat.readEach([], 10, () => {
        throw new Error('never called');
      });
    } finally {
      cat.close();
      own.cleanup();
    }
  });

  it('never sends a name with a newline to git (a second command in disguise)', async () => {
    const cat = new CatFile(repo.dir);
    try {
      expect(await cat.info('HEAD\ninfo HEAD')).toBeUndefined();
      expect(await cat.contents('HEAD:a.yaml\0')).toBeUndefined();
      // The process still answers the next request in order.
      expect((await cat.contents('HEAD:a.yaml'))?.data.toString()).toBe('a: 1\n');
    } finally {
      cat.close();
    }
  });

  it('lists a tree', async () => {
    const cat = new CatFile(repo.dir);
    try {
      const tree = await cat.contents('HEAD^{tree}');
      expect(parseTree(tree!.data).map((e) => [e.name, e.type, e.mode])).toEqual([
        ['a.yaml', 'blob', '100644'],
        ['bin.dat', 'blob', '100644'],
        ['dir', 'tree', '40000'],
      ]);
      expect(parseTree(tree!.data).find((e) => e.name === 'dir')?.oid).toBe(repo.git('rev-parse', 'HEAD:dir'));
    } finally {
      cat.close();
    }
  });

  it('refuses requests once closed instead of starting a process nobody would close', async () => {
    const cat = new CatFile(repo.dir);
    expect((await cat.info('HEAD^{commit}'))?.oid).toBe(sha);
    cat.close();
    await expect(cat.info('HEAD^{commit}')).rejects.toThrow(/closed/);
    await expect(cat.readEach(['HEAD'], 10, () => undefined)).rejects.toThrow(/closed/);
  });

  it('fails with a GitError outside a repository', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'rollwright-norepo-'));
    const cat = new CatFile(dir);
    try {
      const err = await cat.info('HEAD').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitError);
      expect((err as Error).message).toMatch(/not a git repository/i);
    } finally {
      cat.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseTree', () => {
  it('parses raw entries, including submodules, for 20- and 32-byte ids', () => {
    const entry = (mode: string, name: string, idByte: number, len: number) =>
      Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.alloc(len, idByte)]);
    const data = Buffer.concat([entry('100644', 'a b.yaml', 0xab, 20), entry('160000', 'sub', 0x01, 20)]);
    expect(parseTree(data)).toEqual([
      { mode: '100644', name: 'a b.yaml', oid: 'ab'.repeat(20), type: 'blob' },
      { mode: '160000', name: 'sub', oid: '01'.repeat(20), type: 'commit' },
    ]);
    expect(parseTree(entry('40000', 'd', 0xff, 32), 32)).toEqual([
      { mode: '40000', name: 'd', oid: 'ff'.repeat(32), type: 'tree' },
    ]);
  });
});
