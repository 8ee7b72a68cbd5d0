import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './invalid-manifest.js';

const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n';

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'a valid manifest', after: cm },
    { name: 'a YAML file that is not a manifest at all', after: { 'config/app.yaml': 'server:\n  port: 8080\n' } },
    { name: 'empty documents between objects', after: `---\n${cm}---\n---\n` },
    {
      name: 'a kustomization is build config',
      after: {
        'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n',
      },
    },
    {
      name: 'a Helm template is not parsed as YAML',
      after: { 'chart/templates/d.yaml': 'kind: {{ .Values.kind }}\n' },
    },
    {
      name: 'a List of objects',
      after: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n',
    },
  ],
  invalid: [
    {
      name: 'YAML that does not parse, with its line',
      after: { 'apps/web.yaml': `${cm}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n` },
      errors: [
        {
          messageId: 'yaml',
          file: 'apps/web.yaml',
          line: 11,
          class: 'non-recoverable-without-restore',
          severity: 'error',
        },
      ],
    },
    {
      name: 'duplicate keys',
      after: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
      errors: [{ messageId: 'yaml', line: 5, message: /duplicated mapping key/ }],
    },
    {
      name: 'a document that is a list, beside a manifest',
      after: `${cm}---\n- a\n- b\n`,
      errors: [{ messageId: 'notObject', line: 8, message: /document is a list/ }],
    },
    {
      name: 'a document that is a scalar, beside a manifest',
      after: `${cm}---\njust text\n`,
      errors: [{ messageId: 'notObject', line: 8, message: /a string/ }],
    },
    {
      name: 'kind without apiVersion',
      after: 'kind: ConfigMap\nmetadata: {name: a}\n',
      errors: [{ messageId: 'missingField', line: 1, message: /no apiVersion/ }],
    },
    {
      name: 'object without a name',
      after: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n',
      errors: [{ messageId: 'missingField', line: 3, message: /metadata\.name/ }],
    },
    {
      name: 'the same object twice in one file',
      after: `${cm}---\n${cm}`,
      errors: [
        { messageId: 'duplicate', line: 8, class: 'reversible-with-manual-repair', object: '/ConfigMap/default/a' },
      ],
    },
    {
      name: 'YAML anchors used as a bomb',
      after:
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n' +
        '  a: &a ["x","x","x","x","x","x","x","x","x"]\n' +
        Array.from({ length: 8 }, (_, i) => {
          const p = String.fromCharCode(97 + i);
          const c = String.fromCharCode(98 + i);
          return `  ${c}: &${c} [${Array(9).fill(`*${p}`).join(',')}]\n`;
        }).join(''),
      errors: [{ messageId: 'yaml', message: /alias/ }],
    },
  ],
});
