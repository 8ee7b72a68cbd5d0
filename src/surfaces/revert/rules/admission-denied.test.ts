import { ruleTable } from '../../../testing/rule-tester.js';
import { revert as surface } from '../index.js';
import { deployment, replicaPolicy } from '../testing/fixtures.js';
import rule from './admission-denied.js';

/** A policy that reads its cap from a ConfigMap parameter, through a variable. */
const paramPolicy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: param-cap
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: ["*"], resources: [deployments]}
  variables:
    - name: cap
      expression: int(params.data.maxReplicas)
  validations:
    - expression: object.spec.replicas <= variables.cap
      messageExpression: "'replicas ' + string(object.spec.replicas) + ' over the cap ' + string(variables.cap)"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: param-cap-binding
spec:
  policyName: param-cap
  validationActions: [Deny]
  paramRef: {name: replica-limits, namespace: policy, parameterNotFoundAction: Deny}
`;
const limits = `apiVersion: v1
kind: ConfigMap
metadata: {name: replica-limits, namespace: policy}
data: {maxReplicas: "4"}
`;

ruleTable(surface, rule, {
  valid: [
    {
      name: 'within the cap read from the parameter',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 4 }),
      unchanged: { 'policy/param-cap.yaml': paramPolicy, 'policy/limits.yaml': limits },
    },
    {
      name: 'failurePolicy Ignore skips a runtime error',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 9 }),
      unchanged: {
        'policy/cap.yaml': replicaPolicy(5, ['Deny'], 'object.spec.nosuch > 1').replace(
          'failurePolicy: Fail',
          'failurePolicy: Ignore',
        ),
      },
    },
    {
      name: 'the reverted object passes the policy',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 2 }),
      unchanged: { 'policy/cap.yaml': replicaPolicy(5) },
    },
    {
      name: 'a policy without a binding has no effect',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 9 }),
      unchanged: { 'policy/cap.yaml': replicaPolicy(5).split('---')[0]! },
    },
    {
      name: 'a matchCondition that is false skips the policy',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 9 }),
      unchanged: {
        'policy/cap.yaml': replicaPolicy(5).replace(
          '  validations:',
          '  matchConditions:\n    - name: only-prod\n      expression: "object.metadata.namespace == \'prod\'"\n  validations:',
        ),
      },
    },
    {
      name: 'a binding whose matchResources exclude the object',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 9 }),
      unchanged: {
        'policy/cap.yaml': replicaPolicy(5).replace(
          '  validationActions',
          '  matchResources:\n    objectSelector:\n      matchLabels: {tier: critical}\n  validationActions',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'params from a ConfigMap in the repository, through a variable, with a messageExpression',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 6 }),
      unchanged: { 'policy/param-cap.yaml': paramPolicy, 'policy/limits.yaml': limits },
      errors: [{ messageId: 'denied', message: /param-cap-binding \(Deny\): replicas 6 over the cap 4/ }],
    },
    {
      name: 'a paramRef that does not resolve: misconfigured, failurePolicy Fail',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 2 }),
      unchanged: { 'policy/param-cap.yaml': paramPolicy },
      errors: [{ messageId: 'denied', message: /paramRef "replica-limits" does not resolve to a ConfigMap/ }],
    },
    {
      name: 'the reverted replicas exceed a Deny policy added since',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 9 }),
      unchanged: { 'policy/cap.yaml': replicaPolicy(5) },
      errors: [
        {
          messageId: 'denied',
          class: 'forward-only',
          severity: 'error',
          file: 'manifests.yaml',
          message:
            /denied by ValidatingAdmissionPolicy replica-cap through binding replica-cap-binding \(Deny\): replicas must be at most 5/,
        },
      ],
    },
    {
      name: 'Warn only',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 9 }),
      unchanged: { 'policy/cap.yaml': replicaPolicy(5, ['Warn', 'Audit']) },
      errors: [{ messageId: 'warned', severity: 'warning', class: 'fully-reversible' }],
    },
    {
      name: 'a runtime error under failurePolicy Fail is enforced',
      before: deployment({ replicas: 3 }),
      after: deployment({ replicas: 9 }),
      unchanged: { 'policy/cap.yaml': replicaPolicy(5, ['Deny'], 'object.spec.nosuch > 1') },
      errors: [{ messageId: 'denied', message: /runtime error/ }],
    },
  ],
});
