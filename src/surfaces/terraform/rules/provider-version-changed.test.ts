import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './provider-version-changed.js';

const tf = (v: string, source = 'hashicorp/aws') =>
  `terraform {\n  required_providers {\n    aws = {\n      source  = "${source}"\n      version = "${v}"\n    }\n  }\n}\n`;
const lock = (v: string) =>
  `# This file is maintained automatically by "terraform init".\nprovider "registry.terraform.io/hashicorp/aws" {\n  version     = "${v}"\n  constraints = "~> 5.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n`;

/** A root configuration: it configures the provider it requires (an example, an environment). */
const root = (v: string) => `${tf(v, 'hashicorp/tls').replace('aws =', 'tls =')}\nprovider "tls" {}\n`;
const tlsLock = lock('3.4.0').replace('hashicorp/aws', 'hashicorp/tls');

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
      name: 'a pessimistic range moved to the next minor (~> 5.40.1 -> ~> 5.41.0): every workspace moves, within the major',
      before: { 'main.tf': tf('~> 5.40.1') },
      after: { 'main.tf': tf('~> 5.41.0') },
      errors: [
        {
          messageId: 'withinMajor',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          message:
            'provider aws: version constraint "~> 5.40.1" -> "~> 5.41.0" admits none of the previous versions: every workspace moves to a newer minor release of the same major (terraform init -upgrade); a provider keeps its resources\' state compatible within a major, so going back works while no resource schema was raised',
        },
      ],
    },
    {
      name: 'an open range narrowed around the major it already allowed (>= 1.11 -> ~> 2.0): the revert downgrades nothing',
      before: { 'versions.tf': tf('>= 1.11', 'hashicorp/kubernetes') },
      after: { 'versions.tf': tf('~> 2.0', 'hashicorp/kubernetes') },
      errors: [
        {
          messageId: 'rangeNarrowed',
          class: 'fully-reversible',
          severity: 'info',
          message:
            /stays within the versions the previous one admitted: the revert's range admits whatever the new one selects/,
        },
      ],
    },
    {
      name: 'a root configuration with a lock file committed, widened past its major (~> 3.0 -> >= 3.0): init keeps the locked version',
      before: { 'examples/complete/main.tf': root('~> 3.0'), 'examples/complete/.terraform.lock.hcl': tlsLock },
      after: { 'examples/complete/main.tf': root('>= 3.0'), 'examples/complete/.terraform.lock.hcl': tlsLock },
      errors: [{ messageId: 'rangeWidened', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: "a reusable module (no provider configuration, no backend) widened past its major: its callers' lock files select",
      before: { 'versions.tf': tf('~> 3.0', 'hashicorp/tls') },
      after: { 'versions.tf': tf('>= 3.0', 'hashicorp/tls') },
      errors: [{ messageId: 'rangeWidened', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: 'a root configuration without a lock file widened past its major (~> 3.0 -> >= 3.0): init selects the newest allowed',
      before: { 'examples/complete/main.tf': root('~> 3.0') },
      after: { 'examples/complete/main.tf': root('>= 3.0') },
      errors: [
        {
          messageId: 'unlockedMajor',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'examples/complete/main.tf',
          line: 3,
          message:
            'provider tls: version constraint "~> 3.0" -> ">= 3.0" admits a newer major, if released, than the previous one allowed: no lock file is committed for this configuration (examples/complete), so every terraform init selects the newest version the constraints allow and the workspace moves to that major; a provider major may upgrade the state of its resources, and after a revert the previous provider refuses it ("Resource instance managed by newer provider version")',
        },
      ],
    },
    {
      name: 'a root configuration with a backend whose lock file is git-ignored, widened to a higher bounded range (~> 3.0 -> >= 3.0, < 5.0)',
      before: {
        '.gitignore': '**/.terraform/*\n.terraform.lock.hcl\n',
        'env/prod/main.tf': `${tf('~> 3.0')}\nterraform {\n  backend "s3" {}\n}\n`,
      },
      after: {
        '.gitignore': '**/.terraform/*\n.terraform.lock.hcl\n',
        'env/prod/main.tf': `${tf('>= 3.0, < 5.0')}\nterraform {\n  backend "s3" {}\n}\n`,
      },
      errors: [{ messageId: 'unlockedMajor', class: 'reversible-with-manual-repair', message: /\(env\/prod\)/ }],
    },
    {
      name: 'a root configuration whose provider configuration sits in a file that did not change',
      before: {
        'examples/a/main.tf': 'provider "aws" {\n  region = "eu-west-1"\n}\n',
        'examples/a/versions.tf': tf('~> 4.0'),
      },
      after: {
        'examples/a/main.tf': 'provider "aws" {\n  region = "eu-west-1"\n}\n',
        'examples/a/versions.tf': tf('>= 4.0'),
      },
      errors: [{ messageId: 'unlockedMajor', file: 'examples/a/versions.tf', message: /\(examples\/a\)/ }],
    },
    {
      name: 'a root configuration without a lock file narrowed (>= 3.0 -> ~> 3.0): stays information',
      before: { 'examples/complete/main.tf': root('>= 3.0') },
      after: { 'examples/complete/main.tf': root('~> 3.0') },
      errors: [{ messageId: 'rangeNarrowed', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: 'a root configuration without a lock file widened within its major (~> 2.1.2 -> ~> 2.0): no newer major',
      before: { 'examples/complete/main.tf': root('~> 2.1.2') },
      after: { 'examples/complete/main.tf': root('~> 2.0') },
      errors: [{ messageId: 'rangeWidened', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: 'a range widened within its major (~> 2.1.2 -> ~> 2.0): init keeps the locked version',
      before: { 'versions.tf': tf('~> 2.1.2', 'hashicorp/helm') },
      after: { 'versions.tf': tf('~> 2.0', 'hashicorp/helm') },
      errors: [
        {
          messageId: 'rangeWidened',
          class: 'fully-reversible',
          severity: 'info',
          message: /still admits the newest version the previous one allowed: terraform init keeps the locked version/,
        },
      ],
    },
    {
      name: 'a pinned version moved by a patch: within the major',
      before: { 'main.tf': tf('5.31.0') },
      after: { 'main.tf': tf('5.31.2') },
      errors: [
        { messageId: 'withinMajor', class: 'reversible-with-compatibility-window', message: /a newer patch release/ },
      ],
    },
    {
      name: 'a new major forced (~> 1.11 -> ~> 2.0): the revert demands a downgrade onto state the 2.x provider wrote',
      before: { 'versions.tf': tf('~> 1.11', 'hashicorp/kubernetes') },
      after: { 'versions.tf': tf('~> 2.0', 'hashicorp/kubernetes') },
      errors: [{ messageId: 'constraintChanged', class: 'reversible-with-manual-repair', severity: 'warning' }],
    },
    {
      name: 'an older major forced (~> 3.0 -> ~> 2.0)',
      before: { 'main.tf': tf('~> 3.0') },
      after: { 'main.tf': tf('~> 2.0') },
      errors: [
        {
          messageId: 'majorDowngrade',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: /forces an older major: state already written by the newer provider may be refused/,
        },
      ],
    },
    {
      name: 'a constraint that is not a version range keeps the conservative reading',
      before: { 'main.tf': tf('~> 5.0') },
      after: { 'main.tf': tf('~> 5.0-beta, ~~5') },
      errors: [{ messageId: 'constraintChanged', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'the constraint and the lock file move together: the lock file selects, its change carries the class',
      before: { 'main.tf': tf('~> 5.0'), '.terraform.lock.hcl': lock('5.31.0') },
      after: { 'main.tf': tf('~> 6.0'), '.terraform.lock.hcl': lock('6.2.0') },
      errors: [
        { messageId: 'lockUpgraded', class: 'reversible-with-manual-repair', file: '.terraform.lock.hcl' },
        { messageId: 'lockSelects', class: 'fully-reversible', severity: 'info', file: 'main.tf' },
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
