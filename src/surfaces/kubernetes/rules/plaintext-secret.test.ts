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
          class: 'forward-only',
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
      errors: [{ messageId: 'plaintext', class: 'forward-only', line: 8, message: /keys: token/ }],
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
