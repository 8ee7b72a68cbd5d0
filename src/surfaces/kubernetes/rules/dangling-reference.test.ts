import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './dangling-reference.js';

const cm = (name: string, data = '  LOG_LEVEL: info\n  MODE: web\n', ns = 'shop') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n${data}`;
const secret = (name: string, ns = 'shop') =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ntype: Opaque\ndata:\n  password: c2VjcmV0\n`;

/** A Deployment whose container has the given lines under it (indented for the container). */
const workload = (container: string, podSpec = '', ns = 'shop') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${podSpec}      containers:
        - name: web
          image: nginx@sha256:aa
${container}`;

const envFrom = '          envFrom:\n            - configMapRef: {name: web-config}\n';
const keyRef = (key: string, optional = '') =>
  `          env:\n            - name: LOG\n              valueFrom:\n                configMapKeyRef: {name: web-config, key: ${key}${optional}}\n`;

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'removed ConfigMap that nothing references', before: cm('web-config'), after: {} },
    {
      name: 'reference marked optional',
      before: { 'cm.yaml': cm('web-config') },
      after: {},
      unchanged: { 'web.yaml': workload(keyRef('LOG_LEVEL', ', optional: true')) },
    },
    {
      name: 'workload in another namespace',
      before: { 'cm.yaml': cm('web-config') },
      after: {},
      unchanged: { 'web.yaml': workload(envFrom, '', 'other') },
    },
    {
      name: 'ConfigMap moved to another file',
      before: { 'a.yaml': cm('web-config') },
      after: { 'b.yaml': cm('web-config') },
      unchanged: { 'web.yaml': workload(envFrom) },
    },
    {
      name: 'Secret now produced by an ExternalSecret',
      before: { 'secret.yaml': secret('db') },
      after: {
        'es.yaml':
          'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: db-es, namespace: shop}\nspec:\n  target: {name: db}\n',
      },
      unchanged: { 'web.yaml': workload('', '      imagePullSecrets: [{name: db}]\n') },
    },
    {
      name: 'Secret produced by a SealedSecret elsewhere in the repository',
      before: { 'secret.yaml': secret('db') },
      after: {},
      unchanged: {
        'sealed.yaml':
          'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db, namespace: shop}\nspec: {}\n',
        'web.yaml': workload('', '      imagePullSecrets: [{name: db}]\n'),
      },
    },
    {
      name: 'Secret produced by a cert-manager Certificate',
      before: { 'secret.yaml': secret('web-tls') },
      after: {
        'cert.yaml':
          'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: shop}\nspec: {secretName: web-tls}\n',
      },
      unchanged: {
        'web.yaml': workload('', '      volumes: [{name: tls, secret: {secretName: web-tls}}]\n'),
      },
    },
    {
      name: 'key removed but the workload takes the whole ConfigMap',
      before: { 'cm.yaml': cm('web-config') },
      after: { 'cm.yaml': cm('web-config', '  MODE: web\n') },
      unchanged: { 'web.yaml': workload(envFrom) },
    },
  ],
  invalid: [
    {
      name: 'removed in prod while staging (another cluster) still defines the same name',
      config: { environments: { prod: { paths: ['clusters/prod/**'] }, staging: { paths: ['clusters/staging/**'] } } },
      before: { 'clusters/prod/config.yaml': cm('web-config') },
      after: {},
      unchanged: {
        'clusters/prod/web.yaml': workload(envFrom),
        'clusters/staging/config.yaml': cm('web-config'),
        'clusters/staging/web.yaml': workload(envFrom),
      },
      errors: [{ messageId: 'removed', file: 'clusters/prod/web.yaml', object: 'apps/Deployment/shop/web' }],
    },
    {
      name: 'removed ConfigMap still read by envFrom in an unchanged file',
      before: { 'config/web.yaml': cm('web-config') },
      after: {},
      unchanged: { 'apps/web.yaml': workload(envFrom) },
      errors: [
        {
          messageId: 'removed',
          class: 'fully-reversible',
          severity: 'error',
          file: 'apps/web.yaml',
          line: 15,
          object: 'apps/Deployment/shop/web',
          message:
            'Deployment shop/web references ConfigMap web-config (envFrom at spec.template.spec.containers[0].envFrom[0].configMapRef), which this change removes (it was defined in config/web.yaml): pods that start from now on fail with CreateContainerConfigError',
        },
      ],
    },
    {
      name: 'ConfigMap removed in the same change that edits the workload',
      before: { 'cm.yaml': cm('web-config'), 'web.yaml': workload(keyRef('LOG_LEVEL')) },
      after: {
        'web.yaml': workload(keyRef('LOG_LEVEL')).replace(
          'app: web}}\n  template',
          'app: web}}\n  replicas: 3\n  template',
        ),
      },
      errors: [
        {
          messageId: 'removed',
          file: 'web.yaml',
          line: 18,
          message: /\(env at spec\.template\.spec\.containers\[0\]\.env\[0\]\.valueFrom\.configMapKeyRef\)/,
        },
      ],
    },
    {
      name: 'ConfigMap renamed',
      before: { 'cm.yaml': cm('web-config') },
      after: { 'cm.yaml': cm('web-config-v2') },
      unchanged: { 'web.yaml': workload(envFrom) },
      errors: [{ messageId: 'renamed', line: 15, message: /renames to web-config-v2/ }],
    },
    {
      name: 'key removed that configMapKeyRef needs',
      before: { 'cm.yaml': cm('web-config') },
      after: { 'cm.yaml': cm('web-config', '  MODE: web\n') },
      unchanged: { 'web.yaml': workload(keyRef('LOG_LEVEL')) },
      errors: [
        {
          messageId: 'keyRemoved',
          class: 'fully-reversible',
          line: 17,
          message: /references key LOG_LEVEL of ConfigMap web-config/,
        },
      ],
    },
    {
      name: 'Secret removed, used as an image pull secret',
      before: { 'secret.yaml': secret('registry') },
      after: {},
      unchanged: { 'web.yaml': workload('', '      imagePullSecrets:\n        - name: registry\n') },
      errors: [{ messageId: 'removed', line: 12, message: /ErrImagePull/ }],
    },
    {
      name: 'Secret removed, mounted through a projected volume',
      before: { 'secret.yaml': secret('db') },
      after: {},
      unchanged: {
        'web.yaml': workload(
          '',
          '      volumes:\n        - name: creds\n          projected:\n            sources:\n              - secret: {name: db}\n',
        ),
      },
      errors: [{ messageId: 'removed', line: 15, message: /ContainerCreating/ }],
    },
  ],
});
