// Generates the benchmark corpus: a git repository of Kubernetes manifests with one base commit
// and two head commits on top of it:
//   noop   — changes no relevant file (README.md and docs/notes.txt only);
//   change — changes 50 manifest files (~1 MB): image bumps, a selector change, a deleted PVC,
//            a volumeClaimTemplates resize, an added, a deleted and a renamed file, config edits.
// The repository is built with one `git fast-import` stream (no shell, no per-file process) and
// cached under bench/.work/ by a version key, so reruns only pay for `git rev-parse`.
//
// Content is deterministic: file i of every corpus size is the same bytes, and the changed files
// are all among the first 200, so the 50-file change is byte-identical on a repository of 2,000
// manifests and on one of 20,000 (the scaling check compares exactly the same change).
//
// Usage: node bench/corpus.mjs [--manifests 20000] [--dir DIR]   (prints the corpus description)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GIT_ENV, rng } from './common.mjs';

/** Bump when the generated content changes: it is part of the cache key. */
export const CORPUS_VERSION = 3;
export const DOCS_PER_FILE = 10;
/** Indices of the files the 50-file change touches: all below 200, so every corpus size has them. */
export const CHANGED_INDICES = Array.from({ length: 49 }, (_, k) => k * 4);
const ADDED_PATH = 'clusters/prod/platform/edge-gateway.yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const WORK_DIR = join(here, '.work');
/** The generator's own source is part of the cache key: editing it regenerates the corpus. */
const SOURCE_HASH = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 8);

function git(dir, args, opts = {}) {
  return execFileSync('git', ['-C', dir, ...args], {
    env: GIT_ENV,
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...opts,
  });
}

// ---------------------------------------------------------------------------------------------
// Deterministic content

function hex(seed, len = 64) {
  let out = '';
  for (let i = 0; out.length < len; i++) out += createHash('sha256').update(`${seed}#${i}`).digest('hex');
  return out.slice(0, len);
}

const ENVS = ['prod', 'staging', 'dev'];
const TEAMS = [
  'payments',
  'checkout',
  'search',
  'catalog',
  'identity',
  'billing',
  'ledger',
  'notifications',
  'inventory',
  'shipping',
  'pricing',
  'reviews',
  'recommendations',
  'analytics',
  'media',
  'messaging',
  'fraud',
  'support',
  'loyalty',
  'platform',
];
const WORDS = [
  'api',
  'worker',
  'gateway',
  'indexer',
  'scheduler',
  'sync',
  'exporter',
  'router',
  'cache',
  'store',
  'frontend',
  'backend',
  'consumer',
  'producer',
  'cron',
  'auth',
  'proxy',
  'renderer',
  'ingest',
  'reporter',
];
const REGISTRY = 'registry.example.com';

/** What file i holds: its path, namespace, app name and whether it is a stateful app. */
export function fileSpec(i) {
  const env = ENVS[i % 3];
  const team = TEAMS[Math.floor(i / 3) % TEAMS.length];
  const app = `${team}-${WORDS[Math.floor(i / 60) % WORDS.length]}-${i}`;
  return {
    index: i,
    env,
    team,
    app,
    namespace: `${team}-${env}`,
    stateful: i % 10 === 4,
    path: `clusters/${env}/${team}/${app}.yaml`,
  };
}

function digest(app, container, version) {
  return `sha256:${hex(`${app}/${container}@${version}`)}`;
}

/** Per-file knobs the 50-file change turns; `version` bumps image digests. */
function defaultKnobs() {
  return {
    version: 1,
    replicas: 3,
    selectorExtra: false,
    dropPvc: false,
    storage: '20Gi',
    port: 8080,
    configRevision: 1,
    serviceType: 'ClusterIP',
  };
}

