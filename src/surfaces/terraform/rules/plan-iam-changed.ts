import { defineRule } from '../../../core/rule.js';
import { actionsText, deletes, isNoop, type PlanContext } from '../plan/model.js';
import { iamKind } from '../data/iam-types.js';

/** A finding's data: the resource address and type, and what the plan does to it. */
export type PlanIamChangedData = { address: string; type: string; action: string };

/**
 * IAM in the plan: grants, principals and credentials. A rollback of an IAM change restores the old
 * permissions, which may be the over-permission the change removed; principals and credentials that
 * are deleted do not come back as the same identity.
 */
export default defineRule<
  PlanContext,
  'granted' | 'grantChanged' | 'principalRecreated' | 'credentialRevoked',
  PlanIamChangedData
>({
  id: 'plan-iam-changed',
  surface: 'terraform',
  class: 'fully-reversible',
  decision: { playbook: 'bad-iam-change', effects: ['iam'] },
  severity: 'warning',
  docs: {
    summary:
      'The plan creates, changes or deletes IAM: roles, policies, bindings, memberships, service accounts, keys.',
    rationale:
      'Grants created, changed or deleted are fully reversible: IAM applies a policy document as written, and a rollback puts the previous document back; the severity is about direction, not reversibility. Rolling back an IAM change puts the previous permissions back. When the change narrowed access (a fix for over-permission, a revoked binding), the rollback reintroduces what was removed, so a narrow forward fix is usually the safer recovery. A principal that is deleted and created again is a new identity: AWS resource and trust policies that named the old role or user keep its old unique id and stop matching, Google IAM bindings of a deleted service account do not apply to a new one with the same email, Azure role assignments point at the old object id. A deleted key or password cannot be restored: only a new one can be issued (forward-only).',
    fix: 'Review the grant change with security; for principals, avoid replacement (moved blocks, no name changes) or plan the re-grant of every policy that names them; for credentials, rotate forward.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids',
      'https://cloud.google.com/iam/docs/service-accounts-delete-undelete',
      'https://learn.microsoft.com/azure/role-based-access-control/troubleshooting',
      'https://developer.hashicorp.com/terraform/internals/json-format#change-representation',
    ],
  },
  messages: {
    granted: {
      text: '{{address}} ({{type}}) is created: a rollback removes the grant again',
      class: 'fully-reversible',
      severity: 'info',
    },
    grantChanged:
      '{{address}} ({{type}}) is {{action}}: a rollback restores the previous permissions; if this change narrows access, the rollback reintroduces the over-permission, so prefer a narrow forward fix',
    principalRecreated: {
      text: '{{address}} ({{type}}) is {{action}}: a re-created principal is a new identity with a new unique id, and policies or bindings that name the old one no longer apply to it',
      class: 'reversible-with-manual-repair',
      severity: 'error',
    },
    credentialRevoked: {
      text: '{{address}} ({{type}}) is {{action}}: a deleted key or password cannot be restored, only a new one issued; whatever used it must be given the new one',
      class: 'forward-only',
      decision: { effects: ['iam', 'credential-revoked'] },
    },
  },
  check({ plan, at, report }) {
    for (const c of plan.changes) {
      if (c.mode !== 'managed' || isNoop(c.actions) || c.actions.includes('read')) continue;
      const kind = iamKind(c.type);
      if (!kind) continue;
      const data = { address: c.address, type: c.type, action: actionsText(c.actions) };
      const where = at(c);
      const extra = { object: c.address };
      const created = c.actions.length === 1 && c.actions[0] === 'create';
      if (kind === 'principal') {
        if (deletes(c.actions)) report('principalRecreated', data, where, extra);
        else if (!created) report('grantChanged', data, where, extra);
      } else if (kind === 'credential') {
        if (deletes(c.actions)) report('credentialRevoked', data, where, extra);
      } else if (created) report('granted', data, where, extra);
      else if (c.actions.join(',') !== 'forget') report('grantChanged', data, where, extra);
    }
  },
});
