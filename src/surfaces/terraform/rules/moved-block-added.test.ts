import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './moved-block-added.js';

const bucket = (name: string) => `resource "aws_s3_bucket" "${name}" {\n  bucket = "shop-assets-prod"\n}\n`;
const sg = (name: string) => `resource "aws_security_group" "${name}" {\n  name = "api"\n}\n`;
const moved = (from: string, to: string) => `\nmoved {\n  from = ${from}\n  to   = ${to}\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'a new root configuration whose local module has moved blocks: no state, nothing to move',
      before: { 'mod/main.tf': sg('web') + moved('aws_security_group.api', 'aws_security_group.web') },
      after: {
        'mod/main.tf': sg('web') + moved('aws_security_group.api', 'aws_security_group.web'),
        'examples/new/main.tf': 'module "m" {\n  source = "../../mod"\n}\n',
      },
    },
    {
      name: 'a moved block in a module instance its call disables (create = false): nothing in state to move',
      before: {
        'main.tf': 'module "disabled" {\n  source = "./mod"\n  create = false\n}\n',
        'mod/main.tf':
          'variable "create" {\n  default = true\n}\nresource "aws_security_group" "api" {\n  count = var.create ? 1 : 0\n  name  = "api"\n}\n',
      },
      after: {
        'main.tf': '# kept for the examples\nmodule "disabled" {\n  source = "./mod"\n  create = false\n}\n',
        'mod/main.tf':
          'variable "create" {\n  default = true\n}\nresource "aws_security_group" "web" {\n  count = var.create ? 1 : 0\n  name  = "api"\n}\n' +
          moved('aws_security_group.api', 'aws_security_group.web'),
      },
    },
    { name: 'no moved block', before: { 'main.tf': sg('api') }, after: { 'main.tf': `${sg('api')}\n` } },
    {
      name: 'a moved block that was already there',
      before: { 'main.tf': sg('web') + moved('aws_security_group.api', 'aws_security_group.web') },
      after: { 'main.tf': `# web\n${sg('web')}${moved('aws_security_group.api', 'aws_security_group.web')}` },
    },
    {
      name: 'a moved block removed (moved-block-missing reports it)',
      before: { 'main.tf': sg('web') + moved('aws_security_group.api', 'aws_security_group.web') },
      after: { 'main.tf': sg('web') },
    },
  ],
  invalid: [
    {
      name: 'a rename with its moved block: the revert plans a destroy and a create',
      before: { 'main.tf': sg('api') },
      after: { 'main.tf': sg('web') + moved('aws_security_group.api', 'aws_security_group.web') },
      errors: [
        {
          messageId: 'added',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 5,
          object: 'aws_security_group.web',
          message:
            'moved aws_security_group.api -> aws_security_group.web: state is renamed on apply; a plain revert would destroy aws_security_group.web and create aws_security_group.api again. To roll back, add moved { from = aws_security_group.web  to = aws_security_group.api } (or terraform state mv)',
        },
      ],
    },
    {
      name: 'a data-bearing resource moved: the revert would destroy the data',
      before: { 'infra/web/main.tf': bucket('assets') },
      after: { 'infra/web/main.tf': bucket('static') + moved('aws_s3_bucket.assets', 'aws_s3_bucket.static') },
      errors: [
        {
          messageId: 'addedData',
          class: 'reversible-with-manual-repair',
          message: /destroy aws_s3_bucket\.static with its data/,
        },
      ],
    },
    {
      name: 'an IAM policy and its attachment renamed: a revert re-creates the same document and link',
      before: {
        'main.tf':
          'resource "aws_iam_policy" "irsa" {\n  name_prefix = "karpenter-"\n  policy = "{}"\n}\n' +
          'resource "aws_iam_role_policy_attachment" "irsa" {\n  role = "karpenter"\n  policy_arn = aws_iam_policy.irsa.arn\n}\n',
      },
      after: {
        'main.tf':
          'resource "aws_iam_policy" "controller" {\n  name_prefix = "karpenter-"\n  policy = "{}"\n}\n' +
          'resource "aws_iam_role_policy_attachment" "controller" {\n  role = "karpenter"\n  policy_arn = aws_iam_policy.controller.arn\n}\n' +
          moved('aws_iam_policy.irsa', 'aws_iam_policy.controller') +
          moved('aws_iam_role_policy_attachment.irsa', 'aws_iam_role_policy_attachment.controller'),
      },
      errors: [
        {
          messageId: 'addedLink',
          class: 'fully-reversible',
          severity: 'info',
          object: 'aws_iam_policy.controller',
          message: /a customer-managed policy is a document under a name, and IAM refuses to delete one still attached/,
        },
        { messageId: 'addedLink', class: 'fully-reversible', object: 'aws_iam_role_policy_attachment.controller' },
      ],
    },
    {
      name: 'an EventBridge rule and target keyed by for_each, the key renamed',
      before: {
        'main.tf':
          'resource "aws_cloudwatch_event_rule" "this" {\n  for_each = { spot_interupt = 1 }\n  name_prefix = "spot-"\n}\n' +
          'resource "aws_cloudwatch_event_target" "this" {\n  for_each = { spot_interupt = 1 }\n  rule = aws_cloudwatch_event_rule.this[each.key].name\n  arn = "arn:aws:sqs:eu-west-1:111111111111:q"\n}\n',
      },
      after: {
        'main.tf':
          'resource "aws_cloudwatch_event_rule" "this" {\n  for_each = { spot_interrupt = 1 }\n  name_prefix = "spot-"\n}\n' +
          'resource "aws_cloudwatch_event_target" "this" {\n  for_each = { spot_interrupt = 1 }\n  rule = aws_cloudwatch_event_rule.this[each.key].name\n  arn = "arn:aws:sqs:eu-west-1:111111111111:q"\n}\n' +
          moved('aws_cloudwatch_event_rule.this["spot_interupt"]', 'aws_cloudwatch_event_rule.this["spot_interrupt"]') +
          moved(
            'aws_cloudwatch_event_target.this["spot_interupt"]',
            'aws_cloudwatch_event_target.this["spot_interrupt"]',
          ),
      },
      errors: [
        {
          messageId: 'addedLink',
          class: 'fully-reversible',
          object: 'aws_cloudwatch_event_rule.this["spot_interrupt"]',
        },
        {
          messageId: 'addedLink',
          class: 'fully-reversible',
          object: 'aws_cloudwatch_event_target.this["spot_interrupt"]',
        },
      ],
    },
    {
      name: 'into a local module, the block in its own file',
      before: { 'infra/main.tf': sg('api') },
      after: {
        'infra/main.tf': 'module "sec" {\n  source = "./modules/sec"\n}\n',
        'infra/moved.tf': moved('aws_security_group.api', 'module.sec.aws_security_group.this'),
        'infra/modules/sec/main.tf': sg('this'),
      },
      errors: [{ messageId: 'added', file: 'infra/moved.tf', line: 2, object: 'module.sec.aws_security_group.this' }],
    },
  ],
});
