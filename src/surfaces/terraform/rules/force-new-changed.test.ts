import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './force-new-changed.js';

const oidc = (url: string) =>
  `resource "aws_iam_openid_connect_provider" "oidc_provider" {\n  client_id_list = ["sts.amazonaws.com"]\n  url            = ${url}\n}\n`;
const bucket = (name: string, extra = '') => `resource "aws_s3_bucket" "logs" {\n  bucket = "${name}"${extra}\n}\n`;

/** An EKS cluster fed its subnets by a root module call, with an optional provider constraint. */
const eks = (subnets: string, aws?: string) =>
  (aws
    ? `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${aws}"\n    }\n  }\n}\n`
    : '') +
  `resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = "arn:aws:iam::1:role/eks"\n  vpc_config {\n    subnet_ids = ${subnets}\n  }\n}\n`;
const vpc = (extra = '') =>
  `module "vpc" {\n  source          = "terraform-aws-modules/vpc/aws"\n  version         = "5.1.0"\n  private_subnets = ["10.0.1.0/24", "10.0.2.0/24"]\n  intra_subnets   = ["10.0.7.0/28", "10.0.7.16/28"]${extra}\n}\n`;

/**
 * A local module whose EKS cluster takes the module's own security group unless told not to create
 * it (the terraform-aws-eks layout: `compact(distinct(concat(additional, [conditional id])))`), and
 * an example that calls it with `inputs`.
 */
