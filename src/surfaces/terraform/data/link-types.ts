/**
 * Resource types that are only a link between two objects named by their own identifiers (a role and
 * a policy ARN, a subnet and a route table): the cloud API creates the link from the pair
 * (`AttachRolePolicy(RoleName, PolicyArn)`), nothing else references the link itself, and creating it
 * again restores exactly the same state. Removing one changes what the linked objects may do while
 * the change is live, but a revert puts it back as it was. Sources: the AWS IAM API reference
 * (AttachRolePolicy, AttachUserPolicy, AttachGroupPolicy, AddUserToGroup), the EC2 API
 * (AssociateRouteTable), Elastic Load Balancing (RegisterTargets) and Auto Scaling
 * (AttachLoadBalancerTargetGroups); each resource's import ID in the AWS provider is the pair.
 */
const LINKS = new Set([
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_user_group_membership',
  'aws_route_table_association',
  'aws_lb_target_group_attachment',
  'aws_alb_target_group_attachment',
  'aws_autoscaling_attachment',
]);

export function isLink(type: string): boolean {
  return LINKS.has(type);
}
