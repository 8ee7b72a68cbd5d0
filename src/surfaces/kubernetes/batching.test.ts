/**
 * A large change is assessed in batches (kube/batches.ts forEachKubeContext): each batch's parses are
 * dropped before the next. The findings must be those of one batch: here the batch size is forced
 * down to 2 files on a change whose objects refer to each other across files (a ConfigMap and the
 * Deployment that reads it, an object moved between files, a removed ConfigMap still referenced, its
 * renamed twin), and the two assessments are compared whole.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assess } from '../../testing/engine.js';
import { batchFiles, collectGarbage, kubeBatching } from '../../kube/batches.js';
import { GitRepo } from '../../git/repo.js';
import { allRules, surfaces } from '../../registry.js';
import { GitFixture } from '../../testing/git-fixture.js';

const configMap = (name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: shop
data:
  MODE: "${value}"
`;

const deployment = (name: string, opts: { image: string; replicas?: number; config?: string }) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: ${opts.replicas ?? 2}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: registry.example.com/${name}:${opts.image}
${opts.config ? `          envFrom:\n            - configMapRef:\n                name: ${opts.config}\n` : ''}`;

const service = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: shop
spec:
  selector: {app: ${name}}
  ports:
    - port: 80
`;

const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: registry.example.com/db:1.0
`;

const repos: GitFixture[] = [];
const saved = kubeBatching.files;
afterEach(() => {
  kubeBatching.files = saved;
  for (const r of repos.splice(0)) r.cleanup();
});

function fleet(): { repo: GitFixture; base: string; head: string } {
  const repo = GitFixture.create();
  repos.push(repo);
  const base = repo.commit('fleet', {
    'apps/a-config.yaml': configMap('a-config', '1'),
    'apps/b-config.yaml': configMap('b-config', '1'),
    'apps/c-old.yaml': configMap('old-config', 'same'),
    'apps/d-db.yaml': statefulSet,
    'apps/f1.yaml': deployment('f1', { image: '1.0' }),
    'apps/f2.yaml': `${service('mover')}---\n${deployment('f2', { image: '1.0' })}`,
    'apps/m1.yaml': deployment('m1', { image: '1.0' }),
    'apps/m9.yaml': deployment('m9', { image: '1.0' }),
    'apps/u-uses.yaml': deployment('uses', { image: '1.0', config: 'old-config' }),
    'apps/w-worker.yaml': deployment('worker', { image: '1.0', config: 'b-config' }),
    'apps/z-web.yaml': deployment('web', { image: '1.0', config: 'a-config' }),
  });
  const head = repo.commit(
    'change it all',
    {
      // Data changes: web's pod template changes too (its pods roll), worker's does not (replicas only).
      'apps/a-config.yaml': configMap('a-config', '2'),
      'apps/b-config.yaml': configMap('b-config', '2'),
      // old-config removed (still read by `uses`), its twin added under another name.
      'apps/e-new.yaml': configMap('new-config', 'same'),
      'apps/f1.yaml': deployment('f1', { image: '1.1' }),
      // The Service moves from f2 to m1, two files of different batches.
      'apps/f2.yaml': deployment('f2', { image: '1.1' }),
      'apps/m1.yaml': `${deployment('m1', { image: '1.1' })}---\n${service('mover')}`,
      'apps/m9.yaml': deployment('m9', { image: '1.1' }),
      'apps/u-uses.yaml': deployment('uses', { image: '1.1', config: 'old-config' }),
      'apps/w-worker.yaml': deployment('worker', { image: '1.0', replicas: 3, config: 'b-config' }),
      'apps/z-web.yaml': deployment('web', { image: '1.1', config: 'a-config' }),
    },
    { delete: ['apps/c-old.yaml', 'apps/d-db.yaml'] },
  );
  return { repo, base, head };
}

describe('a change assessed in batches', () => {
  it('keeps a ConfigMap with the changed files that read it, and leaves the rest in batches of the size', async () => {
    const { repo, base, head } = fleet();
    const git = await GitRepo.open(repo.dir);
    try {
      await git.resolveRange({ base, head });
      const changes = await git.changeSet({
        maxFileBytes: 1 << 20,
        maxFiles: 1000,
        maxBytes: 1 << 26,
        wants: () => true,
      });
      const named = new Map<string, Set<string>>();
      const batches = batchFiles(changes.files, 2, named)!;
      // What the grouping read, for the contexts' look-ups by name: every head text that names each map.
      expect([...named.get('a-config')!].sort()).toEqual(['apps/a-config.yaml', 'apps/z-web.yaml']);
      expect([...named.get('b-config')!].sort()).toEqual(['apps/b-config.yaml', 'apps/w-worker.yaml']);
      for (const [name, paths] of named)
        expect([...paths].sort(), name).toEqual(
          changes.files
            .filter((f) => f.newText?.includes(name))
            .map((f) => f.path)
            .sort(),
        );
      const batchOf = (path: string) => batches.findIndex((b) => b.some((f) => f.path === path || f.oldPath === path));
      expect(batches.length).toBeGreaterThan(3);
      expect(batchOf('apps/a-config.yaml')).toBe(batchOf('apps/z-web.yaml'));
      expect(batchOf('apps/b-config.yaml')).toBe(batchOf('apps/w-worker.yaml'));
      // (git reads the removed ConfigMap's file and its twin as a rename.)
      expect(batchOf('apps/c-old.yaml')).toBe(batchOf('apps/u-uses.yaml'));
      // The moved Service's two files are not grouped: the last context pairs it.
      expect(batchOf('apps/f2.yaml')).not.toBe(batchOf('apps/m1.yaml'));
      expect(
        batches
          .flat()
          .map((f) => f.path)
          .sort(),
      ).toEqual(changes.files.map((f) => f.path).sort());
    } finally {
      git.close();
    }
  });

  it('finds what one batch finds, cross-file references included', async () => {
    const { repo, base, head } = fleet();
    const run = () => assess({ repo: repo.dir, base, head, surfaces, rules: allRules() });
    kubeBatching.files = 1000;
    const whole = await run();
    kubeBatching.files = 2;
    const batched = await run();
    expect(batched.findings).toEqual(whole.findings);
    expect(batched.class).toBe(whole.class);
    expect(batched.skipped).toEqual(whole.skipped);
    // The comparison means something: the cross-file findings are there.
    const ids = whole.findings.map((f) => `${f.rule}:${f.messageId}:${f.file}`);
    expect(ids).toContain('kubernetes/configmap-data-changed:rolled:apps/a-config.yaml');
    expect(ids).toContain('kubernetes/configmap-data-changed:env:apps/b-config.yaml');
    expect(ids.some((x) => x.startsWith('kubernetes/dangling-reference:'))).toBe(true);
    expect(ids.some((x) => x.startsWith('kubernetes/stateful-object-deleted:'))).toBe(true);
    // A move, not a deletion of the Service.
    expect(whole.findings.some((f) => f.object?.includes('Service/shop/mover'))).toBe(false);
  });

  it('finds what one batch finds in a change that only adds files (each batch reports its own)', async () => {
    const repo = GitFixture.create();
    repos.push(repo);
    const base = repo.commit('start', { 'README.md': 'fleet\n' });
    const head = repo.commit('add a fleet', {
      'apps/a-config.yaml': configMap('a-config', '1'),
      'apps/b-db.yaml': statefulSet,
      'apps/c-web.yaml': deployment('web', { image: '1.0', config: 'a-config' }),
      'apps/d-missing.yaml': deployment('lost', { image: 'latest', config: 'nowhere' }),
      'apps/e-svc.yaml': service('web'),
      'apps/f-svc.yaml': service('db'),
    });
    const run = () => assess({ repo: repo.dir, base, head, surfaces, rules: allRules() });
    kubeBatching.files = 1000;
    const whole = await run();
    kubeBatching.files = 2;
    const batched = await run();
    expect(whole.findings.length).toBeGreaterThan(0);
    expect(batched.findings).toEqual(whole.findings);
    expect(batched.class).toBe(whole.class);
  });
});

describe('the collection between batches', () => {
  it('collects what the last batch left unreachable', async () => {
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ parse: new Array(1000).fill('tree') });
    })();
    // A WeakRef's target stays alive until the job that made it ends.
    await new Promise((r) => setImmediate(r));
    collectGarbage();
    expect(ref?.deref()).toBeUndefined();
  });
});
