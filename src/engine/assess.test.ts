/**
 * assess() end to end over real git repositories: git reading, the Kubernetes surface, the rules,
 * declarations, config and the gate together. Repositories are built by the git fixture with fixed
 * dates, so every commit id is the same on every run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { EMPTY_TREE_SHA1 } from '../git/revs.js';
import { allRules, surfaces } from '../registry.js';
import { GitFixture } from '../testing/git-fixture.js';
import { assess, type AssessOptions, type Assessment } from './assess.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

const statefulSet = (storageClass = 'standard') => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: postgres
  namespace: shop
spec:
  serviceName: postgres
  replicas: 1
  selector:
    matchLabels: {app: postgres}
  template:
    metadata:
      labels: {app: postgres}
    spec:
      containers:
        - name: postgres
          image: postgres@${DIGEST}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: ${storageClass}
        resources:
          requests:
            storage: 10Gi
`;
/** The line of `volumeClaimTemplates:` in statefulSet(). */
const VCT_LINE = 18;

const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 5Gi
`;

const deployment = (name = 'web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: registry.example.com/shop/${name}@${DIGEST}
`;

const configMap = (name = 'web-config', value = 'one') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: shop
data:
  mode: ${value}
`;

/** A LoadBalancer Service: deleting it is reversible-with-manual-repair (its address is lost). Line 7: `type:`. */
const lbService = `apiVersion: v1
kind: Service
metadata:
  name: edge
  namespace: shop
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 443}]
`;

const pdb = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
`;

const declaration = (fields: Record<string, unknown>) =>
  'change:\n' +
  Object.entries(fields)
    .map(([k, v]) =>
      Array.isArray(v) ? `  ${k}:\n${v.map((x) => `    - ${JSON.stringify(x)}`).join('\n')}` : `  ${k}: ${v}`,
    )
    .join('\n') +
  '\n';

