import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureGitEnv } from '../testing/git-fixture.js';
import { freePort, registryAvailable, TestRegistry } from '../testing/registry.js';
import { LiveChecker } from './check.js';
import { parseGitSource } from './git-source.js';

const FAST = { retries: 1, baseDelayMs: 10, timeoutMs: 5000 };
const tmp = mkdtempSync(join(tmpdir(), 'rollwright-live-sources-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Helm repository index (static HTTP server with ETag)', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ ifNoneMatch: string | undefined; status: number }> = [];
  let index = `apiVersion: v1\nentries:\n  web:\n    - version: 1.4.0\n      urls: [web-1.4.0.tgz]\n    - version: 1.3.2\n      urls: [web-1.3.2.tgz]\n  db:\n    - version: 12.0.0\n`;
  const etag = () => `"${Buffer.from(index).length}-${index.includes('1.3.2') ? 'a' : 'b'}"`;
  beforeAll(async () => {
    port = await freePort();
    server = createServer((req, res) => {
      if (req.url === '/charts/index.yaml') {
        const inm = req.headers['if-none-match'];
        const status = inm === etag() ? 304 : 200;
        seen.push({ ifNoneMatch: inm, status });
        if (status === 304) res.writeHead(304, { ETag: etag() }).end();
        else res.writeHead(200, { ETag: etag(), 'Content-Type': 'application/x-yaml' }).end(index);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('a listed version is present; the index is cached and revalidated with If-None-Match (304)', async () => {
    const cacheDir = join(tmp, 'cache');
    const repo = `http://127.0.0.1:${port}/charts`;
    const a = await new LiveChecker({ ...FAST, cacheDir }).check({
      kind: 'chart',
      repo,
      chart: 'web',
      version: '1.3.2',
    });
    expect(a.status).toBe('present');
    expect(a.reason).toContain('index fetched');
    expect(readdirSync(join(cacheDir, 'helm')).sort()).toHaveLength(2);
    const b = await new LiveChecker({ ...FAST, cacheDir }).check({
      kind: 'chart',
      repo,
      chart: 'web',
      version: '1.4.0',
    });
    expect(b.reason).toContain('not modified since cached');
    expect(seen.slice(-2)).toEqual([
      { ifNoneMatch: undefined, status: 200 },
      { ifNoneMatch: etag(), status: 304 },
    ]);
    // The repository drops 1.3.2: the ETag changes, the new index is fetched and the version is missing.
    index = index.replace(/    - version: 1\.3\.2\n      urls: \[web-1\.3\.2\.tgz\]\n/, '');
    const c = await new LiveChecker({ ...FAST, cacheDir }).check({
      kind: 'chart',
      repo,
      chart: 'web',
      version: '1.3.2',
    });
    expect(c).toMatchObject({ status: 'missing' });
    expect(c.reason).toMatch(/web 1\.3\.2 is no longer in .*index\.yaml/);
    expect(seen.at(-1)!.status).toBe(200);
  });

  it('a chart the index does not list, a repository without an index, a range', async () => {
    const o = { ...FAST, cacheDir: join(tmp, 'cache2') };
    const repo = `http://127.0.0.1:${port}/charts`;
    expect((await new LiveChecker(o).check({ kind: 'chart', repo, chart: 'cache', version: '1.0.0' })).status).toBe(
      'missing',
    );
    expect(
      (
        await new LiveChecker(o).check({
          kind: 'chart',
          repo: `http://127.0.0.1:${port}/gone`,
          chart: 'web',
          version: '1.0.0',
        })
      ).status,
    ).toBe('missing');
    const r = await new LiveChecker(o).check({ kind: 'chart', repo, chart: 'web', version: '1.x' });
    expect(r).toMatchObject({ status: 'present' });
    expect(r.reason).toMatch(/is a range; 1\.4\.0 satisfies it/);
  });
});

describe.runIf(registryAvailable())('OCI chart repository (chart versions are tags)', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await TestRegistry.start();
    // Helm writes a `+` of a version as `_` in the tag.
    await reg.pushImage('charts/web', { tag: '1.2.3_build.7', seed: 'chart' });
  });
  afterAll(() => reg?.stop());
  it('present by its tag; a version without a tag is missing', async () => {
    const live = new LiveChecker(FAST);
    expect(
      (await live.check({ kind: 'chart', repo: `oci://${reg.host}/charts`, chart: 'web', version: '1.2.3+build.7' }))
        .status,
    ).toBe('present');
    const m = await live.check({ kind: 'chart', repo: `oci://${reg.host}/charts`, chart: 'web', version: '1.2.2' });
    expect(m.status).toBe('missing');
    expect(m.reason).toContain('no tag 1.2.2');
  });
  it('a range is matched against the tag list', async () => {
    const live = new LiveChecker(FAST);
    const r = await live.check({
      kind: 'chart',
      repo: `oci://${reg.host}/charts`,
      chart: 'web',
      version: '>=1.2.0 <2',
    });
    expect(r).toMatchObject({ status: 'present' });
    expect(r.reason).toMatch(/1\.2\.3\+build\.7 satisfies it/);
    expect(
      (await live.check({ kind: 'chart', repo: `oci://${reg.host}/charts`, chart: 'web', version: '2.x' })).status,
    ).toBe('missing');
  });
});

describe('git sources (a local bare repository)', () => {
  let bare: string;
  let v1: string;
  let unadvertised: string;
  beforeAll(() => {
    const work = join(tmp, 'work');
    const env = fixtureGitEnv(1_760_000_000);
    const g = (args: string[], cwd = work) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '-q', '-b', 'main', work], { env });
    writeFileSync(join(work, 'main.tf'), 'variable "x" {}\n');
    g(['add', '.']);
    g(['commit', '-qm', 'one']);
    unadvertised = g(['rev-parse', 'HEAD']);
    writeFileSync(join(work, 'main.tf'), 'variable "y" {}\n');
    g(['commit', '-qam', 'two']);
    g(['tag', '-a', 'v1.0.0', '-m', 'v1']);
    v1 = g(['rev-parse', 'HEAD']);
    g(['tag', 'v0.9.0']);
    bare = join(tmp, 'modules.git');
    execFileSync('git', ['clone', '-q', '--bare', work, bare], { env });
    execFileSync('git', ['-C', bare, 'tag', '-d', 'v0.9.0'], { env });
  });

  it.each([
    ['v1.0.0', 'present'],
    ['refs/tags/v1.0.0', 'present'],
    ['main', 'present'],
    ['v0.9.0', 'missing'],
  ])('ref %s is %s', async (ref, status) => {
    const a = await new LiveChecker(FAST).check({ kind: 'git', url: `file://${bare}`, ref });
    expect(a.status).toBe(status);
  });

  it('an annotated tag answers with the commit it peels to', async () => {
    expect((await new LiveChecker(FAST).check({ kind: 'git', url: `file://${bare}`, ref: 'v1.0.0' })).digest).toBe(v1);
  });

  it('a commit that is no ref tip is fetched to check; an unknown commit is missing', async () => {
    expect((await new LiveChecker(FAST).check({ kind: 'git', url: `file://${bare}`, ref: unadvertised })).status).toBe(
      'present',
    );
    const m = await new LiveChecker(FAST).check({ kind: 'git', url: `file://${bare}`, ref: '1'.repeat(40) });
    expect(m.status).toBe('missing');
    expect(m.reason).toMatch(/does not serve commit 111111111111/);
  });

  it('a repository that is not there is missing; a hostile URL is refused before git runs', async () => {
    expect((await new LiveChecker(FAST).check({ kind: 'git', url: `file://${tmp}/nope.git`, ref: 'v1' })).status).toBe(
      'missing',
    );
    const h = await new LiveChecker(FAST).check({ kind: 'git', url: '--upload-pack=touch /tmp/pwned', ref: 'v1' });
    expect(h.status).toBe('missing');
    expect(h.reason).toMatch(/not a remote URL git is allowed to read/);
    expect(
      (await new LiveChecker(FAST).check({ kind: 'git', url: 'ext::sh -c touch% /tmp/pwned', ref: 'v1' })).reason,
    ).toMatch(/not a remote URL/);
  });

  it('a source without a ref cannot be checked, and says why', async () => {
    const a = await new LiveChecker(FAST).check({ kind: 'git', url: `file://${bare}` });
    expect(a).toMatchObject({ status: 'unknown' });
    expect(a.reason).toMatch(/pins no ref/);
  });
});

