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
      name: 'a broken lock file',
      after: { '.terraform.lock.hcl': 'provider "registry.terraform.io/hashicorp/aws" {\n  version = \n' },
      errors: [{ messageId: 'syntax', file: '.terraform.lock.hcl' }],
    },
  ],
});
