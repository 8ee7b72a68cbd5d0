import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule, { compareVersions } from './version-upgraded.js';

const rds = (v: string) =>
  `resource "aws_db_instance" "main" {\n  identifier     = "shop"\n  engine         = "postgres"\n  engine_version = "${v}"\n  instance_class = "db.r6g.large"\n}\n`;
const aurora = (v: string) =>
  `resource "aws_rds_cluster" "orders" {\n  cluster_identifier = "orders"\n  engine             = "aurora-postgresql"\n  engine_version     = "${v}"\n}\n`;
const eks = (v: string) =>
  `resource "aws_eks_cluster" "main" {\n  name     = "prod"\n  role_arn = aws_iam_role.cluster.arn\n  version  = ${v}\n}\n`;
const eksModule = (v: string, input = 'cluster_version', source = 'terraform-aws-modules/eks/aws') =>
  `module "eks" {\n  source  = "${source}"\n  version = "20.24.0"\n\n  cluster_name = "prod"\n  ${input} = "${v}"\n}\n`;
const caller = (v: string) => `module "cluster" {\n  source             = "../.."\n  kubernetes_version = "${v}"\n}\n`;
const localModule = {
  'main.tf': `resource "aws_eks_cluster" "this" {\n  name    = var.name\n  version = var.kubernetes_version\n}\n`,
  'variables.tf': `variable "kubernetes_version" {\n  type = string\n}\nvariable "name" {\n  type    = string\n  default = "x"\n}\n`,
};

/** A test configuration that sets the version once in `locals` and passes it to the module (the EKS module's own tests do). */
const viaLocal = (v: string, source = '../..') =>
  `locals {\n  name            = "ex"\n  cluster_version = "${v}"\n}\n\nmodule "eks" {\n  source          = "${source}"\n  cluster_name    = local.name\n  cluster_version = local.cluster_version\n}\n`;
const rootModule = {
  'main.tf': `resource "aws_eks_cluster" "this" {\n  name    = var.cluster_name\n  version = var.cluster_version\n}\n`,
  'variables.tf': `variable "cluster_name" {\n  type = string\n}\nvariable "cluster_version" {\n  type    = string\n  default = null\n}\n`,
};
const withDefault = (v: string) =>
  `variable "engine_version" {\n  type    = string\n  default = "${v}"\n}\n\nresource "aws_db_instance" "main" {\n  engine         = "postgres"\n  engine_version = var.engine_version\n}\n`;

/** An EKS cluster with an access_config block setting the authentication mode to `mode` (none when undefined). */
const eksAuth = (mode?: string, extra = '') =>
  `resource "aws_eks_cluster" "this" {\n  count    = var.create ? 1 : 0\n  name     = "prod"\n  role_arn = "arn:aws:iam::1:role/eks"\n${mode === undefined ? '' : `  access_config {\n    authentication_mode = ${mode}\n  }\n`}}\n${extra}`;
const authVar = (d: string) =>
  `variable "authentication_mode" {\n  type    = string\n  default = "${d}"\n}\nvariable "create" {\n  default = true\n}\n`;
