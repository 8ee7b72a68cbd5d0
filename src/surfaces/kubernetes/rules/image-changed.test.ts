import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import { parseImageRef } from '../../../kube/model.js';
import rule from './image-changed.js';

const D1 = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
const D2 = 'sha256:2222222222222222222222222222222222222222222222222222222222222222';

const deploy = (image: string, init = 'busybox:1.36', kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - name: init
          image: ${init}
      containers:
        - name: web
          image: ${image}
`;

const cronJob = (image: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: r, image: "${image}"}]
`;

/** An Argo CD Application passing `valuesObject` to its chart. */
const app = (image: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: web}
  source:
    repoURL: https://charts.example.com
    chart: web
    targetRevision: 1.2.0
    helm:
      valuesObject:
        image: ${image}
`;

ruleTable(kubernetes, rule, {
  valid: [
    {
      name: 'image unchanged',
      before: deploy('nginx:1.27'),
      after: deploy('nginx:1.27').replace('shop', 'shop\n  labels: {a: b}'),
    },
    { name: 'workload added', after: deploy('nginx:1.27') },
    { name: 'workload removed', before: deploy('nginx:1.27'), after: {} },
    {
      name: 'container renamed is not an image change',
      before: deploy('nginx:1.27'),
      after: deploy('nginx:1.28').replace('- name: web', '- name: web2'),
    },
    {
      name: 'non-workload kinds have no containers',
      before: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {image: "a:1"}\n',
      after: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {image: "a:2"}\n',
    },
  ],
  invalid: [
    {
      name: 'tag to tag',
      before: { 'apps/web.yaml': deploy('nginx:1.27') },
      after: { 'apps/web.yaml': deploy('nginx:1.28') },
      errors: [
        {
          messageId: 'tagToTag',
          class: 'fully-reversible',
          severity: 'info',
          file: 'apps/web.yaml',
          line: 16,
          object: 'apps/Deployment/shop/web',
          message: 'Deployment shop/web container web: image nginx:1.27 → nginx:1.28',
        },
      ],
    },
    {
      name: 'digest to digest',
      before: deploy(`ghcr.io/acme/web@${D1}`),
      after: deploy(`ghcr.io/acme/web@${D2}`),
      errors: [{ messageId: 'digestToDigest', class: 'fully-reversible', severity: 'info', line: 16 }],
    },
    {
      name: 'digest to tag loses determinism',
      before: deploy(`ghcr.io/acme/web:1.0@${D1}`),
      after: deploy('ghcr.io/acme/web:1.1'),
      errors: [
        {
          messageId: 'digestToTag',
          class: 'fully-reversible',
          severity: 'warning',
          line: 16,
          message: /loss of determinism/,
        },
      ],
    },
    {
      name: 'tag to digest',
      before: deploy('ghcr.io/acme/web:1.0'),
      after: deploy(`ghcr.io/acme/web@${D1}`),
      errors: [{ messageId: 'tagToDigest', class: 'fully-reversible', severity: 'info', line: 16 }],
    },
    {
      name: 'init container and container both changed',
      before: deploy('nginx:1.27'),
      after: deploy('nginx:1.28', 'busybox:1.37'),
      errors: [
        { messageId: 'tagToTag', line: 13, message: /initContainer init: image busybox:1\.36 → busybox:1\.37/ },
        { messageId: 'tagToTag', line: 16, message: /container web/ },
      ],
    },
    {
      name: 'CronJob job template image',
      before: cronJob('report:1'),
      after: cronJob('report:2'),
      errors: [{ messageId: 'tagToTag', line: 10, object: 'batch/CronJob/default/report' }],
    },
    {
      name: 'StatefulSet image change holds a compatibility window',
      before: deploy('postgres:16.4', 'busybox:1.36', 'StatefulSet'),
      after: deploy('postgres:17.0', 'busybox:1.36', 'StatefulSet'),
      errors: [
        {
          messageId: 'stateful',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          line: 16,
          object: 'apps/StatefulSet/shop/web',
        },
      ],
    },
  ],
});

describe('parseImageRef', () => {
  it.each([
    ['nginx', { name: 'nginx' }],
    ['nginx:1.27', { name: 'nginx', tag: '1.27' }],
    ['localhost:5000/app', { name: 'localhost:5000/app' }],
    ['localhost:5000/app:v1', { name: 'localhost:5000/app', tag: 'v1' }],
    [`ghcr.io/a/b:1@${D1}`, { name: 'ghcr.io/a/b', tag: '1', digest: D1 }],
    [`ghcr.io/a/b@${D1}`, { name: 'ghcr.io/a/b', digest: D1 }],
  ])('%s', (ref, parts) => expect(parseImageRef(ref)).toEqual(parts));
});

// Images passed to a chart in Helm values (a HelmRelease, an Argo CD Application): the same verdicts.
ruleTable(kubernetes, rule, {
  valid: [
    {
      name: 'Application valuesObject: the image value unchanged',
      before: app('{repository: ghcr.io/example/web, tag: 1.0.0}'),
      after: app('{repository: ghcr.io/example/web, tag: 1.0.0}').replace('1.2.0', '1.2.1'),
    },
  ],
  invalid: [
    {
      name: 'Application valuesObject: a digest moved to a tag',
      before: app(`{repository: ghcr.io/example/web, digest: "${D1}"}`),
      after: app('{repository: ghcr.io/example/web, tag: 1.1.0}'),
      errors: [
        { messageId: 'digestToTag', severity: 'warning', line: 13, message: /Application argocd\/web value image/ },
      ],
    },
  ],
});
