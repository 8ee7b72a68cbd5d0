import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../core/config-schema.js';
import { assessChangeSet } from '../../../testing/engine.js';
import { changeSetOf, memoryRepo, ruleTable } from '../../../testing/rule-tester.js';
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
      name: 'ksonnet app.yaml: apiVersion 0.1.0 and kind ksonnet.io/app name no API',
      after: { 'guestbook/app.yaml': 'apiVersion: 0.1.0\nkind: ksonnet.io/app\nname: guestbook\nversion: 0.0.1\n' },
    },
    {
      name: 'skaffold.yaml',
      after: { 'skaffold.yaml': 'apiVersion: skaffold/v4beta11\nkind: Config\nmetadata: {name: shop}\n' },
    },
    {
      name: 'a lock file with a key written twice is not a manifest (by path)',
      after: { 'pnpm-lock.yaml': "lockfileVersion: '9.0'\nimporters:\n  a: 1\n  a: 1\n" },
    },
    {
      name: 'a YAML file that does not parse and names no apiVersion or kind anywhere',
      after: { 'config/tool.yaml': 'settings:\n  a: 1\n  a: 2\n' },
    },
    { name: 'CI configs are not manifests', after: { '.circleci/config.yml': 'version: 2.1\njobs: [\n' } },
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
      name: 'a manifest whose head no longer parses is still reported, whatever it lost',
      before: { 'apps/cm.yaml': cm },
      after: { 'apps/cm.yaml': 'data:\n  k: v\n  k: w\n' },
      errors: [{ messageId: 'yaml', file: 'apps/cm.yaml', message: /duplicated mapping key/ }],
    },
    {
      name: 'a broken file that still names apiVersion somewhere is reported',
      after: { 'apps/x.yaml': 'metadata:\n  name: a\n  name: b\n  labels: {apiVersion: x}\n' },
      errors: [{ messageId: 'yaml', message: /duplicated mapping key/ }],
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
      name: 'YAML that does not parse, with no apiVersion or kind, in an environment folder is not skipped',
      after: { 'clusters/prod/web.yaml': 'replicas: 3\nreplicas: 4\nimage: [web\n' },
      errors: [{ messageId: 'yaml', file: 'clusters/prod/web.yaml', line: 3 }],
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

describe('files that are not manifests are skipped with the reason', () => {
  it.each([
    [
      'skaffold.yaml',
      'apiVersion: skaffold/v4beta11\nkind: Config\nmetadata: {name: shop}\n',
      /^not a Kubernetes manifest: apiVersion "skaffold\/v4beta11" names no Kubernetes API group/,
    ],
    [
      'app.yaml',
      'apiVersion: 0.1.0\nkind: ksonnet.io/app\nname: g\n',
      /^not a Kubernetes manifest: apiVersion "0.1.0" is not a Kubernetes group\/version/,
    ],
    [
      'fn.yaml',
      'apiVersion: fn.kpt.dev/v1alpha1\nkind: ApplyReplacements\nmetadata:\n  name: r\n  annotations: {config.kubernetes.io/local-config: "true"}\n',
      /local-config/,
    ],
    ['tool.yaml', 'a: 1\na: 2\n', /does not parse and has no apiVersion or kind anywhere/],
  ])('%s', async (file, text, reason) => {
    const changes = changeSetOf({}, { [file]: text });
    const a = await assessChangeSet(changes, memoryRepo({}, { [file]: text }), ConfigSchema.parse({}), {
      surfaces: [kubernetes],
    });
    expect(a.findings).toEqual([]);
    expect(a.skipped).toEqual([{ file, reason: expect.stringMatching(reason) }]);
  });
});
