import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, registryAvailable, TestRegistry, type PushedImage } from '../testing/registry.js';
import { LiveChecker } from './check.js';
import { parseChallenge } from './oci.js';
import { parseOciReference } from './reference.js';

const FAST = { retries: 1, baseDelayMs: 10, timeoutMs: 5000 };
const home = mkdtempSync(join(tmpdir(), 'rollwright-live-home-'));
/** A docker config of the test's own: nothing of the user's is read. */
function dockerConfig(name: string, config: unknown): NodeJS.ProcessEnv {
  const dir = join(home, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return { HOME: home, DOCKER_CONFIG: dir, PATH: process.env.PATH };
}
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('references', () => {
  it.each([
    ['nginx', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    [
      'ghcr.io/acme/web:1.2@sha256:' + 'a'.repeat(64),
      { registry: 'ghcr.io', repository: 'acme/web', tag: '1.2', digest: 'sha256:' + 'a'.repeat(64) },
    ],
    ['127.0.0.1:5000/acme/web', { registry: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', repository: 'acme/web' }],
    ['localhost/web', { registry: 'localhost', repository: 'web' }],
    ['acme/web', { registry: 'docker.io', repository: 'acme/web' }],
  ])('%s', (input, want) => {
    const r = parseOciReference(input);
    expect(r.ok && r.ref).toMatchObject(want);
  });
  it.each(['', 'Acme/Web', 'ghcr.io/acme/web@sha256:zz', 'ghcr.io/${REPO}/web', 'web:bad tag'])(
    'refuses %j',
    (input) => {
      expect(parseOciReference(input).ok).toBe(false);
    },
  );
  it('parses a bearer challenge whose scope holds commas', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
    });
  });
});

describe.runIf(registryAvailable())('against a real Distribution registry (no auth)', () => {
  let reg: TestRegistry;
  let v1: PushedImage;
  let v2: PushedImage;
  let deleted: PushedImage;
  let index: PushedImage;
  const live = () => new LiveChecker({ ...FAST, env: dockerConfig('none', {}) });
  beforeAll(async () => {
    reg = await TestRegistry.start();
    v1 = await reg.pushImage('acme/web', { tag: '1.0.0', seed: 'v1' });
    v2 = await reg.pushImage('acme/web', { tag: '2.0.0', seed: 'v2' });
    deleted = await reg.pushImage('acme/web', { tag: '0.9.0', seed: 'v0' });
    index = await reg.pushIndex('acme/web', [v1, v2], 'multi');
    await reg.attachSignature('acme/web', v1);
    expect(await reg.deleteManifest('acme/web', deleted.digest)).toBe(202);
  });
  afterAll(() => reg?.stop());

  it('this Distribution version serves no referrers API: GET /v2/<name>/referrers/<digest> is a plain 404', async () => {
    expect(reg.version).toMatch(/2\.8/);
    const r = await fetch(`http://${reg.host}/v2/acme/web/referrers/${v1.digest}`);
    expect(r.status).toBe(404);
  });

  it('a manifest present by digest, with its cosign signature found by the tag fallback', async () => {
    const a = await live().check({ kind: 'image', ref: v1.ref });
    expect(a).toMatchObject({
      status: 'present',
      digest: v1.digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    expect(a.signature).toMatchObject({
      status: 'present',
      via: 'cosign-tag',
      types: ['application/vnd.dev.cosign.simplesigning.v1+json'],
    });
    expect(a.signature!.reason).toMatch(/no referrers API/);
  });

  it('no signature: absent, and says where it looked', async () => {
    const a = await live().check({ kind: 'image', ref: v2.ref });
    expect(a.status).toBe('present');
    expect(a.signature).toMatchObject({ status: 'absent', via: null });
    expect(a.signature!.reason).toContain(`${v2.digest.replace(':', '-')}.sig`);
  });

  it('a deleted manifest is missing, named by its digest', async () => {
    const a = await live().check({ kind: 'image', ref: deleted.ref });
    expect(a.status).toBe('missing');
    expect(a.reason).toContain(deleted.digest);
  });

  it('an index is found only because the index types are accepted (without them the registry answers 404)', async () => {
    const bare = await fetch(`http://${reg.host}/v2/acme/web/manifests/${index.digest}`, { method: 'HEAD' });
    expect(bare.status).toBe(404);
    const a = await live().check({ kind: 'image', ref: index.ref });
    expect(a).toMatchObject({ status: 'present', mediaType: 'application/vnd.oci.image.index.v1+json' });
  });

  it('a tag resolves to a digest; a re-pointed tag is reported next to the digest that runs', async () => {
    expect(await live().check({ kind: 'image', ref: `${reg.host}/acme/web:2.0.0` })).toMatchObject({
      status: 'present',
      digest: v2.digest,
    });
    await reg.tag('acme/web', v2, 'stable');
    await reg.tag('acme/web', v1, 'stable');
    const a = await live().check({ kind: 'image', ref: `${reg.host}/acme/web:stable@${v2.digest}` });
    expect(a).toMatchObject({ status: 'present', digest: v2.digest, tagDigest: v1.digest });
    expect(a.reason).toContain(`the tag stable now names ${v1.digest}`);
  });

  it('an unknown tag and an unknown repository are missing', async () => {
    expect((await live().check({ kind: 'image', ref: `${reg.host}/acme/web:9.9.9` })).status).toBe('missing');
    expect((await live().check({ kind: 'image', ref: `${reg.host}/acme/nothing:1` })).status).toBe('missing');
  });
});

describe.runIf(registryAvailable())('htpasswd (Basic) authentication', () => {
  let reg: TestRegistry;
  let img: PushedImage;
  beforeAll(async () => {
    reg = await TestRegistry.start({ kind: 'htpasswd', user: 'deploy', password: 's3cret-pass' });
    img = await reg.pushImage('acme/api', { tag: '1', seed: 'api' });
  });
  afterAll(() => reg?.stop());

  it('without a credential: unauthorised, naming the missing docker config entry', async () => {
    const a = await new LiveChecker({ ...FAST, env: dockerConfig('empty', {}) }).check({ kind: 'image', ref: img.ref });
    expect(a.status).toBe('unauthorised');
    expect(a.reason).toMatch(/no credential for 127\.0\.0\.1:\d+/);
  });

  it('with auths (base64 user:password): present, and the secret appears in no answer', async () => {
    const env = dockerConfig('auths', {
      auths: { [reg.host]: { auth: Buffer.from('deploy:s3cret-pass').toString('base64') } },
    });
    const a = await new LiveChecker({ ...FAST, env }).check({ kind: 'image', ref: img.ref });
    expect(a.status).toBe('present');
    expect(JSON.stringify(a)).not.toContain('s3cret');
  });

  it('a wrong password is unauthorised', async () => {
    const env = dockerConfig('wrong', {
      auths: { [`https://${reg.host}`]: { auth: Buffer.from('deploy:nope').toString('base64') } },
    });
    expect((await new LiveChecker({ ...FAST, env }).check({ kind: 'image', ref: img.ref })).status).toBe(
      'unauthorised',
    );
  });

  it('a credential helper named in credHelpers is run by name (docker-credential-<name> get, server on stdin)', async () => {
    const bin = join(home, 'bin');
    mkdirSync(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-rwtest');
    writeFileSync(
      helper,
      `#!${process.execPath}\nlet s='';process.stdin.on('data',d=>s+=d).on('end',()=>{if(process.argv[2]!=='get'||s.trim()!==${JSON.stringify(reg.host)}){process.stderr.write('credentials not found');process.exit(1)}process.stdout.write(JSON.stringify({ServerURL:s.trim(),Username:'deploy',Secret:'s3cret-pass'}))});\n`,
    );
    chmodSync(helper, 0o755);
    const env = {
      ...dockerConfig('helper', { credHelpers: { [reg.host]: 'rwtest' } }),
      PATH: `${bin}:${process.env.PATH}`,
    };
    expect((await new LiveChecker({ ...FAST, env }).check({ kind: 'image', ref: img.ref })).status).toBe('present');
    const store = { ...dockerConfig('store', { credsStore: 'rwtest' }), PATH: `${bin}:${process.env.PATH}` };
    expect((await new LiveChecker({ ...FAST, env: store }).check({ kind: 'image', ref: img.ref })).status).toBe(
      'present',
    );
  });
});

describe.runIf(registryAvailable())('token (Bearer) authentication', () => {
  let reg: TestRegistry;
  let img: PushedImage;
  beforeAll(async () => {
    reg = await TestRegistry.start({ kind: 'token', user: 'ci', password: 'tok-pass' });
    img = await reg.pushImage('acme/worker', { tag: '3', seed: 'worker' });
  });
  afterAll(() => reg?.stop());

  it('follows the WWW-Authenticate challenge to the realm with the service and the pull scope', async () => {
    const env = dockerConfig('token', {
      auths: { [reg.host]: { auth: Buffer.from('ci:tok-pass').toString('base64') } },
    });
    const before = reg.issued.length;
    const a = await new LiveChecker({ ...FAST, env }).check({ kind: 'image', ref: img.ref });
    expect(a.status).toBe('present');
    expect(reg.issued.slice(before)).toContainEqual({ scope: 'repository:acme/worker:pull', user: 'ci' });
  });

  it('an anonymous token without access: unauthorised', async () => {
    const a = await new LiveChecker({ ...FAST, env: dockerConfig('anon', {}) }).check({ kind: 'image', ref: img.ref });
    expect(a.status).toBe('unauthorised');
  });

  it('bad credentials are refused at the token service: unauthorised', async () => {
    const env = dockerConfig('badtoken', {
      auths: { [reg.host]: { auth: Buffer.from('ci:wrong').toString('base64') } },
    });
    const a = await new LiveChecker({ ...FAST, env }).check({ kind: 'image', ref: img.ref });
    expect(a.status).toBe('unauthorised');
    expect(a.reason).toMatch(/token service .* refused the credential from auths/);
  });
});

const NODIGEST_BODY = '{"schemaVersion":2}';

describe('failure modes', () => {
  let server: Server;
  let port: number;
  const hits: Record<string, number> = {};
  beforeAll(async () => {
    port = await freePort();
    server = createServer((req, res) => {
      const key = req.url!.split('/')[2]!;
      hits[key] = (hits[key] ?? 0) + 1;
      if (key === 'busy') res.writeHead(429, { 'Retry-After': '1' }).end();
      else if (key === 'flaky' && hits[key] === 1) res.writeHead(429, { 'Retry-After': '0' }).end();
      else if (key === 'down') res.writeHead(503).end();
      else if (key === 'refs' && req.url!.includes('/referrers/'))
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' }).end(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.oci.image.index.v1+json',
            manifests: [
              {
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                digest: 'sha256:' + 'e'.repeat(64),
                size: 1,
                artifactType: 'application/spdx+json',
              },
              {
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                digest: 'sha256:' + 'f'.repeat(64),
                size: 1,
                artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
              },
            ],
          }),
        );
      else if (key === 'nodigest')
        res
          .writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' })
          .end(req.method === 'HEAD' ? undefined : NODIGEST_BODY);
      else
        res
          .writeHead(200, {
            'Docker-Content-Digest': 'sha256:' + 'c'.repeat(64),
            'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
          })
          .end();
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('429 is retried honouring Retry-After, and is rate-limited when it lasts', async () => {
    const t0 = Date.now();
    const a = await new LiveChecker({ retries: 1, baseDelayMs: 10, signatures: false }).check({
      kind: 'image',
      ref: `127.0.0.1:${port}/busy/x:1`,
    });
    expect(a.status).toBe('rate-limited');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(hits.busy).toBe(2);
  });

  it('a passing 429 is retried into an answer', async () => {
    const a = await new LiveChecker({ retries: 2, baseDelayMs: 10, signatures: false }).check({
      kind: 'image',
      ref: `127.0.0.1:${port}/flaky/x:1`,
    });
    expect(a.status).toBe('present');
    expect(hits.flaky).toBe(2);
  });

  it('5xx after the retries is unreachable', async () => {
    const a = await new LiveChecker({ retries: 2, baseDelayMs: 5, signatures: false }).check({
      kind: 'image',
      ref: `127.0.0.1:${port}/down/x:1`,
    });
    expect(a).toMatchObject({ status: 'unreachable' });
    expect(a.reason).toMatch(/HTTP 503 after 3 attempt/);
  });

  it('without Docker-Content-Digest the manifest is read and hashed: matching bytes are present, others do not verify', async () => {
    const { createHash } = await import('node:crypto');
    const good = `sha256:${createHash('sha256').update(NODIGEST_BODY).digest('hex')}`;
    const live = new LiveChecker({ retries: 0, signatures: false });
    expect(await live.check({ kind: 'image', ref: `127.0.0.1:${port}/nodigest/x@${good}` })).toMatchObject({
      status: 'present',
      digest: good,
    });
    const bad = await live.check({ kind: 'image', ref: `127.0.0.1:${port}/nodigest/x@sha256:${'d'.repeat(64)}` });
    expect(bad).toMatchObject({ status: 'unknown' });
    expect(bad.reason).toMatch(/does not verify/);
  });

  it('a registry with the referrers API: the signature among other referrers, by artifactType', async () => {
    const a = await new LiveChecker({ retries: 0 }).check({
      kind: 'image',
      ref: `127.0.0.1:${port}/refs/x@sha256:${'c'.repeat(64)}`,
    });
    expect(a.signature).toMatchObject({
      status: 'present',
      via: 'referrers-api',
      types: ['application/vnd.dev.cosign.artifact.sig.v1+json'],
      digests: ['sha256:' + 'f'.repeat(64)],
    });
  });

  it('a closed port is unreachable (connection refused), without a crash', async () => {
    const closed = await freePort();
    const a = await new LiveChecker({ retries: 1, baseDelayMs: 5 }).check({
      kind: 'image',
      ref: `127.0.0.1:${closed}/acme/web:1`,
    });
    expect(a).toMatchObject({ status: 'unreachable' });
    expect(a.reason).toMatch(/connection refused/);
  });
});