function configLines(spec, revision, count) {
  const r = rng(spec.index * 7919 + revision);
  const lines = [];
  for (let k = 0; k < count; k++) {
    const key = `${WORDS[k % WORDS.length]}.${TEAMS[(k * 7) % TEAMS.length]}.setting${k}`;
    const v = Math.floor(r() * 100000);
    lines.push(`    ${key} = ${k % 5 === 0 ? `"${hex(`${spec.app}:${k}:${revision}`, 24)}"` : v}`);
  }
  return lines.join('\n');
}

function envLines(spec, revision, count) {
  const r = rng(spec.index * 104729 + revision);
  const lines = [];
  for (let k = 0; k < count; k++) {
    const key = `${WORDS[k % WORDS.length].toUpperCase()}_${TEAMS[(k * 3) % TEAMS.length].toUpperCase()}_OPT_${k}`;
    const v = k % 4 === 0 ? `"${hex(`${spec.app}:env:${k}:${revision}`, 16)}"` : `"${Math.floor(r() * 1000)}"`;
    lines.push(`  ${key}: ${v}`);
  }
  return lines.join('\n');
}

function labels(spec, indent) {
  const pad = ' '.repeat(indent);
  return [
    `${pad}app.kubernetes.io/name: ${spec.app}`,
    `${pad}app.kubernetes.io/part-of: ${spec.team}`,
    `${pad}app.kubernetes.io/managed-by: argocd`,
    `${pad}environment: ${spec.env}`,
  ].join('\n');
}

function container(spec, name, knobs, port) {
  return `        - name: ${name}
          image: ${REGISTRY}/${spec.team}/${name}@${digest(spec.app, name, knobs.version)}
          imagePullPolicy: IfNotPresent
          args: ["--config=/etc/${spec.app}/app.properties", "--port=${port}", "--log-format=json"]
          ports:
            - name: http
              containerPort: ${port}
              protocol: TCP
          env:
            - name: APP_NAME
              value: ${spec.app}
            - name: APP_ENV
              value: ${spec.env}
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: GOMAXPROCS
              valueFrom:
                resourceFieldRef:
                  resource: limits.cpu
          envFrom:
            - configMapRef:
                name: ${spec.app}-env
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              cpu: "1"
              memory: 512Mi
          readinessProbe:
            httpGet:
              path: /healthz/ready
              port: http
            periodSeconds: 5
            failureThreshold: 3
          livenessProbe:
            httpGet:
              path: /healthz/live
              port: http
            initialDelaySeconds: 10
            periodSeconds: 10
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: config
              mountPath: /etc/${spec.app}
              readOnly: true`;
}

function podTemplate(spec, knobs) {
  return `  template:
    metadata:
      labels:
${labels(spec, 8)}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"
        checksum/config: "${hex(`${spec.app}:cfg:${knobs.configRevision}`)}"
    spec:
      serviceAccountName: ${spec.app}
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    app.kubernetes.io/name: ${spec.app}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: ${spec.app}
      containers:
${container(spec, spec.app.split('-').slice(0, 2).join('-'), knobs, knobs.port)}
${container(spec, 'envoy-sidecar', knobs, 15001)}
      volumes:
        - name: config
          configMap:
            name: ${spec.app}-config`;
}

function selector(spec, knobs) {
  return `  selector:
    matchLabels:
      app.kubernetes.io/name: ${spec.app}${knobs.selectorExtra ? `\n      app.kubernetes.io/instance: ${spec.app}-v2` : ''}`;
}

