import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './invalid-hcl.js';

ruleTable(terraform, rule, {
  valid: [
    { name: 'valid HCL', after: { 'main.tf': 'resource "aws_instance" "a" {\n  ami = "x"\n}\n' } },
    {
      name: 'a base that did not parse, fixed at head',
      before: { 'main.tf': 'resource {' },
      after: { 'main.tf': 'locals {}\n' },
    },
    { name: 'deleted', before: { 'main.tf': 'resource {' }, after: {} },
  ],
  invalid: [
    {
      name: 'a missing expression: file, line and column',
      after: { 'infra/main.tf': 'resource "aws_instance" "a" {\n  ami = \n}\n' },
      errors: [
        {
          messageId: 'syntax',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          file: 'infra/main.tf',
          line: 2,
          message:
            /^does not parse: Invalid expression: Expected the start of an expression, but found an invalid expression token\. \(column 9\); this module directory was not assessed$/,
        },
      ],
    },
    {
      name: 'an unclosed block',
      after: { 'a.tofu': 'module "x" {\n  source = "./x"\n' },
      errors: [{ messageId: 'syntax', line: 1, message: /Unclosed configuration block/ }],
    },
    {
      name: 'Terraform 0.11 (HCL1) is not assessed, never non-recoverable',
      before: { 'local.tf': 'locals {\n  asg_tags = "${null_resource.tags.*.triggers}"\n}\n' },
      after: {
        'local.tf':
          'locals {\n  asg_tags = "${null_resource.tags.*.triggers}"\n\n  max_pod_per_node = {\n    c4.large    = 29\n    c4.2xlarge  = 58\n  }\n}\n',
      },
      errors: [
        {
          messageId: 'hcl1',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'local.tf',
          message:
            /^written for Terraform 0\.11 or earlier \(HCL1\), which rollwright does not read \(.*\): this module directory was not assessed; to assess it, upgrade it with terraform 0\.12upgrade$/,
        },
      ],
    },
    {
      name: 'a required_version below 0.12 says HCL1 too',
      after: {
        'versions.tf':
          'terraform {\n  required_version = "~> 0.11.7"\n}\nlocals {\n  m = {\n    c4.2xlarge = 58\n  }\n}\n',
      },
      errors: [{ messageId: 'hcl1' }],
    },
    {
      name: 'modern templates in a broken file do not make it HCL1',
      after: { 'main.tf': 'resource "aws_iam_role" "r" {\n  name = "${var.cluster}-node"\n  path = \n}\n' },
      errors: [{ messageId: 'syntax', severity: 'error' }],
    },
    {
      name: 'a broken lock file',
      after: { '.terraform.lock.hcl': 'provider "registry.terraform.io/hashicorp/aws" {\n  version = \n' },
      errors: [{ messageId: 'syntax', file: '.terraform.lock.hcl' }],
    },
  ],
});
