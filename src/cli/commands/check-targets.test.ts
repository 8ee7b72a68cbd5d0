import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDeployment } from '../../engine/decide/fixtures.js';
import { cleanEnv, cli, ensureBuilt } from '../../testing/cli.js';
import { fixtureGitEnv, GitFixture } from '../../testing/git-fixture.js';
import { freePort, registryAvailable, TestRegistry, type PushedImage } from '../../testing/registry.js';

const deployment = webDeployment;
const release = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: shop
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      version: ${version}
      sourceRef:
        kind: HelmRepository
        name: charts
        namespace: flux-system
`;
const helmRepo = (url: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  interval: 1h
  url: ${url}
`;
const moduleTf = (bare: string, ref: string) => `module "vpc" {\n  source = "git::file://${bare}?ref=${ref}"\n}\n`;

describe.runIf(registryAvailable())(
  'rollwright check-targets (real registry, Helm index server, bare git remote)',
  () => {
    let reg: TestRegistry;
    let server: Server;
    let f: GitFixture;
    let old: PushedImage;
    let signed: PushedImage;
    let bumpCommit: string;
    let signedCommit: string;
    const tmp = mkdtempSync(join(tmpdir(), 'rollwright-check-targets-'));
    const env = cleanEnv({ HOME: tmp, DOCKER_CONFIG: join(tmp, 'docker'), XDG_CACHE_HOME: join(tmp, 'cache') });

    beforeAll(async () => {
      await ensureBuilt();
      reg = await TestRegistry.start();
      old = await reg.pushImage('acme/web', { tag: '1.0.0', seed: 'v1' });
      const next = await reg.pushImage('acme/web', { tag: '2.0.0', seed: 'v2' });
      signed = await reg.pushImage('acme/web', { tag: '2.1.0', seed: 'v21' });
      await reg.attachSignature('acme/web', signed);
      const last = await reg.pushImage('acme/web', { tag: '2.2.0', seed: 'v22' });

      const port = await freePort();
      server = createServer((req, res) => {
        if (req.url === '/charts/index.yaml')
          res
            .writeHead(200, { ETag: '"i1"' })
            .end('apiVersion: v1\nentries:\n  web:\n    - version: 1.4.0\n    - version: 1.3.2\n');
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));

      // A module repository with the tag v1.0.0 (v0.9.0 is gone from the remote).
      const work = join(tmp, 'module-src');
      const genv = fixtureGitEnv(1_760_000_000);
      execFileSync('git', ['init', '-q', '-b', 'main', work], { env: genv });
      writeFileSync(join(work, 'main.tf'), 'variable "cidr" {}\n');
      execFileSync('git', ['-C', work, 'add', '.'], { env: genv });
      execFileSync('git', ['-C', work, 'commit', '-qm', 'vpc'], { env: genv });
      execFileSync('git', ['-C', work, 'tag', 'v1.0.0'], { env: genv });
      execFileSync('git', ['-C', work, 'tag', 'v1.1.0'], { env: genv });
      const bare = join(tmp, 'modules.git');
      execFileSync('git', ['clone', '-q', '--bare', work, bare], { env: genv });
      mkdirSync(join(tmp, 'docker'));
      writeFileSync(join(tmp, 'docker', 'config.json'), '{}');

      f = GitFixture.create('rollwright-check-targets-repo-');
      f.commit('v1', {
        'apps/web.yaml': deployment(`${reg.host}/acme/web:1.0.0@${old.digest}`),
        'flux/release.yaml': release('1.3.2'),
        'flux/repo.yaml': helmRepo(`http://127.0.0.1:${port}/charts`),
        'infra/main.tf': moduleTf(bare, 'v1.0.0'),
      });
      bumpCommit = f.commit('v2', {
        'apps/web.yaml': deployment(`${reg.host}/acme/web:2.0.0@${next.digest}`),
        'flux/release.yaml': release('1.4.0'),
        'infra/main.tf': moduleTf(bare, 'v1.1.0'),
      });
      f.commit('v2.1', { 'apps/web.yaml': deployment(`${reg.host}/acme/web@${signed.digest}`) });
      signedCommit = f.commit('v2.2', { 'apps/web.yaml': deployment(`${reg.host}/acme/web@${last.digest}`) });
      expect(await reg.deleteManifest('acme/web', old.digest)).toBe(202);
    });
    afterAll(async () => {
      await reg?.stop();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      rmSync(tmp, { recursive: true, force: true });
      f?.cleanup?.();
    });

    it('lists every target of the change; a deleted previous digest is missing and fails (exit 1)', async () => {
      const r = await cli(['check-targets', '--change', bumpCommit, '-o', 'json'], { cwd: f.dir, env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      const rep = JSON.parse(r.stdout);
      expect(rep.schema).toBe('rollwright.targets/v1');
      const by = Object.fromEntries(rep.targets.map((t: { kind: string }) => [t.kind, t]));
      expect(by.image).toMatchObject({
        status: 'missing',
        source: 'live',
        file: 'apps/web.yaml',
        line: 15,
        what: 'Deployment shop/web container web',
      });
      expect(by.image.reason).toContain(old.digest);
      expect(by.chart).toMatchObject({
        status: 'present',
        target: `chart web 1.3.2 (http://127.0.0.1:${(server.address() as { port: number }).port}/charts)`,
        replacedBy: '1.4.0',
      });
      expect(by.git).toMatchObject({ status: 'present', what: 'module.vpc' });
      expect(rep.counts).toMatchObject({ present: 2, missing: 1 });
    });

    it('text output names the missing digest', async () => {
      const r = await cli(['check-targets', '--change', bumpCommit], { cwd: f.dir, env });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(`MISSING\\s+${reg.host.replace(/\./g, '\\.')}/acme/web:1\\.0\\.0@${old.digest}`),
      );
      expect(r.stdout).toMatch(/3 target\(s\): 2 present, 1 missing/);
    });

    it('a present, signed previous digest passes and reports its signature', async () => {
      const r = await cli(['check-targets', '--change', signedCommit, '-o', 'json'], { cwd: f.dir, env });
      expect(r.code).toBe(0);
      const [t] = JSON.parse(r.stdout).targets;
      expect(t).toMatchObject({
        status: 'present',
        digest: signed.digest,
        signature: { status: 'present', via: 'cosign-tag' },
      });
    });

    it('--offline: every target unknown ("offline"), nothing contacted, exit 0 (--strict: 1)', async () => {
      const r = await cli(['check-targets', '--change', bumpCommit, '--offline', '-o', 'json'], { cwd: f.dir, env });
      expect(r.code).toBe(0);
      const rep = JSON.parse(r.stdout);
      expect(rep.offline).toBe(true);
      expect(
        rep.targets.map((t: { status: string; reason: string; source: string }) => [t.status, t.reason, t.source]),
      ).toEqual([
        ['unknown', 'offline', 'offline'],
        ['unknown', 'offline', 'offline'],
        ['unknown', 'offline', 'offline'],
      ]);
      const strict = await cli(['check-targets', '--change', bumpCommit, '--strict'], {
        cwd: f.dir,
        env: { ...env, ROLLWRIGHT_OFFLINE: '1' },
      });
      expect(strict.code).toBe(1);
      expect(strict.stdout).toContain('offline: nothing was contacted');
    });

    it('--rev lists what the tree references', async () => {
      const r = await cli(['check-targets', '--rev', signedCommit, '-o', 'json'], { cwd: f.dir, env });
      const rep = JSON.parse(r.stdout);
      expect(rep.mode).toBe('tree');
      expect(rep.targets.map((t: { kind: string; status: string }) => `${t.kind}:${t.status}`).sort()).toEqual([
        'chart:present',
        'git:present',
        'image:present',
      ]);
    });

    it('revert --check fails when the image it brings back is gone, naming the digest; passes when it exists', async () => {
      const g = GitFixture.create('rollwright-revert-live-');
      try {
        g.commit('v1', { 'apps/web.yaml': deployment(`${reg.host}/acme/web@${old.digest}`) });
        const bump = g.commit('v2', { 'apps/web.yaml': deployment(`${reg.host}/acme/web@${signed.digest}`) });
        const r = await cli(['revert', bump, '--check'], { cwd: g.dir, env });
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(
          new RegExp(
            `target: the revert brings back ${reg.host.replace(/\./g, '\\.')}/acme/web@${old.digest}.*no longer exists`,
          ),
        );
        const off = await cli(['revert', bump, '--check', '--offline', '-o', 'json'], { cwd: g.dir, env });
        expect(off.code).toBe(0);
        expect(JSON.parse(off.stdout).targets.targets[0]).toMatchObject({ status: 'unknown', reason: 'offline' });
        const back = g.commit('v3', { 'apps/web.yaml': deployment(`${reg.host}/acme/web@${old.digest}`) });
        const ok = await cli(['revert', back, '--check', '-o', 'json'], { cwd: g.dir, env });
        expect(ok.code).toBe(0);
        expect(JSON.parse(ok.stdout).targets.targets[0]).toMatchObject({
          status: 'present',
          digest: signed.digest,
          signature: { status: 'present' },
        });
      } finally {
        g.cleanup?.();
      }
    });

    it('assess --live warns that the previous target is already gone; offline it is said, as info', async () => {
      const r = await cli(['assess', '--head', bumpCommit, '--live', '-o', 'json'], { cwd: f.dir, env });
      const a = JSON.parse(r.stdout);
      const missing = a.findings.filter(
        (x: { rule: string; messageId: string }) =>
          x.rule === 'core/rollback-target-missing' && x.messageId === 'missing',
      );
      expect(missing).toHaveLength(1);
      expect(missing[0]).toMatchObject({
        severity: 'warning',
        class: 'reversible-with-manual-repair',
        file: 'apps/web.yaml',
        line: 15,
      });
      expect(missing[0].message).toContain(old.digest);
      expect(a.targets.counts).toMatchObject({ missing: 1, present: 2 });
      const off = await cli(['assess', '--head', bumpCommit, '--live', '--offline', '-o', 'json'], { cwd: f.dir, env });
      const o = JSON.parse(off.stdout);
      expect(
        o.findings
          .filter((x: { rule: string }) => x.rule === 'core/rollback-target-missing')
          .map((x: { messageId: string; severity: string }) => `${x.messageId}/${x.severity}`),
      ).toEqual(['unchecked/info', 'unchecked/info', 'unchecked/info']);
      const plain = JSON.parse((await cli(['assess', '--head', bumpCommit, '-o', 'json'], { cwd: f.dir, env })).stdout);
      expect(plain.targets).toBeUndefined();
    });

    it('the decision\'s fact from the real registry: artifact-available=no with "previous artifact missing", or yes and signed', async () => {
      const [{ checkRollbackTargets }, { artifactFact }] = await Promise.all([
        import('../../engine/check-targets.js'),
        import('../../engine/targets.js'),
      ]);
      const gone = artifactFact(await checkRollbackTargets({ repo: f.dir, head: bumpCommit, live: { env } }));
      expect(gone).toMatchObject({
        value: false,
        source: 'live',
        refusal: `previous artifact missing: ${reg.host}/acme/web:1.0.0@${old.digest}`,
      });
      const kept = artifactFact(await checkRollbackTargets({ repo: f.dir, head: signedCommit, live: { env } }));
      expect(kept).toMatchObject({
        value: true,
        source: 'live',
        signatures: [{ status: 'present', via: 'cosign-tag' }],
      });
      const off = artifactFact(await checkRollbackTargets({ repo: f.dir, head: bumpCommit, live: { offline: true } }));
      expect(off).toMatchObject({ value: null, source: 'live' });
    });

    it('usage errors exit 2', async () => {
      expect((await cli(['check-targets', '--change', 'HEAD', '--rev', 'HEAD'], { cwd: f.dir, env })).code).toBe(2);
      expect((await cli(['check-targets', '--timeout', 'soon'], { cwd: f.dir, env })).code).toBe(2);
    });
  },
);
