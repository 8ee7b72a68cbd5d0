import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './resource-removed.js';

const bucket =
  'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n';
const instance = 'resource "aws_instance" "web" {\n  ami = "ami-1"\n}\n';

/** The module of the repository's root, called by an example that moves to the registry release. */
const ROOT_MODULE = {
  'main.tf':
    'resource "aws_cloudwatch_log_group" "this" {\n  name = "/aws/eks/x"\n}\n\nresource "aws_kms_key" "this" {\n  description = "EKS secrets"\n}\n',
  'migrations.tf': 'moved {\n  from = aws_kms_key.old\n  to   = aws_kms_key.this\n}\n',
};
const exampleCall = (source: string, version?: string) =>
  `module "eks" {\n  source = "${source}"\n${version ? `  version = "${version}"\n` : ''}\n  cluster_name = "example"\n}\n`;

const rule_ = (name: string) =>
  `resource "aws_security_group_rule" "${name}" {\n  type              = "ingress"\n  from_port         = 443\n  to_port           = 443\n  protocol          = "tcp"\n  security_group_id = "sg-1"\n  cidr_blocks       = ["10.0.0.0/8"]\n}\n`;

/** A kubectl_manifest holding `yaml` inline, as a `<<-YAML` heredoc. */
const manifest = (name: string, yaml: string, extra = '') =>
  `resource "kubectl_manifest" "${name}" {\n${extra}  yaml_body = <<-YAML\n${yaml
    .split('\n')
    .filter(Boolean)
    .map((l) => `    ${l}`)
    .join('\n')}\n  YAML\n}\n`;
const inflate =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: inflate\nspec:\n  replicas: 0\n  template:\n    spec:\n      containers:\n        - name: inflate\n          image: public.ecr.aws/eks-distro/kubernetes/pause:3.7\n';
/** A module gated on `create_eks`, as terraform-aws-eks 17.x was. */
const CREATE_EKS_MODULE =
  'variable "create_eks" {\n  type    = bool\n  default = true\n}\n\nresource "aws_eks_cluster" "this" {\n  count    = var.create_eks ? 1 : 0\n  name     = "x"\n  role_arn = "arn:aws:iam::111122223333:role/eks"\n}\n\nresource "aws_cloudwatch_log_group" "this" {\n  count = var.create_eks ? 1 : 0\n  name  = "/aws/eks/x/cluster"\n}\n';

/** The exclusive attachment of the SSM policy to the worker role, as terraform-aws-eks' bottlerocket example had it. */
const exclusive = (lists = 'roles      = [module.eks.worker_iam_role_name]') =>
  `resource "aws_iam_policy_attachment" "ssm" {\n  name       = "ssm"\n  ${lists}\n  policy_arn = data.aws_iam_policy.ssm.arn\n}\n`;
