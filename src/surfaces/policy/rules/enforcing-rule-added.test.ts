import { ruleTable } from '../../../testing/rule-tester.js';
import { policy } from '../index.js';
import { constraint, kyverno } from '../testing/fixtures.js';
import rule from './enforcing-rule-added.js';

ruleTable(policy, rule, {
  valid: [
    { name: 'a new policy in Audit', after: kyverno({}) },
    { name: 'a new dryrun constraint', after: constraint('dryrun') },
    {
      name: 'unchanged enforcing rule',
      before: kyverno({ rule: 'Enforce' }),
      after: kyverno({ rule: 'Enforce' }).replace('background: true', 'background: false'),
    },
    {
      name: 'a rule renamed with the same check, on fewer kinds (not a new enforcement)',
      before: {
        'policies/tenancy.yaml':
          'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: flux-multi-tenancy\nspec:\n  validationFailureAction: enforce\n  rules:\n    - name: sourceRefNamespace\n      match:\n        resources:\n          kinds: [Kustomization, HelmRelease]\n      validate:\n        message: spec.sourceRef.namespace must be the same as metadata.namespace\n        deny:\n          conditions:\n            - key: "{{request.object.spec.sourceRef.namespace}}"\n              operator: NotEquals\n              value: "{{request.object.metadata.namespace}}"\n',
      },
      after: {
        'policies/tenancy.yaml':
          'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: flux-multi-tenancy\nspec:\n  validationFailureAction: enforce\n  rules:\n    - name: kustomizationSourceRefNamespace\n      match:\n        resources:\n          kinds: [HelmRelease]\n      validate:\n        message: spec.sourceRef.namespace must be the same as metadata.namespace\n        deny:\n          conditions:\n            - key: "{{request.object.spec.sourceRef.namespace}}"\n              operator: NotEquals\n              value: "{{request.object.metadata.namespace}}"\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a rule renamed and given a kind it did not cover',
      before: {
        'policies/tenancy.yaml':
          'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: flux-multi-tenancy\nspec:\n  validationFailureAction: enforce\n  rules:\n    - name: sourceRefNamespace\n      match:\n        resources:\n          kinds: [HelmRelease]\n      validate:\n        message: spec.sourceRef.namespace must be the same as metadata.namespace\n        deny:\n          conditions:\n            - key: "{{request.object.spec.sourceRef.namespace}}"\n              operator: NotEquals\n              value: "{{request.object.metadata.namespace}}"\n',
      },
      after: {
        'policies/tenancy.yaml':
          'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: flux-multi-tenancy\nspec:\n  validationFailureAction: enforce\n  rules:\n    - name: kustomizationSourceRefNamespace\n      match:\n        resources:\n          kinds: [HelmRelease, Kustomization]\n      validate:\n        message: spec.sourceRef.namespace must be the same as metadata.namespace\n        deny:\n          conditions:\n            - key: "{{request.object.spec.sourceRef.namespace}}"\n              operator: NotEquals\n              value: "{{request.object.metadata.namespace}}"\n',
      },
      errors: [
        {
          messageId: 'added',
          class: 'fully-reversible',
          severity: 'warning',
          message: /kustomizationSourceRefNamespace/,
        },
      ],
    },
    {
      name: 'a new enforcing policy',
      after: kyverno({ rule: 'Enforce' }),
      errors: [{ messageId: 'added', class: 'fully-reversible', line: 14 }],
    },
    {
      name: 'a rule added to an existing policy',
      before: kyverno({ rule: 'Audit' }),
      after: kyverno({ rule: 'Audit', extraRule: true }),
      errors: [{ messageId: 'added', line: 26, message: /check-owner.*writes of Service/ }],
    },
    { name: 'a new constraint (deny by default)', after: constraint(), errors: [{ messageId: 'added', line: 5 }] },
  ],
});
