/**
 * The in-process build against the real `kubectl kustomize`: a table of overlays, each rendered both ways;
 * the output must be the same text. Builds that are not simple must be left to kubectl (undefined).
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryRepo } from '../../testing/rule-tester.js';
import { renderInProcess, splitImage } from './inprocess.js';
import { kubectlKustomize, loadGraph, materialise } from './render.js';

const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: other   # replaced by a namespace transformer
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - {name: init, image: "busybox"}
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
          env: [{name: MODE, value: "01"}, {name: FLAG, value: "yes"}]
        - name: proxy
          image: localhost:5000/proxy@sha256:${'a'.repeat(64)}
        - name: side
          image: docker.io/library/nginx:1.25@sha256:${'b'.repeat(64)}
`;
const config = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data:
  script: |
    echo one
    echo two
  n: "~"
  empty: ""
  url: "https://example.com/a/very/long/path/without/any/space/in/it/at/all/that/goes/past/eighty/columns"
---
# an empty document and a comment
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`;
const flux = `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: podinfo, namespace: flux-system}
spec:
  interval: 10m
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  ref: {tag: 6.5.0}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: flux-system}
spec:
  chart: {spec: {chart: podinfo, version: "6.x", sourceRef: {kind: HelmRepository, name: podinfo}}}
  values:
    containers: [{name: x, image: ghcr.io/acme/web:0.1}]
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: {kind: OCIRepository, name: podinfo}
  images: [{name: ghcr.io/acme/web, newTag: 3.0.0}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    metadata: {}
    spec:
      template:
        spec: {containers: [{name: job, image: busybox:1.36}], restartPolicy: OnFailure}
`;
const k = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

const files: Record<string, string> = {
  'base/deploy.yaml': deploy,
  'base/config.yaml': config,
  'base/kustomization.yaml': k('resources:\n  - deploy.yaml\n  - config.yaml\n'),
  'flux/all.yaml': flux,
  'flux/kustomization.yaml': k('resources: [all.yaml]\n'),
  'o/plain/kustomization.yaml': k('resources: [../../base, ../../flux]\n'),
  'o/ns/kustomization.yaml': k('namespace: prod\nresources: [../../base, ../../flux]\n'),
  'o/images/kustomization.yaml': k(
    `resources: [../../base, ../../flux]\nimages:\n  - {name: ghcr.io/acme/web, newTag: 2.0.0}\n  - {name: busybox, newName: docker.io/library/busybox, digest: "sha256:${'c'.repeat(64)}"}\n  - {name: localhost:5000/proxy, newTag: v2}\n  - {name: docker.io/library/nginx, newTag: "1.26", digest: "sha256:${'d'.repeat(64)}"}\n`,
  ),
  'o/annotations/kustomization.yaml': k(
    'commonAnnotations: {team: payments, "example.com/owner": a}\nresources: [../../base, ../../flux]\n',
  ),
  'o/labels/kustomization.yaml': k('labels:\n  - pairs: {tier: web, env: prod}\nresources: [../../base]\n'),
  'o/stacked/kustomization.yaml': k(
    'namespace: stacked\ncommonAnnotations: {layer: outer}\nresources: [../ns]\nimages:\n  - {name: ghcr.io/acme/web, newName: ghcr.io/acme/web2}\n',
  ),
  'o/bases/kustomization.yaml': k('bases: [../../flux]\nresources: [svc.yaml]\n'),
  'o/bases/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: extra}\nspec: {ports: [{port: 81}]}\n',
  'o/outside/kustomization.yaml': k('resources: [../../base/config.yaml]\n'),
  'o/long/kustomization.yaml': k('resources: [cm.yaml]\n'),
  'o/long/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: long}\ndata: {long: "${'x'.repeat(120)} y"}\n`,
  // Not simple: left to kubectl.
  'o/prefix/kustomization.yaml': k('namePrefix: p-\nresources: [../../base]\n'),
  'o/common-labels/kustomization.yaml': k('commonLabels: {tier: web}\nresources: [../../base]\n'),
  'o/patched/kustomization.yaml': k(
    'resources: [../../base]\npatches:\n  - target: {kind: Deployment}\n    patch: |\n      - {op: replace, path: /spec/replicas, value: 3}\n',
  ),
  'o/generated/kustomization.yaml': k(
    'resources: [../../base]\nconfigMapGenerator:\n  - {name: gen, literals: [a=b]}\n',
  ),
  'o/selectors/kustomization.yaml': k(
    'labels:\n  - pairs: {tier: web}\n    includeSelectors: true\nresources: [../../base]\n',
  ),
  'o/dup/kustomization.yaml': k('resources: [../../base, ../../base/config.yaml]\n'),
  'o/missing/kustomization.yaml': k('resources: [../../base, nothere.yaml]\n'),
  'o/cluster/kustomization.yaml': k('namespace: x\nresources: [ns.yaml]\n'),
  'o/cluster/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n',
  'o/remote/kustomization.yaml': k('resources: [https://github.com/acme/x//base?ref=v1]\n'),
  'o/kustomize-kind/kustomization.yaml': k('resources: [k.yaml]\n'),
  'o/kustomize-kind/k.yaml': k('metadata: {name: inner}\n'),
};

const simple = ['plain', 'ns', 'images', 'annotations', 'labels', 'stacked', 'bases'];
const notSimple = [
  'prefix',
  'common-labels',
  'patched',
  'generated',
  'selectors',
  'dup',
  'missing',
  'cluster',
  'remote',
  'outside',
  'long',
  'kustomize-kind',
];

describe('kustomize in-process build against kubectl kustomize', () => {
  let dir: string;
  const repo = memoryRepo(files, files);
  beforeAll(async () => {
    dir = await materialise(new Map(Object.entries(files)), 'head');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const o of simple)
    it(`the same output as kubectl: ${o}`, async () => {
      const graph = await loadGraph(repo, 'head');
      const mine = await renderInProcess(`o/${o}`, graph, (p) => repo.readText('head', p));
      const theirs = await kubectlKustomize(dir, `o/${o}`);
      if (!theirs.ok) throw new Error(theirs.reason);
      expect(mine).toBe(theirs.output);
    });

  for (const o of notSimple)
    it(`left to kubectl: ${o}`, async () => {
      const graph = await loadGraph(repo, 'head');
      expect(await renderInProcess(`o/${o}`, graph, (p) => repo.readText('head', p))).toBeUndefined();
    });

  it('splits images as kustomize does (a registry port is not a tag)', () => {
    expect(splitImage('localhost:5000/a/b')).toEqual({ name: 'localhost:5000/a/b', tag: '', digest: '' });
    expect(splitImage('a:1@sha256:x')).toEqual({ name: 'a', tag: '1', digest: 'sha256:x' });
    expect(splitImage('r.io/a@sha256:x')).toEqual({ name: 'r.io/a', tag: '', digest: 'sha256:x' });
  });
});
