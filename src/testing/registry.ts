/**
 * A real CNCF Distribution registry for tests: Debian's `docker-registry` (/usr/bin/docker-registry),
 * started on 127.0.0.1 with a private port and a temporary storage directory, deletion enabled, and
 * optionally htpasswd (bcrypt, made with apache2-utils' `htpasswd -B`) or token authentication (a token
 * server of this module on 127.0.0.1, signing RS256 JWTs with a key whose self-signed certificate,
 * made by `openssl`, is the registry's `rootcertbundle`; the certificate travels in the `x5c` header).
 *
 * Content is pushed with the registry's own upload API (POST then PUT of each blob, PUT of the
 * manifest), so no Docker engine is needed:
 *
 *   const reg = await TestRegistry.start();
 *   const img = await reg.pushImage('acme/web', { tag: '1.0.0', seed: 'v1' });
 *   await reg.deleteManifest('acme/web', img.digest);
 *   await reg.stop();
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createSign, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** True when the registry is installed, and always in CI (CI=true), where its absence must fail the tests, not skip them. */
export function registryAvailable(): boolean {
  return existsSync(REGISTRY_BIN) || process.env.CI === 'true';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; user: string; password: string }
  | { kind: 'token'; user: string; password: string };

export interface PushedImage {
  /** Digest of the manifest. */
  digest: string;
  /** `127.0.0.1:<port>/<repo>@<digest>` */
  ref: string;
  manifest: Buffer;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class TestRegistry {
  readonly host: string;
  private tokenServer: Server | undefined;
  /** Tokens the token server issued (to prove the bearer flow ran). */
  readonly issued: Array<{ scope: string; user: string | null }> = [];
  private key: string | undefined;
  private certDer: Buffer | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private proc: ChildProcess | undefined,
    readonly auth: RegistryAuth,
    readonly version: string,
  ) {
    this.host = `127.0.0.1:${port}`;
  }

  static async start(auth: RegistryAuth = { kind: 'none' }): Promise<TestRegistry> {
    const dir = mkdtempSync(join(tmpdir(), 'rollwright-registry-'));
    const port = await freePort();
    const version = execFileSync(REGISTRY_BIN, ['--version'], { encoding: 'utf8' }).trim();
    const reg = new TestRegistry(dir, port, undefined, auth, version);
    let authYaml = '';
    if (auth.kind === 'htpasswd') {
      const file = join(dir, 'htpasswd');
      // bcrypt is the only hash the registry's htpasswd access controller accepts.
      const line = execFileSync('htpasswd', ['-Bbn', auth.user, auth.password], { encoding: 'utf8' }).trim();
      writeFileSync(file, `${line}\n`);
      authYaml = `auth:\n  htpasswd:\n    realm: rollwright-test\n    path: ${file}\n`;
    } else if (auth.kind === 'token') {
      const tport = await reg.startTokenServer(auth);
      authYaml = `auth:\n  token:\n    realm: http://127.0.0.1:${tport}/token\n    service: rollwright-test-registry\n    issuer: rollwright-test-issuer\n    rootcertbundle: ${join(dir, 'token.crt')}\n`;
    }
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n  maintenance:\n    uploadpurging:\n      enabled: false\nhttp:\n  addr: 127.0.0.1:${port}\n${authYaml}`,
    );
    const proc = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    reg.proc = proc;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const r = await fetch(`http://${reg.host}/v2/`);
        if (r.status === 200 || r.status === 401) break;
      } catch {
        /* not listening yet */
      }
      if (proc.exitCode !== null || Date.now() > deadline) {
        await reg.stop();
        throw new Error(`docker-registry did not start: ${stderr.slice(0, 2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return reg;
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null) {
      await new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        p.kill('SIGTERM');
        setTimeout(() => {
          if (p.exitCode === null) p.kill('SIGKILL');
        }, 3000).unref();
      });
    }
    if (this.tokenServer) await new Promise<void>((r) => this.tokenServer!.close(() => r()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The token server: Basic credentials in, an RS256 JWT carrying the requested pull/push access out. */
  private async startTokenServer(auth: { user: string; password: string }): Promise<number> {
    const keyFile = join(this.dir, 'token.key');
    const crtFile = join(this.dir, 'token.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        crtFile,
        '-days',
        '2',
        '-subj',
        '/CN=rollwright-test-token',
      ],
      { stdio: 'ignore' },
    );
    this.key = readFileSync(keyFile, 'utf8');
    const pem = readFileSync(crtFile, 'utf8');
    this.certDer = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const port = await freePort();
    this.tokenServer = createHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname !== '/token') {
        res.writeHead(404).end();
        return;
      }
      const header = req.headers.authorization ?? '';
      let user: string | null = null;
      if (header.startsWith('Basic ')) {
        const [u, ...p] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
        if (u !== auth.user || p.join(':') !== auth.password) {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"bad credentials"}');
          return;
        }
        user = u!;
      }
      const scope = url.searchParams.get('scope') ?? '';
      this.issued.push({ scope, user });
      const access = user
        ? scope
            .split(' ')
            .filter(Boolean)
            .map((s) => {
              const [type, ...rest] = s.split(':');
              const actions = rest.pop()!.split(',');
              return { type, name: rest.join(':'), actions };
            })
        : [];
      const token = this.sign({ sub: user ?? '', access, aud: url.searchParams.get('service') ?? '' });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
    });
    await new Promise<void>((r) => this.tokenServer!.listen(port, '127.0.0.1', () => r()));
    return port;
  }

  private sign(claims: { sub: string; aud: string; access: unknown[] }): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [this.certDer!.toString('base64')] };
    const body = {
      iss: 'rollwright-test-issuer',
      nbf: now - 10,
      iat: now - 10,
      exp: now + 300,
      jti: randomUUID(),
      ...claims,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(body))}`;
    const sig = createSign('RSA-SHA256').update(input).sign(this.key!);
    return `${input}.${b64url(sig)}`;
  }

  /** Authorization for the test's own pushes. */
  private async pushAuth(repo: string): Promise<Record<string, string>> {
    if (this.auth.kind === 'htpasswd')
      return { Authorization: `Basic ${Buffer.from(`${this.auth.user}:${this.auth.password}`).toString('base64')}` };
    if (this.auth.kind === 'token')
      return {
        Authorization: `Bearer ${this.sign({ sub: this.auth.user, aud: 'rollwright-test-registry', access: [{ type: 'repository', name: repo, actions: ['pull', 'push', 'delete'] }] })}`,
      };
    return {};
  }

  async pushBlob(repo: string, data: Buffer): Promise<string> {
    const digest = sha256(data);
    const auth = await this.pushAuth(repo);
    const start = await fetch(`http://${this.host}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: auth });
    if (start.status !== 202) throw new Error(`blob upload start: HTTP ${start.status} ${await start.text()}`);
    const loc = new URL(start.headers.get('location')!, `http://${this.host}`);
    loc.searchParams.set('digest', digest);
    const put = await fetch(loc, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      body: new Uint8Array(data),
    });
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
    return digest;
  }

  async putManifest(repo: string, reference: string, manifest: Buffer, mediaType: string): Promise<Response> {
    const auth = await this.pushAuth(repo);
    return fetch(`http://${this.host}/v2/${repo}/manifests/${reference}`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': mediaType },
      body: new Uint8Array(manifest),
    });
  }