const repos: GitFixture[] = [];
function fixture(): GitFixture {
  const r = GitFixture.create();
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function run(repo: GitFixture, opts: Partial<AssessOptions> = {}): Promise<Assessment> {
  return assess({ repo: repo.dir, surfaces, rules: allRules(), ...opts });
}

/** `rule file:line class` per finding: one readable line each in a failing diff. */
function brief(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.class}`);
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('assess: classes from real commits', () => {
  it('a StatefulSet volumeClaimTemplates edit needs a manual repair', async () => {
    const repo = fixture();
    const base = repo.commit('add postgres', { 'apps/postgres.yaml': statefulSet('standard') });
    const head = repo.commit('faster disks', { 'apps/postgres.yaml': statefulSet('fast-ssd') });
    const a = await run(repo, { base, head });
    expect(a.base).toBe(base);
    expect(a.head).toBe(head);
    expect(a.class).toBe('reversible-with-manual-repair');
    const f = a.findings.filter((x) => x.rule === 'kubernetes/immutable-field-changed');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      surface: 'kubernetes',
      class: 'reversible-with-manual-repair',
      file: 'apps/postgres.yaml',
      line: VCT_LINE,
      object: 'apps/StatefulSet/shop/postgres',
    });
    expect(f[0]!.message).toMatch(/volumeClaimTemplates/);
  });

  it('a deleted PVC is non-recoverable without a restore', async () => {
    const repo = fixture();
    repo.commit('add uploads', { 'apps/uploads-pvc.yaml': pvc, 'apps/web.yaml': deployment() });
    repo.commit('drop uploads', {}, { delete: ['apps/uploads-pvc.yaml'] });
    const a = await run(repo);
    expect(a.class).toBe('non-recoverable-without-restore');
    expect(brief(a.findings)).toEqual([
      'kubernetes/stateful-object-deleted apps/uploads-pvc.yaml:1 non-recoverable-without-restore',
    ]);
    expect(a.findings[0]!.object).toBe('/PersistentVolumeClaim/shop/uploads');
    expect(a.stats).toEqual({ filesChanged: 1, filesRead: 1, bytesRead: pvc.length });
  });

  it('an object moved to another file unchanged is a move, not a delete and a create', async () => {
    const repo = fixture();
    repo.commit('one file', {
      'apps/all.yaml': [pvc, deployment(), configMap()].join('---\n'),
      'apps/other.yaml': configMap('other'),
    });
    // The PVC moves to a new file, the Deployment to an existing one, the ConfigMap stays.
    repo.commit('split', {
      'apps/all.yaml': configMap(),
      'storage/uploads.yaml': `# storage lives here now\n${pvc}`,
      'apps/other.yaml': `${configMap('other')}---\n${deployment()}`,
    });
    const a = await run(repo);
    expect(brief(a.findings)).toEqual([]);
    expect(a.class).toBe('fully-reversible');
    expect(a.stats.filesChanged).toBe(3);
  });

  it('a file renamed by git (same content) is a move too', async () => {
    const repo = fixture();
    repo.commit('add', { 'apps/uploads.yaml': `${pvc}---\n${deployment()}` });
    repo.commit('rename', {}, { move: [['apps/uploads.yaml', 'clusters/staging/uploads.yaml']] });
    expect(repo.git('diff', '--name-status', '-M', 'HEAD^', 'HEAD')).toBe(
      'R100\tapps/uploads.yaml\tclusters/staging/uploads.yaml',
    );
    const a = await run(repo);
    expect(brief(a.findings)).toEqual([]);
    expect(a.class).toBe('fully-reversible');
    // The new path decides the environment.
    expect(a.environments).toEqual(['staging']);
  });

  it('a manifest that stops parsing is reported as unreadable, not as the deletion of its objects', async () => {
    const repo = fixture();
    repo.commit('add', { 'apps/uploads-pvc.yaml': pvc });
    repo.commit('typo', { 'apps/uploads-pvc.yaml': pvc.replace('storage: 5Gi', 'storage: [5Gi') });
    const a = await run(repo);
    expect(brief(a.findings)).toEqual([
      'kubernetes/invalid-manifest apps/uploads-pvc.yaml:10 non-recoverable-without-restore',
    ]);
  });

  it('the same object in two clusters is assessed in both (one commit touching prod and staging)', async () => {
    const repo = fixture();
    const web = (label: string, digest: string) =>
      deployment()
        .replace(/app: web/g, `app: ${label}`)
        .replace(DIGEST, `sha256:${digest.repeat(64)}`);
    repo.commit('add', { 'clusters/prod/web.yaml': web('web', 'a'), 'clusters/staging/web.yaml': web('web', 'a') });
    // prod: an image bump only; staging: the immutable selector changes.
    repo.commit('both', { 'clusters/prod/web.yaml': web('web', 'b'), 'clusters/staging/web.yaml': web('web2', 'a') });
    const a = await run(repo);
    const immutable = a.findings.filter((f) => f.rule === 'kubernetes/immutable-field-changed');
    expect(brief(immutable)).toEqual([
      'kubernetes/immutable-field-changed clusters/staging/web.yaml:7 reversible-with-manual-repair',
    ]);
    expect(a.class).toBe('reversible-with-manual-repair');
  });

  it('a root commit is assessed against the empty tree', async () => {
    const repo = fixture();
    const root = repo.commit('initial tree\n\nRollback-Class: fully-reversible\nRollback-Method: git revert\n', {
      'apps/web.yaml': deployment(),
      'apps/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [\n',
    });
    const a = await run(repo, { head: root });
    expect(a.base).toBe(EMPTY_TREE_SHA1);
    expect(a.head).toBe(root);
    expect(brief(a.findings)).toEqual([
      'kubernetes/invalid-manifest apps/broken.yaml:3 non-recoverable-without-restore',
    ]);
    expect(a.class).toBe('non-recoverable-without-restore');
    expect(a.declaration).toEqual({
      rollbackClass: 'fully-reversible',
      rollbackMethod: 'git revert',
      source: `trailer:${root.slice(0, 12)}`,
    });
    expect(a.stats).toMatchObject({ filesChanged: 2, filesRead: 2 });
  });
});

