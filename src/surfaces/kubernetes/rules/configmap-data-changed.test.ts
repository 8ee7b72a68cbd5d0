import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './configmap-data-changed.js';

const cm = (level: string, extra = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
${extra}data:
  LOG_LEVEL: ${level}
  MODE: web
`;

const workload = (name: string, container: string, podSpec = '', image = 'nginx@sha256:aa') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpec}      containers:
        - name: c
          image: ${image}
${container}`;

const envFrom = '          envFrom: [{configMapRef: {name: web-config}}]\n';
const keyRef = (key: string) =>
  `          env: [{name: X, valueFrom: {configMapKeyRef: {name: web-config, key: ${key}}}}]\n`;
const volume = '      volumes: [{name: cfg, configMap: {name: web-config}}]\n';
const mount = (subPath = '') => `          volumeMounts: [{name: cfg, mountPath: /etc/web${subPath}}]\n`;

/** Twelve ConfigMaps, each read by its own Deployment, and one Deployment of another namespace reading the first name. */
const fleet = (level: string, touched = '') => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) {
    files[`cfg-${i}.yaml`] = cm(level).replace('web-config', `cfg-${i}`);
    files[`app-${i}.yaml`] = workload(`app-${i}`, envFrom.replace('web-config', `cfg-${i}`)) + touched;
  }
  files['other.yaml'] =
    workload('other', envFrom.replace('web-config', 'cfg-0')).replace('namespace: shop', 'namespace: elsewhere') +
    touched;
  return files;
};

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'labels only', before: cm('info'), after: cm('info').replace('shop', 'shop\n  labels: {a: b}') },
    { name: 'ConfigMap added', after: cm('info') },
    { name: 'ConfigMap removed', before: cm('info'), after: {} },
    {
      name: 'immutable ConfigMap is left to immutable-configmap-changed',
      before: cm('info', 'immutable: true\n'),
      after: cm('debug', 'immutable: true\n'),
    },
  ],
  invalid: [
    {
      name: 'no consumer in the changed files',
      before: { 'cfg.yaml': cm('info') },
      after: { 'cfg.yaml': cm('debug') },
      errors: [
        {
          messageId: 'changed',
          class: 'fully-reversible',
          severity: 'info',
          file: 'cfg.yaml',
          line: 7,
          object: '/ConfigMap/shop/web-config',
          message:
            'ConfigMap shop/web-config: data changed (keys: LOG_LEVEL); no workload in the changed files reads it',
        },
      ],
    },
    {
      name: 'env consumer needs a restart',
      before: { 'cfg.yaml': cm('info'), 'web.yaml': workload('web', envFrom) },
      after: { 'cfg.yaml': cm('debug'), 'web.yaml': `${workload('web', envFrom)}# touched\n` },
      errors: [
        {
          messageId: 'env',
          class: 'fully-reversible',
          line: 7,
          object: '/ConfigMap/shop/web-config',
          message:
            /Deployment shop\/web reads it through envFrom and will not see the change, nor its revert, until its pods restart/,
        },
      ],
    },
    {
      name: 'volume, subPath and env consumers',
      before: {
        'cfg.yaml': cm('info'),
        'a.yaml': workload('a', mount(), volume),
        'b.yaml': workload('b', mount(', subPath: app.conf'), volume),
        'c.yaml': workload('c', keyRef('LOG_LEVEL')),
        'd.yaml': workload('d', keyRef('MODE')),
      },
      after: {
        'cfg.yaml': cm('debug'),
        'a.yaml': workload('a', mount(), volume) + '#\n',
        'b.yaml': workload('b', mount(', subPath: app.conf'), volume) + '#\n',
        'c.yaml': workload('c', keyRef('LOG_LEVEL')) + '#\n',
        'd.yaml': workload('d', keyRef('MODE')) + '#\n',
      },
      errors: [
        { messageId: 'volume', line: 7, message: /Deployment shop\/a mounts it as a volume/ },
        {
          messageId: 'subPath',
          line: 7,
          message: /Deployment shop\/b mounts it with subPath: those files are never updated/,
        },
        { messageId: 'env', line: 7, message: /Deployment shop\/c reads it through env / },
      ],
    },
    {
      name: 'many ConfigMaps: each is paired with the workloads of its namespace that read it, and only those',
      before: fleet('info'),
      after: fleet('debug', '#\n'),
      errors: Array.from({ length: 12 }, (_, i) => i)
        .sort((a, b) => (`cfg-${a}.yaml` < `cfg-${b}.yaml` ? -1 : 1))
        .map((i) => ({
          messageId: 'env',
          file: `cfg-${i}.yaml`,
          object: `/ConfigMap/shop/cfg-${i}`,
          message: new RegExp(`^ConfigMap shop/cfg-${i}: .*Deployment shop/app-${i} reads it through envFrom`),
        })),
    },
    {
      name: 'consumer whose pod template changes in the same change rolls anyway',
      before: { 'cfg.yaml': cm('info'), 'web.yaml': workload('web', envFrom) },
      after: { 'cfg.yaml': cm('debug'), 'web.yaml': workload('web', envFrom, '', 'nginx@sha256:bb') },
      errors: [
        { messageId: 'rolled', class: 'fully-reversible', line: 7, message: /its pods restart with the new data/ },
      ],
    },
  ],
});
