import { describe, expect, it } from 'vitest';
import { ruleTable, runRule } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './plaintext-secret.js';

const PASSWORD = 'S3cr3t-Passw0rd-do-not-print';
const TOKEN = 'tok_live_0123456789abcdef';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const secret = (body: string) => `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
type: Opaque
${body}`;

const sops = `sops:
  age:
    - recipient: age1qqqq
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        -----END AGE ENCRYPTED FILE-----
  lastmodified: "2026-01-05T09:00:00Z"
  mac: ENC[AES256_GCM,data:abcd,iv:efgh,tag:ijkl,type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.9.0
`;

ruleTable(kubernetes, rule, {
  valid: [
    {
      name: 'SOPS-encrypted Secret',
      after: secret(`stringData:\n  password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]\n${sops}`),
    },
    { name: 'Secret without data', after: secret('') },
    { name: 'empty values', after: secret('stringData:\n  password: ""\ndata:\n  token:\n') },
    { name: 'Flux substitution placeholders only', after: secret('stringData:\n  password: ${DB_PASSWORD}\n') },
    {
      name: 'vals references (ref+vault://, ref+awssecrets://)',
      after: secret(
        'stringData:\n  password: "ref+vault://secret/data/shop/db#/password"\n  token: ref+awssecrets://shop/api#/token\n',
      ),
    },
    {
      name: 'vals reference in base64 data',
      after: secret(`data:\n  password: ${b64('ref+vault://secret/data/shop/db#/password')}\n`),
    },
    {
      name: '1Password secret references',
      after: secret('stringData:\n  password: "op://prod/shop-db/password"\n  token: op://prod/shop-api/api/token\n'),
    },
    {
      name: 'argocd-vault-plugin inline-path placeholders',
      after: secret(
        'stringData:\n  password: "<path:kv/data/shop/db#password>"\n  token: <path:kv/data/shop/api#token#2>\n',
      ),
    },
    {
      name: 'argocd-vault-plugin generic placeholders under avp.kubernetes.io/path',
      after: secret('stringData:\n  password: <password>\n').replace(
        '  namespace: shop\n',
        '  namespace: shop\n  annotations:\n    avp.kubernetes.io/path: kv/data/shop/db\n',
      ),
    },
    { name: 'a whole template expression', after: secret('stringData:\n  password: "{{ .Values.db.password }}"\n') },
    {
      name: 'unchanged Secret is not re-reported',
      before: secret(`stringData:\n  password: ${PASSWORD}\n`),
      after: secret(`stringData:\n  password: ${PASSWORD}\n`),
    },
    { name: 'removed Secret', before: secret(`stringData:\n  password: ${PASSWORD}\n`), after: {} },
    {
      name: 'ConfigMaps are not Secrets',
      after: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  password: ${PASSWORD}\n`,
    },
  ],
  invalid: [
    {
      name: 'added Secret with stringData',
      after: { 'shop/db-secret.yaml': secret(`stringData:\n  username: app\n  password: ${PASSWORD}\n`) },
      errors: [
        {
          messageId: 'plaintext',
          class: 'compensatable',
          severity: 'error',
          file: 'shop/db-secret.yaml',
          line: 9,
          object: '/Secret/shop/db',
          message:
            'Secret shop/db commits 2 unencrypted value(s) to Git (keys: password, username); reverting leaves them in the history: rotate the credential',
        },
      ],
    },
    {
      name: 'base64 data is not encryption',
      after: secret(`data:\n  token: ${b64(TOKEN)}\n`),
      errors: [{ messageId: 'plaintext', class: 'compensatable', line: 8, message: /keys: token/ }],
    },
    {
      name: 'changed value in an existing plaintext Secret names only the new value',
      before: secret(`stringData:\n  username: app\n  password: old\n`),
      after: secret(`stringData:\n  username: app\n  password: ${PASSWORD}\n`),
      errors: [
        { messageId: 'plaintext', line: 9, message: /commits 1 unencrypted value\(s\) to Git \(keys: password\)/ },
      ],
    },
    {
      name: 'Secret changed elsewhere still holds old plaintext',
      before: secret(`stringData:\n  password: ${PASSWORD}\n`),
      after: secret(`stringData:\n  password: ${PASSWORD}\n`).replace('type: Opaque', 'type: Opaque\nimmutable: true'),
      errors: [{ messageId: 'stillPlaintext', class: 'fully-reversible', severity: 'warning', line: 9 }],
    },
    {
      name: 'a <key> look-alike without the avp.kubernetes.io/path annotation is a value',
      after: secret('stringData:\n  password: <password>\n'),
      errors: [{ messageId: 'plaintext', class: 'compensatable', line: 8 }],
    },
    {
      name: 'a value that only starts like a reference is a value',
      after: secret(`stringData:\n  password: "op:${PASSWORD}"\n  token: "ref+${TOKEN}"\n`),
      errors: [{ messageId: 'plaintext', message: /2 unencrypted value\(s\).*keys: password, token/ }],
    },
    {
      name: 'a key left out of SOPS encryption',
      after: secret(
        `stringData:\n  password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]\n  apiKey: ${TOKEN}\n${sops}`,
      ),
      errors: [{ messageId: 'plaintext', line: 9, message: /keys: apiKey\)/ }],
    },
  ],
});

describe('plaintext-secret never prints a value', () => {
  it.each([
    ['stringData', secret(`stringData:\n  password: ${PASSWORD}\n  token: ${TOKEN}\n`)],
    ['data', secret(`data:\n  password: ${b64(PASSWORD)}\n  token: ${b64(TOKEN)}\n`)],
  ])('%s', async (_n, text) => {
    const findings = await runRule(kubernetes, rule, { name: 'leak', after: text });
    expect(findings.map((f) => f.messageId)).toEqual(['plaintext']);
    const out = JSON.stringify(findings);
    for (const secretText of [PASSWORD, TOKEN, b64(PASSWORD), b64(TOKEN)]) expect(out).not.toContain(secretText);
    expect(findings[0]!.data).toEqual({ object: 'Secret shop/db', count: 2, keys: 'password, token' });
  });
});
