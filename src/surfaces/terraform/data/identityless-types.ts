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
  ['google_project_iam_member', 'an IAM member is the triple (project, role, member)'],
  ['azurerm_role_assignment', 'a role assignment is the triple (scope, role, principal)'],
]);

/** Why a resource of this type has no identity or data of its own, or nothing when it may have. */
export function identityless(type: string): string | undefined {
  return IDENTITYLESS.get(type);
}