describe('parseGitSource', () => {
  it.each([
    ['git::https://example.com/vpc.git?ref=v1.2.0', 'terraform', { url: 'https://example.com/vpc.git', ref: 'v1.2.0' }],
    [
      'git::https://example.com/network.git//modules/vpc?ref=v2',
      'terraform',
      { url: 'https://example.com/network.git', ref: 'v2', subdir: 'modules/vpc' },
    ],
    [
      'github.com/acme/terraform-aws-vpc?ref=v5.1.0',
      'terraform',
      { url: 'https://github.com/acme/terraform-aws-vpc.git', ref: 'v5.1.0' },
    ],
    [
      'git@github.com:acme/modules.git//vpc?ref=abc1234',
      'terraform',
      { url: 'git@github.com:acme/modules.git', ref: 'abc1234', subdir: 'vpc' },
    ],
    [
      'git::ssh://git@example.com/storage.git?ref=v1',
      'terraform',
      { url: 'ssh://git@example.com/storage.git', ref: 'v1' },
    ],
    [
      'https://github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v1.0.6',
      'kustomize',
      { url: 'https://github.com/kubernetes-sigs/kustomize', ref: 'v1.0.6', subdir: 'examples/multibases' },
    ],
    [
      'github.com/acme/deploy/overlays/prod?ref=v3',
      'kustomize',
      { url: 'https://github.com/acme/deploy.git', ref: 'v3', subdir: 'overlays/prod' },
    ],
    [
      'https://github.com/acme/deploy/base?version=v4',
      'kustomize',
      { url: 'https://github.com/acme/deploy.git', ref: 'v4', subdir: 'base' },
    ],
  ] as const)('%s', (src, flavour, want) => {
    expect(parseGitSource(src, flavour)).toEqual(want);
  });
  it.each(['hashicorp/consul/aws', './modules/vpc', 's3::https://bucket.s3.amazonaws.com/vpc.zip'])(
    'not a git source: %s',
    (src) => {
      expect(parseGitSource(src, 'terraform')).toBeUndefined();
    },
  );
});

