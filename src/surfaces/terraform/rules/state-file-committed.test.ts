import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './state-file-committed.js';

const state = (serial: number, lineage = 'a1b2', password = 'hunter2') =>
  JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage,
    outputs: {},
    resources: [{ mode: 'managed', type: 'aws_db_instance', name: 'main', instances: [{ attributes: { password } }] }],
  });

ruleTable(terraform, rule, {
  valid: [
    { name: 'a state file removed from Git', before: { 'terraform.tfstate': state(3) }, after: {} },
    { name: 'a .gitignore entry', after: { '.gitignore': '*.tfstate\n' } },
  ],
  invalid: [
    {
      name: 'committed: secrets in plain text, values never shown',
      after: { 'infra/terraform.tfstate': state(7) },
      errors: [
        {
          messageId: 'committed',
          class: 'forward-only',
          severity: 'error',
          line: 1,
          message:
            'infra/terraform.tfstate is a state file committed to Git (1 resources): state holds every attribute in plain text, secrets included, and a revert does not remove it from history: rotate what it holds',
        },
      ],
    },
    {
      name: 'an older state replaces a newer one',
      before: { 'terraform.tfstate': state(12) },
      after: { 'terraform.tfstate': state(9) },
      errors: [
        { messageId: 'committed' },
        {
          messageId: 'restored',
          class: 'reversible-with-manual-repair',
          message: /serial 12 -> 9: an older state replaces a newer one/,
        },
      ],
    },
    {
      name: 'another lineage',
      before: { 'prod.tfstate': state(12) },
      after: { 'prod.tfstate': state(1, 'ffff') },
      errors: [{ messageId: 'committed' }, { messageId: 'replaced' }],
    },
    {
      name: 'a backup file',
      after: { 'terraform.tfstate.1700000000.backup': state(2) },
      errors: [{ messageId: 'committed' }],
    },
    {
      name: 'not JSON',
      after: { 'x.tfstate': 'garbage' },
      errors: [{ messageId: 'committed', message: /\(contents not read\)/ }],
    },
  ],
});