function meta(kind, apiVersion, name, spec, extra = '') {
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${spec.namespace}
  labels:
${labels(spec, 4)}${extra}`;
}

/** The ~19 KB multi-document file of app i (10 documents). */
export function renderFile(spec, knobs = defaultKnobs()) {
  const r = rng(spec.index + 1);
  // Config payload: sizes vary between files (12–28 KB a file) like real repositories.
  const cfgLines = 40 + Math.floor(r() * 100);
  const envKeys = 80 + Math.floor(r() * 200);
  const docs = [];
  docs.push(meta('ServiceAccount', 'v1', spec.app, spec));
  docs.push(`${meta('ConfigMap', 'v1', `${spec.app}-config`, spec)}
data:
  app.properties: |
${configLines(spec, knobs.configRevision, cfgLines)}`);
  docs.push(`${meta('ConfigMap', 'v1', `${spec.app}-env`, spec)}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search-v2,fast-checkout"
  UPSTREAM_URL: http://${spec.team}-api.${spec.namespace}.svc.cluster.local:8080
  CACHE_TTL_SECONDS: "300"
${envLines(spec, knobs.configRevision, envKeys)}`);
  if (!spec.stateful) {
    docs.push(`${meta('Deployment', 'apps/v1', spec.app, spec)}
spec:
  replicas: ${knobs.replicas}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
${selector(spec, knobs)}
${podTemplate(spec, knobs)}`);
  } else {
    docs.push(`${meta('StatefulSet', 'apps/v1', spec.app, spec)}
spec:
  serviceName: ${spec.app}-headless
  replicas: ${knobs.replicas}
  podManagementPolicy: OrderedReady
  updateStrategy:
    type: RollingUpdate
${selector(spec, knobs)}
${podTemplate(spec, knobs)}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        storageClassName: fast-ssd
        resources:
          requests:
            storage: ${knobs.storage}`);
  }
  docs.push(`${meta('Service', 'v1', spec.app, spec)}
spec:
  type: ${knobs.serviceType}
  selector:
    app.kubernetes.io/name: ${spec.app}
  ports:
    - name: http
      port: 80
      targetPort: ${knobs.port}
      protocol: TCP`);
  if (spec.stateful) {
    docs.push(`${meta('Service', 'v1', `${spec.app}-headless`, spec)}
spec:
  clusterIP: None
  selector:
    app.kubernetes.io/name: ${spec.app}
  ports:
    - name: http
      port: ${knobs.port}`);
    docs.push(`${meta('PersistentVolumeClaim', 'v1', `${spec.app}-backup`, spec, '\n  annotations:\n    argocd.argoproj.io/sync-options: Prune=false')}
spec:
  accessModes: ["ReadWriteOnce"]
  storageClassName: standard
  resources:
    requests:
      storage: 100Gi`);
    if (!knobs.dropPvc)
      docs.push(`${meta('PersistentVolumeClaim', 'v1', `${spec.app}-scratch`, spec)}
spec:
  accessModes: ["ReadWriteOnce"]
  storageClassName: standard
  resources:
    requests:
      storage: 10Gi`);
  } else {
    docs.push(`${meta('Service', 'v1', `${spec.app}-metrics`, spec)}
spec:
  selector:
    app.kubernetes.io/name: ${spec.app}
  ports:
    - name: metrics
      port: 9090`);
    docs.push(`${meta('HorizontalPodAutoscaler', 'autoscaling/v2', spec.app, spec)}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${spec.app}
  minReplicas: ${knobs.replicas}
  maxReplicas: ${knobs.replicas * 4}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70`);
    docs.push(`${meta('Ingress', 'networking.k8s.io/v1', spec.app, spec)}
spec:
  ingressClassName: nginx
  rules:
    - host: ${spec.app}.${spec.env}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${spec.app}
                port:
                  name: http`);
  }
  docs.push(`${meta('PodDisruptionBudget', 'policy/v1', spec.app, spec)}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${spec.app}`);
  docs.push(`${meta('NetworkPolicy', 'networking.k8s.io/v1', spec.app, spec)}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: ${spec.app}
  policyTypes: ["Ingress"]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - port: ${knobs.port}`);
  return `# ${spec.app} (${spec.env}) — owned by team ${spec.team}\n---\n${docs.join('\n---\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The 50-file change

/** The files of the 50-file change: [{path, oldPath?, text?}] (text undefined = deleted). */
export function changeFiles() {
  const out = [];
  CHANGED_INDICES.forEach((i, k) => {
    const spec = fileSpec(i);
    const knobs = { ...defaultKnobs(), version: 2 }; // every touched app gets an image bump...
    let path = spec.path;
    let oldPath;
    let text;
    switch (k) {
      case 0: // ...plus a Deployment selector change (immutable field)
        knobs.selectorExtra = true;
        break;
      case 1: // a stateful app with its scratch PVC deleted (index 4 is stateful)
        knobs.dropPvc = true;
        break;
      case 6: // StatefulSet volumeClaimTemplates resize (immutable; index 24 is stateful)
        knobs.storage = '50Gi';
        break;
      case 2: // a whole app removed: Deployment, Services, HPA, Ingress, ...
        out.push({ path: spec.path });
        return;
      case 3: // an app moved to another team's folder, with its image bump
        oldPath = spec.path;
        path = spec.path.replace(`/${spec.team}/`, '/platform/');
        break;
      case 5:
        knobs.port = 9000; // container port and Service targetPort
        break;
      case 7:
        knobs.serviceType = 'LoadBalancer';
        break;
      case 8:
        knobs.replicas = 5;
        break;
      case 9:
      case 10:
      case 11:
        knobs.configRevision = 2; // ConfigMap data edits with the checksum annotation
        break;
      default:
        break;
    }
    text = renderFile(spec, knobs);
    out.push({ path, ...(oldPath ? { oldPath } : {}), text });
  });
  // One added file: a new app in prod.
  const added = { ...fileSpec(100_000), path: ADDED_PATH, app: 'platform-edge-gateway', team: 'platform' };
  added.namespace = 'platform-prod';
  added.env = 'prod';
  out.push({ path: ADDED_PATH, text: renderFile(added) });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Repository

export class FastImport {
  chunks = [];
  mark = 0;
  blob(text) {
    const buf = Buffer.from(text, 'utf8');
    const m = ++this.mark;
    this.chunks.push(Buffer.from(`blob\nmark :${m}\ndata ${buf.length}\n`), buf, Buffer.from('\n'));
    return m;
  }
  commit(ref, { message, time, from, ops }) {
    const m = ++this.mark;
    const msg = Buffer.from(message, 'utf8');
    const who = `Bench Bot <bench@example.com> ${time} +0000`;
    this.chunks.push(
      Buffer.from(`commit ${ref}\nmark :${m}\nauthor ${who}\ncommitter ${who}\ndata ${msg.length}\n`),
      msg,
      Buffer.from(`\n${from ? `from :${from}\n` : ''}`),
    );
    for (const op of ops) {
      if (op.delete) this.chunks.push(Buffer.from(`D ${op.path}\n`));
      else this.chunks.push(Buffer.from(`M 100644 :${op.mark} ${op.path}\n`));
    }
    this.chunks.push(Buffer.from('\n'));
    return m;
  }
  buffer() {
    return Buffer.concat(this.chunks);
  }
}

const README = (n) => `# fleet

GitOps repository of the example fleet: ${n} application bundles, one file per application and
environment under clusters/<env>/<team>/. Argo CD syncs each environment folder.
`;

const ROLLWRIGHT_CONFIG = `kubernetes:
  version: "1.34"
  defaultNamespace: default
environments:
  prod:
    paths: ["clusters/prod/**"]
  staging:
    paths: ["clusters/staging/**"]
    requireDeclaration: false
  dev:
    paths: ["clusters/dev/**"]
    requireDeclaration: false
`;

/**
 * Builds (or reuses) the corpus with `manifests` Kubernetes objects (manifests / 10 files).
 * Returns { dir, base, noop, change, key }.
 */
export function ensureCorpus({ manifests = 20_000, workDir = WORK_DIR, log = () => {} } = {}) {
  const files = Math.ceil(manifests / DOCS_PER_FILE);
  if (files < 200)
    throw new Error('the corpus needs at least 2,000 manifests (the change touches the first 200 files)');
  const key = `corpus-v${CORPUS_VERSION}-${SOURCE_HASH}-${manifests}`;
  const dir = resolve(workDir, key);
  const doneFile = join(dir, '.bench-corpus.json');
  if (existsSync(doneFile)) {
    const info = JSON.parse(readFileSync(doneFile, 'utf8'));
    // Cheap check that the refs are still there.
    const ok = git(dir, ['rev-parse', 'refs/heads/main', 'refs/heads/noop', 'refs/heads/change'])
      .toString()
      .trim()
      .split('\n');
    if (ok.join() === [info.base, info.noop, info.change].join()) return { ...info, dir, key, cached: true };
  }
  const t0 = performance.now();
  pruneStale(workDir);
  log(`generating ${key} (${files} files) ...`);
  mkdirSync(workDir, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  execFileSync('git', ['init', '-q', '-b', 'main', tmp], { env: GIT_ENV });
  git(tmp, ['config', 'gc.auto', '0']);

  const fi = new FastImport();
  const base = [];
  base.push({ path: 'README.md', mark: fi.blob(README(files)) });
  base.push({ path: 'docs/notes.txt', mark: fi.blob('Operational notes.\n') });
  base.push({ path: '.rollwright.yaml', mark: fi.blob(ROLLWRIGHT_CONFIG) });
  for (let i = 0; i < files; i++) {
    const spec = fileSpec(i);
    base.push({ path: spec.path, mark: fi.blob(renderFile(spec)) });
  }
  let time = 1_700_000_000;
  let parent = fi.commit('refs/heads/main', { message: 'Initial fleet import\n', time, ops: base });
  // A little history before the base: routine image bumps, a few files each.
  for (let c = 1; c <= 20; c++) {
    const ops = [];
    for (let j = 0; j < 5; j++) {
      const spec = fileSpec((c * 97 + j * 389) % files);
      ops.push({ path: spec.path, mark: fi.blob(renderFile(spec, { ...defaultKnobs(), version: 100 + c })) });
    }
    parent = fi.commit('refs/heads/main', {
      message: `Routine image bumps #${c}\n`,
      time: (time += 3600),
      from: parent,
      ops,
    });
  }
  // The base: every file back at its default content (so the change applies to known bytes).
  const reset = [];
  for (let c = 1; c <= 20; c++)
    for (let j = 0; j < 5; j++) {
      const spec = fileSpec((c * 97 + j * 389) % files);
      reset.push({ path: spec.path, mark: fi.blob(renderFile(spec)) });
    }
  const baseMark = fi.commit('refs/heads/main', {
    message: 'Pin all images to the release train digests\n',
    time: (time += 3600),
    from: parent,
    ops: reset,
  });
  fi.commit('refs/heads/noop', {
    message: 'docs: describe the fleet layout\n',
    time: time + 60,
    from: baseMark,
    ops: [
      { path: 'README.md', mark: fi.blob(README(files) + '\nSee docs/notes.txt for on-call notes.\n') },
      { path: 'docs/notes.txt', mark: fi.blob('Operational notes.\nPage the owning team first.\n') },
    ],
  });
  const changeOps = [];
  for (const f of changeFiles()) {
    if (f.oldPath) changeOps.push({ path: f.oldPath, delete: true });
    if (f.text === undefined) changeOps.push({ path: f.path, delete: true });
    else changeOps.push({ path: f.path, mark: fi.blob(f.text) });
  }
  fi.commit('refs/heads/change', {
    message:
      'Release train 2: bump images, move edge apps, resize stores\n\n' +
      'Rollback-Class: reversible-with-manual-repair\nRollback-Method: revert and re-create the changed selectors\n',
    time: time + 120,
    from: baseMark,
    ops: changeOps,
  });
  execFileSync('git', ['-C', tmp, 'fast-import', '--quiet', '--done'], {
    env: GIT_ENV,
    input: Buffer.concat([fi.buffer(), Buffer.from('done\n')]),
    maxBuffer: 1 << 30,
  });
  // A cloned repository is delta-packed; so is this one.
  git(tmp, ['repack', '-a', '-d', '-q']);
  const [b, n, c] = git(tmp, ['rev-parse', 'refs/heads/main', 'refs/heads/noop', 'refs/heads/change'])
    .toString()
    .trim()
    .split('\n');
  git(tmp, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  const info = { manifests, files, base: b, noop: n, change: c, version: CORPUS_VERSION };
  writeFileSync(join(tmp, '.bench-corpus.json'), JSON.stringify(info, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`generated ${key} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { ...info, dir, key, cached: false };
}

/** Removes corpora generated by an older version of this file. */
function pruneStale(workDir) {
  if (!existsSync(workDir)) return;
  for (const name of readdirSync(workDir)) {
    const m = /^corpus-v\d+-([0-9a-f]{8})-\d+(\.tmp-\d+)?$/.exec(name);
    if (m && m[1] !== SOURCE_HASH) rmSync(join(workDir, name), { recursive: true, force: true });
  }
}

/** Sizes of the repository (files, objects, bytes) at the base commit. */
export function repoStats(dir, rev) {
  const tree = git(dir, ['ls-tree', '-r', '-z', '--long', rev]).toString('utf8').split('\0').filter(Boolean);
  let treeBytes = 0;
  let yamlFiles = 0;
  for (const line of tree) {
    const [metaPart, path] = line.split('\t');
    treeBytes += Number(metaPart.trim().split(/\s+/)[3]) || 0;
    if (/\.ya?ml$/.test(path)) yamlFiles++;
  }
  const co = Object.fromEntries(
    git(dir, ['count-objects', '-v'])
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.split(': ')),
  );
  return {
    files: tree.length,
    yamlFiles,
    treeBytes,
    objects: Number(co.count) + Number(co['in-pack']),
    packBytes: (Number(co['size-pack']) + Number(co.size)) * 1024,
  };
}

/** Sizes of a change: files, and bytes of both sides of every changed blob. */
export function changeStats(dir, base, head) {
  const raw = git(dir, ['diff', '--raw', '-z', '--no-abbrev', '-M', base, head]).toString('utf8').split('\0');
  const entries = [];
  for (let i = 0; i < raw.length; i++) {
    const m = raw[i];
    if (!m || !m.startsWith(':')) continue;
    const [, , oldSha, newSha, status] = m.slice(1).split(' ');
    const path = raw[++i];
    if (status.startsWith('R') || status.startsWith('C')) i++;
    entries.push({ oldSha, newSha, status, path });
  }
  const oids = entries.flatMap((e) => [e.oldSha, e.newSha]).filter((o) => !/^0+$/.test(o));
  const sizes = new Map();
  if (oids.length) {
    const out = git(dir, ['cat-file', '--batch-check'], { input: oids.join('\n') + '\n' }).toString();
    for (const line of out.trim().split('\n')) {
      const [oid, , size] = line.split(' ');
      sizes.set(oid, Number(size));
    }
  }
  let oldBytes = 0;
  let newBytes = 0;
  const statuses = {};
  for (const e of entries) {
    oldBytes += sizes.get(e.oldSha) ?? 0;
    newBytes += sizes.get(e.newSha) ?? 0;
    const s = e.status[0];
    statuses[s] = (statuses[s] ?? 0) + 1;
  }
  return {
    files: entries.length,
    yamlFiles: entries.filter((e) => /\.ya?ml$/.test(e.path)).length,
    oldBytes,
    newBytes,
    statuses,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { manifests: { type: 'string', default: '20000' }, dir: { type: 'string' } },
  });
  const c = ensureCorpus({
    manifests: Number(values.manifests),
    ...(values.dir ? { workDir: values.dir } : {}),
    log: (m) => process.stderr.write(`corpus: ${m}\n`),
  });
  const out = {
    ...c,
    repository: repoStats(c.dir, c.base),
    noopChange: changeStats(c.dir, c.base, c.noop),
    change50: changeStats(c.dir, c.base, c.change),
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}
