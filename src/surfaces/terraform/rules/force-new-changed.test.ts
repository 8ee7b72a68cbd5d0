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
      name: 'name through a conditional that is null on both sides (the prefix switch defaults to true, under a renamed variable)',
      before: {
        'main.tf':
          'variable "irsa_use_name_prefix" {\n  default = true\n}\nresource "aws_iam_role" "controller" {\n  name = var.irsa_use_name_prefix ? null : "KarpenterIRSA"\n}\n',
      },
      after: {
        'main.tf':
          'variable "iam_role_use_name_prefix" {\n  default = true\n}\nresource "aws_iam_role" "controller" {\n  name = var.iam_role_use_name_prefix ? null : "KarpenterController"\n}\n',
      },
    },
    {
      name: 'a role name_prefix through renamed locals and coalesce that resolve to the same template',
      before: {
        'mod/main.tf':
          'variable "cluster_name" {}\nvariable "iam_role_name" {\n  default = null\n}\nlocals {\n  iam_role_name = coalesce(var.iam_role_name, "Karpenter-${var.cluster_name}")\n}\nresource "aws_iam_role" "node" {\n  name_prefix = "${local.iam_role_name}-"\n}\n',
        'examples/k/main.tf':
          'module "karpenter" {\n  source       = "../../mod"\n  cluster_name = module.eks.cluster_name\n}\n',
      },
      after: {
        'mod/main.tf':
          'variable "cluster_name" {}\nvariable "node_iam_role_name" {\n  default = null\n}\nlocals {\n  node_iam_role_name = coalesce(var.node_iam_role_name, "Karpenter-${var.cluster_name}")\n}\nresource "aws_iam_role" "node" {\n  name_prefix = "${local.node_iam_role_name}-"\n}\n',
        'examples/k/main.tf':
          'module "karpenter" {\n  source       = "../../mod"\n  cluster_name = module.eks.cluster_name\n}\n',
      },
    },
    {
      name: 'the same reference written with the index count added (Terraform moves a to a[0] itself)',
      before: {
        'main.tf':
          'resource "aws_eks_cluster" "this" {\n  name = "prod"\n}\n' +
          oidc('aws_eks_cluster.this.identity.0.oidc.0.issuer'),
      },
      after: {
        'main.tf':
          'resource "aws_eks_cluster" "this" {\n  count = 1\n  name  = "prod"\n}\n' +
          oidc('aws_eks_cluster.this[0].identity[0].oidc[0].issuer'),
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
      name: 'the OIDC provider url expression changes (dual-stack issuer back to the cluster issuer): the value may be the same (info)',
      before: { 'main.tf': oidc('local.dualstack_oidc_issuer_url') },
      after: { 'main.tf': oidc('aws_eks_cluster.this[0].identity[0].oidc[0].issuer') },
      errors: [
        {
          messageId: 'expressionChanged',
          class: 'fully-reversible',
          severity: 'info',
          line: 3,
          object: 'aws_iam_openid_connect_provider.oidc_provider',
          message:
            'aws_iam_openid_connect_provider.oidc_provider: the expression of url changes, and url cannot be updated in place; its value may be unchanged (the configuration does not say), but if it changes, the provider is replaced and its ARN changes with the URL: role trust policies that name the old ARN (IRSA, CI federation) stop matching until they are updated; read the plan',
        },
      ],
    },
    {
      name: 'the cluster role moves to a new address with no moved block: role_arn is known only after apply, the cluster is replaced, and the OIDC provider with it',
      before: {
        'main.tf':
          'resource "aws_iam_role" "cluster" {\n  name_prefix = "prod"\n}\n' +
          'resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = aws_iam_role.cluster.arn\n}\n' +
          oidc('aws_eks_cluster.this.identity.0.oidc.0.issuer'),
      },
      after: {
        'main.tf':
          'resource "aws_iam_role" "this" {\n  count       = 1\n  name_prefix = "prod-cluster-"\n}\n' +
          'resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = try(aws_iam_role.this[0].arn, null)\n}\n' +
          oidc('aws_eks_cluster.this.identity.0.oidc.0.issuer'),
      },
      errors: [
        {
          messageId: 'replacedThroughData',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 7,
          object: 'aws_eks_cluster.this',
          message:
            'aws_eks_cluster.this (an EKS cluster: every Kubernetes object in its etcd): role_arn comes from aws_iam_role.this.arn (aws_iam_role.this is new in this change (no moved block brings an old object to it)), so its new value is known only after apply, and role_arn cannot be updated in place: the cluster is replaced, with every Kubernetes object in it, and only a backup brings the data back',
        },
        {
          messageId: 'replacedThrough',
          object: 'aws_iam_openid_connect_provider.oidc_provider',
          message:
            /url comes from aws_eks_cluster\.this\.identity \(aws_eks_cluster\.this is replaced: its role_arn changes\)/,
        },
      ],
    },
    {
      name: 'the role moves with a moved block: the same object, nothing replaced through it (only the name_prefix that changes)',
      before: {
        'main.tf':
          'resource "aws_iam_role" "cluster" {\n  name_prefix = "prod"\n}\n' +
          'resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = aws_iam_role.cluster.arn\n}\n',
      },
      after: {
        'main.tf':
          'resource "aws_iam_role" "this" {\n  name_prefix = "prod"\n}\nmoved {\n  from = aws_iam_role.cluster\n  to   = aws_iam_role.this\n}\n' +
          'resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = aws_iam_role.this.arn\n}\n',
      },
      errors: [{ messageId: 'expressionChanged', severity: 'info', object: 'aws_eks_cluster.this' }],
    },
    {
      name: 'a name_prefix whose literal start changes around a value known at plan time: certain',
      before: {
        'main.tf':
          'variable "cluster_name" {}\nlocals {\n  irsa_name = "KarpenterIRSA-${var.cluster_name}"\n}\nresource "aws_iam_role" "controller" {\n  name_prefix = "${local.irsa_name}-"\n}\n',
      },
      after: {
        'main.tf':
          'variable "cluster_name" {}\nvariable "iam_role_name" {\n  default = "KarpenterController"\n}\nresource "aws_iam_role" "controller" {\n  name_prefix = "${var.iam_role_name}-"\n}\n',
      },
      errors: [{ messageId: 'replaced', severity: 'warning', object: 'aws_iam_role.controller', line: 6 }],
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