describe('assess: references inside one changed file', () => {
  // The workload's document does not change (the diff leaves it out); the ConfigMap beside it is removed.
  const workload = `${deployment()}          envFrom:
            - configMapRef: { name: web-config }
`;
  it('an unchanged workload still referencing a ConfigMap removed from its file is found', async () => {
    const repo = fixture();
    repo.commit('base', { 'apps/web.yaml': `${workload}---\n${configMap()}`, 'apps/other.yaml': configMap('other') });
    repo.commit('drop the ConfigMap', { 'apps/web.yaml': workload });
    const a = await run(repo);
    expect(
      a.findings.filter((f) => f.rule === 'kubernetes/dangling-reference').map((f) => `${f.file}:${f.line}`),
    ).toEqual(['apps/web.yaml:17']);
  });

  it('and one that changed too', async () => {
    const repo = fixture();
    repo.commit('base', { 'apps/web.yaml': `${workload}---\n${configMap()}` });
    repo.commit('drop the ConfigMap, bump the image', {
      'apps/web.yaml': workload.replace(DIGEST, `sha256:${'b'.repeat(64)}`),
    });
    const a = await run(repo);
    expect(a.findings.filter((f) => f.rule === 'kubernetes/dangling-reference').map((f) => f.file)).toEqual([
      'apps/web.yaml',
    ]);
  });
});

