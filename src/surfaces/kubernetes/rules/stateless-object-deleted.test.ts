import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './stateless-object-deleted.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx@sha256:aaaa"}]
`;
const lbService = `apiVersion: v1
kind: Service
metadata:
  name: edge
spec:
  type: LoadBalancer
  ports: [{port: 443}]
`;

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'object unchanged', before: deployment, after: deployment },
    {
      name: 'a generateName hook Job leaves Git: each sync created its own',
      before:
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: before-\n  annotations: {argocd.argoproj.io/hook: PreSync}\nspec: {template: {spec: {containers: []}}}\n',
      after: {},
    },
    {
      name: 'a fixed-name Helm test hook Pod leaves Git',
      before:
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-test\n  annotations: {helm.sh/hook: test}\nspec: {containers: []}\n',
      after: {},
    },
    { name: 'object added', after: deployment },
    { name: 'object moved to another file', before: { 'a.yaml': deployment }, after: { 'b.yaml': deployment } },
    {
      name: 'stateful kinds are left to stateful-object-deleted',
      before: 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {}\n',
      after: {},
    },
    {
      name: 'custom resources are left to the surface that knows them',
      before: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n',
      after: {},
    },
  ],
  invalid: [
    {
      name: 'deployment deleted',
      before: { 'apps/web.yaml': deployment },
      after: {},
      errors: [
        {
          messageId: 'deleted',
          class: 'fully-reversible',
          file: 'apps/web.yaml',
          line: 1,
          object: 'apps/Deployment/shop/web',
        },
      ],
    },
    {
      name: 'one document of several removed',
      before: `${deployment}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: shop\n`,
      after: deployment,
      errors: [{ messageId: 'deleted', line: 13, object: '/ConfigMap/shop/cfg' }],
    },
    {
      name: 'LoadBalancer service deleted loses its address',
      before: lbService,
      after: {},
      errors: [
        { messageId: 'loadBalancer', class: 'reversible-with-manual-repair', line: 6, object: '/Service/default/edge' },
      ],
    },
    {
      name: 'prune disabled keeps the object',
      before: deployment.replace(
        'namespace: shop',
        'namespace: shop\n  annotations:\n    argocd.argoproj.io/sync-options: Prune=false',
      ),
      after: {},
      errors: [{ messageId: 'kept', class: 'fully-reversible' }],
    },
  ],
});
