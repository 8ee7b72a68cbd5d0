import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import { loadSemver } from '../../../core/semver.js';
import rule, { rangeOf } from './module-version-changed.js';

const reg = (version: string) =>
  `module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "${version}"\n}\n`;
const kms = (version: string) =>
  `module "kms" {\n  source  = "terraform-aws-modules/kms/aws"\n  version = "${version}"\n}\n`;
const PROVIDER = 'provider "aws" {\n  region = "us-west-2"\n}\n\n';
const CREATE = 'variable "create" {\n  type    = bool\n  default = true\n}\n\n';
const kmsIf = (version: string) =>
  `module "kms" {\n  source  = "terraform-aws-modules/kms/aws"\n  version = "${version}"\n  count   = var.create ? 1 : 0\n}\n`;
const git = (ref: string) => `module "vpc" {\n  source = "git::https://example.com/vpc.git?ref=${ref}"\n}\n`;

/** The module of the repository's root, called by an example that moves to the registry release. */
const ROOT_MODULE = {
  'main.tf':
    'resource "aws_cloudwatch_log_group" "this" {\n  name = "/aws/eks/x"\n}\n\nresource "aws_kms_key" "this" {\n  description = "EKS secrets"\n}\n',
  'migrations.tf': 'moved {\n  from = aws_kms_key.old\n  to   = aws_kms_key.this\n}\n',
};
const exampleCall = (source: string, version?: string) =>
  `module "eks" {\n  source = "${source}"\n${version ? `  version = "${version}"\n` : ''}\n  cluster_name = "example"\n}\n`;

