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
