/**
 * IAM resource types of the AWS, Google Cloud, Azure (azurerm, azuread) and Kubernetes providers, by
 * what a change to them does on rollback:
 * - `principal`: an identity (role, user, service account, managed identity, service principal). A
 *   re-created principal gets a new unique id, and policies that named the old one by id do not apply
 *   to the new one (AWS resource and trust policies keep the old unique id; Google IAM bindings of a
 *   deleted service account do not apply to a new one with the same email).
 * - `grant`: a policy, binding, membership, attachment or role definition: what a rollback restores is
 *   the previous set of permissions, possibly the over-permission this change removed.
 * - `credential`: a key or password: a deleted one cannot be restored, only a new one issued.
 */
export type IamKind = 'principal' | 'grant' | 'credential';

const EXACT: Record<string, IamKind> = {
  // AWS
  aws_iam_role: 'principal',
  aws_iam_user: 'principal',
  aws_iam_group: 'principal',
  aws_iam_service_linked_role: 'principal',
  aws_iam_instance_profile: 'principal',
  aws_iam_access_key: 'credential',
  aws_iam_user_login_profile: 'credential',
  aws_iam_service_specific_credential: 'credential',
  aws_iam_signing_certificate: 'credential',
  aws_iam_user_ssh_key: 'credential',
  aws_iam_policy: 'grant',
  aws_iam_role_policy: 'grant',
  aws_iam_role_policy_attachment: 'grant',
  aws_iam_role_policies_exclusive: 'grant',
  aws_iam_role_policy_attachments_exclusive: 'grant',
  aws_iam_user_policy: 'grant',
  aws_iam_user_policy_attachment: 'grant',
  aws_iam_group_policy: 'grant',
  aws_iam_group_policy_attachment: 'grant',
  aws_iam_policy_attachment: 'grant',
  aws_iam_group_membership: 'grant',
  aws_iam_user_group_membership: 'grant',
  aws_iam_openid_connect_provider: 'grant',
  aws_iam_saml_provider: 'grant',
  aws_s3_bucket_policy: 'grant',
  aws_kms_key_policy: 'grant',
  aws_kms_grant: 'grant',
  aws_lambda_permission: 'grant',
  aws_sqs_queue_policy: 'grant',
  aws_sns_topic_policy: 'grant',
  aws_ecr_repository_policy: 'grant',
  aws_secretsmanager_secret_policy: 'grant',
  aws_organizations_policy: 'grant',
  aws_organizations_policy_attachment: 'grant',
  aws_ssoadmin_permission_set: 'grant',
  aws_ssoadmin_account_assignment: 'grant',
  aws_ssoadmin_managed_policy_attachment: 'grant',
  aws_ssoadmin_permission_set_inline_policy: 'grant',
  aws_eks_access_entry: 'grant',
  aws_eks_access_policy_association: 'grant',
  // Google Cloud
  google_service_account: 'principal',
  google_service_account_key: 'credential',
  google_project_iam_custom_role: 'grant',
  google_organization_iam_custom_role: 'grant',
  google_iam_workload_identity_pool: 'grant',
  google_iam_workload_identity_pool_provider: 'grant',
  // Azure
  azurerm_user_assigned_identity: 'principal',
  azurerm_role_assignment: 'grant',
  azurerm_role_definition: 'grant',
  azurerm_key_vault_access_policy: 'grant',
  azurerm_federated_identity_credential: 'grant',
  azuread_application: 'principal',
  azuread_service_principal: 'principal',
  azuread_user: 'principal',
  azuread_group: 'principal',
  azuread_group_member: 'grant',
  azuread_app_role_assignment: 'grant',
  azuread_directory_role_assignment: 'grant',
  azuread_application_password: 'credential',
  azuread_service_principal_password: 'credential',
  azuread_application_certificate: 'credential',
  // Kubernetes
  kubernetes_service_account: 'principal',
  kubernetes_service_account_v1: 'principal',
  kubernetes_role: 'grant',
  kubernetes_role_v1: 'grant',
  kubernetes_cluster_role: 'grant',
  kubernetes_cluster_role_v1: 'grant',
  kubernetes_role_binding: 'grant',
  kubernetes_role_binding_v1: 'grant',
  kubernetes_cluster_role_binding: 'grant',
  kubernetes_cluster_role_binding_v1: 'grant',
};

/** Google's per-resource IAM: `google_<resource>_iam_member|binding|policy` (and `_audit_config`). */
const GOOGLE_IAM = /^google_[a-z0-9_]+_iam_(member|binding|policy|audit_config)$/;

export function iamKind(type: string): IamKind | undefined {
  return EXACT[type] ?? (GOOGLE_IAM.test(type) ? 'grant' : undefined);
}