/** A helper module with no resource (a lookup table and an output), called from the root. */
const HELPER = {
  'main.tf': 'locals {\n  optimized = {\n    "m5.large" = true\n  }\n}\n',
  'variables.tf': 'variable "instance_type" {}\n',
  'outputs.tf': 'output "answer" {\n  value = lookup(local.optimized, var.instance_type, false)\n}\n',
};
const under = (dir: string, files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([name, text]) => [`${dir}/${name}`, text]));
const helper = (source: string, version?: string) =>
  `module "ebs_optimized" {\n  source        = "${source}"\n${version ? `  version       = "${version}"\n` : ''}  instance_type = var.instance_type\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    { name: 'same version', before: { 'main.tf': reg('5.1.0') }, after: { 'main.tf': `${reg('5.1.0')}\n` } },
    {
      name: 'a range rewritten to the same floor',
      before: { 'main.tf': reg('~> 5.1') },
      after: { 'main.tf': reg('>= 5.1.0, < 6.0.0') },
    },
    { name: 'a new module', before: { 'main.tf': '' }, after: { 'main.tf': reg('5.1.0') } },
    {
      name: "a local module's directory renamed unchanged with its source: same address, same code, nothing planned",
      before: { 'main.tf': helper('./modules/util/ebs_optimized'), ...under('modules/util/ebs_optimized', HELPER) },
      after: {
        'main.tf': helper('./modules/tf_util_ebs_optimized'),
        ...under('modules/tf_util_ebs_optimized', HELPER),
      },
    },
    {
      name: 'a path written without ./ (read relative to the caller by Terraform 0.11) renamed with its directory: both codes are read, the same',
      before: { 'main.tf': helper('modules/util/ebs_optimized/'), ...under('modules/util/ebs_optimized', HELPER) },
      after: {
        'main.tf': helper('./modules/tf_util_ebs_optimized'),
        ...under('modules/tf_util_ebs_optimized', HELPER),
      },
    },
  ],
  invalid: [
    {
      name: 'a local module moves to the registry: one finding, not assessed, never its resources removed',
      before: { 'examples/complete/main.tf': exampleCall('../..') },
      after: { 'examples/complete/main.tf': exampleCall('terraform-aws-modules/eks/aws', '~> 21.0') },
      unchanged: ROOT_MODULE,
      errors: [
        {
          messageId: 'codeUnread',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'examples/complete/main.tf',
          line: 2,
          object: 'module.eks',
          message:
            'module.eks: the source moves from ../.. to terraform-aws-modules/eks/aws ~> 21.0: the module keeps its address and Terraform plans the difference between the two codes, but the new code is not in this repository, so what changes is not assessed; assess the plan (rollwright assess --plan PLAN.json)',
        },
      ],
    },
    {
      name: 'a registry module brought into the repository: the previous code is the unread one',
      before: { 'examples/complete/main.tf': exampleCall('terraform-aws-modules/eks/aws', '20.1.0') },
      after: { 'examples/complete/main.tf': exampleCall('../..') },
      unchanged: ROOT_MODULE,
      errors: [{ messageId: 'codeUnread', message: /but the previous code is not in this repository/ }],
    },
    {
      name: 'patch',
      before: { 'main.tf': reg('5.1.0') },
      after: { 'main.tf': reg('5.1.2') },
      errors: [{ messageId: 'patch', class: 'fully-reversible', severity: 'info', line: 3 }],
    },
    {
      name: 'minor: by semver it adds without breaking, a compatibility window',
      before: { 'main.tf': reg('5.1.0') },
      after: { 'main.tf': reg('5.4.0') },
      errors: [
        {
          messageId: 'minor',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          message:
            'module.vpc: 5.1.0 -> 5.4.0 (minor): by semver a minor release adds without breaking, so what your inputs create stays as it was; going back to 5.1.0 is a plain revert unless the release moved resources with moved blocks (the older code then plans to destroy and re-create them): read the plan',
        },
      ],
    },
    {
      name: 'a ceiling brought down inside the previous range (~> 4.15 -> ~> 4.21.1): a release the revert also allows',
      before: { 'main.tf': reg('~> 4.15') },
      after: { 'main.tf': reg('~> 4.21.1') },
      errors: [
        {
          messageId: 'withinPrevious',
          class: 'fully-reversible',
          severity: 'info',
          message: /^module\.vpc: ~> 4\.15 -> ~> 4\.21\.1 stays within the releases ~> 4\.15 allows/,
        },
      ],
    },
    {
      name: 'a range that reaches a higher minor (~> 1.1.0 -> ~> 1.1) is judged by the newest releases',
      before: { 'main.tf': reg('~> 1.1.0') },
      after: { 'main.tf': reg('~> 1.1') },
      errors: [{ messageId: 'minor', class: 'reversible-with-compatibility-window' }],
    },
    {
      name: "a pinned submodule of the repository's module, reached from two examples: one finding at its call site",
      before: {
        'main.tf': kms('1.0.2'),
        'examples/a/main.tf': 'module "eks" {\n  source = "../.."\n}\n',
        'examples/b/main.tf': 'module "eks" {\n  source = "../.."\n}\n',
      },
      after: {
        'main.tf': kms('1.1.0'),
        'examples/a/main.tf': 'module "eks" {\n  source = "../.."\n  # the cluster of example a\n}\n',
        'examples/b/main.tf': 'module "eks" {\n  source = "../.."\n  # the cluster of example b\n}\n',
      },
      errors: [{ messageId: 'minor', file: 'main.tf', line: 3, object: 'module.eks.module.kms' }],
    },
    {
      name: 'a downgrade within the major',
      before: { 'main.tf': reg('5.4.0') },
      after: { 'main.tf': reg('5.1.0') },
      errors: [
        {
          messageId: 'downgradeWithinMajor',
          class: 'reversible-with-compatibility-window',
          message: /is a downgrade \(minor\) within the major/,
        },
      ],
    },
    {
      name: 'a floor raised inside the same range (~> 1.1 to ~> 1.5, or to >= 1.4, < 2.0): init selects the same newest 1.x on both sides',
      before: { 'main.tf': reg('~> 1.1'), 'b.tf': reg('~> 1.1').replace('"vpc"', '"b"') },
      after: { 'main.tf': reg('~> 1.5'), 'b.tf': reg('>= 1.4, < 2.0').replace('"vpc"', '"b"') },
      errors: [
        { messageId: 'sameNewest', class: 'fully-reversible', severity: 'info', file: 'b.tf' },
        {
          messageId: 'sameNewest',
          class: 'fully-reversible',
          severity: 'info',
          file: 'main.tf',
          message: /^module\.vpc: ~> 1\.1 -> ~> 1\.5 moves the floor/,
        },
      ],
    },
    {
      name: 'a three-part pessimistic range moved to another minor, and a range moved to the next major: the ceilings differ',
      before: { 'main.tf': reg('~> 1.1.0'), 'b.tf': reg('~> 5.1').replace('"vpc"', '"b"') },
      after: { 'main.tf': reg('~> 1.5.0'), 'b.tf': reg('~> 6.0').replace('"vpc"', '"b"') },
      errors: [
        { messageId: 'major', file: 'b.tf' },
        { messageId: 'minor', class: 'reversible-with-compatibility-window', file: 'main.tf' },
      ],
    },
    {
      name: 'major',
      before: { 'main.tf': reg('5.13.0') },
      after: { 'main.tf': reg('6.0.1') },
      errors: [{ messageId: 'major', severity: 'warning', message: /^module\.vpc: 5\.13\.0 -> 6\.0\.1 \(major\)/ }],
    },
    {
      name: 'a downgrade',
      before: { 'main.tf': reg('6.0.0') },
      after: { 'main.tf': reg('5.9.0') },
      errors: [{ messageId: 'downgrade', message: /is a downgrade \(major\)/ }],
    },
    {
      name: 'git tags compare as versions',
      before: { 'main.tf': git('v1.2.0') },
      after: { 'main.tf': git('v2.0.0') },
      errors: [{ messageId: 'major', line: 2 }],
    },
    {
      name: 'git commits do not',
      before: { 'main.tf': git('51d4629') },
      after: { 'main.tf': git('8f2e1a0') },
      errors: [{ messageId: 'unknownDistance', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'a path without ./ that names no directory of the revision, moved to a local module: the previous code is not read',
      before: { 'main.tf': helper('modules/gone/') },
      after: {
        'main.tf': helper('./modules/tf_util_ebs_optimized'),
        ...under('modules/tf_util_ebs_optimized', HELPER),
      },
      errors: [
        {
          messageId: 'codeUnread',
          class: 'reversible-with-manual-repair',
          message:
            /from modules\/gone\/ to \.\/modules\/tf_util_ebs_optimized: .*but the previous code is not in this repository/,
        },
      ],
    },
    {
      name: 'a path without ./ read at base, moved to the registry: the new code is not read',
      before: { 'main.tf': helper('modules/util/ebs_optimized/'), ...under('modules/util/ebs_optimized', HELPER) },
      after: { 'main.tf': helper('acme/ebs-optimized/aws', '1.0.0') },
      unchanged: under('modules/util/ebs_optimized', HELPER),
      errors: [{ messageId: 'codeUnread', message: /but the new code is not in this repository/ }],
    },
    {
      name: 'another module',
      before: { 'main.tf': reg('5.1.0') },
      after: { 'main.tf': 'module "vpc" {\n  source  = "acme/network/aws"\n  version = "1.0.0"\n}\n' },
      errors: [{ messageId: 'sourceChanged', message: /from terraform-aws-modules\/vpc\/aws to acme\/network\/aws/ }],
    },
    {
      name: 'a release of a submodule in an instance called with create = false has nothing to change (info); the enabled instance keeps its finding',
      before: {
        'main.tf': `${CREATE}${kmsIf('2.1.0')}`,
        'examples/complete/main.tf':
          'provider "aws" {\n  region = "us-west-2"\n}\n\nmodule "eks" {\n  source = "../.."\n}\n\nmodule "disabled_eks" {\n  source = "../.."\n  create = false\n}\n',
      },
      after: {
        'main.tf': `${CREATE}${kmsIf('4.0.0')}`,
        'examples/complete/main.tf':
          'provider "aws" {\n  region = "us-west-2"\n}\n\n# both instances\nmodule "eks" {\n  source = "../.."\n}\n\nmodule "disabled_eks" {\n  source = "../.."\n  create = false\n}\n',
      },
      errors: [
        {
          messageId: 'noInstance',
          object: 'module.disabled_eks.module.kms',
          class: 'fully-reversible',
          severity: 'info',
          message:
            /^module\.disabled_eks\.module\.kms: 2\.1\.0 -> 4\.0\.0, but the call creates nothing .*\(count = var\.create \? 1 : 0 is 0\)/,
        },
        { messageId: 'major', object: 'module.eks.module.kms', class: 'reversible-with-manual-repair' },
      ],
    },
    {
      name: 'a submodule whose create flag the configuration does not give (a root variable with no default) keeps its finding',
      before: { 'main.tf': `variable "create" {\n  type = bool\n}\n${kmsIf('2.1.0')}` },
      after: { 'main.tf': `variable "create" {\n  type = bool\n}\n${kmsIf('4.0.0')}` },
      errors: [{ messageId: 'major', object: 'module.kms' }],
    },
    {
      name: 'terraform-aws-modules/kms called with create = false (every resource of it is gated on create): info',
      before: { 'main.tf': PROVIDER + kms('2.1.0').replace('}\n', '  create  = false\n}\n') },
      after: { 'main.tf': PROVIDER + kms('4.0.0').replace('}\n', '  create  = false\n}\n') },
      errors: [
        {
          messageId: 'noInstance',
          class: 'fully-reversible',
          message: /\(create = false is false, and the module gates every resource on it\)/,
        },
      ],
    },
    {
      name: 'a module not known to gate every resource on create keeps its finding when called with create = false',
      before: { 'main.tf': PROVIDER + reg('5.1.0').replace('}\n', '  create  = false\n}\n') },
      after: { 'main.tf': PROVIDER + reg('6.0.0').replace('}\n', '  create  = false\n}\n') },
      errors: [{ messageId: 'major' }],
    },
    {
      name: 'a reusable module (no provider, no backend) whose create default is false: its callers outside may pass true, the finding stays',
      before: { 'main.tf': CREATE.replace('default = true', 'default = false') + kmsIf('2.1.0') },
      after: { 'main.tf': CREATE.replace('default = true', 'default = false') + kmsIf('4.0.0') },
      errors: [{ messageId: 'major', object: 'module.kms' }],
    },
  ],
});

describe('rangeOf', () => {
  it('reads Terraform constraints and version tags', async () => {
    const semver = await loadSemver();
    expect(rangeOf(semver, '~> 5.1')?.lo.version).toBe('5.1.0');
    expect(rangeOf(semver, '~> 5.1')?.hi?.version).toBe('6.0.0');
    expect(rangeOf(semver, '>= 1.2.0, < 2.0.0, != 1.3.0')?.lo.version).toBe('1.2.0');
    expect(rangeOf(semver, '= 3.0.0')?.hi?.version).toBe('3.0.0');
    expect(rangeOf(semver, 'v2.4.1')?.lo.version).toBe('2.4.1');
    expect(rangeOf(semver, 'release-2.4.1')?.hi?.version).toBe('2.4.1');
  });
});
