import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './backend-changed.js';

const s3 = (key: string, extra = '') =>
  `terraform {\n  backend "s3" {\n    bucket = "acme-state"\n    key    = "${key}"\n    region = "eu-west-1"${extra}\n  }\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    { name: 'unchanged', before: { 'main.tf': s3('prod.tfstate') }, after: { 'main.tf': `${s3('prod.tfstate')}\n` } },
    { name: 'no backend either side', before: { 'main.tf': 'locals {}\n' }, after: { 'main.tf': 'locals {\n}\n' } },
    { name: 'a new stack with a backend', after: { 'main.tf': s3('prod.tfstate') } },
  ],
  invalid: [
    {
      name: 'the key changes: another state, values never printed',
      before: { 'main.tf': s3('prod/secret-key-name.tfstate') },
      after: { 'main.tf': s3('prod/other.tfstate') },
      errors: [
        {
          messageId: 'locationChanged',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          line: 2,
          message:
            'the s3 backend points elsewhere (key changed): unless state is migrated, the next plan starts from another state, or from none and creates everything again',
        },
      ],
    },
    {
      name: 'a lock setting changes',
      before: { 'main.tf': s3('p.tfstate') },
      after: { 'main.tf': s3('p.tfstate', '\n    use_lockfile = true') },
      errors: [{ messageId: 'settingsChanged', severity: 'warning', message: /settings use_lockfile change/ }],
    },
    {
      name: 'local to s3',
      before: { 'main.tf': 'locals {}\n' },
      after: { 'main.tf': s3('p.tfstate') },
      errors: [{ messageId: 'added', message: /a s3 backend replaces the local state/ }],
    },
    {
      name: 's3 removed',
      before: { 'main.tf': s3('p.tfstate') },
      after: { 'main.tf': 'locals {}\n' },
      errors: [{ messageId: 'removed', severity: 'error' }],
    },
    {
      name: 's3 to gcs',
      before: { 'main.tf': s3('p.tfstate') },
      after: { 'main.tf': 'terraform {\n  backend "gcs" {\n    bucket = "acme-state"\n  }\n}\n' },
      errors: [{ messageId: 'typeChanged', message: /from s3 to gcs/ }],
    },
    {
      name: 'a cloud block changes workspace',
      before: {
        'main.tf':
          'terraform {\n  cloud {\n    organization = "acme"\n    workspaces {\n      name = "prod"\n    }\n  }\n}\n',
      },
      after: {
        'main.tf':
          'terraform {\n  cloud {\n    organization = "acme"\n    workspaces {\n      name = "prod-2"\n    }\n  }\n}\n',
      },
      errors: [{ messageId: 'locationChanged', message: /the cloud backend points elsewhere \(workspaces changed\)/ }],
    },
    {
      name: 'a .tfbackend file changes the key',
      before: { 'envs/prod.s3.tfbackend': 'bucket = "acme-state"\nkey = "a.tfstate"\n' },
      after: { 'envs/prod.s3.tfbackend': 'bucket = "acme-state"\nkey = "b.tfstate"\n' },
      errors: [
        {
          messageId: 'locationChanged',
          file: 'envs/prod.s3.tfbackend',
          message: /the partial \(\.tfbackend\) backend points elsewhere \(key changed\)/,
        },
      ],
    },
  ],
});