describe('assess: declarations and the gate', () => {
  const prodPath = 'clusters/prod/shop/edge.yaml';
  /** A prod repository whose head commit deletes the LoadBalancer Service (inferred: reversible-with-manual-repair). */
  function prodDeletion(message = 'drop the edge service', files: Record<string, string> = {}) {
    const repo = fixture();
    const base = repo.commit('add edge', { [prodPath]: lbService, 'clusters/prod/shop/web.yaml': deployment() });
    const head = repo.commit(message, files, { delete: [prodPath] });
    return { repo, base, head };
  }
  const loadBalancerFinding = `kubernetes/stateless-object-deleted ${prodPath}:7 reversible-with-manual-repair`;

  it('reads a declaration file added in the range, and passes an honest one', async () => {
    const { repo, base, head } = prodDeletion('drop edge', {
      '.rollwright/changes/CHG-1.yaml': declaration({
        id: 'CHG-1',
        environment: 'prod',
        rollbackClass: 'reversible-with-manual-repair',
        rollbackMethod: 'revert-and-repoint-dns',
        rollbackWindow: '24h',
        verification: ['error-rate < 1%', 'dns resolves to the new address'],
      }),
    });
    const a = await run(repo, { base, head });
    expect(brief(a.findings)).toEqual([loadBalancerFinding]);
    expect(a.class).toBe('reversible-with-manual-repair');
    expect(a.declaration).toEqual({
      id: 'CHG-1',
      environment: 'prod',
      rollbackClass: 'reversible-with-manual-repair',
      rollbackMethod: 'revert-and-repoint-dns',
      rollbackWindow: '24h',
      verification: ['error-rate < 1%', 'dns resolves to the new address'],
      source: '.rollwright/changes/CHG-1.yaml',
    });
    expect(a.environments).toEqual(['prod']);
    expect(a.gate).toEqual({ passed: true, reasons: [] });
  });

  it('fails a declaration that understates the class, naming the inferred class', async () => {
    const { repo } = prodDeletion('drop edge', {
      '.rollwright/changes/CHG-1.yaml': declaration({
        id: 'CHG-1',
        environment: 'prod',
        rollbackClass: 'fully-reversible',
        rollbackMethod: 'git revert',
        verification: ['error-rate < 1%'],
      }),
    });
    const a = await run(repo);
    expect(a.class).toBe('reversible-with-manual-repair');
    expect(a.gate.passed).toBe(false);
    expect(a.gate.reasons).toHaveLength(1);
    expect(a.gate.reasons[0]).toMatch(
      /declared class fully-reversible is more optimistic than the evidence: reversible-with-manual-repair/,
    );
    expect(a.gate.reasons[0]).toContain(`${prodPath}:7`);
  });

  it('reads Rollback-* commit trailers when there is no declaration file', async () => {
    const { repo, head } = prodDeletion(
      [
        'drop the edge service',
        '',
        'Traffic moved to the new gateway last week.',
        '',
        'Rollback-Class: reversible-with-manual-repair',
        'Rollback-Method: revert, then repoint DNS to the new address',
        'Rollback-Window: 7d',
        'Rollback-Verification: edge 5xx rate < 0.1%',
        'Rollback-Verification: synthetic checkout passes',
      ].join('\n'),
    );
    const a = await run(repo);
    expect(a.declaration).toEqual({
      rollbackClass: 'reversible-with-manual-repair',
      rollbackMethod: 'revert, then repoint DNS to the new address',
      rollbackWindow: '7d',
      verification: ['edge 5xx rate < 0.1%', 'synthetic checkout passes'],
      source: `trailer:${head.slice(0, 12)}`,
    });
    expect(a.gate).toEqual({ passed: true, reasons: [] });
  });

  it('an understated trailer fails like a file', async () => {
    const { repo } = prodDeletion(
      'drop edge\n\nRollback-Class: fully-reversible\nRollback-Method: git revert\nRollback-Verification: smoke test\n',
    );
    const a = await run(repo);
    expect(a.gate.passed).toBe(false);
    expect(a.gate.reasons.join('\n')).toMatch(
      /fully-reversible is more optimistic than the evidence: reversible-with-manual-repair/,
    );
  });

  it('a declaration file wins over trailers', async () => {
    const { repo } = prodDeletion('drop edge\n\nRollback-Class: fully-reversible\nRollback-Method: revert\n', {
      '.rollwright/changes/CHG-2.yaml': declaration({
        id: 'CHG-2',
        rollbackClass: 'reversible-with-manual-repair',
        rollbackMethod: 'revert and repoint DNS',
        verification: ['dns check'],
      }),
    });
    const a = await run(repo);
    expect(a.declaration?.source).toBe('.rollwright/changes/CHG-2.yaml');
    expect(a.gate).toEqual({ passed: true, reasons: [] });
  });

  it('fails a prod change with no declaration', async () => {
    const { repo } = prodDeletion();
    const a = await run(repo);
    expect(a.declaration).toBeNull();
    expect(a.environments).toEqual(['prod']);
    expect(a.gate.passed).toBe(false);
    expect(a.gate.reasons).toHaveLength(1);
    expect(a.gate.reasons[0]).toMatch(/^environment prod requires a change declaration/);
    expect(a.gate.reasons[0]).toContain('reversible-with-manual-repair');
  });

  it('passes a non-prod change with no declaration', async () => {
    const repo = fixture();
    repo.commit('add', { 'clusters/staging/shop/edge.yaml': lbService });
    repo.commit('drop', {}, { delete: ['clusters/staging/shop/edge.yaml'] });
    const a = await run(repo);
    expect(a.class).toBe('reversible-with-manual-repair');
    expect(a.environments).toEqual(['staging']);
    expect(a.declaration).toBeNull();
    expect(a.gate).toEqual({ passed: true, reasons: [] });
    // --env prod makes the same change need one.
    const asProd = await run(repo, { env: 'prod' });
    expect(asProd.environments).toEqual(['prod']);
    expect(asProd.gate.passed).toBe(false);
  });

  it('--fail-on fails at or worse than the given class', async () => {
    const repo = fixture();
    repo.commit('add', { 'clusters/staging/shop/edge.yaml': lbService });
    repo.commit('drop', {}, { delete: ['clusters/staging/shop/edge.yaml'] });
    const at = await run(repo, { failOn: 'reversible-with-manual-repair' });
    expect(at.gate).toEqual({
      passed: false,
      reasons: ['class reversible-with-manual-repair is at or worse than --fail-on reversible-with-manual-repair'],
    });
    const worse = await run(repo, { failOn: 'reversible-with-compatibility-window' });
    expect(worse.gate.passed).toBe(false);
    const better = await run(repo, { failOn: 'forward-only' });
    expect(better.gate).toEqual({ passed: true, reasons: [] });
  });

  it('two declarations in one range are an input error unless --change-id picks one', async () => {
    const repo = fixture();
    repo.commit('add', { 'clusters/staging/shop/edge.yaml': lbService });
    const decl = (id: string) =>
      declaration({
        id,
        rollbackClass: 'reversible-with-manual-repair',
        rollbackMethod: 'revert',
        verification: ['x'],
      });
    repo.commit(
      'drop',
      { '.rollwright/changes/A.yaml': decl('A'), '.rollwright/changes/B.yaml': decl('B') },
      {
        delete: ['clusters/staging/shop/edge.yaml'],
      },
    );
    const e = await inputError(run(repo));
    expect(e.message).toMatch(/2 change declarations match this range/);
    const a = await run(repo, { changeId: 'B' });
    expect(a.declaration?.source).toBe('.rollwright/changes/B.yaml');
  });
});