const perRole = (role = 'module.eks.worker_iam_role_name', policy = 'data.aws_iam_policy.ssm.arn') =>
  `resource "aws_iam_role_policy_attachment" "ssm" {\n  role       = ${role}\n  policy_arn = ${policy}\n}\n`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'a security-group rule moved with its moved block',
      before: { 'main.tf': rule_('https') },
      after: {
        'main.tf': `${rule_('ingress_https')}moved {\n  from = aws_security_group_rule.https\n  to   = aws_security_group_rule.ingress_https\n}\n`,
      },
    },
    {
      name: "a child module's directory deleted with the call that uses it switched to another local module: not a root left unmanaged",
      before: {
        'main.tf': 'module "fargate" {\n  source = "./modules/fargate"\n}\n',
        'modules/fargate/main.tf': 'resource "aws_launch_template" "workers" {\n  name = "w"\n}\n',
      },
      after: {
        'main.tf': 'module "fargate_profile" {\n  source = "./modules/fargate-profile"\n}\n',
        'modules/fargate-profile/main.tf': 'resource "aws_launch_template" "workers" {\n  name = "w"\n}\n',
      },
    },
    {
      name: 'a local module that moves to the registry keeps its address: nothing is removed',
      before: { 'examples/complete/main.tf': exampleCall('../..') },
      after: { 'examples/complete/main.tf': exampleCall('terraform-aws-modules/eks/aws', '~> 21.0') },
      unchanged: ROOT_MODULE,
    },
    {
      name: 'a resource whose count is off by default removed: no instance existed',
      before: {
        'main.tf':
          'variable "create_slr" {\n  type    = bool\n  default = false\n}\n\nresource "aws_iam_service_linked_role" "elb" {\n  count            = var.create_slr ? 1 : 0\n  aws_service_name = "elasticloadbalancing.amazonaws.com"\n}\n',
      },
      after: { 'main.tf': '' },
    },
    {
      name: 'Terraform 0.11: count = "${var.flag}" with a default false removed: no instance existed',
      before: {
        'main.tf':
          'variable "create_slr" {\n  default = false\n}\n\nresource "aws_iam_service_linked_role" "elb" {\n  count            = "${var.create_slr}"\n  aws_service_name = "elasticloadbalancing.amazonaws.com"\n}\n',
      },
      after: { 'main.tf': '' },
    },
    {
      name: 'a module instance disabled by its call (create = false) whose inner count this evaluator cannot follow: the call decides, nothing existed',
      before: {
        'main.tf': 'module "disabled" {\n  source = "./mod"\n  create = false\n}\n',
        'mod/main.tf':
          'variable "create" {\n  default = true\n}\nvariable "groups" {\n  default = { a = {} }\n}\nmodule "group" {\n  source   = "./group"\n  for_each = { for k, v in var.groups : k => v if var.create }\n  create   = try(each.value.create, true)\n}\n',
        'mod/group/main.tf':
          'variable "create" {\n  default = true\n}\nresource "aws_security_group" "this" {\n  count = var.create ? 1 : 0\n  name  = "g"\n}\n',
      },
      after: {
        'main.tf': '# kept for the examples\nmodule "disabled" {\n  source = "./mod"\n  create = false\n}\n',
        'mod/main.tf':
          'variable "create" {\n  default = true\n}\nvariable "groups" {\n  default = { a = {} }\n}\nmodule "group" {\n  source   = "./group"\n  for_each = { for k, v in var.groups : k => v if var.create }\n  create   = try(each.value.create, true)\n}\n',
        'mod/group/main.tf': 'variable "create" {\n  default = true\n}\n',
      },
    },
    { name: 'nothing removed', before: { 'main.tf': instance }, after: { 'main.tf': `${instance}\n` } },
    {
      name: 'moved, not removed',
      before: { 'main.tf': instance },
      after: {
        'main.tf': `${instance.replace('"web"', '"app"')}moved {\n  from = aws_instance.web\n  to = aws_instance.app\n}\n`,
      },
    },
    { name: 'a data source removed', before: { 'main.tf': 'data "aws_ami" "x" {}\n' }, after: { 'main.tf': '' } },
    {
      name: 'a rename without moved block is moved-block-missing’s',
      before: { 'main.tf': instance },
      after: { 'main.tf': instance.replace('"web"', '"app"') },
    },
    {
      name: 'a file that does not parse is not a deletion',
      before: { 'main.tf': instance },
      after: { 'main.tf': 'resource "aws_instance" "web" {\n  ami = \n}\n' },
    },
  ],
  invalid: [
    {
      name: 'an exclusive aws_iam_policy_attachment replaced by aws_iam_role_policy_attachment of the same role and policy: fully reversible, a warning for the detach racing the attach',
      before: { 'main.tf': exclusive() },
      after: { 'main.tf': perRole() },
      errors: [
        {
          messageId: 'destroyedExclusiveReplaced',
          class: 'fully-reversible',
          severity: 'warning',
          object: 'aws_iam_policy_attachment.ssm',
        },
      ],
    },
    {
      name: 'an exclusive attachment of a role and a user replaced by a per-role and a per-user attachment',
      before: { 'main.tf': exclusive('roles      = [aws_iam_role.a.name]\n  users      = ["deploy"]') },
      after: {
        'main.tf': `${perRole('aws_iam_role.a.name')}resource "aws_iam_user_policy_attachment" "deploy" {\n  user       = "deploy"\n  policy_arn = data.aws_iam_policy.ssm.arn\n}\n`,
      },
      errors: [{ messageId: 'destroyedExclusiveReplaced', class: 'fully-reversible' }],
    },
    {
      name: 'an exclusive attachment replaced by a per-role attachment of another policy: the old policy is detached, manual repair as before',
      before: { 'main.tf': exclusive() },
      after: { 'main.tf': perRole(undefined, '"arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"') },
      errors: [{ messageId: 'destroyed', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'an exclusive attachment of two roles replaced by a per-role attachment of one: the other loses the policy',
      before: { 'main.tf': exclusive('roles      = [module.eks.worker_iam_role_name, aws_iam_role.b.name]') },
      after: { 'main.tf': perRole() },
      errors: [{ messageId: 'destroyed', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'an exclusive attachment whose roles are an expression: the entities are not known, manual repair as before',
      before: { 'main.tf': exclusive('roles      = var.roles') },
      after: { 'main.tf': perRole('var.roles[0]') },
      errors: [{ messageId: 'destroyed', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'a security group removed with the launch template that uses it, held nowhere else: the revert re-creates both and re-wires (info)',
      before: {
        'main.tf':
          'resource "aws_security_group" "nodes" {\n  name_prefix = "nodes-"\n  vpc_id      = "vpc-1"\n}\nresource "aws_launch_template" "nodes" {\n  name_prefix            = "nodes-"\n  vpc_security_group_ids = [aws_security_group.nodes.id]\n}\n',
      },
      after: { 'main.tf': '# the node group uses the cluster security group now\n' },
      errors: [
        {
          messageId: 'destroyedRewired',
          class: 'fully-reversible',
          severity: 'info',
          object: 'aws_security_group.nodes',
          message:
            'aws_security_group.nodes is removed from the configuration: Terraform destroys it; a security group is known by the id EC2 generates, and what holds it is in this configuration (aws_launch_template.nodes), which no root output hands out: the apply of a revert creates it again and re-points them at it',
        },
        { messageId: 'destroyedLink', object: 'aws_launch_template.nodes' },
      ],
    },
    {
      name: 'a Deployment held by a kubectl_manifest removed: Kubernetes knows it by kind, namespace and name, and the revert creates it again as it was (info)',
      before: { 'examples/karpenter/main.tf': manifest('karpenter_example_deployment', inflate) },
      after: { 'examples/karpenter/main.tf': '' },
      errors: [
        {
          messageId: 'destroyedKubeObject',
          class: 'fully-reversible',
          severity: 'info',
          line: 1,
          object: 'kubectl_manifest.karpenter_example_deployment',
          message:
            'kubectl_manifest.karpenter_example_deployment is removed from the configuration: Terraform deletes Deployment inflate from the cluster; a Deployment holds nothing its configuration does not say (its pods are created anew), and a Kubernetes object is known by its kind, namespace and name, not by an id the cluster hands out: the apply of a revert creates it again under the same name',
        },
      ],
    },
    {
      name: 'a Namespace, a CustomResourceDefinition, a claim (kubernetes_manifest) and a StatefulSet whose claims go with it: data only a backup brings back',
      before: {
        'main.tf':
          manifest('ns', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n') +
          manifest(
            'crd',
            'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n',
          ) +
          'resource "kubernetes_manifest" "claim" {\n  manifest = {\n    apiVersion = "v1"\n    kind       = "PersistentVolumeClaim"\n    metadata   = { name = "data", namespace = "shop" }\n  }\n}\n' +
          'resource "kubernetes_stateful_set_v1" "db" {\n  metadata {\n    name = "db"\n  }\n  spec {\n    persistent_volume_claim_retention_policy {\n      when_deleted = "Delete"\n    }\n  }\n}\n',
      },
      after: { 'main.tf': '' },
      errors: [
        {
          messageId: 'destroyedData',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          object: 'kubectl_manifest.ns',
          message: /Terraform destroys it, a Namespace: Kubernetes deletes every object in it/,
        },
        { messageId: 'destroyedData', object: 'kubectl_manifest.crd', message: /every custom resource of its kind/ },
        { messageId: 'destroyedData', object: 'kubernetes_manifest.claim', message: /a PersistentVolumeClaim/ },
        { messageId: 'destroyedData', object: 'kubernetes_stateful_set_v1.db', message: /whenDeleted: Delete/ },
      ],
    },
    {
      name: 'what the cluster holds beyond the configuration: a LoadBalancer address, a service-account token, a Secret given no data (manual repair); a Secret with its data and a StatefulSet keeping its claims (info)',
      before: {
        'main.tf':
          'resource "kubernetes_service_v1" "lb" {\n  metadata {\n    name = "web"\n  }\n  spec {\n    type = "LoadBalancer"\n  }\n}\n' +
          'resource "kubernetes_secret_v1" "token" {\n  metadata {\n    name = "ci-token"\n  }\n  type = "kubernetes.io/service-account-token"\n}\n' +
          manifest('filled', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: filled\n') +
          'resource "kubernetes_secret" "creds" {\n  metadata {\n    name = "creds"\n  }\n  data = {\n    user = "app"\n  }\n}\n' +
          'resource "kubernetes_stateful_set" "db" {\n  metadata {\n    name = "db"\n  }\n}\n',
      },
      after: { 'main.tf': '' },
      errors: [
        {
          messageId: 'destroyedKubeRepair',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          object: 'kubernetes_service_v1.lb',
          message:
            /Terraform deletes Service web from the cluster, a LoadBalancer Service: its cloud load balancer and external address are released/,
        },
        { messageId: 'destroyedKubeRepair', object: 'kubernetes_secret_v1.token', message: /service-account token/ },
        { messageId: 'destroyedKubeRepair', object: 'kubectl_manifest.filled', message: /gives no data/ },
        { messageId: 'destroyedKubeObject', class: 'fully-reversible', object: 'kubernetes_secret.creds' },
        {
          messageId: 'destroyedKubeObject',
          class: 'fully-reversible',
          object: 'kubernetes_stateful_set.db',
          message: /binds them again by name/,
        },
      ],
    },
    {
      name: 'a custom resource (a Karpenter NodePool) stays a warning: its controller acts on the deletion',
      before: {
        'main.tf': manifest(
          'karpenter_node_pool',
          'apiVersion: karpenter.sh/v1beta1\nkind: NodePool\nmetadata:\n  name: default\n',
        ),
      },
      after: { 'main.tf': '' },
      errors: [
        {
          messageId: 'destroyedCustomResource',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message:
            /Terraform deletes NodePool default from the cluster, a custom resource: its controller acts on the deletion/,
        },
      ],
    },
    {
      name: 'apply_only = true never deletes; a label patch is taken off and written back (info); a yaml_body read from a file is not read (the warning)',
      before: {
        'main.tf':
          manifest('kept', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: keep\n', '  apply_only = true\n') +
          'resource "kubernetes_labels" "team" {\n  api_version = "v1"\n  kind        = "Namespace"\n  metadata {\n    name = "keep"\n  }\n  labels = {\n    team = "a"\n  }\n}\n' +
          'resource "kubectl_manifest" "from_file" {\n  yaml_body = file("${path.module}/x.yaml")\n}\n',
      },
      after: { 'main.tf': '' },
      errors: [
        {
          messageId: 'destroyedKubeKept',
          class: 'fully-reversible',
          severity: 'info',
          message: /apply_only = true never deletes its object, so Namespace keep stays in the cluster/,
        },
        {
          messageId: 'destroyedKubePatch',
          class: 'fully-reversible',
          severity: 'info',
          message: /takes the labels it wrote off/,
        },
        { messageId: 'destroyed', class: 'reversible-with-manual-repair', object: 'kubectl_manifest.from_file' },
      ],
    },
    {
      name: 'a security group passed to a module as an element of a for_each map, and held there by a launch template (info)',
      before: {
        'main.tf':
          'resource "aws_security_group" "extra" {\n  vpc_id = "vpc-1"\n}\nmodule "groups" {\n  source = "./groups"\n  groups = { a = { security_group_ids = [aws_security_group.extra.id], size = 2 } }\n}\n',
        'groups/main.tf':
          'variable "groups" {\n  default = {}\n}\nmodule "group" {\n  source   = "./group"\n  for_each = var.groups\n  ids      = try(each.value.security_group_ids, [])\n  size     = each.value.size\n}\n',
        'groups/group/main.tf':
          'variable "ids" {}\nvariable "size" {}\nresource "aws_launch_template" "this" {\n  vpc_security_group_ids = var.ids\n}\nresource "aws_autoscaling_group" "this" {\n  max_size = var.size\n}\noutput "size" {\n  value = var.size\n}\n',
      },
      after: {
        'main.tf': 'module "groups" {\n  source = "./groups"\n  groups = { a = { size = 2 } }\n}\n',
      },
      unchanged: {},
      errors: [
        {
          messageId: 'destroyedRewired',
          object: 'aws_security_group.extra',
          message:
            /what holds it is in this configuration \(module\.groups\.module\.group\.aws_launch_template\.this\)/,
        },
      ],
    },
    {
      name: 'a security group whose id a root output hands out: another configuration may hold it (the warning stays)',
      before: {
        'main.tf':
          'resource "aws_security_group" "shared" {\n  vpc_id = "vpc-1"\n}\nlocals {\n  sg = aws_security_group.shared.id\n}\noutput "shared_security_group_id" {\n  value = local.sg\n}\n',
      },
      after: { 'main.tf': '# gone\n' },
      errors: [
        {
          messageId: 'destroyed',
          class: 'reversible-with-manual-repair',
          object: 'aws_security_group.shared',
          message:
            'aws_security_group.shared is removed from the configuration: Terraform destroys it, and a revert creates a new object (new id, references to update); output.shared_security_group_id hands its identity out of this configuration, and what reads it there is not re-pointed by a revert',
        },
      ],
    },
    {
      name: "a module's security group whose output the root re-exports (module.x.out): the warning stays; one read only inside is info",
      before: {
        'main.tf':
          'module "net" {\n  source = "./net"\n}\noutput "api_sg" {\n  value = module.net.api_id\n}\noutput "sizes" {\n  value = [for n in module.net : n.other]\n}\n',
        'net/main.tf':
          'resource "aws_security_group" "api" {\n  vpc_id = "vpc-1"\n}\nresource "aws_security_group" "db" {\n  vpc_id = "vpc-1"\n}\noutput "api_id" {\n  value = aws_security_group.api.id\n}\noutput "db_id" {\n  value = aws_security_group.db.id\n}\noutput "other" {\n  value = 1\n}\n',
      },
      after: {
        'main.tf':
          'module "net" {\n  source = "./net"\n}\noutput "sizes" {\n  value = [for n in module.net : n.other]\n}\n',
        'net/main.tf': 'output "other" {\n  value = 1\n}\n',
      },
      errors: [
        {
          messageId: 'destroyed',
          object: 'module.net.aws_security_group.api',
          message: /output\.api_sg hands its identity out/,
        },
        {
          messageId: 'destroyedRewired',
          object: 'module.net.aws_security_group.db',
          message: /\(nothing refers to it\)/,
        },
      ],
    },
    {
      name: 'an IAM role with a generated name (name_prefix) removed with the cluster that assumes it: info; one with a fixed name keeps the warning',
      before: {
        'main.tf':
          'variable "role_name" {\n  default = ""\n}\nresource "aws_iam_role" "cluster" {\n  name_prefix = "eks-"\n  name        = var.role_name != "" ? var.role_name : null\n}\nresource "aws_iam_role" "named" {\n  name = "ci-deployer"\n}\nresource "aws_eks_cluster" "this" {\n  name     = "c"\n  role_arn = aws_iam_role.cluster.arn\n}\n',
      },
      after: { 'main.tf': 'variable "role_name" {\n  default = ""\n}\n' },
      errors: [
        { messageId: 'destroyedRewired', object: 'aws_iam_role.cluster', message: /\(aws_eks_cluster\.this\)/ },
        {
          messageId: 'destroyed',
          object: 'aws_iam_role.named',
          message:
            /gets a new unique id, and trust or resource policies outside this configuration that name it no longer apply to it/,
        },
        { messageId: 'destroyedData', object: 'aws_eks_cluster.this' },
      ],
    },
    {
      name: 'a key pair removed: EC2 keeps only the public key under its name (info)',
      before: {
        'main.tf': 'resource "aws_key_pair" "ops" {\n  key_name   = "ops"\n  public_key = "ssh-ed25519 AAAA"\n}\n',
      },
      after: { 'main.tf': '' },
      errors: [
        { messageId: 'destroyedRewired', class: 'fully-reversible', severity: 'info', object: 'aws_key_pair.ops' },
      ],
    },
    {
      name: 'an aws-auth ConfigMap removed with its cluster goes with the cluster (info); one removed from a cluster that stays is created again under its name by the revert (info)',
      before: {
        'main.tf':
          'module "old" {\n  source = "./eks"\n}\nresource "kubernetes_config_map" "other" {\n  metadata {\n    name = "x"\n  }\n}\n',
        'eks/main.tf':
          'resource "aws_eks_cluster" "this" {\n  name     = "old"\n  role_arn = "arn:aws:iam::1:role/x"\n}\nresource "kubernetes_config_map" "aws_auth" {\n  metadata {\n    name      = "aws-auth"\n    namespace = "kube-system"\n  }\n}\n',
      },
      after: {
        'main.tf': '',
        'eks/main.tf':
          'resource "aws_eks_cluster" "this" {\n  name     = "old"\n  role_arn = "arn:aws:iam::1:role/x"\n}\nresource "kubernetes_config_map" "aws_auth" {\n  metadata {\n    name      = "aws-auth"\n    namespace = "kube-system"\n  }\n}\n',
      },
      errors: [
        { messageId: 'destroyedData', object: 'module.old.aws_eks_cluster.this' },
        {
          messageId: 'destroyedWithCluster',
          class: 'fully-reversible',
          severity: 'info',
          object: 'module.old.kubernetes_config_map.aws_auth',
          message:
            'module.old.kubernetes_config_map.aws_auth is removed from the configuration with the cluster that holds it (module.old.aws_eks_cluster.this), which the same change destroys: it goes with the cluster, reported there',
        },
        {
          messageId: 'destroyedKubeObject',
          class: 'fully-reversible',
          severity: 'info',
          object: 'kubernetes_config_map.other',
        },
      ],
    },
    {
      name: 'a KMS key removed: AWS schedules its deletion after the window the configuration sets (a variable default), cancellable until then (manual repair, never a backup)',
      before: {
        'main.tf':
          'variable "window" {\n  default = 7\n}\nresource "aws_kms_key" "eks" {\n  description             = "EKS secrets"\n  deletion_window_in_days = var.window\n}\n',
      },
      after: { 'main.tf': 'variable "window" {\n  default = 7\n}\n' },
      errors: [
        {
          messageId: 'destroyedSoftDelete',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          object: 'aws_kms_key.eks',
          message:
            'aws_kms_key.eks is removed from the configuration: Terraform destroys it, a KMS key: everything encrypted with it becomes unreadable once it is gone, and AWS only schedules the deletion (unusable meanwhile): within the 7-day waiting period (deletion_window_in_days) bring it back with `aws kms cancel-key-deletion --key-id <key id> && aws kms enable-key --key-id <key id>`, then import it into state (a plain revert creates a new, different one); after the window everything encrypted with it is unreadable, beyond any backup',
        },
      ],
    },
    {
      name: 'KMS keys with no window written (30 days) and with a window from outside the configuration; a secret deleted at once (recovery window 0) or maybe so',
      before: {
        'main.tf':
          'variable "window" {\n  type = number\n}\nresource "aws_kms_key" "a" {}\nresource "aws_kms_key" "b" {\n  deletion_window_in_days = var.window\n}\nresource "aws_secretsmanager_secret" "now" {\n  name                    = "now"\n  recovery_window_in_days = 0\n}\nresource "aws_secretsmanager_secret" "maybe" {\n  name                    = "maybe"\n  recovery_window_in_days = var.window\n}\nresource "aws_secretsmanager_secret" "soft" {\n  name = "soft"\n}\n',
      },
      after: { 'main.tf': 'variable "window" {\n  type = number\n}\n' },
      errors: [
        { messageId: 'destroyedSoftDelete', object: 'aws_kms_key.a', message: /within the 30-day waiting period/ },
        {
          messageId: 'destroyedSoftDelete',
          object: 'aws_kms_key.b',
          message: /within the waiting period deletion_window_in_days = var\.window sets bring it back/,
        },
        { messageId: 'destroyedData', object: 'aws_secretsmanager_secret.now' },
        { messageId: 'destroyedData', object: 'aws_secretsmanager_secret.maybe' },
        {
          messageId: 'destroyedSoftDelete',
          object: 'aws_secretsmanager_secret.soft',
          message:
            /within the 30-day recovery window \(recovery_window_in_days\) bring it back with `aws secretsmanager restore-secret --secret-id soft`/,
        },
      ],
    },
    {
      name: 'a role policy attachment removed: the revert attaches the same pair again (info)',
      before: {
        'workers.tf':
          'resource "aws_iam_role" "workers" {\n  name = "workers"\n}\nresource "aws_iam_role_policy_attachment" "workers_AmazonEKSworkersNodePolicy" {\n  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSworkersNodePolicy"\n  role       = aws_iam_role.workers.name\n}\n',
      },
      after: { 'workers.tf': 'resource "aws_iam_role" "workers" {\n  name = "workers"\n}\n' },
      errors: [
        {
          messageId: 'destroyedLink',
          class: 'fully-reversible',
          severity: 'info',
          line: 4,
          object: 'aws_iam_role_policy_attachment.workers_AmazonEKSworkersNodePolicy',
        },
      ],
    },
    {
      name: 'a security-group rule removed: its effect goes, and the revert recreates the same tuple (info)',
      before: { 'main.tf': `${instance}${rule_('https')}` },
      after: { 'main.tf': instance },
      errors: [
        {
          messageId: 'destroyedLink',
          class: 'fully-reversible',
          severity: 'info',
          object: 'aws_security_group_rule.https',
          message:
            'aws_security_group_rule.https is removed from the configuration: Terraform destroys it, and its effect goes with it; a security-group rule is its tuple (group, direction, protocol, ports, source), with no data and no identity anything else keeps, so a revert creates one exactly like it',
        },
      ],
    },
    {
      name: 'an IAM policy removed with its only attachment: IAM deletes only a policy attached nowhere, and the revert re-creates both (info)',
      before: {
        'main.tf':
          'resource "aws_iam_role" "cluster" {\n  name = "cluster"\n}\n' +
          'resource "aws_iam_policy" "deny_log_group" {\n  name_prefix = "cluster-deny-log-group"\n  policy = "{}"\n}\n' +
          'resource "aws_iam_role_policy_attachment" "deny_log_group" {\n  role = aws_iam_role.cluster.name\n  policy_arn = aws_iam_policy.deny_log_group.arn\n}\n',
      },
      after: { 'main.tf': 'resource "aws_iam_role" "cluster" {\n  name = "cluster"\n}\n' },
      errors: [
        {
          messageId: 'destroyedLink',
          class: 'fully-reversible',
          severity: 'info',
          object: 'aws_iam_policy.deny_log_group',
          message: /IAM refuses to delete one still attached anywhere/,
        },
        {
          messageId: 'destroyedLink',
          class: 'fully-reversible',
          object: 'aws_iam_role_policy_attachment.deny_log_group',
        },
      ],
    },
    {
      name: 'an Auto Scaling group tag and a launch template removed: the revert writes the same tag and template back (info)',
      before: {
        'main.tf':
          'resource "aws_autoscaling_group_tag" "label" {\n  autoscaling_group_name = "ng-1"\n  tag {\n    key = "k8s.io/cluster-autoscaler/node-template/label/role"\n    value = "web"\n    propagate_at_launch = false\n  }\n}\n' +
          'resource "aws_launch_template" "mixed" {\n  name_prefix = "mixed-"\n  image_id = "ami-12345678"\n}\n',
      },
      after: { 'main.tf': '# nothing left\n' },
      errors: [
        { messageId: 'destroyedLink', class: 'fully-reversible', object: 'aws_autoscaling_group_tag.label' },
        { messageId: 'destroyedLink', class: 'fully-reversible', object: 'aws_launch_template.mixed' },
      ],
    },
    {
      name: 'a module instance switched off by its call (create = false): only the module directory itself, where create defaults to true, reports',
      before: {
        'examples/complete/main.tf': 'module "disabled" {\n  source = "../../mod"\n  create = false\n}\n',
        'mod/main.tf':
          'variable "create" {\n  default = true\n}\nlocals {\n  on = var.create && true\n}\nresource "aws_iam_role" "a" {\n  count = local.on ? 1 : 0\n  name  = "a"\n}\nresource "aws_iam_policy" "b" {\n  for_each = { for k, v in var.policies : k => v if var.create }\n  name     = each.key\n}\nvariable "policies" {\n  default = { x = 1 }\n}\n',
      },
      after: {
        'examples/complete/main.tf': 'module "disabled" {\n  source = "../../mod"\n  create = false\n}\n',
        'mod/main.tf': 'variable "create" {\n  default = true\n}\n',
      },
      errors: [
        { messageId: 'destroyed', object: 'aws_iam_role.a' },
        { messageId: 'destroyedLink', object: 'aws_iam_policy.b' },
      ],
    },
    {
      name: 'a count that depends on a root variable with no default: the instance may exist (the warning stays)',
      before: {
        'main.tf':
          'variable "create" {\n  type = bool\n}\nresource "aws_iam_role" "r" {\n  count = var.create ? 1 : 0\n  name  = "r"\n}\n',
      },
      after: { 'main.tf': 'variable "create" {\n  type = bool\n}\n' },
      errors: [
        {
          messageId: 'destroyed',
          class: 'reversible-with-manual-repair',
          object: 'aws_iam_role.r',
          message:
            'aws_iam_role.r is removed from the configuration: Terraform destroys it, and a revert creates a new object (new id, references to update); its instance count is unknown (count = var.create ? 1 : 0 depends on a value the configuration does not give): if it has no instance, nothing is destroyed; a role created again under the same name gets a new unique id, and trust or resource policies outside this configuration that name it no longer apply to it',
        },
      ],
    },
    {
      name: 'a count on by default: the instance exists (the warning stays)',
      before: {
        'main.tf':
          'variable "create" {\n  default = true\n}\nresource "aws_iam_role" "r" {\n  count = var.create && !false ? 1 : 0\n  name  = "r"\n}\n',
      },
      after: { 'main.tf': 'variable "create" {\n  default = true\n}\n' },
      errors: [{ messageId: 'destroyed', class: 'reversible-with-manual-repair', object: 'aws_iam_role.r' }],
    },
    {
      name: 'the role itself removed: a new role is a new identity (the warning stays)',
      before: { 'workers.tf': 'resource "aws_iam_role" "workers" {\n  name = "workers"\n}\n' },
      after: { 'workers.tf': '' },
      errors: [{ messageId: 'destroyed', class: 'reversible-with-manual-repair', object: 'aws_iam_role.workers' }],
    },
    {
      name: 'a bucket removed: data lost, and prevent_destroy went with its block',
      before: { 'main.tf': `${instance}${bucket}` },
      after: { 'main.tf': instance },
      errors: [
        {
          messageId: 'destroyedData',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 4,
          object: 'aws_s3_bucket.logs',
          message:
            'aws_s3_bucket.logs is removed from the configuration: Terraform destroys it, an S3 bucket and its objects, and only a backup brings the data back. To stop managing it without destroying it: removed { from = aws_s3_bucket.logs  lifecycle { destroy = false } }; its prevent_destroy went with its block and does not stop this',
        },
      ],
    },
    {
      name: 'a stateless resource removed',
      before: { 'main.tf': instance },
      after: { 'main.tf': '' },
      errors: [{ messageId: 'destroyed', class: 'reversible-with-manual-repair', severity: 'warning', line: 1 }],
    },
    {
      name: 'forgotten with a removed block',
      before: { 'main.tf': bucket },
      after: { 'main.tf': 'removed {\n  from = aws_s3_bucket.logs\n  lifecycle {\n    destroy = false\n  }\n}\n' },
      errors: [{ messageId: 'forgotten', class: 'reversible-with-manual-repair', severity: 'warning', line: 1 }],
    },
    {
      name: 'a removed block that destroys',
      before: { 'main.tf': bucket },
      after: {
        'main.tf': '# gone\nremoved {\n  from = aws_s3_bucket.logs\n  lifecycle {\n    destroy = true\n  }\n}\n',
      },
      errors: [{ messageId: 'destroyedData', line: 2, message: /is removed by a removed block that destroys it/ }],
    },
    {
      name: 'a well-known data-bearing registry module removed: its database goes with it',
      before: { 'main.tf': 'module "rds" {\n  source  = "terraform-aws-modules/rds/aws"\n  version = "6.10.0"\n}\n' },
      after: { 'main.tf': '' },
      errors: [
        {
          messageId: 'moduleRemovedData',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          message:
            'module.rds (terraform-aws-modules/rds/aws) is removed from the configuration: everything in it is destroyed, an RDS database instance: its storage is the data, and only a backup brings the data back',
        },
      ],
    },
    {
      name: 'an SQS module removed whose queue keeps messages 300 s (a local): events in flight, not stored data',
      before: {
        'main.tf':
          'locals {\n  retention = 300\n}\n\nmodule "events" {\n  source                    = "terraform-aws-modules/sqs/aws"\n  version                   = "~> 3.0.0"\n  message_retention_seconds = local.retention\n}\n',
      },
      after: { 'main.tf': 'locals {\n  retention = 300\n}\n' },
      errors: [
        {
          messageId: 'moduleRemovedTransient',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 5,
          message: /keeps a message 300 seconds at most \(message_retention_seconds = 300\)/,
        },
      ],
    },
    {
      name: 'an SQS module removed with the default retention (4 days): its messages are data',
      before: { 'main.tf': 'module "jobs" {\n  source  = "terraform-aws-modules/sqs/aws"\n  version = "4.2.0"\n}\n' },
      after: { 'main.tf': '' },
      errors: [
        { messageId: 'moduleRemovedData', class: 'non-recoverable-without-restore', message: /an SQS queue and the messages in it/ },
      ],
    },
    {
      name: 'an SQS module removed with a short retention but a dead-letter queue: the failed messages are kept, data',
      before: {
        'main.tf':
          'module "jobs" {\n  source                    = "terraform-aws-modules/sqs/aws"\n  version                   = "4.2.0"\n  message_retention_seconds = 300\n  create_dlq                = true\n}\n',
      },
      after: { 'main.tf': '' },
      errors: [{ messageId: 'moduleRemovedData', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'an SQS module removed whose retention is a root variable with no default: unknown, data',
      before: {
        'main.tf':
          'variable "retention" {\n  type = number\n}\n\nmodule "jobs" {\n  source                    = "terraform-aws-modules/sqs/aws"\n  version                   = "4.2.0"\n  message_retention_seconds = var.retention\n}\n',
      },
      after: { 'main.tf': 'variable "retention" {\n  type = number\n}\n' },
      errors: [{ messageId: 'moduleRemovedData', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'another registry module removed (an IAM role): not assessed, never data destroyed',
      before: {
        'charts.tf':
          'module "irsa" {\n  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"\n  version = "~> 4.0"\n}\n',
      },
      after: { 'charts.tf': '# moved to the chart\n' },
      errors: [
        {
          messageId: 'moduleRemoved',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message:
            'module.irsa (terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc) is removed from the configuration: the next apply deletes everything in it, and what that is was not assessed (the module is not in this repository); assess the plan before merging (rollwright assess --plan PLAN.json)',
        },
      ],
    },
    {
      name: 'resources with no real object removed (null_resource, terraform_data, time_sleep, random_id, local_file)',
      before: {
        'main.tf':
          'resource "null_resource" "wait_for_cluster" {}\nresource "terraform_data" "t" {}\nresource "time_sleep" "s" {\n  create_duration = "30s"\n}\nresource "random_id" "suffix" {\n  byte_length = 4\n}\nresource "local_file" "kubeconfig" {\n  filename = "kubeconfig"\n}\n',
      },
      after: { 'main.tf': '' },
      errors: [
        {
          messageId: 'destroyedStateOnly',
          class: 'fully-reversible',
          severity: 'info',
          object: 'null_resource.wait_for_cluster',
          message: /a null_resource has no real object outside Terraform state/,
        },
        { messageId: 'destroyedStateOnly', object: 'terraform_data.t' },
        { messageId: 'destroyedStateOnly', object: 'time_sleep.s' },
        { messageId: 'destroyedStateOnly', object: 'random_id.suffix' },
        { messageId: 'destroyedStateOnly', object: 'local_file.kubeconfig' },
      ],
    },
    {
      name: 'a local module removed: its resources, one by one',
      before: { 'main.tf': 'module "q" {\n  source = "./q"\n}\n', 'q/main.tf': 'resource "aws_sqs_queue" "jobs" {}\n' },
      after: { 'main.tf': '', 'q/main.tf': 'resource "aws_sqs_queue" "jobs" {}\n' },
      errors: [
        {
          messageId: 'destroyedData',
          file: 'q/main.tf',
          object: 'module.q.aws_sqs_queue.jobs',
          message: /an SQS queue and the messages in it/,
        },
      ],
    },
    {
      name: "a child module's directory deleted with its call: assessed through the caller (its resources are destroyed there), not as a root",
      before: {
        'main.tf': 'module "queue" {\n  source = "./modules/queue"\n}\n',
        'modules/queue/main.tf': 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n',
      },
      after: { 'main.tf': '# no queue any more\n' },
      errors: [
        { messageId: 'destroyedData', file: 'modules/queue/main.tf', object: 'module.queue.aws_sqs_queue.jobs' },
      ],
    },
    {
      name: 'a root module directory deleted',
      before: { 'stacks/old/main.tf': `${instance}${bucket}` },
      after: {},
      errors: [
        {
          messageId: 'stackRemoved',
          file: 'stacks/old/main.tf',
          message:
            'the module directory stacks/old is deleted with 2 resources: nothing applies it any more, so its objects keep running unmanaged unless a pipeline destroys them first',
        },
      ],
    },
    {
      name: 'a root directory deleted whose resources are all state-only: nothing runs, only its state is left',
      before: {
        'examples/user_data/main.tf':
          'module "a" {\n  source = "./modules/ud"\n}\nmodule "b" {\n  source = "./modules/ud"\n}\nresource "local_file" "out" {\n  filename = "x"\n  content  = "y"\n}\n',
        'examples/user_data/modules/ud/main.tf':
          'resource "null_resource" "validate" {}\nresource "tls_private_key" "k" {\n  algorithm = "ED25519"\n}\ndata "cloudinit_config" "c" {}\n',
      },
      after: {},
      errors: [
        {
          messageId: 'stackRemovedStateOnly',
          class: 'fully-reversible',
          severity: 'info',
          file: 'examples/user_data/main.tf',
          message:
            'the module directory examples/user_data is deleted with 5 resources, all of them only Terraform state (null_resource ×2, tls_private_key ×2, local_file): nothing of it runs outside Terraform, so what is left behind is its state, and a revert plans them again',
        },
      ],
    },
    {
      name: 'a root directory renamed whose resources are state-only but that calls a registry module: its contents are not known, the finding stays',
      before: {
        'examples/a/main.tf':
          'resource "null_resource" "n" {}\nmodule "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n',
      },
      after: {
        'tests/a/main.tf':
          '# moved\nresource "null_resource" "n" {}\nmodule "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n',
      },
      renamed: { 'tests/a/main.tf': 'examples/a/main.tf' },
      errors: [
        { messageId: 'stackRemoved', file: 'examples/a/main.tf', message: /examples\/a is deleted with 1 resources/ },
      ],
    },
    {
      name: 'a root directory renamed with one real resource among state-only ones: its objects keep running unmanaged at the old state',
      before: { 'examples/a/main.tf': `resource "random_id" "r" {\n  byte_length = 4\n}\n${instance}` },
      after: { 'tests/a/main.tf': `resource "random_id" "r" {\n  byte_length = 4\n}\n${instance}` },
      renamed: { 'tests/a/main.tf': 'examples/a/main.tf' },
      errors: [
        {
          messageId: 'stackRemoved',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: /examples\/a is deleted with 2 resources: nothing applies it any more/,
        },
      ],
    },
    {
      name: 'a root directory deleted that only calls registry modules: what they created keeps running',
      before: {
        'envs/old/main.tf':
          'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\nmodule "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "20.0.0"\n}\n',
      },
      after: {},
      errors: [
        {
          messageId: 'stackRemovedModules',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'envs/old/main.tf',
          message:
            'the module directory envs/old is deleted with 2 calls of modules that are not in this repository (module.eks (terraform-aws-modules/eks/aws), module.vpc (terraform-aws-modules/vpc/aws)): nothing applies it any more, so what they created keeps running unmanaged unless a pipeline destroys it first',
        },
      ],
    },
    {
      name: 'an instance profile removed while a module adds one under another name (name_prefix): not a rename, the old one is destroyed',
      before: {
        'main.tf':
          'resource "aws_iam_instance_profile" "karpenter" {\n  name = "KarpenterNodeInstanceProfile-prod"\n  role = "nodes"\n}\n',
      },
      after: {
        'main.tf': 'module "karpenter" {\n  source = "./karpenter"\n}\n',
        'karpenter/main.tf':
          'resource "aws_iam_instance_profile" "this" {\n  name_prefix = "Karpenter-prod-"\n  role        = "nodes"\n}\n',
      },
      errors: [
        {
          messageId: 'destroyed',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          object: 'aws_iam_instance_profile.karpenter',
        },
      ],
    },
    {
      name: 'a deleted example that calls the module with create = false: no resource has an instance (info)',
      before: {
        'examples/create_false/main.tf':
          'provider "aws" {\n  region = "us-west-2"\n}\n\nmodule "eks" {\n  source     = "../.."\n  create_eks = false\n}\n',
      },
      after: {},
      unchanged: { 'main.tf': CREATE_EKS_MODULE },
      errors: [
        {
          messageId: 'stackRemovedNoInstance',
          class: 'fully-reversible',
          severity: 'info',
          file: 'examples/create_false/main.tf',
          message:
            'the module directory examples/create_false is deleted with 2 resources and module calls, none of which has an instance with the inputs it gives (count = var.create_eks ? 1 : 0 is 0): nothing of it exists, so nothing is left running',
        },
      ],
    },
    {
      name: 'a deleted reusable module (no provider, no backend, declares inputs) whose default create_eks is false: a module, not a root',
      before: { 'modules/eks/main.tf': CREATE_EKS_MODULE.replace('default = true', 'default = false') },
      after: {},
      errors: [{ messageId: 'moduleDirRemoved', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: 'a deleted reusable module called by source from elsewhere (required_providers only, inputs and outputs): destroys nothing by itself',
      before: {
        'modules/aws-auth/versions.tf':
          'terraform {\n  required_version = ">= 1.3.2"\n  required_providers {\n    kubernetes = {\n      source  = "hashicorp/kubernetes"\n      version = ">= 2.20"\n    }\n  }\n}\n',
        'modules/aws-auth/variables.tf': 'variable "create" {\n  type    = bool\n  default = true\n}\n',
        'modules/aws-auth/main.tf':
          'resource "kubernetes_config_map_v1_data" "aws_auth" {\n  count = var.create ? 1 : 0\n  metadata {\n    name      = "aws-auth"\n    namespace = "kube-system"\n  }\n  data = {}\n}\n',
        'modules/aws-auth/outputs.tf': 'output "id" {\n  value = "aws-auth"\n}\n',
      },
      after: {},
      errors: [
        {
          messageId: 'moduleDirRemoved',
          class: 'fully-reversible',
          severity: 'info',
          file: 'modules/aws-auth/main.tf',
          message: /modules\/aws-auth is deleted: it configures no provider and no backend.*not a root/,
        },
      ],
    },
    {
      name: 'a deleted root with a backend and inputs: a root, its objects keep running unmanaged',
      before: {
        'envs/old/main.tf': `terraform {\n  backend "s3" {\n    bucket = "state"\n    key    = "old"\n  }\n}\n\nvariable "region" {\n  default = "eu-west-1"\n}\n\n${instance}`,
      },
      after: {},
      errors: [{ messageId: 'stackRemoved', message: /envs\/old is deleted with 1 resources/ }],
    },
    {
      name: 'a deleted root with a provider block and outputs: a root, its objects keep running unmanaged',
      before: {
        'envs/old/main.tf': `provider "aws" {\n  region = "eu-west-1"\n}\n\n${instance}output "id" {\n  value = aws_instance.web.id\n}\n`,
      },
      after: {},
      errors: [{ messageId: 'stackRemoved', message: /envs\/old is deleted with 1 resources/ }],
    },
    {
      name: 'a deleted example that calls the same module with its default create_eks = true: its objects keep running',
      before: { 'examples/basic/main.tf': 'module "eks" {\n  source = "../.."\n}\n' },
      after: {},
      unchanged: { 'main.tf': CREATE_EKS_MODULE },
      errors: [{ messageId: 'stackRemoved', message: /examples\/basic is deleted with 2 resources/ }],
    },
    {
      name: 'a deleted example whose create flag is a root variable with no default: unknown, the finding stays',
      before: {
        'examples/x/main.tf':
          'variable "enabled" {\n  type = bool\n}\n\nmodule "eks" {\n  source     = "../.."\n  create_eks = var.enabled\n}\n',
      },
      after: {},
      unchanged: { 'main.tf': CREATE_EKS_MODULE },
      errors: [{ messageId: 'stackRemoved' }],
    },
    {
      name: 'a deleted root that only calls terraform-aws-modules/eks with create = false: the module creates nothing (info)',
      before: {
        'envs/off/main.tf':
          'provider "aws" {\n  region = "us-west-2"\n}\n\nmodule "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "20.0.0"\n  create  = false\n}\n',
      },
      after: {},
      errors: [
        {
          messageId: 'stackRemovedNoInstance',
          message: /\(create = false is false, and the module gates every resource on it\)/,
        },
      ],
    },
  ],
});
