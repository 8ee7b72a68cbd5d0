import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './moved-block-missing.js';

const sg = (name: string) => `resource "aws_security_group" "${name}" {\n  name   = "api"\n  vpc_id = "vpc-123"\n}\n`;
const db = (name: string, extra = '') => `resource "aws_db_instance" "${name}" {\n  identifier = "orders"${extra}\n}\n`;

/** The module of the repository's root, called by an example that moves to the registry release. */
const ROOT_MODULE = {
  'main.tf':
    'resource "aws_cloudwatch_log_group" "this" {\n  name = "/aws/eks/x"\n}\n\nresource "aws_kms_key" "this" {\n  description = "EKS secrets"\n}\n',
  'migrations.tf': 'moved {\n  from = aws_kms_key.old\n  to   = aws_kms_key.this\n}\n',
};
const exampleCall = (source: string, version?: string) =>
  `module "eks" {\n  source = "${source}"\n${version ? `  version = "${version}"\n` : ''}\n  cluster_name = "example"\n}\n`;

/** The Karpenter node instance profile: `name` at the root, then `name_prefix` (or another `name`) inside a local module. */
const PROFILE_ROOT = {
  'examples/k/main.tf':
    'locals {\n  name = "ex-${basename(path.cwd)}"\n}\nresource "aws_iam_instance_profile" "karpenter" {\n  name = "KarpenterNodeInstanceProfile-${local.name}"\n  role = "nodes"\n}\n',
};
const profileModule = (naming: string) => ({
  'examples/k/main.tf':
    'locals {\n  name = "ex-${basename(path.cwd)}"\n}\nmodule "karpenter" {\n  source       = "../../modules/karpenter"\n  cluster_name = local.name\n}\n',
  'modules/karpenter/main.tf': `variable "cluster_name" {}\nvariable "iam_role_name" {\n  default = null\n}\nlocals {\n  iam_role_name = coalesce(var.iam_role_name, "Karpenter-\${var.cluster_name}")\n}\nresource "aws_iam_instance_profile" "this" {\n  ${naming}\n  role = "nodes"\n}\n`,
});

const attach = (name: string, policy = 'AmazonEKSClusterPolicy') =>
  `resource "aws_iam_role_policy_attachment" "${name}" {\n  role       = aws_iam_role.cluster.name\n  policy_arn = "arn:aws:iam::aws:policy/${policy}"\n}\n`;
const hook = (repetition: string) =>
  `resource "aws_autoscaling_lifecycle_hook" "nth" {\n  ${repetition}\n  name                   = "nth"\n  autoscaling_group_name = "workers"\n  lifecycle_transition   = "autoscaling:EC2_INSTANCE_TERMINATING"\n}\n`;
const localFile = (type: string, name: string, repetition = '') =>
  `resource "${type}" "${name}" {\n  ${repetition}\n  content  = templatefile("kubeconfig.tpl", { cluster = "demo" })\n  filename = "./kubeconfig_demo"\n}\n`;
const role = (name: string) => `resource "aws_iam_role" "${name}" {\n  name = "cluster"\n}\n`;
/** A kubectl_manifest holding a Karpenter object of `kind` named `name` (heredoc, interpolated spec). */
const karpenter = (address: string, apiVersion: string, kind: string, name = 'default', extra = '') =>
  `resource "kubectl_manifest" "${address}" {\n  yaml_body = <<-YAML\n    apiVersion: ${apiVersion}\n    kind: ${kind}\n    metadata:\n      name: ${name}\n${extra}    spec:\n      role: \${module.karpenter.role_name}\n  YAML\n}\n`;