describe('assess: .rollwright.yaml', () => {
  it('honours environment paths: only the configured environments exist', async () => {
    const repo = fixture();
    repo.commit('add', {
      '.rollwright.yaml': 'environments:\n  live:\n    paths: ["live/**"]\n    requireDeclaration: true\n',
      'live/edge.yaml': lbService,
      'clusters/prod/edge.yaml': lbService.replace('name: edge', 'name: edge2'),
    });
    repo.commit('drop live', {}, { delete: ['live/edge.yaml'] });
    const live = await run(repo);
    expect(live.environments).toEqual(['live']);
    expect(live.gate.reasons).toHaveLength(1);
    expect(live.gate.reasons[0]).toMatch(/^environment live requires a change declaration/);

    repo.commit('drop prod-looking path', {}, { delete: ['clusters/prod/edge.yaml'] });
    const notProd = await run(repo);
    expect(notProd.environments).toEqual([]);
    expect(notProd.gate).toEqual({ passed: true, reasons: [] });
  });

  it('environments per file: files of one directory differ when a glob looks at file names', async () => {
    const repo = fixture();
    repo.commit('base', { 'README.md': 'x\n' });
    repo.commit('add', {
      '.rollwright.yaml':
        'environments:\n  prod:\n    paths: ["**/*.prod.yaml"]\n  staging:\n    paths: ["deploy/staging/**"]\n',
      'apps/web.yaml': lbService,
      'apps/web.prod.yaml': lbService.replace('name: edge', 'name: edge2'),
      'deploy/staging/a/web.yaml': lbService.replace('name: edge', 'name: edge3'),
    });
    expect((await run(repo)).environments).toEqual(['prod', 'staging']);
    // Directory globs only: files of a directory share their environments, nested directories included.
    repo.commit('dirs', {
      '.rollwright.yaml': 'environments:\n  prod:\n    paths: ["**/prd/**"]\n  dev:\n    paths: ["apps/dev/**"]\n',
      'x/prd/y/web.yaml': lbService.replace('name: edge', 'name: edge4'),
      'apps/devx/web.yaml': lbService.replace('name: edge', 'name: edge5'),
      'prd.yaml': lbService.replace('name: edge', 'name: edge6'),
    });
    expect((await run(repo)).environments).toEqual(['prod']);
  });

  it('honours rules turned off (by the base revision) and severities raised (by the change itself)', async () => {
    const repo = fixture();
    repo.commit('add', { 'apps/web.yaml': deployment(), 'apps/edge.yaml': lbService, 'apps/x.yaml': pvc });
    // Switched off in the change that needs it: not applied to that change, and reported.
    repo.commit(
      'config',
      { '.rollwright.yaml': 'rules:\n  kubernetes/stateless-object-deleted: off\n' },
      { delete: ['apps/web.yaml'] },
    );
    const own = await run(repo);
    expect(own.findings.map((f) => [f.rule, f.file, f.line, f.severity])).toEqual([
      ['core/config-loosened', '.rollwright.yaml', 2, 'warning'],
      ['kubernetes/stateless-object-deleted', 'apps/web.yaml', 1, expect.any(String)],
    ]);
    expect(own.findings[0]!.message).toMatch(
      /^rule kubernetes\/stateless-object-deleted switched off in this change: not applied to it/,
    );
    // Once merged, the base revision's config switches it off for later changes.
    repo.commit('drop more', {}, { delete: ['apps/x.yaml'] });
    repo.commit('drop', { 'apps/edge2.yaml': lbService.replace('name: edge', 'name: edge2') });
    repo.commit('drop2', {}, { delete: ['apps/edge2.yaml'] });
    const off = await run(repo);
    expect(off.findings).toEqual([]);

    repo.commit(
      'severity',
      { '.rollwright.yaml': 'rules:\n  kubernetes/stateless-object-deleted: error\n' },
      {
        delete: ['apps/edge.yaml'],
      },
    );
    const error = await run(repo);
    expect(error.findings.map((f) => [f.rule, f.severity])).toEqual([['kubernetes/stateless-object-deleted', 'error']]);
    expect(error.gate.passed).toBe(false);
    expect(error.gate.reasons).toEqual([
      '1 error finding and no declaration that accepts it: kubernetes/stateless-object-deleted at apps/edge.yaml:7',
    ]);
  });

  it('reads the config of the head revision, not of the working tree', async () => {
    const repo = fixture();
    repo.commit('add', { 'apps/web.yaml': deployment() });
    repo.commit('drop', {}, { delete: ['apps/web.yaml'] });
    writeFileSync(join(repo.dir, '.rollwright.yaml'), 'rules:\n  kubernetes/stateless-object-deleted: off\n');
    const a = await run(repo);
    expect(a.findings.map((f) => f.rule)).toEqual(['kubernetes/stateless-object-deleted']);
    // --config FILE reads from disk instead.
    const b = await run(repo, { configFile: join(repo.dir, '.rollwright.yaml') });
    expect(b.findings).toEqual([]);
  });

  it('honours kubernetes.version: moving off a version the target still serves is not a removed API', async () => {
    const repo = fixture();
    repo.commit('add', {
      '.rollwright.yaml': 'kubernetes:\n  version: "1.21"\n',
      'apps/pdb.yaml': pdb('policy/v1beta1'),
    });
    repo.commit('policy/v1', { 'apps/pdb.yaml': pdb('policy/v1') });
    const old = await run(repo);
    expect(old.findings.filter((f) => f.rule === 'kubernetes/removed-api-version')).toEqual([]);

    repo.commit('target 1.34', { '.rollwright.yaml': 'kubernetes:\n  version: "1.34"\n' });
    const a = await run(repo, { base: 'HEAD~2' });
    const removed = a.findings.filter((f) => f.rule === 'kubernetes/removed-api-version');
    expect(brief(removed)).toEqual(['kubernetes/removed-api-version apps/pdb.yaml:1 forward-only']);
    expect(removed[0]!.message).toMatch(/policy\/v1beta1/);
    expect(a.class).toBe('forward-only');
  });

  it('a config that does not parse is an input error naming the file and line', async () => {
    const repo = fixture();
    repo.commit('bad config', {
      '.rollwright.yaml': 'kubernetes:\n  version: "1.34"\nenvironments:\n  prod:\n    paths: [clusters/prod/**\n',
      'apps/web.yaml': deployment(),
    });
    const e = await inputError(run(repo));
    expect(e.file).toBe('.rollwright.yaml');
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/^\.rollwright\.yaml:5:\d+: config does not parse: /);
  });

  it('a duplicate key in the config is an input error at its line', async () => {
    const repo = fixture();
    repo.commit('dup', { '.rollwright.yaml': 'rules: {}\nkubernetes:\n  version: "1.30"\n  version: "1.34"\n' });
    const e = await inputError(run(repo));
    expect(e.file).toBe('.rollwright.yaml');
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/duplicated mapping key/);
  });

  it('an unknown rule key is an input error naming it', async () => {
    const repo = fixture();
    repo.commit('typo', { '.rollwright.yaml': 'rules:\n  kubernetes/no-such-rule: off\n' });
    const e = await inputError(run(repo));
    expect(e.file).toBe('.rollwright.yaml');
    expect(e.message).toMatch(/^\.rollwright\.yaml(:2)?: rules\.kubernetes\/no-such-rule: no such rule/);
  });

  it('a value of the wrong shape is an input error naming the key', async () => {
    const repo = fixture();
    repo.commit('bad version', { '.rollwright.yaml': 'kubernetes:\n  version: latest\n' });
    const e = await inputError(run(repo));
    expect(e.message).toMatch(/^\.rollwright\.yaml(:2)?: kubernetes\.version: expected a Kubernetes version/);
  });
});