describe('module registry (service discovery and the versions endpoint)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = createServer((req, res) => {
      if (req.url === '/.well-known/terraform.json')
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"modules.v1":"/api/modules/v1/"}');
      else if (
        req.url === '/api/modules/v1/acme/private/aws/versions' &&
        req.headers.authorization !== 'Bearer tf-token-1'
      )
        res.writeHead(401).end();
      else if (
        req.url === '/api/modules/v1/acme/vpc/aws/versions' ||
        req.url === '/api/modules/v1/acme/private/aws/versions'
      )
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ modules: [{ versions: [{ version: '5.1.0' }, { version: '5.2.0' }] }] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  it.each([
    ['5.1.0', 'present'],
    ['= 5.2.0', 'present'],
    ['5.0.0', 'missing'],
    ['~> 5.0', 'unknown'],
  ])('version %s is %s', async (version, status) => {
    const a = await new LiveChecker(FAST).check({
      kind: 'module',
      host: `127.0.0.1:${port}`,
      namespace: 'acme',
      name: 'vpc',
      system: 'aws',
      version,
    });
    expect(a.status).toBe(status);
  });
  it('a private module: unauthorised without TF_TOKEN_<host>, present with it', async () => {
    const m = {
      kind: 'module' as const,
      host: `127.0.0.1:${port}`,
      namespace: 'acme',
      name: 'private',
      system: 'aws',
      version: '5.1.0',
    };
    expect((await new LiveChecker({ ...FAST, env: {} }).check(m)).status).toBe('unauthorised');
    expect((await new LiveChecker({ ...FAST, env: { TF_TOKEN_127_0_0_1: 'tf-token-1' } }).check(m)).status).toBe(
      'present',
    );
  });

  it('a module the registry does not have is missing', async () => {
    expect(
      (
        await new LiveChecker(FAST).check({
          kind: 'module',
          host: `127.0.0.1:${port}`,
          namespace: 'acme',
          name: 'gone',
          system: 'aws',
          version: '1.0.0',
        })
      ).status,
    ).toBe('missing');
  });
});
