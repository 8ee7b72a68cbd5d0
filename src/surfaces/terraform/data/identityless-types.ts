/**
 * Resource types whose object is only the link or setting its arguments name, with no data and no
 * identity that anything else keeps: a policy attached to a role is the pair (role, policy ARN), a
 * security-group rule is the tuple (group, direction, protocol, ports, source), a lifecycle hook is
 * (group, name), a launch configuration is an immutable template every argument of which forces a new
 * one. Destroying one removes its effect; creating it again from the same arguments gives back the
 * same effect, and nothing else has to be re-pointed at it (what references it references its
 * arguments, or, for a launch configuration, is updated by the same apply). Sources: the AWS provider
 * (`resource_aws_iam_role_policy_attachment.go`: `role` and `policy_arn` are the only arguments, both
 * ForceNew, the import id is `role/policy_arn`; the `aws_security_group_rule` page: the rule has no
 * unique id of its own and is imported by its tuple; `aws_launch_configuration`: every argument is
 * ForceNew, and the page recommends create_before_destroy because the group moves to the new one in
 * the same apply), the cloud APIs that create the links from the pair (the IAM API's AttachRolePolicy,
 * AttachUserPolicy, AttachGroupPolicy, AddUserToGroup; EC2 AssociateRouteTable; Elastic Load Balancing
 * RegisterTargets; Auto Scaling AttachLoadBalancerTargetGroups: each resource's import ID in the AWS
 * provider is the pair), and the google and azurerm IAM member and role-assignment resources,
 * identified by (resource, role, member).
 *
 * Also configuration objects whose only identity is a name the configuration gives them, and that
 * nothing outside the configuration can still hold when their destroy succeeds: a customer-managed
 * IAM policy (its ARN is `arn:aws:iam::ACCOUNT:policy/PATH/NAME`; the IAM API's DeletePolicy refuses a
 * policy still attached to any user, group or role, so a destroy that succeeds leaves nothing pointing
 * at it, and the attachments in the same configuration are destroyed and re-created around it), an
 * EventBridge rule (the pair (event bus, name) with its pattern; DeleteRule refuses a rule that still
 * has targets, and its targets are the triple (bus, rule, target id), the provider's import id of
 * `aws_cloudwatch_event_target`), an Auto Scaling group tag (the pair (group name, key), the
 * provider's import id of `aws_autoscaling_group_tag`; CreateOrUpdateTags writes it back), and a launch
 * template (an EC2 template with no data: what uses it names its id, and the same apply re-points an
 * `aws_autoscaling_group` at the new id in place; an `aws_eks_node_group` whose `launch_template.id`
 * or `name` changes is replaced, ForceNew in the provider's internal/service/eks/node_group.go, and
 * that replacement is reported on the node group itself).
 */
const IDENTITYLESS = new Map<string, string>([
  ['aws_iam_role_policy_attachment', 'a policy attachment is the pair (role, policy ARN)'],
  ['aws_iam_user_policy_attachment', 'a policy attachment is the pair (user, policy ARN)'],
  ['aws_iam_group_policy_attachment', 'a policy attachment is the pair (group, policy ARN)'],
  ['aws_iam_role_policy', "an inline policy is a document stored on its role under the role's name for it"],
  ['aws_iam_user_group_membership', 'a group membership is the pair (user, groups)'],
  ['aws_security_group_rule', 'a security-group rule is its tuple (group, direction, protocol, ports, source)'],
  ['aws_vpc_security_group_ingress_rule', 'a security-group rule is its tuple (group, protocol, ports, source)'],
  ['aws_vpc_security_group_egress_rule', 'a security-group rule is its tuple (group, protocol, ports, destination)'],
  ['aws_autoscaling_lifecycle_hook', 'a lifecycle hook is the pair (Auto Scaling group, hook name)'],
  ['aws_autoscaling_attachment', 'an attachment is the pair (Auto Scaling group, load balancer or target group)'],
  ['aws_lb_target_group_attachment', 'an attachment is the pair (target group, target)'],
  ['aws_alb_target_group_attachment', 'an attachment is the pair (target group, target)'],
  ['aws_route_table_association', 'an association is the pair (route table, subnet or gateway)'],
  ['aws_launch_configuration', 'a launch configuration is an immutable template that every argument replaces'],
  [
    'aws_launch_template',
    'a launch template is a template with no data, and the same apply re-points the groups that use it',
  ],
  ['aws_autoscaling_group_tag', 'an Auto Scaling group tag is the pair (group, key) with its value'],
  ['aws_cloudwatch_event_target', 'an EventBridge target is the triple (event bus, rule, target id)'],
  [
    'aws_cloudwatch_event_rule',
    'an EventBridge rule is its pattern on a bus under a name, and it cannot be deleted while a target remains',
  ],
  [
    'aws_iam_policy',
    'a customer-managed policy is a document under a name, and IAM refuses to delete one still attached anywhere',
  ],
  ['google_project_iam_member', 'an IAM member is the triple (project, role, member)'],
  ['azurerm_role_assignment', 'a role assignment is the triple (scope, role, principal)'],
]);