  /** A minimal OCI image: a config blob and one layer, distinct per `seed`; tagged when `tag` is given. */
  async pushImage(repo: string, opts: { tag?: string; seed: string }): Promise<PushedImage> {
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [] },
        config: { Labels: { seed: opts.seed } },
      }),
    );
    const layer = Buffer.from(`layer of ${opts.seed}\n`);
    const configDigest = await this.pushBlob(repo, config);
    const layerDigest = await this.pushBlob(repo, layer);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
      }),
    );
    const digest = sha256(manifest);
    const r = await this.putManifest(repo, opts.tag ?? digest, manifest, 'application/vnd.oci.image.manifest.v1+json');
    if (r.status !== 201) throw new Error(`manifest put: HTTP ${r.status} ${await r.text()}`);
    return { digest, ref: `${this.host}/${repo}@${digest}`, manifest };
  }

  /** An OCI image index over some manifests (multi-platform images are indexes). */
  async pushIndex(repo: string, manifests: PushedImage[], tag?: string): Promise<PushedImage> {
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: manifests.map((m) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: m.digest,
          size: m.manifest.length,
          platform: { architecture: 'amd64', os: 'linux' },
        })),
      }),
    );
    const digest = sha256(index);
    const r = await this.putManifest(repo, tag ?? digest, index, 'application/vnd.oci.image.index.v1+json');
    if (r.status !== 201) throw new Error(`index put: HTTP ${r.status} ${await r.text()}`);
    return { digest, ref: `${this.host}/${repo}@${digest}`, manifest: index };
  }

  /** Points a tag at an existing manifest (a re-tag: PUT of the same bytes under the tag). */
  async tag(repo: string, image: PushedImage, tag: string): Promise<void> {
    const type = (JSON.parse(image.manifest.toString()) as { mediaType: string }).mediaType;
    const r = await this.putManifest(repo, tag, image.manifest, type);
    if (r.status !== 201) throw new Error(`tag put: HTTP ${r.status} ${await r.text()}`);
  }

  async deleteManifest(repo: string, digest: string): Promise<number> {
    const r = await fetch(`http://${this.host}/v2/${repo}/manifests/${digest}`, {
      method: 'DELETE',
      headers: await this.pushAuth(repo),
    });
    return r.status;
  }

  /**
   * A signature artifact for `subject`, the way cosign stores one on a registry without the referrers
   * API: an OCI manifest with `subject` (for registries that index it) pushed under the tag
   * `sha256-<hex>.sig`, its layer of cosign's simple-signing media type.
   */
  async attachSignature(
    repo: string,
    subject: PushedImage,
    opts: { cosignTag?: boolean } = {},
  ): Promise<{ digest: string; response: Response }> {
    const empty = Buffer.from('{}');
    const emptyDigest = await this.pushBlob(repo, empty);
    const payload = Buffer.from(
      JSON.stringify({
        critical: { image: { 'docker-manifest-digest': subject.digest }, type: 'cosign container image signature' },
      }),
    );
    const payloadDigest = await this.pushBlob(repo, payload);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: empty.length },
        layers: [
          {
            mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
            digest: payloadDigest,
            size: payload.length,
            annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQ-test-signature' },
          },
        ],
        subject: {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: subject.digest,
          size: subject.manifest.length,
        },
      }),
    );
    const digest = sha256(manifest);
    const reference = opts.cosignTag === false ? digest : `${subject.digest.replace(':', '-')}.sig`;
    const response = await this.putManifest(repo, reference, manifest, 'application/vnd.oci.image.manifest.v1+json');
    return { digest, response };
  }
}
