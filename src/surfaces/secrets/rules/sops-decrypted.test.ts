import { ruleTable } from '../../../testing/rule-tester.js';
import { secrets } from '../index.js';
import { enc, sopsYaml } from '../testing/fixtures.js';
import rule from './sops-decrypted.js';

ruleTable(secrets, rule, {
  valid: [
    { name: 'a rotation', before: { 's.enc.yaml': sopsYaml('a', 'b') }, after: { 's.enc.yaml': sopsYaml('c', 'b') } },
    { name: 'a file deleted', before: { 's.enc.yaml': sopsYaml('a', 'b') }, after: {} },
  ],
  invalid: [
    {
      name: 'committed decrypted',
      before: { 'secrets/db.enc.yaml': sopsYaml('a', 'b') },
      after: { 'secrets/db.enc.yaml': 'database:\n  user: shop\n  password: hunter2-plain\n' },
      errors: [
        {
          messageId: 'decrypted',
          class: 'compensatable',
          severity: 'error',
          file: 'secrets/db.enc.yaml',
          message: /2 value\(s\), keys: database\.password, database\.user/,
        },
      ],
    },
    {
      name: 'a plain key added to an encrypted file',
      before: { 's.enc.yaml': sopsYaml('a', 'b') },
      after: { 's.enc.yaml': sopsYaml('a', 'b', undefined, 'api_token: abc\n') },
      errors: [{ messageId: 'plainAdded', class: 'fully-reversible', message: /keys: api_token\)/ }],
    },
  ],
});
void enc;
