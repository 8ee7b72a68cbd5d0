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
      name: 'a root variable renamed (var.cluster_name -> var.name): the value comes from outside',
      before: { 'main.tf': 'resource "aws_eks_cluster" "this" {\n  name = var.cluster_name\n}\n' },
      after: { 'main.tf': 'resource "aws_eks_cluster" "this" {\n  name = var.name\n}\n' },
    },
    {
      name: 'an input renamed through a local module call that passes the same value',
      before: {
        'examples/a/main.tf': 'module "eks" {\n  source       = "../.."\n  cluster_name = local.name\n}\n',
        'main.tf': 'resource "aws_eks_cluster" "this" {\n  name = var.cluster_name\n}\n',
      },
      after: {
        'examples/a/main.tf': 'module "eks" {\n  source = "../.."\n  name   = local.name\n}\n',
        'main.tf': 'resource "aws_eks_cluster" "this" {\n  name = var.name\n}\n',
      },
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
      name: 'the module of the root changes while its only caller moves to the registry: still assessed',
      before: {
        'examples/a/main.tf': 'module "eks" {\n  source = "../.."\n}\n',
        'main.tf': oidc('local.dualstack_oidc_issuer_url'),
      },
      after: {
        'examples/a/main.tf': 'module "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "~> 21.0"\n}\n',
        'main.tf': oidc('aws_eks_cluster.this[0].identity[0].oidc[0].issuer'),
      },
      errors: [
        { messageId: 'expressionChanged', file: 'main.tf', object: 'aws_iam_openid_connect_provider.oidc_provider' },
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
      name: 'a local module input that changes the literal value: followed to the resource',
      before: { 'examples/a/main.tf': 'module "logs" {\n  source = "../.."\n  bucket = "acme-logs"\n}\n' },
      after: { 'examples/a/main.tf': 'module "logs" {\n  source = "../.."\n  bucket = "acme-logs-v2"\n}\n' },
      unchanged: { 'main.tf': 'resource "aws_s3_bucket" "this" {\n  bucket = var.bucket\n}\n' },
      errors: [{ messageId: 'replacedData', file: 'main.tf', object: 'module.logs.aws_s3_bucket.this' }],
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
