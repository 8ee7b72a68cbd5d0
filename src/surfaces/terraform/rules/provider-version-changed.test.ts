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
      name: 'a new constraint on a provider that had none',
      before: { 'main.tf': tf('~> 5.0').replace(/ *version *= "[^"]*"\n/, '') },
      after: { 'main.tf': tf('~> 5.0') },
    },
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
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 3,
          message:
            'provider aws: version constraint "~> 5.0" -> "~> 6.0": a newer provider may upgrade the state of its resources, and the previous one then refuses it',
        },
      ],
    },
    {
      name: 'a >= floor raised: the lock file selects, a revert downgrades nothing',
      before: { 'versions.tf': tf('>= 2.38.0', 'hashicorp/kubernetes') },
      after: { 'versions.tf': tf('>= 2.44.0', 'hashicorp/kubernetes') },
      errors: [
        {
          messageId: 'floorChanged',
          class: 'fully-reversible',
          severity: 'info',
          line: 3,
          message: /only moves the lower bound: the lock file still selects the provider/,
        },
      ],
    },
    {
      name: 'a floor raised under the same upper bound (>= with <, and ~>)',
      before: { 'a/versions.tf': tf('>= 5.40, < 6.0'), 'b/versions.tf': tf('~> 5.40') },
      after: { 'a/versions.tf': tf('>= 5.60, < 6.0'), 'b/versions.tf': tf('~> 5.60') },
      errors: [
        { messageId: 'floorChanged', class: 'fully-reversible', file: 'a/versions.tf' },
        { messageId: 'floorChanged', class: 'fully-reversible', file: 'b/versions.tf' },
      ],
    },
    {
      name: 'an upper bound raised (~> 5.40.1 -> ~> 5.41.0) is not a floor change',
      before: { 'main.tf': tf('~> 5.40.1') },
      after: { 'main.tf': tf('~> 5.41.0') },
      errors: [{ messageId: 'constraintChanged', severity: 'warning' }],
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
          class: 'reversible-with-manual-repair',
          severity: 'warning',
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
          class: 'forward-only',
          severity: 'error',
          message: /Resource instance managed by newer provider version/,
        },
      ],
    },
  ],
});