const createVar = 'variable "create" {\n  default = true\n}\n';

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'the version lowered on a cluster the same change replaces (its name changes): created at the new version, no downgrade',
      before: { 'main.tf': eks('"1.31"') },
      after: { 'main.tf': eks('"1.29"').replace('"prod"', '"staging"') },
    },
    {
      name: 'the version raised on a cluster replaced through a module input (the cluster name follows a new local): no upgrade of it',
      before: { 'examples/a/main.tf': viaLocal('1.21'), ...rootModule },
      after: { 'examples/a/main.tf': viaLocal('1.22').replace('"ex"', '"ex2"'), ...rootModule },
    },
    {
      name: 'authentication mode set to what an unset block gives (CONFIG_MAP)',
      before: { 'main.tf': eksAuth(undefined, createVar) },
      after: { 'main.tf': eksAuth('"CONFIG_MAP"', createVar) },
    },
    {
      name: 'authentication mode block removed (nothing is sent: the cluster keeps its mode)',
      before: { 'main.tf': eksAuth('"API"', createVar) },
      after: { 'main.tf': eksAuth(undefined, createVar) },
    },
    {
      name: 'a new cluster created with API_AND_CONFIG_MAP (no transition)',
      before: { 'main.tf': createVar },
      after: { 'main.tf': eksAuth('"API_AND_CONFIG_MAP"', createVar) },
    },
    {
      name: 'authentication mode from a root variable with no default (set outside the configuration)',
      before: { 'main.tf': eksAuth(undefined, `${createVar}variable "mode" {}\n`) },
      after: { 'main.tf': eksAuth('var.mode', `${createVar}variable "mode" {}\n`) },
    },
    {
      name: 'the cluster has no instance (create = false): nothing changes mode',
      before: { 'main.tf': eksAuth(undefined, 'variable "create" {\n  default = false\n}\n') },
      after: { 'main.tf': eksAuth('"API"', 'variable "create" {\n  default = false\n}\n') },
    },
    {
      name: 'a local renamed, same version',
      before: { 'tests/a/main.tf': viaLocal('1.30') },
      after: {
        'tests/a/main.tf': viaLocal('1.30')
          .replace(/cluster_version = local.cluster_version/, 'cluster_version = local.k8s')
          .replace('  cluster_version = "1.30"', '  k8s = "1.30"'),
      },
      unchanged: rootModule,
    },
    {
      name: 'a local that reads a variable without a default (set outside the configuration)',
      before: { 'main.tf': `variable "v" {}\nlocals {\n  v = var.v\n}\n${eks('local.v')}` },
      after: { 'main.tf': `variable "v" {\n  type = string\n}\nlocals {\n  v = var.v\n}\n${eks('local.v')}` },
    },
    {
      name: 'another local of the same block changes',
      before: { 'tests/a/main.tf': viaLocal('1.30') },
      after: { 'tests/a/main.tf': viaLocal('1.30').replace('"ex"', '"ex2"') },
      unchanged: rootModule,
    },
    { name: 'version unchanged', before: { 'db.tf': rds('16.3') }, after: { 'db.tf': `${rds('16.3')}\n` } },
    { name: 'a new database (no upgrade)', before: { 'db.tf': '' }, after: { 'db.tf': rds('16.3') } },
    {
      name: 'another attribute of the same resource changes',
      before: { 'db.tf': rds('16.3') },
      after: { 'db.tf': rds('16.3').replace('db.r6g.large', 'db.r6g.xlarge') },
    },
    {
      name: 'an expression whose value is not in the configuration',
      before: { 'eks.tf': eks('var.v') },
      after: { 'eks.tf': eks('local.v') },
    },
    {
      name: 'an input of a module that does not carry a version',
      before: { 'main.tf': eksModule('1.29', 'cluster_name_suffix') },
      after: { 'main.tf': eksModule('1.30', 'cluster_name_suffix') },
    },
    {
      name: 'the same input of an unknown registry module',
      before: { 'main.tf': eksModule('1.29', 'cluster_version', 'acme/k8s/aws') },
      after: { 'main.tf': eksModule('1.30', 'cluster_version', 'acme/k8s/aws') },
    },
  ],
  invalid: [
    {
      name: 'authentication mode set to API_AND_CONFIG_MAP through a variable default on a cluster that had no access_config',
      before: { 'main.tf': eksAuth(undefined, createVar) },
      after: { 'main.tf': eksAuth('var.authentication_mode', authVar('API_AND_CONFIG_MAP')) },
      errors: [
        {
          messageId: 'oneWay',
          class: 'forward-only',
          line: 11,
          object: 'aws_eks_cluster.this',
          message:
            'aws_eks_cluster.this: access_config.authentication_mode CONFIG_MAP -> API_AND_CONFIG_MAP (access_config was not set: CONFIG_MAP; through var.authentication_mode (default)): Amazon EKS cannot change a cluster back to a mode without the access entry API (API or API_AND_CONFIG_MAP to CONFIG_MAP), nor from API back to API_AND_CONFIG_MAP: a revert is refused by the EKS API, and the access the aws-auth ConfigMap granted must be recreated as access entries',
        },
      ],
    },
    {
      name: 'authentication mode API_AND_CONFIG_MAP -> API (literal)',
      before: { 'main.tf': eksAuth('"API_AND_CONFIG_MAP"', createVar) },
      after: { 'main.tf': eksAuth('"API"', createVar) },
      errors: [{ messageId: 'oneWay', message: /API_AND_CONFIG_MAP -> API: / }],
    },
    {
      name: 'authentication mode through a conditional and a module input',
      before: {
        'examples/a/main.tf': 'module "eks" {\n  source = "../.."\n  api    = false\n}\n',
      },
      after: {
        'examples/a/main.tf': 'module "eks" {\n  source = "../.."\n  api    = true\n}\n',
      },
      unchanged: {
        'main.tf': eksAuth('var.api ? "API" : "CONFIG_MAP"', `${createVar}variable "api" {\n  default = false\n}\n`),
      },
      errors: [{ messageId: 'oneWay', object: 'module.eks.aws_eks_cluster.this', message: /CONFIG_MAP -> API: / }],
    },
    {
      name: 'the same one-way step taken by two examples that call the module: one finding naming both',
      before: {
        'main.tf': eksAuth(undefined, createVar),
        'examples/a/main.tf': 'module "eks" {\n  source = "../.."\n}\n',
        'examples/b/main.tf': 'module "eks" {\n  source = "../.."\n}\n',
      },
      after: {
        'main.tf': eksAuth('var.authentication_mode', authVar('API')),
        'examples/a/main.tf': 'module "eks" {\n  source = "../.."\n}\n\n',
        'examples/b/main.tf': 'module "eks" {\n  source = "../.."\n}\n\n',
      },
      errors: [
        {
          messageId: 'oneWay',
          object: 'module.eks.aws_eks_cluster.this',
          message:
            /CONFIG_MAP -> API \(access_config was not set: CONFIG_MAP; through var\.authentication_mode \(default\); in 2 root configurations: examples\/a, examples\/b\)/,
        },
      ],
    },
    {
      name: 'authentication mode set back to CONFIG_MAP: refused by EKS',
      before: { 'main.tf': eksAuth('"API_AND_CONFIG_MAP"', createVar) },
      after: { 'main.tf': eksAuth('"CONFIG_MAP"', createVar) },
      errors: [{ messageId: 'oneWayBack', severity: 'error', message: /goes back/ }],
    },
    {
      name: 'RDS major engine upgrade',
      before: { 'infra/db/main.tf': rds('15.7') },
      after: { 'infra/db/main.tf': rds('16.3') },
      errors: [
        {
          messageId: 'upgraded',
          class: 'forward-only',
          severity: 'warning',
          file: 'infra/db/main.tf',
          line: 4,
          object: 'aws_db_instance.main',
          message: /^aws_db_instance\.main: engine_version 15\.7 -> 16\.3: RDS upgrades the engine in place/,
        },
      ],
    },
    {
      name: 'Aurora minor upgrade (Aurora cannot downgrade a minor either)',
      before: { 'main.tf': aurora('15.4') },
      after: { 'main.tf': aurora('15.6') },
      errors: [{ messageId: 'upgraded', class: 'forward-only', message: /minor versions included/ }],
    },
    {
      name: 'EKS control plane, a number literal',
      before: { 'main.tf': eks('"1.29"') },
      after: { 'main.tf': eks('"1.30"') },
      errors: [
        {
          messageId: 'windowed',
          line: 4,
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          message:
            /version 1\.29 -> 1\.30: one minor version, reversible for 7d after the upgrade: `aws eks update-cluster-version --name <cluster> --kubernetes-version 1\.29` \(etcd data and workloads are kept; managed node groups \(aws eks update-nodegroup-version\), self-managed nodes and add-ons are not rolled back by EKS: bring them to 1\.29 first/,
        },
      ],
    },
    {
      name: 'EKS two minor versions at once: no rollback, forward-only',
      before: { 'main.tf': eks('"1.29"') },
      after: { 'main.tf': eks('"1.31"') },
      errors: [
        {
          messageId: 'upgraded',
          class: 'forward-only',
          message: /1\.29 -> 1\.31: an EKS control plane rolls back only to the previous minor version, within 7 days/,
        },
      ],
    },
    {
      name: 'EKS one minor with patch levels written',
      before: { 'main.tf': eks('"1.30.0"') },
      after: { 'main.tf': eks('"1.31.2"') },
      errors: [{ messageId: 'windowed', class: 'reversible-with-compatibility-window' }],
    },
    {
      name: 'EKS across a major version: forward-only',
      before: { 'main.tf': eks('"1.35"') },
      after: { 'main.tf': eks('"2.0"') },
      errors: [{ messageId: 'upgraded', class: 'forward-only' }],
    },
    {
      name: 'an EKS one-minor downgrade is the version rollback, inside its window',
      before: { 'main.tf': eks('"1.30"') },
      after: { 'main.tf': eks('"1.29"') },
      errors: [
        {
          messageId: 'rolledBack',
          severity: 'warning',
          class: 'reversible-with-compatibility-window',
          message: /1\.30 -> 1\.29 is a one-minor rollback: EKS accepts it only within 7d .*bring them to 1\.29 first/,
        },
      ],
    },
    {
      name: 'a downgrade of more than one minor is an error',
      before: { 'main.tf': eks('"1.31"') },
      after: { 'main.tf': eks('"1.29"') },
      errors: [{ messageId: 'downgraded', severity: 'error', class: 'forward-only' }],
    },
    {
      name: 'a database downgrade is an error',
      before: { 'db.tf': rds('16.3') },
      after: { 'db.tf': rds('15.7') },
      errors: [{ messageId: 'downgraded', severity: 'error', class: 'forward-only' }],
    },
    {
      name: 'terraform-aws-modules/eks cluster_version input',
      before: { 'infra/eks/main.tf': eksModule('1.29') },
      after: { 'infra/eks/main.tf': eksModule('1.30') },
      errors: [
        {
          messageId: 'windowed',
          line: 6,
          object: 'module.eks',
          message:
            /^module\.eks: cluster_version 1\.29 -> 1\.30 \(terraform-aws-modules\/eks\/aws passes it to aws_eks_cluster\.version\): one minor version, reversible for 7d/,
        },
      ],
    },
    {
      name: 'kubernetes_version (v21) of the registry module, from the registry host',
      before: {
        'main.tf': eksModule('1.31', 'kubernetes_version', 'registry.terraform.io/terraform-aws-modules/eks/aws'),
      },
      after: {
        'main.tf': eksModule('1.33', 'kubernetes_version', 'registry.terraform.io/terraform-aws-modules/eks/aws'),
      },
      errors: [{ messageId: 'upgraded', message: /kubernetes_version 1\.31 -> 1\.33/ }],
    },
    {
      name: 'a local module input followed to the resource that reads the variable',
      before: { 'examples/a/main.tf': caller('1.29') },
      after: { 'examples/a/main.tf': caller('1.30') },
      unchanged: localModule,
      errors: [
        {
          messageId: 'windowed',
          file: 'examples/a/main.tf',
          line: 3,
          object: 'module.cluster',
          message:
            /^module\.cluster: kubernetes_version 1\.29 -> 1\.30 \(feeds module\.cluster\.aws_eks_cluster\.this\.version\): one minor version/,
        },
      ],
    },
    {
      name: 'a test configuration bumps the version through a local passed to the local module',
      before: { 'tests/eks-managed-node-group/main.tf': viaLocal('1.29') },
      after: { 'tests/eks-managed-node-group/main.tf': viaLocal('1.30') },
      unchanged: rootModule,
      errors: [
        {
          messageId: 'windowed',
          class: 'reversible-with-compatibility-window',
          file: 'tests/eks-managed-node-group/main.tf',
          line: 3,
          object: 'module.eks',
          message:
            /^module\.eks: cluster_version 1\.29 -> 1\.30 \(through local\.cluster_version; feeds module\.eks\.aws_eks_cluster\.this\.version\): one minor version/,
        },
      ],
    },
    {
      name: 'only the file of locals changes; the module call that reads it is in another file',
      before: { 'tests/a/locals.tf': 'locals {\n  cluster_version = "1.32"\n}\n' },
      after: { 'tests/a/locals.tf': 'locals {\n  cluster_version = "1.33"\n}\n' },
      unchanged: {
        ...rootModule,
        'tests/a/main.tf':
          'module "eks" {\n  source          = "../.."\n  cluster_version = local.cluster_version\n}\n',
      },
      errors: [{ messageId: 'windowed', file: 'tests/a/locals.tf', line: 2, object: 'module.eks' }],
    },
    {
      name: 'the registry module given a local',
      before: { 'main.tf': viaLocal('1.31', 'terraform-aws-modules/eks/aws') },
      after: { 'main.tf': viaLocal('1.33', 'terraform-aws-modules/eks/aws') },
      errors: [
        {
          messageId: 'upgraded',
          line: 3,
          object: 'module.eks',
          message:
            'module.eks: cluster_version 1.31 -> 1.33 (through local.cluster_version, terraform-aws-modules/eks/aws passes it to aws_eks_cluster.version): an EKS control plane rolls back only to the previous minor version, within 7 days of an in-place upgrade; a jump of more than one minor version cannot be rolled back',
        },
      ],
    },
    {
      name: "a variable's default read by the resource",
      before: { 'db/main.tf': withDefault('15.7') },
      after: { 'db/main.tf': withDefault('16.3') },
      errors: [
        {
          messageId: 'upgraded',
          line: 3,
          object: 'aws_db_instance.main',
          message:
            /^aws_db_instance\.main: engine_version 15\.7 -> 16\.3 \(through var\.engine_version \(default\)\): RDS/,
        },
      ],
    },
  ],
});

describe('compareVersions', () => {
  it('orders by numbers, not by text', () => {
    expect(compareVersions('15.4', '15.10')).toBeLessThan(0);
    expect(compareVersions('1.30', '1.29')).toBeGreaterThan(0);
    expect(compareVersions('8.0.mysql_aurora.3.05.2', '8.0.mysql_aurora.3.06.0')).toBeLessThan(0);
    expect(compareVersions('16', '16.0')).toBe(0);
  });
});
