/**
 * The rendered-diff path with the real `kubectl kustomize`, on real overlays in temporary git
 * repositories, through the whole `assess` pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assess, type Assessment } from '../../testing/engine.js';
import { allRules, surfaces } from '../../registry.js';
import { GitFixture } from '../../testing/git-fixture.js';
import { cleanReason, inDir, loadGraph, loadGraphs, mayReference } from './render.js';
import { isRemote, joinPath } from './model.js';

const deployment = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ${image}${extra}
`;
const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
`;
const overlay = (prefix: string, extra = '') =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nnamePrefix: ${prefix}\nresources:\n  - ../../base\n${extra}`;
const A = 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64);
const B = 'ghcr.io/acme/web@sha256:' + 'b'.repeat(64);
const SECRET = 'Sup3r-Secret-Value-42';

let repo: GitFixture;
const commits: Record<string, { base: string; head: string }> = {};
const results = new Map<string, Assessment>();
const run = (name: string) => results.get(name)!;
const summary = (a: Assessment) => a.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.class} ${f.object ?? ''}`);

beforeAll(async () => {
  repo = GitFixture.create('rollwright-kustomize-');
  const first = repo.commit('initial', {
    'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - pvc.yaml\n',
    'base/deployment.yaml': deployment(A),
    'base/pvc.yaml': pvc,
    'overlays/prod/kustomization.yaml': overlay('prod-'),
    'overlays/staging/kustomization.yaml': overlay('staging-'),
    'other/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: "1"}\n',
    'gen/kustomization.yaml':
      'resources:\n  - ../base\nnamePrefix: gen-\nconfigMapGenerator:\n  - name: web-config\n    literals: [MODE=blue]\nsecretGenerator:\n  - name: web-secret\n    literals: [TOKEN=first-token-value]\n',
  });
  const steps: Array<[string, Record<string, string>, string[]?]> = [
    ['prefix', { 'overlays/prod/kustomization.yaml': overlay('shop-prod-') }],
    ['base-image', { 'base/deployment.yaml': deployment(B) }],
    [
      'generator',
      {
        'gen/kustomization.yaml': repo
          .read('gen/kustomization.yaml')
          .replace('MODE=blue', 'MODE=green')
          .replace('first-token-value', SECRET),
      },
    ],
    [
      'plain-secret',
      {
        'base/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: ${SECRET}}\n`,
        'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - pvc.yaml\n  - secret.yaml\n',
      },
    ],
    ['broken', { 'overlays/staging/kustomization.yaml': overlay('staging-', '  - missing.yaml\n') }],
    ['overlay-deleted', {}, ['overlays/staging']],
  ];
  let parent = first;
  for (const [name, files, del] of steps) {
    const head = repo.commit(name, files, del ? { delete: del } : {});
    commits[name] = { base: parent, head };
    parent = head;
  }
  await Promise.all(
    Object.entries(commits).map(async ([name, c]) =>
      results.set(name, await assess({ repo: repo.dir, base: c.base, head: c.head, surfaces, rules: allRules() })),
    ),
  );
}, 240_000);
afterAll(() => repo?.cleanup());

describe('kustomize rendered diff (real kubectl kustomize)', () => {
  it('a namePrefix change over a PVC: the claim is renamed, the old one deleted with its volume', () => {
    const a = run('prefix');
    expect(a.class, summary(a).join('\n')).toBe('non-recoverable-without-restore');
    const rendered = 'overlays/prod/kustomization.yaml (rendered)';
    expect(a.findings.find((f) => f.rule === 'kustomize/name-prefix-changed')).toMatchObject({
      file: 'overlays/prod/kustomization.yaml',
      line: 4,
      class: 'reversible-with-manual-repair',
    });
    const pvcDeleted = a.findings.filter((f) => f.rule === 'kubernetes/stateful-object-deleted');
    expect(pvcDeleted.map((f) => [f.file, f.object, f.class])).toEqual([
      [rendered, '/PersistentVolumeClaim/shop/prod-data', 'non-recoverable-without-restore'],
    ]);
    // The deployment is renamed too: the old one goes (stateless), the staging overlay is untouched.
    expect(
      a.findings.some(
        (f) => f.rule === 'kubernetes/stateless-object-deleted' && f.object === 'apps/Deployment/shop/prod-web',
      ),
    ).toBe(true);
    expect(a.findings.every((f) => !f.file.startsWith('overlays/staging'))).toBe(true);
  });

  it('a base change is assessed in every overlay that uses it, and only there', () => {
    const a = run('base-image');
    const images = a.findings.filter((f) => f.rule === 'kubernetes/image-changed').map((f) => `${f.file} ${f.object}`);
    expect(images).toEqual([
      'base/deployment.yaml apps/Deployment/default/web',
      'gen/kustomization.yaml (rendered) apps/Deployment/default/gen-web',
      'overlays/prod/kustomization.yaml (rendered) apps/Deployment/shop/shop-prod-web',
      'overlays/staging/kustomization.yaml (rendered) apps/Deployment/shop/staging-web',
    ]);
    expect(a.findings.some((f) => f.file.startsWith('other/'))).toBe(false);
    expect(a.class).toBe('fully-reversible');
  });

  it('generator hash-suffix churn is not a finding, and no secret value appears', () => {
    const a = run('generator');
    expect(summary(a)).toEqual([]);
    expect(JSON.stringify(a)).not.toContain(SECRET);
  });

  it('a plaintext Secret in a base is reported per overlay by key, never by value', () => {
    const a = run('plain-secret');
    const files = a.findings.filter((f) => f.rule === 'kubernetes/plaintext-secret').map((f) => f.file);
    expect(files).toContain('base/secret.yaml');
    expect(files).toContain('overlays/prod/kustomization.yaml (rendered)');
    expect(JSON.stringify(a)).not.toContain(SECRET);
  });

  it("an overlay that no longer renders is a finding naming the file and kubectl's reason", () => {
    const a = run('broken');
    const f = a.findings.filter((x) => x.rule === 'kustomize/render-failed');
    expect(f.map((x) => [x.file, x.line, x.class, x.messageId])).toEqual([
      ['overlays/staging/kustomization.yaml', 1, 'non-recoverable-without-restore', 'failed'],
    ]);
    expect(f[0]!.message).toMatch(/missing\.yaml/);
    expect(f[0]!.message).not.toMatch(/rollwright-kustomize-/);
    expect(a.gate.passed).toBe(false);
  });

  it('a deleted overlay whose base revision did not render is still reported', () => {
    const a = run('overlay-deleted');
    // The base side did not render (missing.yaml): reported at the base, not passed.
    expect(a.findings.map((f) => f.rule)).toContain('kustomize/render-failed');
  });
});

describe('kustomize helpers', () => {
  it('joins relative paths and refuses to leave the repository', () => {
    expect(joinPath('overlays/prod', '../../base')).toBe('base');
    expect(joinPath('a', '../../x')).toBeUndefined();
  });
  it('tells remote references from local ones', () => {
    expect(isRemote('github.com/acme/x//y?ref=v1')).toBe(true);
    expect(isRemote('https://example.com/x')).toBe(true);
    expect(isRemote('git@github.com:acme/x.git')).toBe(true);
    expect(isRemote('../base')).toBe(false);
    expect(isRemote('deployment.yaml')).toBe(false);
  });
  it('cleans kubectl messages of the temporary directory and of key=value text', () => {
    expect(cleanReason('error: accumulating resources: "/tmp/x/a.env" line "PASSWORD=hunter2" bad\n', '/tmp/x')).toBe(
      'accumulating resources: "a.env" line "(redacted)" bad',
    );
  });
  it("drops kubectl's klog header, which differs on every run", () => {
    expect(cleanReason('E1204 21:18:13.155875   27942 run.go:72] "command failed"\n', '/tmp/x')).toBe(
      '"command failed"',
    );
  });
  it('finds roots: overlays no other kustomization references', async () => {
    const { memoryRepo } = await import('../../testing/rule-tester.js');
    const files = {
      'base/kustomization.yaml': 'resources: [d.yaml]\n',
      'o/a/kustomization.yaml': 'resources: [../../base]\n',
      'o/b/kustomization.yaml': 'resources:\n  - ../../base\n  - github.com/x/y?ref=v1\n',
    };
    const g = await loadGraph(memoryRepo(files, files), 'head');
    expect(g.roots).toEqual(['o/a', 'o/b']);
    expect(g.closure('o/b')).toEqual(['base', 'o/b']);
    expect(g.nodes.get('o/b')!.remote).toEqual(['github.com/x/y?ref=v1']);
  });
});

describe('the overlay graph restricted to a change', () => {
  it('names the texts that may reference a directory (sound for escapes, quotes and parent references)', () => {
    const cases: Array<[string | undefined, string, string, boolean]> = [
      ['resources: [../../apps/base/web]', 'clusters/prod', 'apps/base/web', true],
      ['resources: [../../apps/base/api]', 'clusters/prod', 'apps/base/web', false],
      ['resources: ["../../apps/base/w\\x65b"]', 'clusters/prod', 'apps/base/web', true],
      ['resources: [..]', 'apps/base', 'apps', true],
      ['resources: [../x/..]', 'a/b', '', true],
      ["resources: ['../it''s']", 'a/b', "a/it's", true],
      ['resources: [../my dir]', 'a/b', 'a/my dir', true],
      ['resources: [web]', 'apps/web', 'apps/web', false],
      [undefined, 'clusters/prod', 'apps/base/web', false],
    ];
    for (const [text, dir, target, want] of cases)
      expect([text, dir, target, mayReference(text, dir, target)]).toEqual([text, dir, target, want]);
  });

  it('gives the overlays that read a changed path, with their closures and roots, as the whole graph does', async () => {
    const { memoryRepo } = await import('../../testing/rule-tester.js');
    const base: Record<string, string> = {
      'kustomization.yaml': 'resources: [apps/one]\n',
      'apps/base/web/kustomization.yaml': 'resources: [d.yaml]\n',
      'apps/base/web/d.yaml': 'x: 1\n',
      'apps/base/api/kustomization.yaml': 'resources: [d.yaml]\n',
      'apps/base/api/d.yaml': 'x: 1\n',
      'apps/one/kustomization.yaml': 'resources: [../base/web, ../base/api]\n',
      'apps/two/kustomization.yaml': 'resources:\n  - "../base/\\x77eb"\n',
      'clusters/a/kustomization.yaml': 'resources: [../../apps/two, ./own]\n',
      'clusters/a/own/kustomization.yaml': 'resources: [..]\n',
      'clusters/b/kustomization.yaml': 'resources: [../../apps/base/api]\n',
      'clusters/c/kustomization.yaml': 'resources: [../../new]\n',
      'lone/kustomization.yaml': 'resources: [x.yaml]\n',
    };
    const head: Record<string, string> = {
      ...base,
      'apps/base/web/d.yaml': 'x: 2\n',
      'new/kustomization.yaml': 'resources: [../apps/base/web]\n',
    };
    const repo = memoryRepo(base, head);
    const full = { base: await loadGraph(repo, 'base'), head: await loadGraph(repo, 'head') };
    for (const changed of [
      ['apps/base/web/d.yaml'],
      ['apps/base/api/d.yaml'],
      ['clusters/a/own/p.yaml'],
      ['new/kustomization.yaml'],
      ['lone/x.yaml'],
    ]) {
      const part = await loadGraphs(repo, changed);
      for (const s of ['base', 'head'] as const) {
        const affected = (g: typeof part.base) =>
          g.roots
            .filter((r) => g.closure(r).some((d) => changed.some((p) => inDir(p, d))))
            .map((r) => [r, g.closure(r)]);
        expect([changed, s, affected(part[s])]).toEqual([changed, s, affected(full[s])]);
        expect(affected(full[s]).length).toBeGreaterThan(0);
      }
    }
    // A change to one app parses only what reaches it (a kustomization at the root reaches every path).
    const one = await loadGraphs(repo, ['lone/x.yaml']);
    expect([...one.head.nodes.keys()].sort()).toEqual(['', 'apps/base/api', 'apps/base/web', 'apps/one', 'lone']);
    const { 'kustomization.yaml': _root, ...noRoot } = head;
    const web = await loadGraphs(memoryRepo(noRoot, noRoot), ['apps/base/web/d.yaml']);
    expect([...web.head.nodes.keys()].sort()).toEqual([
      'apps/base/api',
      'apps/base/web',
      'apps/one',
      'apps/two',
      'clusters/a',
      'clusters/a/own',
      'clusters/c',
      'new',
    ]);
    expect(web.head.roots).toEqual(['apps/one', 'clusters/c']);
  });
});
