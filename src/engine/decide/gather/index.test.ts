import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { recordEvent, type RecordInput } from '../../../ledger/record.js';
import { Ledger } from '../../../ledger/store.js';
import { GitFixture } from '../../../testing/git-fixture.js';
import { webDeployment } from '../fixtures.js';
import { gatherDecisionInput, normalizeRepoUrl } from './index.js';
import { decide } from '../decide.js';

const fixtures: GitFixture[] = [];
afterEach(() => {
  for (const f of fixtures.splice(0)) f.cleanup();
});
function fixture(): GitFixture {
  const f = GitFixture.create('rollwright-gather-');
  fixtures.push(f);
  return f;
}

const D1 = 'registry.example/web@sha256:' + '1'.repeat(64);
const D2 = 'registry.example/web@sha256:' + '2'.repeat(64);

const argoApp = (name: string, path: string, automated: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example/platform.git
    targetRevision: v1.0.0
    path: ${path}
  destination: { server: https://kubernetes.default.svc, namespace: shop }
  syncPolicy:
${automated}
`;

/** A repository with two Argo CD Applications: one for all apps (no selfHeal), one for web in prod (selfHeal). */
function argoRepo(f: GitFixture): { bad: string; base: string } {
  const base = f.commit('web v1', {
    'argocd/apps.yaml': argoApp('apps', 'apps', '    automated: { prune: false }'),
    'argocd/web-prod.yaml': argoApp(
      'web-prod',
      'apps/web/overlays/prod',
      '    automated:\n      prune: true\n      selfHeal: true',
    ),
    'argocd/unrelated.yaml': argoApp('db', 'platform/db', '    automated: { selfHeal: true }'),
    'apps/web/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'apps/web/base/deployment.yaml': webDeployment(D1),
    'apps/web/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\nnamespace: shop\n',
    'platform/db/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: db\n',
  });
  const bad = f.commit('web: new digest', { 'apps/web/base/deployment.yaml': webDeployment(D2) });
  return { bad, base };
}

describe('gatherDecisionInput: the change', () => {
  it('a commit: its change against its first parent, with the Argo CD Applications that reconcile it, narrowest first', async () => {
    const f = fixture();
    const { bad, base } = argoRepo(f);
    const g = await gatherDecisionInput({ repo: f.dir, change: bad.slice(0, 10), at: '2026-01-06T00:00:00Z' });
    expect(g.input.change).toBe(bad);
    expect(g.input.commits).toEqual([bad]);
    expect(g.input.assessment.base).toBe(base);
    expect(g.input.assessment.head).toBe(bad);
    expect(g.input.assessment.findings.map((x) => x.rule)).toContain('kubernetes/image-changed');
    expect(g.input.repository.reconcilers).toEqual([
      {
        controller: 'argocd',
        kind: 'Application',
        name: 'web-prod',
        namespace: 'argocd',
        file: 'argocd/web-prod.yaml',
        line: 4,
        paths: ['apps/web/overlays/prod'],
        covers: ['apps/web/base/deployment.yaml'],
        automated: true,
        selfHeal: true,
        prune: true,
        suspended: false,
        syncPolicy: '{"automated":{"prune":true,"selfHeal":true}}',
      },
      {
        controller: 'argocd',
        kind: 'Application',
        name: 'apps',
        namespace: 'argocd',
        file: 'argocd/apps.yaml',
        line: 4,
        paths: ['apps'],
        covers: ['apps/web/base/deployment.yaml'],
        automated: true,
        selfHeal: false,
        prune: false,
        suspended: false,
        syncPolicy: '{"automated":{"prune":false}}',
      },
    ]);
    expect(g.input.repository.rollouts).toEqual([]);
    expect(g.input.repository.workspaces).toEqual([]);
    expect(g.input.ledger).toBeNull();
    expect(g.ledgerState).toBe('absent');
    expect(g.input.at).toBe('2026-01-06T00:00:00Z');
    // Reading never creates a ledger.
    expect(existsSync(join(f.dir, '.rollwright', 'ledger.db'))).toBe(false);
  });

  it('the loops are those of HEAD: an Application added after the change reconciles it, one removed since does not', async () => {
    const f = fixture();
    f.commit('base', {
      'apps/web/deployment.yaml': webDeployment(D1),
      'argocd/old.yaml': argoApp('old', 'apps/web', '    automated: { selfHeal: true }'),
    });
    const bad = f.commit('web: new digest', { 'apps/web/deployment.yaml': webDeployment(D2) });
    f.commit('argocd: web under a new Application', {
      'argocd/new.yaml': argoApp('new', 'apps/web', '    automated: { selfHeal: true }'),
    });
    f.commit('argocd: retire the old one', {}, { delete: ['argocd/old.yaml'] });
    const g = await gatherDecisionInput({ repo: f.dir, change: bad });
    expect(g.input.repository.reconcilers.map((r) => `${r.name} ${r.file} ${r.selfHeal}`)).toEqual([
      'new argocd/new.yaml true',
    ]);
  });

  it('an Argo CD file that does not parse is listed as unread, never read as "no loop"', async () => {
    const f = fixture();
    f.commit('base', {
      'apps/web/deployment.yaml': webDeployment(D1),
      'argocd/web.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: [web\n',
    });
    const bad = f.commit('web: new digest', { 'apps/web/deployment.yaml': webDeployment(D2) });
    const g = await gatherDecisionInput({ repo: f.dir, change: bad });
    expect(g.input.repository.reconcilers).toEqual([]);
    expect(g.input.repository.unreadLoops).toEqual([
      { file: 'argocd/web.yaml', line: expect.any(Number), reason: expect.stringMatching(/^YAML: /) },
    ]);
  });

  it('with remotes, an Application whose source is another repository does not reconcile our paths', async () => {
    const f = fixture();
    f.commit('base', {
      'argocd/ours.yaml': argoApp('ours', 'apps/web', '    automated: { selfHeal: true }').replace(
        'https://git.example/platform.git',
        'git@git.example:Platform.git',
      ),
      'argocd/theirs.yaml': argoApp('theirs', 'apps/web', '    automated: { selfHeal: true }').replace(
        'https://git.example/platform.git',
        'https://git.example/other.git',
      ),
      'apps/web/deployment.yaml': webDeployment(D1),
    });
    const c = f.commit('bump', { 'apps/web/deployment.yaml': webDeployment(D2) });
    f.git('remote', 'add', 'origin', 'https://git.example/platform.git');
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    expect(g.input.repository.reconcilers.map((r) => r.name)).toEqual(['ours']);
    expect(
      [
        'https://github.com/Org/Repo.git',
        'git@github.com:org/repo',
        'ssh://git@github.com/org/repo.git',
        'ssh://git@github.com:22/org/repo',
      ].map(normalizeRepoUrl),
    ).toEqual(['github.com/org/repo', 'github.com/org/repo', 'github.com/org/repo', 'github.com/org/repo']);
  });

  it('with remotes, a Flux Kustomization reading another GitRepository does not reconcile our paths', async () => {
    const f = fixture();
    const ks = (name: string, source: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/web
  prune: true
  sourceRef: { kind: GitRepository, name: ${source} }
`;
    const gitRepo = (name: string, url: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 1m
  url: ${url}
  ref: { branch: main }
`;
    f.commit('base', {
      'flux/sources.yaml':
        gitRepo('flux-system', 'ssh://git@git.example/platform') +
        '---\n' +
        gitRepo('vendor', 'https://git.example/vendor.git'),
      'flux/ours.yaml': ks('ours', 'flux-system'),
      'flux/theirs.yaml': ks('theirs', 'vendor'),
      'apps/web/deployment.yaml': webDeployment(D1),
    });
    const c = f.commit('bump', { 'apps/web/deployment.yaml': webDeployment(D2) });
    f.git('remote', 'add', 'origin', 'https://git.example/platform.git');
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    expect(g.input.repository.reconcilers.map((r) => r.name)).toEqual(['ours']);
  });

  it('a range A..B: every commit, oldest first', async () => {
    const f = fixture();
    const { base } = argoRepo(f);
    const c2 = f.commit('web: scale', {
      'apps/web/base/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: shop\n',
    });
    const g = await gatherDecisionInput({ repo: f.dir, change: `${base}..${c2}` });
    expect(g.input.change).toBe(`${base}..${c2}`);
    expect(g.input.commits).toEqual([f.rev('HEAD~1'), c2]);
    expect(g.input.repository.reconcilers.map((r) => [r.name, r.covers])).toEqual([
      ['web-prod', ['apps/web/base/deployment.yaml', 'apps/web/base/extra.yaml']],
      ['apps', ['apps/web/base/deployment.yaml', 'apps/web/base/extra.yaml']],
    ]);
  });

  it('refuses a range that holds a merge commit, naming it', async () => {
    const f = fixture();
    const base = f.commit('one', { 'a.yaml': 'a: 1\n' });
    f.branch('topic');
    f.commit('topic work', { 'b.yaml': 'b: 1\n' });
    f.switch('main');
    f.commit('main work', { 'c.yaml': 'c: 1\n' });
    f.git('-c', 'commit.gpgsign=false', 'merge', '--no-ff', '-q', '-m', 'Merge topic', 'topic');
    const merge = f.head();
    const err = await gatherDecisionInput({ repo: f.dir, change: `${base}..HEAD` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(`merge commit ${merge.slice(0, 12)} ("Merge topic")`);
    // A merge commit given alone stands for the commits it brought in.
    const g = await gatherDecisionInput({ repo: f.dir, change: merge });
    expect(g.input.commits).toEqual([f.rev('topic')]);
    expect(g.input.assessment.base).toBe(base);
    expect(g.input.resolution).toMatchObject({
      source: 'argument',
      how: `--change ${merge}: the merge ${merge.slice(0, 12)} ("Merge topic"): the 1 commit it brought in (${base.slice(0, 12)}..${f.rev('topic').slice(0, 12)})`,
    });
  });

  it('a change id: the commits that added or edited its declaration file at HEAD', async () => {
    const f = fixture();
    f.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    const c1 = f.commit('web v2', {
      'apps/web/deployment.yaml': webDeployment(D2),
      '.rollwright/changes/CHG-2026-0821.yaml':
        'change:\n  id: CHG-2026-0821\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: revert\n',
    });
    const c2 = f.commit('declare window', {
      '.rollwright/changes/CHG-2026-0821.yaml':
        'change:\n  id: CHG-2026-0821\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: revert\n  rollbackWindow: 24h\n',
    });
    f.commit('later unrelated', { 'docs/readme.yaml': 'x: 1\n' });
    const g = await gatherDecisionInput({ repo: f.dir, change: 'CHG-2026-0821' });
    expect(g.input.change).toBe('CHG-2026-0821');
    expect(g.input.commits).toEqual([c1, c2]);
    expect(g.input.declaration?.id).toBe('CHG-2026-0821');
    expect(g.input.declaration?.rollbackWindow).toBe('24h');
    expect(g.input.environment).toBe('prod');
  });

  it('a change id: a commit with a Change-Id trailer', async () => {
    const f = fixture();
    f.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    const c = f.commit('web v2\n\nChange-Id: CHG-7\nRollback-Class: fully-reversible', {
      'apps/web/deployment.yaml': webDeployment(D2),
    });
    f.commit('mentions CHG-7 in its subject only', { 'x.yaml': 'x: 1\n' });
    const g = await gatherDecisionInput({ repo: f.dir, change: 'CHG-7' });
    expect(g.input.change).toBe('CHG-7');
    expect(g.input.commits).toEqual([c]);
    expect(g.input.declaration?.source).toBe(`trailer:${c.slice(0, 12)}`);
  });

  it('a change id: the commit the ledger recorded for it', async () => {
    const f = fixture();
    f.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    const c = f.commit('web v2', { 'apps/web/deployment.yaml': webDeployment(D2) });
    await withLedger(f, [
      { type: 'change.merged', change: 'CHG-9', at: '2026-01-05T10:00:00Z', payload: { commit: c } },
    ]);
    const g = await gatherDecisionInput({ repo: f.dir, change: 'CHG-9', at: '2026-01-06T00:00:00Z' });
    expect(g.input.commits).toEqual([c]);
    expect(g.input.change).toBe('CHG-9');
  });

  it('a change id resolves the way it shipped: the ledger first, then trailers, then the declaration history', async () => {
    const f = fixture();
    const decl = (extra = '') =>
      `change:\n  id: CHG-42\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: revert${extra}\n`;
    f.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    f.branch('feature');
    const change = f.commit('web v2\n\nChange-Id: CHG-42', { 'apps/web/deployment.yaml': webDeployment(D2) });
    const added = f.commit('declare CHG-42', { '.rollwright/changes/CHG-42.yaml': decl() });
    const edited = f.commit('CHG-42: verification', {
      '.rollwright/changes/CHG-42.yaml': decl('\n  verification: [error-rate < 1%]'),
    });
    f.switch('main');
    f.commit('unrelated', { 'docs/x.yaml': 'x: 1\n' });
    f.git('-c', 'commit.gpgsign=false', 'merge', '--no-ff', '-q', '-m', 'Merge feature', 'feature');
    const merge = f.head();
    const mb = f.git('merge-base', 'main~1', 'feature');

    // Trailers (no ledger): the one commit that carries Change-Id: CHG-42.
    const byTrailer = await gatherDecisionInput({ repo: f.dir, change: 'CHG-42' });
    expect(byTrailer.input.commits).toEqual([change]);
    expect(byTrailer.input.resolution).toMatchObject({
      source: 'trailer',
      how: `1 commit with the trailer Change-Id: CHG-42: the commit ${change.slice(0, 12)} ("web v2") against its first parent`,
      declarationOnly: false,
    });
    // The declaration was added after that commit: it is read as it is at HEAD.
    expect(byTrailer.input.declaration).toMatchObject({ id: 'CHG-42', source: '.rollwright/changes/CHG-42.yaml' });

    // The ledger's record wins: the deployment's merge commit stands for every commit it brought in.
    const path = await withLedger(f, [
      { type: 'change.merged', change: 'CHG-42', at: '2026-01-05T10:00:00Z', payload: { commit: added } },
      {
        type: 'change.deployed',
        change: 'CHG-42',
        service: 'web',
        environment: 'prod',
        at: '2026-01-05T11:00:00Z',
        payload: { commit: merge.slice(0, 12) },
      },
    ]);
    const g = await gatherDecisionInput({
      repo: f.dir,
      change: 'CHG-42',
      store: `sqlite:${path}`,
      at: '2026-01-06T00:00:00Z',
    });
    expect(g.input.commits).toEqual([change, added, edited]);
    expect(g.input.assessment.base).toBe(mb);
    expect(g.input.assessment.head).toBe(edited);
    expect(g.input.resolution).toEqual({
      source: 'ledger',
      how: `change.deployed #2 (prod) recorded the merge ${merge.slice(0, 12)} ("Merge feature"): the 3 commits it brought in (${mb.slice(0, 12)}..${edited.slice(0, 12)})`,
      commits: [
        { sha: change, subject: 'web v2', declarationOnly: false },
        { sha: added, subject: 'declare CHG-42', declarationOnly: true },
        { sha: edited, subject: 'CHG-42: verification', declarationOnly: true },
      ],
      declarationOnly: false,
    });
    expect(g.input.declaration?.verification).toEqual(['error-rate < 1%']);
  });

  it('a declaration added and edited apart from the change: the merge that brought it in, else a warning that only declarations were found', async () => {
    const f = fixture();
    const decl = (extra = '') =>
      `change:\n  id: CHG-43\n  environment: prod\n  rollbackClass: fully-reversible\n  rollbackMethod: revert${extra}\n`;
    f.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    f.branch('feature');
    const change = f.commit('web v2', { 'apps/web/deployment.yaml': webDeployment(D2) });
    const added = f.commit('declare', { '.rollwright/changes/CHG-43.yaml': decl() });
    const edited = f.commit('declare window', { '.rollwright/changes/CHG-43.yaml': decl('\n  rollbackWindow: 24h') });
    f.switch('main');
    f.git('-c', 'commit.gpgsign=false', 'merge', '--no-ff', '-q', '-m', 'Merge feature', 'feature');
    const merge = f.head();
    const g = await gatherDecisionInput({ repo: f.dir, change: 'CHG-43' });
    expect(g.input.commits).toEqual([change, added, edited]);
    expect(g.input.resolution).toMatchObject({
      source: 'declaration',
      how: expect.stringContaining(
        `.rollwright/changes/CHG-43.yaml was added and edited by commits that change nothing else, on a branch merged by the merge ${merge.slice(0, 12)}`,
      ),
      declarationOnly: false,
    });

    // Squashed onto main, with the declaration in commits of its own: nothing ties them to the change.
    const s = fixture();
    s.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    s.commit('web v2', { 'apps/web/deployment.yaml': webDeployment(D2) });
    const d1 = s.commit('declare', { '.rollwright/changes/CHG-43.yaml': decl() });
    const d2 = s.commit('declare window', { '.rollwright/changes/CHG-43.yaml': decl('\n  rollbackWindow: 24h') });
    const only = await gatherDecisionInput({ repo: s.dir, change: 'CHG-43' });
    expect(only.input.commits).toEqual([d1, d2]);
    expect(only.input.resolution).toMatchObject({ source: 'declaration', declarationOnly: true });
    const d = decide(only.input);
    expect(d.resolution.declarationOnly).toBe(true);
    expect(d.resolution.commits.map((c) => c.declarationOnly)).toEqual([true, true]);
  });

  it('a ledger commit this clone does not have is an input error that says to fetch it', async () => {
    const f = fixture();
    f.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    f.commit('web v2\n\nChange-Id: CHG-44', { 'apps/web/deployment.yaml': webDeployment(D2) });
    const path = await withLedger(f, [
      { type: 'change.merged', change: 'CHG-44', at: '2026-01-05T10:00:00Z', payload: { commit: 'f'.repeat(40) } },
    ]);
    const err = await gatherDecisionInput({ repo: f.dir, change: 'CHG-44', store: `sqlite:${path}` }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(
      `the ledger's commit for CHG-44 (change.merged #1: ${'f'.repeat(40)}) is not in this repository: fetch it (git fetch)`,
    );
  });

  it('an id that matches nothing is an input error (exit 2) naming where it looked', async () => {
    const f = fixture();
    f.commit('base', { 'a.yaml': 'a: 1\n' });
    f.commit('two', { 'a.yaml': 'a: 2\n' });
    const err = await gatherDecisionInput({ repo: f.dir, change: 'CHG-404' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toContain('--change "CHG-404" matches nothing');
    expect((err as Error).message).toContain('Change-Id: CHG-404');
    // Hostile text never reaches git as an option.
    const err2 = await gatherDecisionInput({ repo: f.dir, change: '--output=/tmp/x' }).catch((e: unknown) => e);
    expect((err2 as { exitCode?: number }).exitCode).toBe(2);
    const err3 = await gatherDecisionInput({ repo: f.dir, change: 'HEAD~1..--exec=x' }).catch((e: unknown) => e);
    expect((err3 as { exitCode?: number }).exitCode).toBe(2);
  });
});

describe('gatherDecisionInput: the repository', () => {
  it('Flux Kustomizations and a HelmRelease whose Git chart path holds the change; suspend and prune read', async () => {
    const f = fixture();
    const ks = (name: string, path: string, extra = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef: { kind: GitRepository, name: platform }
${extra}`;
    f.commit('base', {
      'clusters/prod/infra.yaml':
        ks('infra', './infrastructure') + '---\n' + ks('apps', './apps/prod', '  suspend: true\n'),
      'clusters/prod/web-release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: shop
spec:
  interval: 5m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: { kind: GitRepository, name: platform, namespace: flux-system }
`,
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'charts/web/values.yaml': 'replicas: 2\n',
      'apps/prod/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\ndata:\n  k: v\n',
    });
    const c = f.commit('change', {
      'charts/web/values.yaml': 'replicas: 3\n',
      'apps/prod/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\ndata:\n  k: w\n',
    });
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    expect(g.input.repository.reconcilers).toEqual([
      {
        controller: 'flux',
        kind: 'HelmRelease',
        name: 'web',
        namespace: 'shop',
        file: 'clusters/prod/web-release.yaml',
        line: 4,
        paths: ['charts/web', 'clusters/prod/web-release.yaml'],
        covers: ['charts/web/values.yaml'],
        automated: true,
        selfHeal: true,
        prune: true,
        suspended: false,
        syncPolicy: null,
      },
      {
        controller: 'flux',
        kind: 'Kustomization',
        name: 'apps',
        namespace: 'flux-system',
        file: 'clusters/prod/infra.yaml',
        line: 15,
        paths: ['apps/prod'],
        covers: ['apps/prod/cm.yaml'],
        automated: false,
        selfHeal: false,
        prune: true,
        suspended: true,
        syncPolicy: null,
      },
    ]);
  });

  it("the loops that sync an Application's own manifest: an app of apps, itself applied by a Flux Kustomization", async () => {
    const f = fixture();
    f.commit('base', {
      // Flux applies everything under argocd/, the root app syncs argocd/apps/, web syncs apps/web.
      'clusters/prod/argocd.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: argocd-apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./argocd
  prune: true
  sourceRef: { kind: GitRepository, name: platform }
`,
      'argocd/root.yaml': argoApp('root', 'argocd/apps', '    automated: { selfHeal: true }'),
      'argocd/apps/web.yaml': argoApp('web', 'apps/web', '    automated: { prune: true, selfHeal: true }'),
      'apps/web/deployment.yaml': webDeployment(D1),
    });
    const c = f.commit('bump', { 'apps/web/deployment.yaml': webDeployment(D2) });
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    const [web] = g.input.repository.reconcilers;
    expect(web).toMatchObject({ kind: 'Application', name: 'web', covers: ['apps/web/deployment.yaml'] });
    expect(web!.parent).toMatchObject({
      controller: 'argocd',
      kind: 'Application',
      name: 'root',
      file: 'argocd/root.yaml',
      covers: ['argocd/apps/web.yaml'],
      automated: true,
      selfHeal: true,
      syncPolicy: '{"automated":{"selfHeal":true}}',
      parent: {
        controller: 'flux',
        kind: 'Kustomization',
        name: 'argocd-apps',
        namespace: 'flux-system',
        covers: ['argocd/root.yaml'],
      },
    });
    expect(web!.parent!.parent!.parent).toBeUndefined();
    // The Kustomization reconciles no changed file: it is a parent, not a loop of the change.
    expect(g.input.repository.reconcilers.map((r) => r.name)).toEqual(['web']);
  });

  it('progressive rollouts in the change, and a Flagger Canary that targets a changed Deployment', async () => {
    const f = fixture();
    f.commit('base', {
      'apps/web/deployment.yaml': webDeployment(D1),
      'apps/web/canary.yaml': `apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: web
  namespace: shop
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  analysis: { interval: 1m, threshold: 5 }
`,
      'apps/other/canary.yaml': `apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: other
  namespace: shop
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: other }
`,
      'apps/api/rollout.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: api
  namespace: shop
spec:
  strategy: { canary: { steps: [ { setWeight: 20 } ] } }
  template: { spec: { containers: [ { name: api, image: "api:1" } ] } }
`,
    });
    const c = f.commit('bump', {
      'apps/web/deployment.yaml': webDeployment(D2),
      'apps/api/rollout.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: api
  namespace: shop
spec:
  strategy: { canary: { steps: [ { setWeight: 20 } ] } }
  template: { spec: { containers: [ { name: api, image: "api:2" } ] } }
`,
    });
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    expect(g.input.repository.rollouts).toEqual([
      { kind: 'Rollout', name: 'api', namespace: 'shop', file: 'apps/api/rollout.yaml', line: 4 },
      { kind: 'Canary', name: 'web', namespace: 'shop', file: 'apps/web/canary.yaml', line: 4 },
    ]);
  });

  it('a rollout file that does not parse, in the change or at head, is listed as unread, never read as "no rollout"', async () => {
    const f = fixture();
    f.commit('base', {
      'apps/web/deployment.yaml': webDeployment(D1),
      // At head, names the changed Deployment and Flagger's API, and does not parse.
      'apps/web/canary.yaml':
        'apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  targetRef: { kind: Deployment, name: web\n',
      // Does not parse either, but names no rollout API: a broken file of another kind is not said here.
      'apps/web/notes.yaml': 'web: [\n',
    });
    const c = f.commit('bump', {
      'apps/web/deployment.yaml': webDeployment(D2),
      'apps/api/rollout.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: [api\n',
    });
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    expect(g.input.repository.rollouts).toEqual([]);
    expect(g.input.repository.unreadRollouts).toEqual([
      { file: 'apps/api/rollout.yaml', line: expect.any(Number), reason: expect.stringMatching(/^YAML: /) },
      { file: 'apps/web/canary.yaml', line: expect.any(Number), reason: expect.stringMatching(/^YAML: /) },
    ]);
    const rollout = decide(g.input).rationale.find((r) => r.question.startsWith('Is a progressive rollout'));
    expect(rollout?.answer).toMatch(
      /^unknown: .*apps\/api\/rollout\.yaml:\d+: YAML: .*apps\/web\/canary\.yaml:\d+: YAML: /,
    );
  });

  it('flags: the flags named by the flags surface findings (key, source, file, line)', async () => {
    const f = fixture();
    const flagd = (dflt: string) =>
      JSON.stringify(
        { flags: { 'new-checkout': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: dflt } } },
        null,
        2,
      ) + '\n';
    f.commit('base', { 'flags/shop.flagd.json': flagd('off') });
    const c = f.commit('turn on', { 'flags/shop.flagd.json': flagd('on') });
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    expect(g.input.repository.flags).toEqual([
      {
        key: 'new-checkout',
        source: 'flags/shop.flagd.json',
        file: 'flags/shop.flagd.json',
        line: 3,
        offVariant: 'off',
      },
    ]);
  });

  it('flags referenced by the change point at their definition (a flagd file, a ConfigMap key)', async () => {
    const f = fixture();
    const flagd = JSON.stringify(
      { flags: { 'new-checkout': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } } },
      null,
      2,
    );
    const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
  namespace: shop
data:
  flags.flagd.json: |
    {"flags": {"dark-mode": {"state": "ENABLED", "variants": {"enabled": true, "disabled": false}, "defaultVariant": "enabled"}}}
`;
    f.commit('base', {
      'flags/shop.flagd.json': flagd + '\n',
      'deploy/flags-cm.yaml': cm,
      'src/checkout.go': 'package shop\n\nfunc Checkout() string {\n\treturn "v1"\n}\n',
    });
    const c = f.commit('guard', {
      'src/checkout.go':
        'package shop\n\nfunc Checkout() string {\n\tif client.Boolean(ctx, "new-checkout", false, nil) && client.Boolean(ctx, "dark-mode", false, nil) {\n\t\treturn "v2"\n\t}\n\treturn "v1"\n}\n',
    });
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    expect(g.input.repository.flags).toEqual([
      {
        key: 'dark-mode',
        source: 'ConfigMap shop/flags key flags.flagd.json',
        file: 'deploy/flags-cm.yaml',
        line: 7,
        offVariant: 'disabled',
      },
      {
        key: 'new-checkout',
        source: 'flags/shop.flagd.json',
        file: 'flags/shop.flagd.json',
        line: 3,
        offVariant: 'off',
      },
    ]);
  });

  it('Terraform: a changed local module stands for the root modules that call it; the tool from the repository', async () => {
    const f = fixture();
    f.commit('base', {
      '.terraform-version': '1.11.0\n',
      'modules/iam/main.tf': 'resource "aws_iam_policy" "p" {\n  name = "p"\n  policy = "{}"\n}\n',
      'stacks/prod/main.tf': 'module "iam" {\n  source = "../../modules/iam"\n}\n',
      'stacks/staging/main.tf': 'module "iam" {\n  source = "../../modules/iam"\n}\n',
      'stacks/other/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n',
    });
    const c = f.commit('narrow', {
      'modules/iam/main.tf': 'resource "aws_iam_policy" "p" {\n  name = "p"\n  policy = "{\\"a\\":1}"\n}\n',
    });
    const g = await gatherDecisionInput({ repo: f.dir, change: c });
    expect(g.input.repository.workspaces).toEqual([
      { dir: 'stacks/prod', tool: 'terraform', toolFrom: '.terraform-version' },
      { dir: 'stacks/staging', tool: 'terraform', toolFrom: '.terraform-version' },
    ]);
    const c2 = f.commit('tofu', {
      '.opentofu-version': '1.9.0\n',
      'stacks/other/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "c"\n}\n',
    });
    const g2 = await gatherDecisionInput({ repo: f.dir, change: c2 });
    expect(g2.input.repository.workspaces).toEqual([{ dir: 'stacks/other', tool: 'tofu', toolFrom: '.opentofu-version' }]);
  });
});

async function withLedger(f: GitFixture, events: Array<Omit<RecordInput, 'actor'>>): Promise<string> {
  const path = join(f.dir, '.rollwright', 'ledger.db');
  const ledger = await Ledger.open({ kind: 'sqlite', path }, { create: true });
  try {
    for (const e of events) await recordEvent(ledger, { actor: 'test', ...e });
  } finally {
    await ledger.close();
  }
  return path;
}

describe('gatherDecisionInput: the ledger', () => {
  it('deployment, previous artifact, windows as of --at, phases, active pauses, evidence, the incident', async () => {
    const f = fixture();
    f.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    const c = f.commit('web v2', {
      'apps/web/deployment.yaml': webDeployment(D2),
      '.rollwright/changes/CHG-1.yaml':
        'change:\n  id: CHG-1\n  environment: prod\n  rollbackClass: reversible-with-compatibility-window\n  rollbackMethod: revert\n  verification: [error-rate < 1%]\n  rollbackWindow:\n    appImage: 24h\n    databaseSchema: until-contract-phase\n',
    });
    await withLedger(f, [
      {
        type: 'change.deployed',
        change: 'CHG-0',
        service: 'web',
        environment: 'prod',
        at: '2026-01-04T09:00:00Z',
        payload: { artifact: D1 },
      },
      {
        type: 'change.deployed',
        change: 'CHG-0',
        service: 'web',
        environment: 'staging',
        at: '2026-01-05T08:00:00Z',
        payload: { artifact: 'other' },
      },
      {
        type: 'change.deployed',
        change: 'CHG-1',
        service: 'web',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: { artifact: D2, commit: c },
      },
      {
        type: 'change.deployed',
        change: 'CHG-2',
        service: 'web',
        environment: 'prod',
        at: '2026-01-05T12:00:00Z',
        payload: { phase: 'contract' },
      },
      { type: 'incident.detected', incident: 'INC-1', change: 'CHG-1', at: '2026-01-05T13:00:00Z', payload: {} },
      {
        type: 'pause.started',
        incident: 'INC-1',
        at: '2026-01-05T13:05:00Z',
        payload: { target: 'argocd/web-prod', controller: 'argocd' },
      },
      {
        type: 'pause.started',
        incident: 'INC-1',
        at: '2026-01-05T13:06:00Z',
        payload: { target: 'flux-system/apps', controller: 'flux' },
      },
      { type: 'pause.ended', incident: 'INC-1', at: '2026-01-05T13:07:00Z', payload: { target: 'flux-system/apps' } },
      {
        type: 'evidence.attached',
        incident: 'INC-1',
        at: '2026-01-05T13:08:00Z',
        payload: { item: 'approval', ref: 'CAB-1' },
      },
      // After --at: ignored.
      { type: 'pause.ended', incident: 'INC-1', at: '2026-01-07T00:00:00Z', payload: { target: 'argocd/web-prod' } },
    ]);
    const g = await gatherDecisionInput({ repo: f.dir, change: 'CHG-1', at: '2026-01-06T11:00:00.000Z' });
    expect(g.ledgerState).toBe('found');
    expect(g.incident).toBe('INC-1');
    expect(g.input.environment).toBe('prod');
    expect(g.input.ledger).toEqual({
      store: join(f.dir, '.rollwright', 'ledger.db'),
      incident: 'INC-1',
      deployedAt: '2026-01-05T10:00:00.000Z',
      previousArtifact: D1,
      artifact: D2,
      windows: [
        {
          change: 'CHG-1',
          service: 'web',
          environment: 'prod',
          surface: 'databaseSchema',
          window: 'until-contract-phase',
          kind: 'event',
          opensAt: '2026-01-05T10:00:00.000Z',
          closesAt: '2026-01-05T12:00:00.000Z',
          closesOn: 'contract',
          condition: null,
          open: false,
          closedBy: { seq: 4, type: 'change.deployed', change: 'CHG-2', at: '2026-01-05T12:00:00.000Z' },
          remainingSeconds: null,
        },
        {
          change: 'CHG-1',
          service: 'web',
          environment: 'prod',
          surface: 'appImage',
          window: '24h',
          kind: 'duration',
          opensAt: '2026-01-05T10:00:00.000Z',
          closesAt: '2026-01-06T10:00:00.000Z',
          closesOn: null,
          condition: null,
          open: false,
          closedBy: null,
          remainingSeconds: null,
        },
      ],
      phasesPassed: ['contract'],
      activePauses: [{ target: 'argocd/web-prod', controller: 'argocd', since: '2026-01-05T13:05:00.000Z' }],
      evidenceAttached: ['approval', 'change-id'],
    });
    // Earlier, the image window is still open.
    const early = await gatherDecisionInput({ repo: f.dir, change: c, at: '2026-01-05T11:00:00.000Z' });
    expect(early.input.ledger?.windows.map((w) => [w.surface, w.open])).toEqual([
      ['appImage', true],
      ['databaseSchema', true],
    ]);
    expect(early.input.ledger?.incident).toBeNull();
    expect(early.input.ledger?.deployedAt).toBe('2026-01-05T10:00:00.000Z');
  });

  it('--incident names the incident; an unknown one is an input error; a ledger without the change gives null', async () => {
    const f = fixture();
    f.commit('base', { 'apps/web/deployment.yaml': webDeployment(D1) });
    const c = f.commit('web v2', { 'apps/web/deployment.yaml': webDeployment(D2) });
    await withLedger(f, [
      {
        type: 'change.deployed',
        change: 'CHG-X',
        service: 'web',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: { commit: c.slice(0, 12) },
      },
      { type: 'incident.detected', incident: 'INC-7', change: 'CHG-X', at: '2026-01-05T11:00:00Z', payload: {} },
      {
        type: 'change.deployed',
        change: 'CHG-OTHER',
        service: 'api',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
    ]);
    // The ledger names the change by id; the commit recorded with it finds it from a sha.
    const g = await gatherDecisionInput({ repo: f.dir, change: c, incident: 'INC-7', at: '2026-01-06T00:00:00Z' });
    expect(g.input.ledger?.incident).toBe('INC-7');
    expect(g.input.ledger?.deployedAt).toBe('2026-01-05T10:00:00.000Z');
    const err = await gatherDecisionInput({ repo: f.dir, change: c, incident: 'INC-404' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain('--incident INC-404: no such incident');

    const f2 = fixture();
    f2.commit('base', { 'a.yaml': 'a: 1\n' });
    const c2 = f2.commit('two', { 'a.yaml': 'a: 2\n' });
    await withLedger(f2, [
      {
        type: 'change.deployed',
        change: 'CHG-OTHER',
        service: 'api',
        environment: 'prod',
        at: '2026-01-05T10:00:00Z',
        payload: {},
      },
    ]);
    const g2 = await gatherDecisionInput({ repo: f2.dir, change: c2 });
    expect(g2.input.ledger).toBeNull();
    expect(g2.ledgerState).toBe('no-record');
  });
});
