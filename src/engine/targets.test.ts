import { describe, expect, it } from 'vitest';
import type { ChangedFile, RepoReader } from '../core/change.js';
import { defaultConfig } from '../core/config.js';
import { artifactFact, collectTargets, type CheckedTarget, type TargetReport } from './targets.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;

/** A repository of plain texts per side, for the HelmRepository look-up. */
function reader(base: Record<string, string>, head: Record<string, string> = base): RepoReader {
  const of = (s: 'base' | 'head') => (s === 'base' ? base : head);
  return {
    readText: async (s, p) => of(s)[p],
    listDir: async () => [],
    grep: async (s, strings) => Object.keys(of(s)).filter((p) => strings.some((x) => of(s)[p]!.includes(x))),
  };
}

function modified(path: string, oldText: string, newText: string): ChangedFile {
  return { status: 'modified', path, oldText, newText };
}

async function targets(files: ChangedFile[], repo: RepoReader = reader({}), side: 'base' | 'head' = 'base') {
  return collectTargets({ files, repo, config: defaultConfig() }, side);
}

const deployment = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: ${replicas}
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/migrate:1.0.0
      containers:
        - name: web
          image: ${image}
`;

describe('collectTargets', () => {
  it('a digest bump: the previous digest, where it was, what replaced it', async () => {
    const t = await targets([
      modified('apps/web.yaml', deployment(`ghcr.io/acme/web@${D('a')}`), deployment(`ghcr.io/acme/web@${D('b')}`)),
    ]);
    expect(t).toEqual([
      {
        kind: 'image',
        target: `ghcr.io/acme/web@${D('a')}`,
        what: 'Deployment shop/web container web',
        file: 'apps/web.yaml',
        line: 15,
        replacedBy: `ghcr.io/acme/web@${D('b')}`,
        check: { kind: 'image', ref: `ghcr.io/acme/web@${D('a')}` },
      },
    ]);
    // The revert's view: the head side is what comes back.
    expect(
      (
        await targets(
          [
            modified(
              'apps/web.yaml',
              deployment(`ghcr.io/acme/web@${D('a')}`),
              deployment(`ghcr.io/acme/web@${D('b')}`),
            ),
          ],
          reader({}),
          'head',
        )
      )[0]!.target,
    ).toBe(`ghcr.io/acme/web@${D('b')}`);
  });

  it('nothing when no reference changes; every image of a deleted workload; a template value is not checked', async () => {
    expect(
      await targets([
        modified('apps/web.yaml', deployment('ghcr.io/acme/web:1', 2), deployment('ghcr.io/acme/web:1', 3)),
      ]),
    ).toEqual([]);
    const del = await targets([
      { status: 'deleted', path: 'apps/web.yaml', oldText: deployment('ghcr.io/acme/web:1') },
    ]);
    expect(del.map((x) => x.target)).toEqual(['ghcr.io/acme/migrate:1.0.0', 'ghcr.io/acme/web:1']);
    const tpl = await targets([
      modified('apps/web.yaml', deployment('ghcr.io/acme/web:${TAG}'), deployment('ghcr.io/acme/web:2')),
    ]);
    expect(tpl[0]).toMatchObject({ check: null, why: expect.stringMatching(/template value/) });
  });

  it('a HelmRelease version bump, with the url of its HelmRepository found in another file', async () => {
    const rel = (v: string) =>
      `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: web, namespace: shop }\nspec:\n  chart:\n    spec:\n      chart: web\n      version: ${v}\n      sourceRef: { kind: HelmRepository, name: acme-charts, namespace: flux-system }\n`;
    const repoYaml =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: { name: acme-charts, namespace: flux-system }\nspec:\n  type: oci\n  url: oci://ghcr.io/acme/charts\n';
    const t = await targets(
      [modified('flux/web.yaml', rel('1.2.0'), rel('2.0.0'))],
      reader({ 'flux/sources.yaml': repoYaml, 'flux/web.yaml': rel('1.2.0') }),
    );
    expect(t).toEqual([
      expect.objectContaining({
        kind: 'chart',
        target: 'chart web 1.2.0 (oci://ghcr.io/acme/charts)',
        what: 'HelmRelease shop/web',
        line: 8,
        replacedBy: '2.0.0',
        check: { kind: 'chart', repo: 'oci://ghcr.io/acme/charts', chart: 'web', version: '1.2.0' },
      }),
    ]);
    const lost = await targets([modified('flux/web.yaml', rel('1.2.0'), rel('2.0.0'))]);
    expect(lost[0]).toMatchObject({ check: null, why: expect.stringMatching(/source object was not found/) });
  });

  it('Argo CD sources: a Helm chart (https and scheme-less OCI) and a git revision', async () => {
    const app = (chartRev: string, gitRev: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web, namespace: argocd }
spec:
  sources:
    - repoURL: https://charts.example/stable
      chart: web
      targetRevision: ${chartRev}
    - repoURL: ghcr.io/acme/charts
      chart: api
      targetRevision: ${chartRev}
    - repoURL: https://git.example/acme/config.git
      targetRevision: ${gitRev}
      ref: values
`;
    const t = await targets([modified('argocd/web.yaml', app('1.0.0', 'v10'), app('1.1.0', 'v11'))]);
    expect(
      t.map((x) => [
        x.kind,
        x.target,
        x.check && 'repo' in x.check ? x.check.repo : x.check && 'url' in x.check ? x.check.url : null,
      ]),
    ).toEqual([
      ['chart', 'chart web 1.0.0 (https://charts.example/stable)', 'https://charts.example/stable'],
      ['chart', 'chart api 1.0.0 (oci://ghcr.io/acme/charts)', 'oci://ghcr.io/acme/charts'],
      ['git', 'https://git.example/acme/config.git v10', 'https://git.example/acme/config.git'],
    ]);
  });

  it('Chart.yaml dependencies: remote ones are targets; a local alias cannot be checked; file:// is not an artifact', async () => {
    const chart = (v: string) =>
      `apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: ${v}\n    repository: oci://registry-1.docker.io/bitnamicharts\n  - name: redis\n    version: ${v}\n    repository: "@bitnami"\n  - name: common\n    version: ${v}\n    repository: file://../common\n`;
    const t = await targets([modified('charts/shop/Chart.yaml', chart('12.1.0'), chart('13.0.0'))]);
    expect(t.map((x) => [x.target, x.check ? 'checkable' : x.why])).toEqual([
      ['chart postgresql 12.1.0 (oci://registry-1.docker.io/bitnamicharts)', 'checkable'],
      ['chart redis 12.1.0 (@bitnami)', expect.stringMatching(/local alias/)],
    ]);
  });

  it('kustomization images and remote resources', async () => {
    const k = (tag: string, ref: string) =>
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - https://github.com/acme/deploy//base?ref=${ref}\n  - ./local\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: "${tag}"\n`;
    const t = await targets([modified('overlays/prod/kustomization.yaml', k('1.4.0', 'v3'), k('1.5.0', 'v4'))]);
    expect(t.map((x) => [x.kind, x.target, x.line])).toEqual([
      ['git', 'https://github.com/acme/deploy//base?ref=v3', 4],
      ['image', 'ghcr.io/acme/web:1.4.0', 7],
    ]);
  });

  it('chart values: image blocks by the repository/tag convention', async () => {
    const v = (tag: string) =>
      `replicaCount: 2\nimage:\n  registry: ghcr.io\n  repository: acme/web\n  tag: ${tag}\nsidecar:\n  image: { repository: envoyproxy/envoy, tag: v1.30.0 }\n`;
    const t = await targets([modified('charts/web/values.yaml', v('1.4.0'), v('1.5.0'))]);
    expect(t.map((x) => [x.target, x.what, x.replacedBy])).toEqual([
      ['ghcr.io/acme/web:1.4.0', 'values image', 'ghcr.io/acme/web:1.5.0'],
    ]);
  });

  it('Terraform modules: a registry version and a git ref', async () => {
    const tf = (v: string, ref: string) =>
      `module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "${v}"\n}\n\nmodule "dns" {\n  source = "git::https://git.example/acme/dns.git?ref=${ref}"\n}\n\nmodule "local" {\n  source = "./modules/x"\n}\n`;
    const t = await targets([modified('infra/main.tf', tf('5.1.0', 'v1.0.0'), tf('5.2.0', 'v1.1.0'))]);
    expect(t.map((x) => [x.kind, x.target, x.what, x.line, x.check])).toEqual([
      [
        'module',
        'terraform-aws-modules/vpc/aws 5.1.0',
        'module.vpc',
        1,
        {
          kind: 'module',
          host: 'registry.terraform.io',
          namespace: 'terraform-aws-modules',
          name: 'vpc',
          system: 'aws',
          version: '5.1.0',
        },
      ],
      [
        'git',
        'git::https://git.example/acme/dns.git?ref=v1.0.0',
        'module.dns',
        6,
        { kind: 'git', url: 'https://git.example/acme/dns.git', ref: 'v1.0.0' },
      ],
    ]);
  });

  it('Flux sources: an OCIRepository tag and a GitRepository tag', async () => {
    const oci = (tag: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata: { name: manifests, namespace: flux-system }\nspec:\n  url: oci://ghcr.io/acme/manifests\n  ref:\n    tag: ${tag}\n`;
    const git = (tag: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: config, namespace: flux-system }\nspec:\n  url: https://git.example/acme/config.git\n  ref:\n    tag: ${tag}\n`;
    const t = await targets([
      modified('flux/oci.yaml', oci('1.0.0'), oci('1.1.0')),
      modified('flux/git.yaml', git('v1'), git('v2')),
    ]);
    expect(t.map((x) => [x.kind, x.target, x.check])).toEqual([
      [
        'git',
        'https://git.example/acme/config.git v1',
        { kind: 'git', url: 'https://git.example/acme/config.git', ref: 'v1' },
      ],
      ['image', 'ghcr.io/acme/manifests:1.0.0', { kind: 'image', ref: 'ghcr.io/acme/manifests:1.0.0' }],
    ]);
  });

  it('images changed in rendered output come from the assessment', async () => {
    const t = await collectTargets(
      {
        files: [],
        repo: reader({}),
        config: defaultConfig(),
        findings: [
          {
            rule: 'kubernetes/image-changed',
            surface: 'kubernetes',
            class: 'fully-reversible',
            severity: 'info',
            message: '',
            messageId: 'digestToDigest',
            file: 'overlays/prod/kustomization.yaml',
            line: 1,
            data: {
              workload: 'Deployment shop/web',
              container: 'container web',
              from: `ghcr.io/acme/web@${D('a')}`,
              to: `ghcr.io/acme/web@${D('b')}`,
            },
          },
        ],
      },
      'base',
    );
    expect(t).toEqual([
      expect.objectContaining({
        target: `ghcr.io/acme/web@${D('a')}`,
        what: 'Deployment shop/web container web (rendered)',
      }),
    ]);
  });

  it('a malformed file yields no target and no crash', async () => {
    expect(await targets([modified('apps/x.yaml', 'kind: [unclosed', 'kind: Deployment')])).toEqual([]);
    expect(await targets([modified('infra/x.tf', 'module "a" {', 'module "a" {}')])).toEqual([]);
  });
});