/** Why a resource of this type has no identity or data of its own, or nothing when it may have. */
export function identityless(type: string): string | undefined {
  return IDENTITYLESS.get(type);
}

/**
 * Resource types whose object has an identity of its own, but one that only what copies it can hold,
 * so that when everything holding it is in the same configuration, the apply of a plain revert
 * re-creates the object and re-points every referrer at it (a reference is re-evaluated with the new
 * id). `resource-removed` lowers a removed one to info only when no output of a root configuration
 * hands it out (`holdersOf` in references.ts) and, where `fixedName` says so, its name is generated.
 * What is kept at a warning, and why:
 * - a security group is known by the id EC2 generates (`sg-...`); EC2 refuses to delete one still
 *   used by a network interface or named by a rule of another group of its VPC (DeleteSecurityGroup:
 *   DependencyViolation), so a destroy that succeeds leaves no such holder. A rule of a peered VPC's
 *   group, or another configuration, can only hold the id by copying it: through a root output
 *   (kept), or by hand (not seen by any tool).
 * - an IAM role is known by its ARN, and AWS pins its unique id (`AROA...`) in the trust and resource
 *   policies that name it: a role deleted and created again under the same ARN is not the principal
 *   those policies, or an EKS access entry, name any more (IAM User Guide, "Unique identifiers";
 *   EKS AccessEntry.principalArn). A policy outside this configuration can name a role whose `name`
 *   is fixed without copying anything, so that removal is kept; a generated name (`name_prefix`, or
 *   no name) can only be copied, as for a security group.
 * - a key pair is a public key that EC2 keeps under a name; EC2 never holds the private key, so
 *   re-importing the same public key under the same name gives every launch that names it the same
 *   key (a private key generated in the configuration, `tls_private_key`, is lost with its own
 *   resource, which `resource-removed` reports).
 */
export interface Rewired {
  why: string;
  /** The argument that, when set to a known name, lets a holder outside name the object without copying it. */
  fixedName?: string;
  /** What a holder outside loses when the name is fixed. */
  fixedNameLoss?: string;
}

const REWIRED = new Map<string, Rewired>([
  ['aws_security_group', { why: 'a security group is known by the id EC2 generates' }],
  [
    'aws_iam_role',
    {
      why: 'an IAM role with a generated name is known by an ARN only a copy can hold',
      fixedName: 'name',
      fixedNameLoss:
        'a role created again under the same name gets a new unique id, and trust or resource policies outside this configuration that name it no longer apply to it',
    },
  ],
  ['aws_key_pair', { why: 'a key pair is a public key under a name, and EC2 never holds the private key' }],
]);

export function rewired(type: string): Rewired | undefined {
  return REWIRED.get(type);
}

/**
 * Kubernetes cluster types, and the types of the objects that live inside a cluster (written through
 * the kubernetes, helm and kubectl providers): an object removed in the same change as the cluster
 * that holds it goes with the cluster (its etcd), which is reported on the cluster itself.
 */
const CLUSTERS = new Set(['aws_eks_cluster', 'google_container_cluster', 'azurerm_kubernetes_cluster']);
const IN_CLUSTER = /^(kubernetes_|helm_release$|kubectl_)/;

export function isCluster(type: string): boolean {
  return CLUSTERS.has(type);
}

export function livesInCluster(type: string): boolean {
  return IN_CLUSTER.test(type);
}