const v1alpha = `${karpenter('karpenter_provisioner', 'karpenter.sh/v1alpha5', 'Provisioner')}${karpenter('karpenter_node_template', 'karpenter.k8s.aws/v1alpha1', 'AWSNodeTemplate')}`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'a local_file renamed with its moved block',
      before: { 'main.tf': localFile('local_file', 'kubeconfig') },
      after: {
        'main.tf': `${localFile('local_file', 'config')}moved {\n  from = local_file.kubeconfig\n  to   = local_file.config\n}\n`,
      },
    },
    {
      name: 'a policy attachment renamed with its moved block',
      before: { 'main.tf': attach('demo') },
      after: {
        'main.tf': `${attach('cluster')}moved {\n  from = aws_iam_role_policy_attachment.demo\n  to   = aws_iam_role_policy_attachment.cluster\n}\n`,
      },
    },
    {
      name: 'the moved blocks of a local module that moves to the registry are not removed',
      before: { 'examples/complete/main.tf': exampleCall('../..') },
      after: { 'examples/complete/main.tf': exampleCall('terraform-aws-modules/eks/aws', '~> 21.0') },
      unchanged: ROOT_MODULE,
    },
    {
      name: 'a stateless resource replaced by another with a different literal argument is not a rename',
      before: {
        'workers.tf':
          'resource "aws_iam_role_policy_attachment" "workers_AmazonEKSworkersNodePolicy" {\n  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSworkersNodePolicy"\n  role       = aws_iam_role.workers.name\n}\n',
      },
      after: {
        'workers.tf':
          'resource "aws_iam_role_policy_attachment" "workers_AmazonEKSWorkerNodePolicy" {\n  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"\n  role       = aws_iam_role.workers.name\n}\n',
      },
    },
    {
      name: 'unchanged resources',
      before: { 'main.tf': sg('api') },
      after: { 'main.tf': `${sg('api')}\n# a comment\n` },
    },
    {
      name: 'a rename with its moved block',
      before: { 'main.tf': sg('api') },
      after: {
        'main.tf': `${sg('web')}\nmoved {\n  from = aws_security_group.api\n  to   = aws_security_group.web\n}\n`,
      },
    },
    {
      name: 'into a module, with the moved block in another unchanged file',
      before: {
        'infra/main.tf': sg('api'),
        'infra/moved.tf': 'moved {\n  from = aws_security_group.api\n  to = module.sec.aws_security_group.this\n}\n',
      },
      after: {
        'infra/main.tf': 'module "sec" {\n  source = "./modules/sec"\n}\n',
        'infra/moved.tf': 'moved {\n  from = aws_security_group.api\n  to = module.sec.aws_security_group.this\n}\n',
        'infra/modules/sec/main.tf': sg('this'),
      },
    },
    {
      name: 'a resource removed with nothing added is resource-removed’s',
      before: { 'main.tf': sg('api') },
      after: { 'main.tf': '' },
    },
    {
      name: 'count turned on: Terraform moves a to a[0] itself',
      before: { 'main.tf': sg('api') },
      after: { 'main.tf': sg('api').replace('name   = "api"', 'count = 1\n  name   = "api"') },
    },
    {
      name: 'a moved block removed from a deleted directory is not reported',
      before: { 'old/main.tf': `${sg('b')}moved {\n  from = aws_security_group.a\n  to = aws_security_group.b\n}\n` },
      after: {},
    },
    {
      name: 'an instance profile removed and one with another name (name_prefix) added in a module: two objects, no moved block suggested',
      before: PROFILE_ROOT,
      after: profileModule('name_prefix = "${local.iam_role_name}-"'),
    },
    {
      name: 'an instance profile removed and one with another literal-led name added: two objects',
      before: PROFILE_ROOT,
      after: profileModule('name = "Karpenter-${var.cluster_name}"'),
    },
    {
      name: 'kubectl_manifests of a Provisioner and an AWSNodeTemplate removed, of a NodePool and an EC2NodeClass added: four objects, no moved block suggested',
      before: { 'main.tf': v1alpha },
      after: {
        'main.tf': `${karpenter('karpenter_node_class', 'karpenter.k8s.aws/v1beta1', 'EC2NodeClass')}${karpenter('karpenter_node_pool', 'karpenter.sh/v1beta1', 'NodePool')}`,
      },
    },
    {
      name: 'a kubectl_manifest replaced by one of the same kind with another name: two objects',
      before: { 'main.tf': karpenter('a', 'karpenter.sh/v1beta1', 'NodePool', 'default') },
      after: { 'main.tf': karpenter('b', 'karpenter.sh/v1beta1', 'NodePool', 'gpu') },
    },
    {
      name: 'a kubernetes_manifest replaced by one in another namespace: two objects',
      before: {
        'main.tf':
          'resource "kubernetes_manifest" "a" {\n  manifest = {\n    apiVersion = "v1"\n    kind = "ConfigMap"\n    metadata = {\n      name = "app"\n      namespace = "blue"\n    }\n  }\n}\n',
      },
      after: {
        'main.tf':
          'resource "kubernetes_manifest" "b" {\n  manifest = {\n    apiVersion = "v1"\n    kind = "ConfigMap"\n    metadata = {\n      name = "app"\n      namespace = "green"\n    }\n  }\n}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a kubectl_manifest renamed holding the same object (kind, name): still paired, a moved block suggested',
      before: { 'main.tf': karpenter('karpenter_node_pool', 'karpenter.sh/v1beta1', 'NodePool') },
      after: {
        'main.tf': karpenter(
          'node_pool',
          'karpenter.sh/v1beta1',
          'NodePool',
          'default',
          '      labels:\n        team: a\n',
        ),
      },
      errors: [{ messageId: 'renamed', object: 'kubectl_manifest.node_pool' }],
    },
    {
      name: 'a kubectl_manifest renamed whose object name is an expression: the kind is the same, still paired',
      before: { 'main.tf': karpenter('a', 'karpenter.sh/v1beta1', 'NodePool', '${var.name}') },
      after: { 'main.tf': karpenter('b', 'karpenter.sh/v1beta1', 'NodePool', 'default') },
      errors: [{ messageId: 'renamed', object: 'kubectl_manifest.b' }],
    },
    {
      name: 'a policy attachment renamed: the pair (role, policy) is recreated exactly, fully reversible (info)',
      before: { 'main.tf': attach('demo') },
      after: { 'main.tf': attach('cluster') },
      errors: [
        {
          messageId: 'recreatedLink',
          class: 'fully-reversible',
          severity: 'info',
          object: 'aws_iam_role_policy_attachment.cluster',
          message:
            /aws_iam_role_policy_attachment\.demo is removed and aws_iam_role_policy_attachment\.cluster added with no moved block.*a policy attachment is the pair \(role, policy ARN\).*moved \{ from = aws_iam_role_policy_attachment\.demo  to = aws_iam_role_policy_attachment\.cluster \}/,
        },
      ],
    },
    {
      name: 'two policy attachments for one removed: still recreated exactly, whichever it is',
      before: { 'main.tf': attach('demo') },
      after: { 'main.tf': `${attach('a')}${attach('b')}` },
      errors: [
        {
          messageId: 'recreatedLink',
          class: 'fully-reversible',
          severity: 'info',
          message:
            /is removed and 2 aws_iam_role_policy_attachment resources are added .*moved \{ from = aws_iam_role_policy_attachment\.demo  to = <its address> \}/,
        },
      ],
    },
    {
      name: 'a lifecycle hook from for_each to count: re-keyed, recreated exactly (info)',
      before: { 'main.tf': hook('for_each = var.groups') },
      after: { 'main.tf': hook('count = 1') },
      errors: [
        {
          messageId: 'recreatedLink',
          class: 'fully-reversible',
          severity: 'info',
          message:
            /aws_autoscaling_lifecycle_hook\.nth changes from for_each to count: its instances get new addresses with no moved block/,
        },
      ],
    },
    {
      name: 'a role renamed keeps its identity (ARN, unique id, trust): still manual repair',
      before: { 'main.tf': role('demo') },
      after: { 'main.tf': role('cluster') },
      errors: [{ messageId: 'renamed', class: 'reversible-with-manual-repair', severity: 'warning' }],
    },
    {
      name: 'a rename whose expressions and tags change is still a rename',
      before: {
        'main.tf':
          'resource "aws_security_group" "api" {\n  name = "api"\n  vpc_id = var.vpc\n  tags = { a = "1" }\n}\n',
      },
      after: {
        'main.tf':
          'resource "aws_security_group" "web" {\n  name = "api"\n  vpc_id = local.vpc\n  tags = { a = "2" }\n}\n',
      },
      errors: [{ messageId: 'renamed', object: 'aws_security_group.web' }],
    },
    {
      name: 'a data-bearing rename that also edits an argument stays a rename (the data must not be lost)',
      before: { 'main.tf': db('orders', '\n  instance_class = "db.t3.micro"') },
      after: { 'main.tf': db('main', '\n  instance_class = "db.t3.small"') },
      errors: [{ messageId: 'renamedData', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'aws_security_group.api moved into module.api_security without a moved block (the issue’s example)',
      before: { 'infra/main.tf': sg('api') },
      after: {
        'infra/main.tf': 'module "api_security" {\n  source = "./modules/security"\n}\n',
        'infra/modules/security/main.tf': sg('this'),
      },
      errors: [
        {
          messageId: 'renamed',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'infra/modules/security/main.tf',
          line: 1,
          object: 'module.api_security.aws_security_group.this',
          message:
            'aws_security_group.api is removed and module.api_security.aws_security_group.this added with no moved block: Terraform destroys aws_security_group.api and creates module.api_security.aws_security_group.this. If they are the same object, add: moved { from = aws_security_group.api  to = module.api_security.aws_security_group.this }',
        },
      ],
    },
    {
      name: 'a database renamed at the root of the repository',
      before: { 'main.tf': db('main') },
      after: { 'main.tf': `# orders\n${db('orders')}` },
      errors: [
        {
          messageId: 'renamedData',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 2,
          message:
            /destroys aws_db_instance\.main, an RDS database instance: its storage is the data, and creates an empty aws_db_instance\.orders.*moved \{ from = aws_db_instance\.main  to = aws_db_instance\.orders \}/,
        },
      ],
    },
    {
      name: 'two candidates: which one is unknown',
      before: { 'main.tf': sg('api') },
      after: { 'main.tf': `${sg('a')}${sg('b')}` },
      errors: [
        {
          messageId: 'ambiguous',
          message:
            /aws_security_group\.api is removed and 2 aws_security_group resources are added \(aws_security_group\.a, aws_security_group\.b\)/,
        },
      ],
    },
    {
      name: 'a local module renamed: one finding for the module, with its moved block',
      before: { 'main.tf': 'module "db" {\n  source = "./modules/db"\n}\n', 'modules/db/main.tf': db('this') },
      after: { 'main.tf': 'module "database" {\n  source = "./modules/db"\n}\n', 'modules/db/main.tf': db('this') },
      errors: [
        {
          messageId: 'moduleRenamedData',
          class: 'non-recoverable-without-restore',
          line: 1,
          file: 'main.tf',
          message:
            /module\.db is removed and module\.database added.*\(module\.db\.aws_db_instance\.this\)\. Add: moved \{ from = module\.db  to = module\.database \}/,
        },
      ],
    },
    {
      name: 'a remote module renamed: contents unknown, not assessed and held at manual repair; its credentials redacted',
      before: {
        'main.tf': 'module "vpc" {\n  source  = "git::https://bob:hunter2@example.com/vpc.git?ref=v1.0.0"\n}\n',
      },
      after: {
        'main.tf': 'module "network" {\n  source  = "git::https://bob:hunter2@example.com/vpc.git?ref=v1.0.0"\n}\n',
      },
      errors: [
        {
          messageId: 'moduleRenamedUnknown',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: /\(git::https:\/\/\*\*\*@example\.com\/vpc\.git\?ref=v1\.0\.0\).*was not assessed/,
        },
      ],
    },
    {
      name: 'a registry IAM role module renamed: no data, not assessed, manual repair (not non-recoverable)',
      before: {
        'main.tf':
          'module "node_term_role" {\n  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"\n  version = "4.1.0"\n}\n',
      },
      after: {
        'main.tf':
          'module "handler_role" {\n  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"\n  version = "4.1.0"\n}\n',
      },
      errors: [
        {
          messageId: 'moduleRenamedUnknown',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 1,
          message: /module\.node_term_role is removed and module\.handler_role added/,
        },
      ],
    },
    {
      name: 'an SQS module renamed whose queue keeps messages 300 s: events in flight, manual repair',
      before: { 'main.tf': 'module "node_term_sqs" {\n  source                    = "terraform-aws-modules/sqs/aws"\n  version                   = "~> 3.0.0"\n  message_retention_seconds = 300\n}\n' },
      after: { 'main.tf': 'module "handler_sqs" {\n  source                    = "terraform-aws-modules/sqs/aws"\n  version                   = "~> 3.0.0"\n  message_retention_seconds = 300\n}\n' },
      errors: [
        {
          messageId: 'moduleRenamedTransient',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message:
            /module\.node_term_sqs is removed and module\.handler_sqs added.*keeps a message 300 seconds at most.*moved \{ from = module\.node_term_sqs  to = module\.handler_sqs \}/,
        },
      ],
    },
    {
      name: 'an SQS module renamed with a retention of 4 days: its messages are data',
      before: { 'main.tf': 'module "jobs" {\n  source                    = "terraform-aws-modules/sqs/aws"\n  version                   = "~> 3.0.0"\n  message_retention_seconds = 345600\n}\n' },
      after: { 'main.tf': 'module "work" {\n  source                    = "terraform-aws-modules/sqs/aws"\n  version                   = "~> 3.0.0"\n  message_retention_seconds = 345600\n}\n' },
      errors: [
        { messageId: 'moduleRenamedData', class: 'non-recoverable-without-restore', message: /an SQS queue and the messages in it/ },
      ],
    },
    {
      name: 'a well-known data-bearing registry module renamed: its data goes with it',
      before: { 'main.tf': 'module "db" {\n  source  = "terraform-aws-modules/rds/aws"\n  version = "6.1.0"\n}\n' },
      after: { 'main.tf': 'module "database" {\n  source  = "terraform-aws-modules/rds/aws"\n  version = "6.1.0"\n}\n' },
      errors: [
        {
          messageId: 'moduleRenamedData',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          message: /terraform-aws-modules\/rds\/aws: an RDS database instance: its storage is the data.*moved \{ from = module\.db  to = module\.database \}/,
        },
      ],
    },
    {
      name: 'for_each added: instances re-keyed',
      before: { 'main.tf': db('main') },
      after: { 'main.tf': db('main', '\n  for_each = toset(["a"])') },
      errors: [
        {
          messageId: 'repetitionChangedData',
          class: 'non-recoverable-without-restore',
          message:
            /changes from a single instance to for_each.*moved \{ from = aws_db_instance\.main  to = aws_db_instance\.main\["<key>"\] \}/,
        },
      ],
    },
    {
      name: 'count to for_each',
      before: { 'main.tf': sg('api').replace('name ', 'count = 2\n  name ') },
      after: { 'main.tf': sg('api').replace('name ', 'for_each = var.sgs\n  name ') },
      errors: [
        {
          messageId: 'repetitionChanged',
          message: /moved \{ from = aws_security_group\.api\[<index>\]  to = aws_security_group\.api\["<key>"\] \}/,
        },
      ],
    },
    {
      name: 'a moved block removed while it may not be applied everywhere',
      before: { 'main.tf': `${sg('b')}moved {\n  from = aws_security_group.a\n  to   = aws_security_group.b\n}\n` },
      after: { 'main.tf': sg('b') },
      errors: [
        {
          messageId: 'movedRemoved',
          severity: 'warning',
          line: 5,
          message:
            'the moved block aws_security_group.a -> aws_security_group.b is removed: a workspace that has not applied it yet will destroy aws_security_group.a and create aws_security_group.b',
        },
      ],
    },
    {
      name: 'a module whose source moves, without ./ (Terraform 0.11), to a directory whose code renames a database: both codes are read',
      before: {
        'main.tf': 'module "orders" {\n  source = "modules/orders/"\n}\n',
        'modules/orders/main.tf': db('main'),
      },
      after: {
        'main.tf': 'module "orders" {\n  source = "./modules/store"\n}\n',
        'modules/store/main.tf': db('orders'),
      },
      errors: [
        {
          messageId: 'renamedData',
          file: 'modules/store/main.tf',
          object: 'module.orders.aws_db_instance.orders',
          message: /destroys module\.orders\.aws_db_instance\.main, an RDS database instance/,
        },
      ],
    },
    {
      name: 'OpenTofu: x.tofu replaces x.tf',
      before: { 'main.tf': sg('api') },
      after: { 'main.tf': sg('api'), 'main.tofu': sg('web') },
      errors: [
        {
          messageId: 'renamed',
          file: 'main.tofu',
          message: /aws_security_group\.api is removed and aws_security_group\.web added/,
        },
      ],
    },
    {
      name: 'an instance profile moved into a module under the same name: one object, the moved block is suggested',
      before: PROFILE_ROOT,
      after: profileModule('name = "KarpenterNodeInstanceProfile-${var.cluster_name}"'),
      errors: [{ messageId: 'renamed', object: 'module.karpenter.aws_iam_instance_profile.this' }],
    },
    {
      name: 'an instance profile whose name the configuration cannot tell (a conditional on a root variable): still paired',
      before: PROFILE_ROOT,
      after: {
        ...profileModule('name = var.use_prefix ? null : "x"\n  name_prefix = var.use_prefix ? "Karpenter-" : null'),
        'modules/karpenter/variables.tf': 'variable "use_prefix" {}\n',
      },
      errors: [{ messageId: 'renamed', object: 'module.karpenter.aws_iam_instance_profile.this' }],
    },
    {
      name: 'a local_file renamed into a module: the file is written again from its configuration (info)',
      before: { 'main.tf': localFile('local_file', 'kubeconfig') },
      after: {
        'main.tf': 'module "eks" {\n  source = "./modules/eks"\n}\n',
        'modules/eks/main.tf': localFile('local_file', 'kubeconfig'),
      },
      errors: [
        {
          messageId: 'recreatedLink',
          class: 'fully-reversible',
          severity: 'info',
          object: 'module.eks.local_file.kubeconfig',
          message:
            /local_file\.kubeconfig is removed and module\.eks\.local_file\.kubeconfig added .*a local_file is a file written from its configuration on the machine that runs Terraform/,
        },
      ],
    },
    {
      name: 'a local_sensitive_file from count to for_each: re-keyed, written again alike (info)',
      before: { 'main.tf': localFile('local_sensitive_file', 'kubeconfig', 'count = 1') },
      after: { 'main.tf': localFile('local_sensitive_file', 'kubeconfig', 'for_each = toset(["demo"])') },
      errors: [{ messageId: 'recreatedLink', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: 'a random_id renamed is created again with a new value: still manual repair',
      before: { 'main.tf': 'resource "random_id" "suffix" {\n  byte_length = 4\n}\n' },
      after: { 'main.tf': 'resource "random_id" "name_suffix" {\n  byte_length = 4\n}\n' },
      errors: [{ messageId: 'renamed', class: 'reversible-with-manual-repair', severity: 'warning' }],
    },
    {
      name: 'a tls_private_key renamed is a new key: still manual repair',
      before: { 'main.tf': 'resource "tls_private_key" "ssh" {\n  algorithm = "RSA"\n}\n' },
      after: { 'main.tf': 'resource "tls_private_key" "nodes" {\n  algorithm = "RSA"\n}\n' },
      errors: [{ messageId: 'renamed', class: 'reversible-with-manual-repair', severity: 'warning' }],
    },
  ],
});
