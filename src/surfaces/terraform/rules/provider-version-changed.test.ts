import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './provider-version-changed.js';

const tf = (v: string, source = 'hashicorp/aws') =>
  `terraform {\n  required_providers {\n    aws = {\n      source  = "${source}"\n      version = "${v}"\n    }\n  }\n}\n`;
const lock = (v: string) =>
  `# This file is maintained automatically by "terraform init".\nprovider "registry.terraform.io/hashicorp/aws" {\n  version     = "${v}"\n  constraints = "~> 5.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    { name: 'unchanged', before: { 'main.tf': tf('~> 5.0') }, after: { 'main.tf': `${tf('~> 5.0')}\n` } },
    { name: 'a provider added', before: { 'main.tf': '' }, after: { 'main.tf': tf('~> 5.0') } },
    {
      name: 'lock hashes only',
      before: { '.terraform.lock.hcl': lock('5.31.0') },
      after: { '.terraform.lock.hcl': lock('5.31.0').replace('h1:abc=', 'h1:def=') },
    },
  ],
  invalid: [
    {
      name: 'constraint changed',
      before: { 'main.tf': tf('~> 5.0') },
      after: { 'main.tf': tf('~> 6.0') },
      errors: [
        {
          messageId: 'constraintChanged',
          class: 'forward-only',
          severity: 'warning',
          line: 3,
          message:
            'provider aws: version constraint "~> 5.0" -> "~> 6.0": a newer provider may upgrade the state of its resources, and the previous one then refuses it',
        },
      ],
    },
    {
      name: 'source changed',
      before: { 'main.tf': tf('~> 5.0') },
      after: { 'main.tf': tf('~> 5.0', 'acme/aws') },
      errors: [{ messageId: 'sourceChanged' }],
    },
    {
      name: 'lock file upgrade, only the lock changed',
      before: { 'infra/.terraform.lock.hcl': lock('5.31.0') },
      after: { 'infra/.terraform.lock.hcl': lock('5.46.0') },
      errors: [
        {
          messageId: 'lockUpgraded',
          class: 'forward-only',
          file: 'infra/.terraform.lock.hcl',
          line: 3,
          message: /5\.31\.0 -> 5\.46\.0 \(minor\)/,
        },
      ],
    },
    {
      name: 'lock file downgrade',
      before: { '.terraform.lock.hcl': lock('5.46.0') },
      after: { '.terraform.lock.hcl': lock('5.31.0') },
      errors: [
        {
          messageId: 'lockDowngraded',
          severity: 'error',
          message: /Resource instance managed by newer provider version/,
        },
      ],
    },
  ],
});
