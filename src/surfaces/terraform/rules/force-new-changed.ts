import { defineRule } from '../../../core/rule.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { at, type TfContext } from '../model.js';
import { forceNewChanges } from '../replaced.js';

/** A finding's data: the resource, the argument, and what its replacement breaks or destroys. */
export type ForceNewChangedData = {
  address: string;
  attribute: string;
  breaks: string;
  holds?: string;
  chain?: string;
  /** For an argument later provider releases update in place: what the configuration's provider constraint means (`; ...`), else empty. */
  provider: string;
  /** The consumers replaced or destroyed by the same change, when they are the only ones. */
  consumers?: string;
};

type M =
  | 'replaced'
  | 'replacedData'
  | 'replacedThrough'
  | 'replacedThroughData'
  | 'replacedFrom'
  | 'replacedFromData'
  | 'partOf'
  | 'updatedInPlace'
  | 'expressionChanged';

/**
 * An argument the provider cannot update in place changes on a resource that stays: before any plan
 * exists, the configuration already says Terraform will replace the object.
 */
export default defineRule<TfContext, M, ForceNewChangedData>({
  id: 'force-new-changed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'An argument that forces replacement (ForceNew in the provider schema) changes on an identity or data-bearing resource that stays in the configuration, directly, through a resource replaced or created afresh, or by reading another module output or data source.',
    rationale:
      "Some arguments cannot be updated in place: the provider marks them ForceNew, and a new value plans a delete and a create of the object. For an identity (an IAM OIDC provider's `url`, a role's `name`, an EKS cluster's `role_arn`) the new object has a new ARN or unique id, so the trust and resource policies that named the old one stop matching (IRSA roles of an EKS cluster whose OIDC provider is replaced fail to assume); a revert replaces it once more. For a data-bearing object (a bucket's name, a DynamoDB table's keys, RDS storage encryption) the new one is empty. Both sides are evaluated as far as the configuration says: locals, local module inputs and variable defaults are followed, and conditionals, `coalesce`, comparisons and string templates are computed when their operands are known (`name = var.use_prefix ? null : var.name` with `use_prefix` defaulting to true is null on both sides); `concat`, `compact` and `distinct` are computed over lists whose elements are written out, so a list that becomes empty is told apart from one that certainly holds an element (a managed resource's `id` or `arn` is never null or empty): `security_group_ids = compact(distinct(concat(var.additional, [local.sg_id])))` whose `local.sg_id` goes from the module's own security group to an unset input `\"\"` goes from one group to none, a replacement. An element that `compact` may drop (a root variable set outside, an attribute that may be empty) leaves the list unresolved. When both sides come to the same value, or to the same expression of values only known at plan time, nothing is reported. A value that certainly changes (two different literals, or two strings whose literal start or end differ, such as `\"KarpenterIRSA-${var.cluster_name}-\"` and `\"KarpenterController-\"`) is a certain replacement. A value read from a resource the change creates afresh (a rename with no moved block, or an instance switched on) or replaces (the chain is followed inside the configuration) is known only after apply, and Terraform plans a replacement for a ForceNew argument whose new value is unknown: the finding names the chain (`role_arn` comes from `aws_iam_role.this.arn`, a role new in the change). A value read from a module output or a data source is not resolved, but two different outputs, or the outputs of two different module instances (a `moved` block keeps an instance the same), name different objects: an EKS cluster's `vpc_config.subnet_ids` that moves from `module.vpc.private_subnets` to `module.vpc.intra_subnets`, or from `data.aws_subnet_ids.default.ids` to a new VPC module's subnets, is a replacement, and the finding names both sides (`coalescelist(module.vpc.intra_subnets, module.vpc.private_subnets)` reads the first list whenever it is not empty, and says so). The same output of a widely used registry module changes too when an input that decides its objects changes (module-outputs.ts: terraform-aws-modules/vpc gives new subnet ids for new CIDR blocks, zones or VPC block, since `aws_subnet.cidr_block` and `availability_zone` and `aws_vpc.cidr_block` are ForceNew). Some arguments stopped forcing a replacement in a later provider release: `vpc_config.subnet_ids` and `vpc_config.security_group_ids` of `aws_eks_cluster` forced a new cluster until AWS provider 5.25.0 (its changelog: \"Allow vpc_config.security_group_ids and vpc_config.subnet_ids to be updated in-place\", after EKS began accepting these changes on existing clusters in October 2023); where the configuration's `required_providers` admits only 5.25.0 or later the change is reported at info as an in-place update, and otherwise the replacement finding says which releases update it. An identity replaced (a role, not a data-bearing object) whose only consumers in the configuration are resources the same change replaces or destroys (a cluster IAM role whose `name_prefix` follows the cluster's new name) is part of their replacement: info naming them, the class carried by their findings; links that only attach it (policy attachments) do not count, and a consumer that stays keeps the warning. An expression whose form changed but whose value cannot be told apart may well be unchanged: info, read the plan. A variable of the root configuration with no default is set outside the configuration: a renamed root input is not compared. The table in force-new-attributes.ts names each argument and the provider source it was checked against.",
    fix: 'Avoid the replacement (keep the value, or move to a new resource alongside and migrate); for identities, update every policy that names the old ARN in the same apply; for data-bearing objects, copy the data first and declare the change.',
    references: [
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/openid_connect_provider.go',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/role.go',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/eks/cluster.go (name and role_arn are ForceNew)',
      'https://developer.hashicorp.com/terraform/plugin/sdkv2/schemas/schema-behaviors#forcenew',
      "https://developer.hashicorp.com/terraform/language/expressions/references#values-not-yet-known (a new object's attributes are known only after apply)",
      'https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html',
      'https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2282 (the cluster role recreated under a new address: role_arn -> (known after apply) # forces replacement)',
      'https://github.com/aws/containers-roadmap/issues/2771 (EKS cannot change the cluster role of an existing cluster)',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/CHANGELOG.md#5250-november-10-2023 (aws_eks_cluster: vpc_config.subnet_ids and security_group_ids updated in place from 5.25.0)',
      'https://github.com/hashicorp/terraform-provider-aws/issues/6663 (subnet changes in aws_eks_cluster forced a new resource)',
      'https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2408 (security_group_ids changed with AWS provider 4.19: # forces replacement of the cluster)',
      'https://developer.hashicorp.com/terraform/language/functions/compact (compact drops null and empty strings)',
      'https://aws.amazon.com/about-aws/whats-new/2023/10/amazon-eks-modification-cluster-subnets-security/',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ec2/vpc_subnet.go (cidr_block and availability_zone are ForceNew)',
      'https://registry.terraform.io/modules/terraform-aws-modules/vpc/aws/latest (one subnet per CIDR of private_subnets, public_subnets, intra_subnets...)',
    ],
  },
  messages: {
    replaced:
      '{{address}}: {{attribute}} changes and cannot be updated in place: {{breaks}}{{provider}}; a revert replaces it again',
    replacedData: {
      text: '{{address}} ({{holds}}): {{attribute}} changes and cannot be updated in place: {{breaks}}, and only a backup brings the data back{{provider}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    replacedThrough:
      '{{address}}: {{attribute}} comes from {{chain}}, so its new value is known only after apply, and {{attribute}} cannot be updated in place: {{breaks}}{{provider}}; a revert replaces it again',
    replacedThroughData: {
      text: '{{address}} ({{holds}}): {{attribute}} comes from {{chain}}, so its new value is known only after apply, and {{attribute}} cannot be updated in place: {{breaks}}, and only a backup brings the data back{{provider}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    replacedFrom:
      '{{address}}: {{attribute}} now comes from {{chain}}, and {{attribute}} cannot be updated in place: {{breaks}}{{provider}}; a revert replaces it again',
    replacedFromData: {
      text: '{{address}} ({{holds}}): {{attribute}} now comes from {{chain}}, and {{attribute}} cannot be updated in place: {{breaks}}, and only a backup brings the data back{{provider}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    partOf: {
      text: '{{address}}: {{attribute}} changes and cannot be updated in place, so it is replaced, but its only consumers are {{consumers}} by the same change: this replacement is part of theirs, reported on them',
      class: 'fully-reversible',
      severity: 'info',
    },
    updatedInPlace: {
      text: '{{address}}: {{attribute}} changes, and older provider releases replace the object for it, but {{provider}}: updated in place, no replacement',
      class: 'fully-reversible',
      severity: 'info',
    },
    expressionChanged: {
      text: '{{address}}: the expression of {{attribute}} changes, and {{attribute}} cannot be updated in place; its value may be unchanged (the configuration does not say), but if it changes, {{breaks}}; read the plan',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ units, report }) {
    for (const unit of units) {
      for (const c of forceNewChanges(unit)) {
        const where = at(c.after, c.after.argLines.get(c.attribute.split('.')[0]!) ?? c.after.line);
        const holds = dataBearing(c.after.type)?.holds;
        const data: ForceNewChangedData = {
          address: c.after.address,
          attribute: c.attribute,
          breaks: c.breaks,
          provider: c.provider ? `; ${c.provider}` : '',
          ...(holds ? { holds } : {}),
          ...(c.chain ? { chain: c.chain } : {}),
        };
        const object = { object: c.after.address };
        if (c.kind === 'uncertain') report('expressionChanged', data, where, object);
        else if (c.kind === 'inPlace') report('updatedInPlace', { ...data, provider: c.provider ?? '' }, where, object);
        else if (c.partOf) report('partOf', { ...data, consumers: c.partOf.join(', ') }, where, object);
        else if (c.kind === 'through') report(holds ? 'replacedThroughData' : 'replacedThrough', data, where, object);
        else if (c.kind === 'source') report(holds ? 'replacedFromData' : 'replacedFrom', data, where, object);
        else report(holds ? 'replacedData' : 'replaced', data, where, object);
      }
    }
  },
});
