import { describe, expect, it } from 'vitest';
import { ruleTable, runRule } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './immutable-configmap-changed.js';

const cm = (data: string, immutable = 'true') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: shop
immutable: ${immutable}
data:
${data}`;

const secret = (body: string, immutable = 'true') => `apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: shop
immutable: ${immutable}
${body}`;

const SECRET_VALUE = 'hunter2-very-secret';

ruleTable(kubernetes, rule, {
  valid: [
    {
      name: 'immutable object unchanged except labels',
      before: cm('  a: "1"\n'),
      after: cm('  a: "1"\n').replace('shop', 'shop\n  labels: {x: y}'),
    },
    { name: 'mutable ConfigMap data change', before: cm('  a: "1"\n', 'false'), after: cm('  a: "2"\n', 'false') },
    { name: 'made immutable in this change', before: cm('  a: "1"\n', 'false'), after: cm('  a: "2"\n') },
    { name: 'immutable ConfigMap added', after: cm('  a: "1"\n') },
    { name: 'immutable ConfigMap deleted', before: cm('  a: "1"\n'), after: {} },
    {
      name: 'Secret key moved from data to stringData with the same value',
      before: secret(`data:\n  password: ${Buffer.from(SECRET_VALUE).toString('base64')}\n`),
      after: secret(`stringData:\n  password: ${SECRET_VALUE}\n`),
    },
  ],
  invalid: [
    {
      name: 'immutable ConfigMap value changed',
      before: { 'cfg.yaml': cm('  a: "1"\n  b: "2"\n') },
      after: { 'cfg.yaml': cm('  a: "1"\n  b: "3"\n  c: "4"\n') },
      errors: [
        {
          messageId: 'dataChanged',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'cfg.yaml',
          line: 9,
          object: '/ConfigMap/shop/app-config',
          message: 'ConfigMap shop/app-config is immutable: true, and data keys changed (b, c)',
        },
      ],
    },
    {
      name: 'key removed points at data',
      before: cm('  a: "1"\n  b: "2"\n'),
      after: cm('  a: "1"\n'),
      errors: [{ messageId: 'dataChanged', line: 7, message: /data keys changed \(b\)/ }],
    },
    {
      name: 'binaryData changed',
      before: cm('  a: "1"\nbinaryData:\n  blob: AAAA\n'),
      after: cm('  a: "1"\nbinaryData:\n  blob: BBBB\n'),
      errors: [{ messageId: 'dataChanged', line: 10, message: /binaryData keys changed \(blob\)/ }],
    },
    {
      name: 'immutable set back to false',
      before: cm('  a: "1"\n'),
      after: cm('  a: "1"\n', 'false'),
      errors: [
        {
          messageId: 'madeMutable',
          class: 'reversible-with-manual-repair',
          line: 6,
          message: /ValidateConfigMapUpdate/,
        },
      ],
    },
    {
      name: 'immutable Secret stringData changed',
      before: secret(`stringData:\n  password: ${SECRET_VALUE}\n`),
      after: secret(`stringData:\n  password: ${SECRET_VALUE}-2\n`),
      errors: [
        {
          messageId: 'dataChanged',
          line: 8,
          object: '/Secret/shop/db-credentials',
          message:
            /Secret shop\/db-credentials is immutable: true, and data keys changed \(password\).*ValidateSecretUpdate/,
        },
      ],
    },
  ],
});

describe('immutable-configmap-changed and secret values', () => {
  it('never puts a value in a finding', async () => {
    const findings = await runRule(kubernetes, rule, {
      name: 'secret',
      before: secret(`stringData:\n  password: ${SECRET_VALUE}\n`),
      after: secret(`stringData:\n  password: ${SECRET_VALUE}-2\n`, 'false'),
    });
    expect(findings.map((f) => f.messageId)).toEqual(['madeMutable', 'dataChanged']);
    const text = JSON.stringify(findings);
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(Buffer.from(SECRET_VALUE).toString('base64').slice(0, 12));
  });
});
