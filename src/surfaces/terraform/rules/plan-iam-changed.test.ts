import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile, rc } from '../plan/testing.js';
import rule from './plan-iam-changed.js';

ruleTable(terraformPlan, rule, {
  valid: [
    {
      name: 'no IAM change',
      after: planFile({ resource_changes: [rc('aws_iam_role.app', ['no-op']), rc('aws_s3_bucket.a', ['update'])] }),
    },
    { name: 'a new principal', after: planFile({ resource_changes: [rc('aws_iam_role.app', ['create'])] }) },
    { name: 'a new key', after: planFile({ resource_changes: [rc('google_service_account_key.ci', ['create'])] }) },
  ],
  invalid: [
    {
      name: 'grants added, changed and removed',
      after: planFile({
        resource_changes: [
          rc('aws_iam_role_policy.app', ['update']),
          rc('aws_iam_role_policy_attachment.admin', ['delete']),
          rc('google_project_iam_member.ci', ['create']),
        ],
      }),
      errors: [
        {
          messageId: 'grantChanged',
          class: 'fully-reversible',
          severity: 'warning',
          message:
            /aws_iam_role_policy\.app \(aws_iam_role_policy\) is update: a rollback restores the previous permissions.*prefer a narrow forward fix/,
        },
        { messageId: 'grantChanged', message: /aws_iam_role_policy_attachment\.admin .* is delete/ },
        { messageId: 'granted', class: 'fully-reversible', severity: 'info', object: 'google_project_iam_member.ci' },
      ],
    },
    {
      name: 'principals re-created are new identities',
      after: planFile({
        resource_changes: [
          rc('aws_iam_role.app', ['delete', 'create'], { action_reason: 'replace_because_cannot_update' }),
          rc('google_service_account.ci', ['delete']),
          rc('azurerm_user_assigned_identity.app', ['update']),
        ],
      }),
      errors: [
        {
          messageId: 'principalRecreated',
          severity: 'error',
          class: 'reversible-with-manual-repair',
          message: /is replace \(delete, then create\): a re-created principal is a new identity/,
        },
        { messageId: 'grantChanged', object: 'azurerm_user_assigned_identity.app' },
        { messageId: 'principalRecreated', object: 'google_service_account.ci' },
      ],
    },
    {
      name: 'credentials revoked are forward-only',
      after: planFile({ resource_changes: [rc('aws_iam_access_key.deploy', ['delete'])] }),
      errors: [{ messageId: 'credentialRevoked', class: 'forward-only' }],
    },
  ],
});