describe("artifactFact (the decision's artifact-available, sourced live)", () => {
  const checked = (over: Partial<CheckedTarget>): CheckedTarget => ({
    kind: 'image',
    target: `ghcr.io/acme/web@${D('a')}`,
    what: 'Deployment shop/web container web',
    file: 'apps/web.yaml',
    line: 15,
    replacedBy: null,
    check: { kind: 'image', ref: `ghcr.io/acme/web@${D('a')}` },
    status: 'present',
    reason: 'exists',
    source: 'live',
    ...over,
  });
  const report = (targets: CheckedTarget[]): TargetReport => ({
    schema: 'rollwright.targets/v1',
    mode: 'change',
    base: 'a',
    head: 'b',
    offline: false,
    targets,
    counts: { present: 0, missing: 0, unauthorised: 0, unreachable: 0, 'rate-limited': 0, unknown: 0 },
  });

  it('missing: no, with the refusal "previous artifact missing" naming the digest', () => {
    const f = artifactFact(
      report([
        checked({ status: 'missing', reason: 'manifest unknown' }),
        checked({ kind: 'chart', target: 'chart web 1.0.0 (https://c)' }),
      ]),
    );
    expect(f).toMatchObject({
      value: false,
      source: 'live',
      refusal: `previous artifact missing: ghcr.io/acme/web@${D('a')}`,
    });
    expect(f.evidence).toBe(`ghcr.io/acme/web@${D('a')} no longer exists (manifest unknown)`);
  });
  it('present and signed: yes, with the signature', () => {
    const f = artifactFact(
      report([
        checked({
          signature: {
            status: 'present',
            via: 'cosign-tag',
            types: ['application/vnd.dev.cosign.simplesigning.v1+json'],
            digests: [],
            reason: '',
          },
        }),
      ]),
    );
    expect(f).toMatchObject({
      value: true,
      refusal: null,
      previousArtifact: `ghcr.io/acme/web@${D('a')}`,
      signatures: [{ status: 'present', via: 'cosign-tag' }],
    });
    expect(f.evidence).toContain('signed (application/vnd.dev.cosign.simplesigning.v1+json via cosign-tag)');
  });
  it('offline or unreachable: no answer (null), so the decision keeps its assumption', () => {
    expect(artifactFact(report([checked({ status: 'unknown', reason: 'offline', source: 'offline' })]))).toMatchObject({
      value: null,
      evidence: expect.stringContaining('unknown (offline)'),
    });
    expect(
      artifactFact(report([checked({}), checked({ target: 'x', status: 'unreachable', reason: 'refused' })])).value,
    ).toBeNull();
    expect(artifactFact(report([])).value).toBeNull();
  });
});