describe('assess --worktree', () => {
  it('assesses staged, unstaged and untracked changes and leaves the tree untouched', async () => {
    const repo = fixture();
    const head = repo.commit('base', {
      'apps/edge.yaml': lbService,
      'apps/web.yaml': `${deployment()}---\n${configMap()}`,
      'apps/keep.yaml': configMap('keep'),
    });
    repo.git('rm', '-q', 'apps/edge.yaml'); // staged
    repo.write({ 'apps/web.yaml': deployment() }); // unstaged: the ConfigMap document removed
    repo.write({
      'apps/new.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [\n', // untracked, does not parse
      'apps/blob.yaml': Buffer.from([0x61, 0, 0x62, 0]), // untracked, binary
    });
    const before = repo.snapshot();
    const a = await run(repo, { worktree: true });
    expect(repo.snapshot()).toBe(before);
    expect(a.base).toBe(head);
    expect(a.head).toBe('WORKTREE');
    expect(brief(a.findings)).toEqual([
      'core/unreadable-file apps/blob.yaml:1 non-recoverable-without-restore',
      'kubernetes/stateless-object-deleted apps/edge.yaml:7 reversible-with-manual-repair',
      'kubernetes/invalid-manifest apps/new.yaml:4 non-recoverable-without-restore',
      'kubernetes/stateless-object-deleted apps/web.yaml:17 fully-reversible',
    ]);
    expect(a.class).toBe('non-recoverable-without-restore');
    expect(a.stats.filesChanged).toBe(4);
  });

  it('source code searched only for flag keys is skipped when binary, never a gate-blocking finding', async () => {
    const repo = fixture();
    repo.commit('base', { 'apps/web.yaml': deployment(), 'src/app.ts': 'export const x = 1;\n' });
    repo.write({
      'src/app.ts': Buffer.from([0x61, 0, 0x62, 0]), // a source file that became binary
      'apps/blob.yaml': Buffer.from([0x61, 0, 0x62, 0]), // a manifest: still unreadable, still blocks
    });
    const a = await run(repo, { worktree: true });
    expect(brief(a.findings)).toEqual(['core/unreadable-file apps/blob.yaml:1 non-recoverable-without-restore']);
    expect(a.skipped).toContainEqual({ file: 'src/app.ts', reason: 'binary: not searched for references' });
  });

  it('with nothing changed there is nothing to assess', async () => {
    const repo = fixture();
    repo.commit('base', { 'apps/web.yaml': deployment() });
    const a = await run(repo, { worktree: true });
    expect(a.findings).toEqual([]);
    expect(a.class).toBe('fully-reversible');
    expect(a.stats.filesChanged).toBe(0);
  });
});
