import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './force-new-changed.js';

const oidc = (url: string) =>
  `resource "aws_iam_openid_connect_provider" "oidc_provider" {\n  client_id_list = ["sts.amazonaws.com"]\n  url            = ${url}\n}\n`;
const bucket = (name: string, extra = '') => `resource "aws_s3_bucket" "logs" {\n  bucket = "${name}"${extra}\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'unchanged',
      before: { 'main.tf': oidc('"https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"') },
      after: { 'main.tf': `${oidc('"https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"')}\n` },
    },
    {
      name: 'an argument that updates in place',
      before: { 'main.tf': bucket('acme-logs', '\n  force_destroy = false') },
      after: { 'main.tf': bucket('acme-logs', '\n  force_destroy = true') },
    },
    {
      name: 'a new resource',
      before: { 'main.tf': '' },
      after: { 'main.tf': bucket('acme-logs') },
    },
    {
      name: 'a type outside the table',
      before: { 'main.tf': 'resource "aws_instance" "a" {\n  ami = "ami-1"\n}\n' },
      after: { 'main.tf': 'resource "aws_instance" "a" {\n  ami = "ami-2"\n}\n' },
    },
  ],
  invalid: [
    {
      name: 'the OIDC provider url expression changes (dual-stack issuer back to the cluster issuer)',
      before: { 'main.tf': oidc('local.dualstack_oidc_issuer_url') },
      after: { 'main.tf': oidc('aws_eks_cluster.this[0].identity[0].oidc[0].issuer') },
      errors: [
        {
          messageId: 'expressionChanged',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 3,
          object: 'aws_iam_openid_connect_provider.oidc_provider',
          message:
            'aws_iam_openid_connect_provider.oidc_provider: the expression of url changes, and url cannot be updated in place: if its value changes, the provider is replaced and its ARN changes with the URL: role trust policies that name the old ARN (IRSA, CI federation) stop matching until they are updated; read the plan',
        },
      ],
    },
    {
      name: 'a literal OIDC url changes: certain replacement',
      before: { 'main.tf': oidc('"https://token.actions.githubusercontent.com"') },
      after: { 'main.tf': oidc('"https://gitlab.example.com"') },
      errors: [
        { messageId: 'replaced', class: 'reversible-with-manual-repair', message: /a revert replaces it again$/ },
      ],
    },
    {
      name: 'a bucket renamed in place: replaced by an empty one',
      before: { 'main.tf': bucket('acme-logs') },
      after: { 'main.tf': bucket('acme-logs-v2') },
      errors: [
        {
          messageId: 'replacedData',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 2,
          message:
            /^aws_s3_bucket\.logs \(an S3 bucket and its objects\): bucket changes and cannot be updated in place/,
        },
      ],
    },
  ],
});