const sgModule = (inputs: string, aws = '>= 3.72') => ({
  'examples/a/versions.tf': `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${aws}"\n    }\n  }\n}\n`,
  'main.tf':
    'variable "create_cluster_security_group" {\n  default = true\n}\nvariable "cluster_security_group_id" {\n  default = ""\n}\nvariable "cluster_additional_security_group_ids" {\n  default = []\n}\n' +
    'locals {\n  cluster_security_group_id = var.create_cluster_security_group ? aws_security_group.cluster[0].id : var.cluster_security_group_id\n}\n' +
    'resource "aws_security_group" "cluster" {\n  count       = var.create_cluster_security_group ? 1 : 0\n  name_prefix = "cluster-"\n}\n' +
    'resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = "arn:aws:iam::1:role/eks"\n  vpc_config {\n    security_group_ids = compact(distinct(concat(var.cluster_additional_security_group_ids, [local.cluster_security_group_id])))\n    subnet_ids         = ["subnet-1", "subnet-2"]\n  }\n}\n',
  'examples/a/main.tf': `variable "sg_id" {}\nmodule "eks" {\n  source = "../.."\n${inputs}}\n`,
});

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
    {
      name: 'the same module output through another expression form (var -> local that reads it): silent',
      before: { 'main.tf': vpc() + 'variable "subnets" {\n  default = null\n}\n' + eks('module.vpc.private_subnets') },
      after: {
        'main.tf': vpc() + 'locals {\n  subnets = module.vpc.private_subnets\n}\n' + eks('local.subnets'),
      },
    },
    {
      name: 'a module renamed with a moved block: the same output of the same instance',
      before: { 'main.tf': vpc() + eks('module.vpc.private_subnets') },
      after: {
        'main.tf':
          vpc().replace('module "vpc"', 'module "network"') +
          'moved {\n  from = module.vpc\n  to   = module.network\n}\n' +
          eks('module.network.private_subnets'),
      },
    },
    {
      name: 'a registry module input that does not decide the output (tags): the subnets stay',
      before: { 'main.tf': vpc() + eks('module.vpc.private_subnets') },
      after: { 'main.tf': vpc('\n  tags = { Team = "a" }') + eks('module.vpc.private_subnets') },
    },
    {
      name: 'the role moves with a moved block: the same object, so the same ARN: nothing replaced',
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
    },
    {
      name: "the module's own cluster security group kept, the default now written out",
      before: sgModule(''),
      after: sgModule('  create_cluster_security_group = true\n'),
    },
    {
      name: 'the security group now comes from a root variable set outside: not compared',
      before: sgModule(''),
      after: sgModule('  create_cluster_security_group = false\n  cluster_security_group_id     = var.sg_id\n'),
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
    {
      name: 'EKS subnets from another output of the same module: replaced (provider allows releases before 5.25)',
      before: { 'main.tf': vpc() + eks('module.vpc.private_subnets', '>= 4.45') },
      after: { 'main.tf': vpc() + eks('module.vpc.intra_subnets', '>= 4.45') },
      errors: [
        {
          messageId: 'replacedFromData',
          severity: 'error',
          class: 'non-recoverable-without-restore',
          object: 'aws_eks_cluster.this',
          message:
            /vpc_config\.subnet_ids now comes from module\.vpc's intra_subnets instead of module\.vpc's private_subnets: .* aws provider 5\.25\.0 and later update it in place, but the configuration allows older ones \(">= 4\.45"\), which replace it$/,
        },
      ],
    },
    {
      name: 'EKS subnets through coalescelist: the control-plane list now set (the fallback stays) is hedged but reported',
      before: {
        'main.tf':
          vpc() +
          'variable "control_plane_subnet_ids" {\n  default = []\n}\n' +
          eks('coalescelist(var.control_plane_subnet_ids, module.vpc.private_subnets)'),
      },
      after: {
        'main.tf': vpc() + eks('coalescelist(module.vpc.intra_subnets, module.vpc.private_subnets)'),
      },
      errors: [
        {
          messageId: 'replacedFromData',
          message: /module\.vpc's intra_subnets \(when that is not empty\) instead of module\.vpc's private_subnets/,
        },
      ],
    },
    {
      name: "EKS subnets from a data source to a new module's outputs (elements of them)",
      before: {
        'main.tf':
          'data "aws_subnet_ids" "default" {\n  vpc_id = "vpc-1"\n}\n' + eks('data.aws_subnet_ids.default.ids'),
      },
      after: { 'main.tf': vpc() + eks('[module.vpc.private_subnets[0], module.vpc.intra_subnets[1]]') },
      errors: [
        {
          messageId: 'replacedFromData',
          message:
            /module\.vpc's private_subnets and module\.vpc's intra_subnets instead of data\.aws_subnet_ids\.default's ids/,
        },
      ],
    },
    {
      name: "EKS subnets from the same output of the registry VPC module, whose subnets' CIDRs change",
      before: { 'main.tf': vpc() + eks('module.vpc.private_subnets') },
      after: {
        'main.tf':
          vpc().replace('"10.0.1.0/24", "10.0.2.0/24"', '"10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"') +
          eks('module.vpc.private_subnets'),
      },
      errors: [
        {
          messageId: 'replacedFromData',
          message: /module\.vpc's private_subnets, whose input private_subnets changes/,
        },
      ],
    },
    {
      name: "the module's cluster security group switched off with none given: security_group_ids goes from [its id] to [], and the cluster is replaced",
      before: sgModule(''),
      after: sgModule('  create_cluster_security_group = false\n'),
      errors: [
        {
          messageId: 'replacedData',
          severity: 'error',
          class: 'non-recoverable-without-restore',
          object: 'module.eks.aws_eks_cluster.this',
          message:
            /vpc_config\.security_group_ids changes and cannot be updated in place: .* but the configuration allows older ones \(">= 3\.72"\), which replace it$/,
        },
      ],
    },
    {
      name: 'the same security groups emptied with a provider that updates them in place (>= 5.25): info',
      before: sgModule('', '>= 5.30'),
      after: sgModule('  create_cluster_security_group = false\n', '>= 5.30'),
      errors: [{ messageId: 'updatedInPlace', severity: 'info', class: 'fully-reversible' }],
    },
    {
      name: 'EKS subnets move with a provider that updates them in place (>= 5.25): info, no replacement',
      before: { 'main.tf': vpc() + eks('module.vpc.private_subnets', '>= 5.40') },
      after: { 'main.tf': vpc() + eks('module.vpc.intra_subnets', '>= 5.40') },
      errors: [
        {
          messageId: 'updatedInPlace',
          severity: 'info',
          class: 'fully-reversible',
          message: /the configuration requires aws provider ">= 5\.40", and 5\.25\.0 and later update it in place/,
        },
      ],
    },
    {
      name: 'the cluster role replaced with the cluster it serves (its name_prefix follows the new cluster name): part of that replacement, info',
      before: {
        'main.tf':
          'resource "aws_iam_role" "cluster" {\n  name_prefix = "prod"\n}\n' +
          'resource "aws_iam_role_policy_attachment" "cluster" {\n  role       = aws_iam_role.cluster.name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"\n}\n' +
          'resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = aws_iam_role.cluster.arn\n}\n',
      },
      after: {
        'main.tf':
          'resource "aws_iam_role" "cluster" {\n  name_prefix = "staging"\n}\n' +
          'resource "aws_iam_role_policy_attachment" "cluster" {\n  role       = aws_iam_role.cluster.name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"\n}\n' +
          'resource "aws_eks_cluster" "this" {\n  name     = "staging"\n  role_arn = aws_iam_role.cluster.arn\n}\n',
      },
      errors: [
        {
          messageId: 'partOf',
          severity: 'info',
          class: 'fully-reversible',
          object: 'aws_iam_role.cluster',
          message: /its only consumers are aws_eks_cluster\.this \(replaced\) by the same change/,
        },
        { messageId: 'replacedData', object: 'aws_eks_cluster.this', message: /name changes/ },
        {
          messageId: 'replacedThroughData',
          object: 'aws_eks_cluster.this',
          message: /role_arn comes from aws_iam_role\.cluster\.arn/,
        },
      ],
    },
    {
      name: 'a role replaced that a cluster which stays also uses: still a repair of its own',
      before: {
        'main.tf':
          'resource "aws_iam_role" "cluster" {\n  name_prefix = "prod"\n}\n' +
          'resource "aws_eks_cluster" "this" {\n  name     = "prod"\n  role_arn = aws_iam_role.cluster.arn\n}\n' +
          'resource "aws_lambda_function" "f" {\n  role = aws_iam_role.cluster.arn\n}\n',
      },
      after: {
        'main.tf':
          'resource "aws_iam_role" "cluster" {\n  name_prefix = "staging"\n}\n' +
          'resource "aws_eks_cluster" "this" {\n  name     = "staging"\n  role_arn = aws_iam_role.cluster.arn\n}\n' +
          'resource "aws_lambda_function" "f" {\n  role = aws_iam_role.cluster.arn\n}\n',
      },
      errors: [
        { messageId: 'replaced', severity: 'warning', object: 'aws_iam_role.cluster' },
        { messageId: 'replacedData', object: 'aws_eks_cluster.this' },
        { messageId: 'replacedThroughData', object: 'aws_eks_cluster.this' },
      ],
    },
  ],
});
