import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './giant-state.js';

/** `n` resource blocks of each type, named r0..r(n-1). */
const blocks = (types: Record<string, number>, extra = '') =>
  Object.entries(types)
    .flatMap(([type, n]) =>
      Array.from({ length: n }, (_, i) => `resource "${type}" "r${i}" {\n  name = "r${i}"\n${i === 0 ? extra : ''}}\n`),
    )
    .join('');
const backend =
  'terraform {\n  backend "s3" {\n    bucket = "tf-state"\n    key    = "prod/terraform.tfstate"\n  }\n}\n';

/** 40 blocks across aws_vpc, aws_rds, aws_eks, aws_elasticache, with IAM and KMS beside them. */
const everything = {
  aws_vpc: 8,
  aws_subnet: 6,
  aws_db_instance: 4,
  aws_rds_cluster: 2,
  aws_eks_cluster: 2,
  aws_eks_node_group: 4,
  aws_elasticache_cluster: 4,
  aws_iam_role: 6,
  aws_kms_key: 4,
};

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'one stack split in its own root: network only',
      after: { 'infra/network/main.tf': backend + blocks({ aws_vpc: 20, aws_subnet: 20, aws_route_table: 10 }) },
    },
    {
      name: 'a cluster with its identity, keys and logs: supporting families are not stacks',
      after: {
        'infra/eks/main.tf': blocks({
          aws_eks_cluster: 1,
          aws_eks_node_group: 10,
          aws_iam_role: 15,
          aws_iam_role_policy_attachment: 20,
          aws_kms_key: 2,
          aws_cloudwatch_log_group: 5,
          random_id: 3,
        }),
      },
    },
    {
      name: 'many families but few resources',
      after: {
        'main.tf': blocks({ aws_vpc: 2, aws_db_instance: 2, aws_eks_cluster: 2, aws_s3_bucket: 2, aws_sqs_queue: 2 }),
      },
    },
    {
      name: 'one cluster: its nodes, security groups, a queue and a chart are not unrelated stacks',
      after: {
        'examples/karpenter/main.tf': blocks({
          aws_eks_cluster: 1,
          aws_eks_node_group: 12,
          aws_launch_template: 6,
          aws_security_group: 4,
          aws_vpc_security_group_ingress_rule: 6,
          aws_sqs_queue: 4,
          aws_iam_role: 10,
          aws_ssm_parameter: 2,
          helm_release: 1,
        }),
      },
    },
  ],
  invalid: [
    {
      name: 'one root manages network, databases, a cluster and a cache',
      after: { 'infra/prod/backend.tf': backend, 'infra/prod/main.tf': blocks(everything) },
      errors: [
        {
          messageId: 'giant',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'infra/prod/backend.tf',
          line: 2,
          message:
            'infra/prod is one state managing 40 resource blocks across 4 unrelated families (aws_vpc_* 14, aws_eks_* 6, aws_rds_* 6, aws_elasticache_* 4)',
        },
      ],
    },
    {
      name: 'resources of a local module are counted in its root; count and for_each are said unknown',
      after: {
        'live/prod/main.tf': `module "data" {\n  source   = "../../modules/data"\n  for_each = toset(["a", "b"])\n}\n${blocks({ aws_vpc: 10, aws_eks_cluster: 10 }, '  count = 2\n')}`,
        'modules/data/main.tf': blocks({ aws_db_instance: 10, aws_sqs_queue: 10 }),
      },
      errors: [
        {
          messageId: 'giant',
          file: 'live/prod/main.tf',
          line: 1,
          message:
            /40 resource blocks \(22 of them with count or for_each: their instances are not counted\) across 4 unrelated families/,
        },
      ],
    },
    {
      name: 'thresholds from the config',
      after: { 'main.tf': blocks({ aws_vpc: 2, aws_db_instance: 2, aws_eks_cluster: 2 }) },
      config: { rules: { 'terraform/giant-state': { options: { minResources: 6, minFamilies: 3 } } } },
      errors: [
        { messageId: 'giant', file: 'main.tf', message: /^\. is one state managing 6 resource blocks across 3/ },
      ],
    },
  ],
});
