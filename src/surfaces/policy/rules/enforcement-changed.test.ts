import { ruleTable } from '../../../testing/rule-tester.js';
import { policy } from '../index.js';
import { constraint, kyverno } from '../testing/fixtures.js';
import rule from './enforcement-changed.js';

const vap = (actions: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas-limit}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
    - expression: object.spec.replicas <= 5
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicas-limit}
spec:
  policyName: replicas-limit
  validationActions: ${actions}
`;

ruleTable(policy, rule, {
  valid: [
    {
      name: 'same action',
      before: kyverno({ top: 'Audit' }),
      after: kyverno({ top: 'Audit', extraRule: false }).replace('background: true', 'background: false'),
    },
    {
      name: 'deprecated top-level field rewritten per rule, same effect',
      before: kyverno({ top: 'Enforce' }),
      after: kyverno({ rule: 'Enforce' }),
    },
    { name: 'default Audit made explicit', before: kyverno({}), after: kyverno({ rule: 'Audit' }) },
  ],
  invalid: [
    {
      name: 'Kyverno Audit to Enforce (per-rule failureAction)',
      before: { 'policies/team.yaml': kyverno({ rule: 'Audit' }) },
      after: { 'policies/team.yaml': kyverno({ rule: 'Enforce' }) },
      errors: [
        {
          messageId: 'tightened',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'policies/team.yaml',
          line: 14,
          object: 'kyverno.io/ClusterPolicy//require-team-label',
          message:
            /ClusterPolicy require-team-label rule check-team now enforces \(Audit → Enforce\).*rollbacks of Deployment, StatefulSet/,
        },
      ],
    },
    {
      name: 'Kyverno deprecated validationFailureAction to Enforce',
      before: kyverno({ top: 'Audit' }),
      after: kyverno({ top: 'Enforce' }),
      errors: [{ messageId: 'tightened', line: 6 }],
    },
    {
      name: 'per-rule action overrides the policy-wide one',
      before: kyverno({ top: 'Enforce', rule: 'Enforce' }),
      after: kyverno({ top: 'Enforce', rule: 'Audit' }),
      errors: [{ messageId: 'loosened', class: 'fully-reversible', line: 15 }],
    },
    {
      name: 'Gatekeeper dryrun to default deny',
      before: constraint('dryrun'),
      after: constraint(),
      errors: [{ messageId: 'tightened', line: 5, message: /rollbacks of Namespace/ }],
    },
    {
      name: 'Gatekeeper deny to warn',
      before: constraint('deny'),
      after: constraint('warn'),
      errors: [{ messageId: 'loosened', line: 6 }],
    },
    {
      name: 'VAP binding gains Deny',
      before: vap('[Audit]'),
      after: vap('[Deny, Audit]'),
      errors: [{ messageId: 'tightened', line: 16, message: /rollbacks of deployments/ }],
    },
  ],
});
