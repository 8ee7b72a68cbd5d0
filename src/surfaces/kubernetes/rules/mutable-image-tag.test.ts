import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './mutable-image-tag.js';

const D = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

const deploy = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ${image}
`;

const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  containers: [{name: sh, image: "${image}"}]
`;

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'digest', after: deploy(`ghcr.io/acme/web@${D}`) },
    {
      name: 'a tag on an image the config allows (options.allow)',
      config: {
        rules: {
          'kubernetes/mutable-image-tag': { options: { allow: ['localhost:5000/**', 'registry.dev.internal/*'] } },
        },
      },
      after: deploy('localhost:5000/team/web:dev'),
    },
    { name: 'tag and digest', after: deploy(`ghcr.io/acme/web:1.2.3@${D}`) },
    { name: 'unchanged workload is not re-reported', before: deploy('nginx:1.27'), after: deploy('nginx:1.27') },
    { name: 'removed workload', before: deploy('nginx:1.27'), after: {} },
    { name: 'substituted later (Flux postBuild)', after: deploy('ghcr.io/acme/web:${VERSION}') },
    {
      name: 'object without pods',
      after: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {image: nginx}\n',
    },
  ],
  invalid: [
    {
      name: 'options.allow does not cover other registries',
      config: {
        rules: {
          'kubernetes/mutable-image-tag': { options: { allow: ['localhost:5000/**', 'registry.dev.internal/*'] } },
        },
      },
      after: deploy('registry.dev.internal/team/web:dev'),
      errors: [{ messageId: 'tag' }],
    },
    {
      name: 'added workload with a tag',
      after: { 'apps/web.yaml': deploy('nginx:1.27') },
      errors: [
        {
          messageId: 'tag',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'apps/web.yaml',
          line: 13,
          object: 'apps/Deployment/default/web',
          message: 'Deployment default/web container web: nginx:1.27 has no digest; the tag 1.27 may name other bytes',
        },
      ],
    },
    {
      name: 'changed workload (replicas only) still reports its tag',
      before: deploy('nginx:1.27'),
      after: deploy('nginx:1.27', 3),
      errors: [{ messageId: 'tag', line: 13 }],
    },
    {
      name: 'latest',
      after: deploy('nginx:latest'),
      errors: [
        { messageId: 'latest', class: 'fully-reversible', severity: 'warning', line: 13, message: /tag latest/ },
      ],
    },
    {
      name: 'no tag at all',
      after: deploy('registry.local:5000/tools/web'),
      errors: [{ messageId: 'noTag', line: 13, message: /registry\.local:5000\/tools\/web has no tag and no digest/ }],
    },
    {
      name: 'bare pod',
      after: pod('busybox'),
      errors: [{ messageId: 'noTag', line: 5, object: '/Pod/default/debug' }],
    },
  ],
});
