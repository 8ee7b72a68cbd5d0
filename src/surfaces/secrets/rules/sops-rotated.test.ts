import { expect, it } from 'vitest';
import { ruleTable, runRule } from '../../../testing/rule-tester.js';
import { secrets } from '../index.js';
import { enc, sopsYaml } from '../testing/fixtures.js';
import rule from './sops-rotated.js';

const env = (v: string) =>
  `DB_PASSWORD=${enc(v)}\nsops_age__list_0__map_recipient=age1xyz\nsops_mac=${enc('m' + v)}\nsops_version=3.9.0\n`;

ruleTable(secrets, rule, {
  valid: [
    { name: 'a new SOPS file', after: { 'secrets/db.enc.yaml': sopsYaml('p1', 'u1') } },
    { name: 'a plain YAML file', before: { 'a.yaml': 'x: 1\n' }, after: { 'a.yaml': 'x: 2\n' } },
    {
      name: 'only the metadata changes',
      before: { 's.enc.yaml': sopsYaml('p1', 'u1') },
      after: { 's.enc.yaml': sopsYaml('p1', 'u1').replace('10:00:00', '11:00:00') },
    },
  ],
  invalid: [
    {
      name: 'the password rotated',
      before: { 'secrets/db.enc.yaml': sopsYaml('p1', 'u1') },
      after: { 'secrets/db.enc.yaml': sopsYaml('p2', 'u1') },
      errors: [
        {
          messageId: 'rotated',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          file: 'secrets/db.enc.yaml',
          line: 1,
          message: /1 encrypted value\(s\) change \(keys: database\.password\)/,
        },
      ],
    },
    {
      name: 'a SOPS dotenv file rotated',
      before: { 'secrets/app.env': env('a') },
      after: { 'secrets/app.env': env('b') },
      errors: [{ messageId: 'rotated', message: /keys: DB_PASSWORD/ }],
    },
    {
      name: 'a SOPS-encrypted Kubernetes Secret rotated',
      before: {
        'apps/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: ${enc('a')}\nsops:\n  mac: x\n  version: 3.9.0\n`,
      },
      after: {
        'apps/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: ${enc('b')}\nsops:\n  mac: y\n  version: 3.9.0\n`,
      },
      errors: [{ messageId: 'rotated', message: /keys: stringData\.password/ }],
    },
    {
      name: 'recipients change only',
      before: { 's.enc.yaml': sopsYaml('p1', 'u1') },
      after: { 's.enc.yaml': sopsYaml('p1', 'u1', 'age1zzzz') },
      errors: [{ messageId: 'rekeyed', class: 'fully-reversible', severity: 'info', message: /1 removed, 1 added/ }],
    },
  ],
});

it('never prints a value, encrypted or not', async () => {
  const findings = await runRule(secrets, rule, {
    name: 'values',
    before: { 's.enc.yaml': sopsYaml('OLDSECRET', 'u1') },
    after: { 's.enc.yaml': sopsYaml('NEWSECRET', 'u2') },
  });
  expect(findings).toHaveLength(1);
  const out = JSON.stringify(findings);
  for (const v of ['OLDSECRET', 'NEWSECRET', 'ENC[', 'Zm9vYmFy']) expect(out).not.toContain(v);
});
