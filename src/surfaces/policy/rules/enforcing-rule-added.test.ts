import { ruleTable } from '../../../testing/rule-tester.js';
import { policy } from '../index.js';
import { constraint, kyverno } from '../testing/fixtures.js';
import rule from './enforcing-rule-added.js';

/** A ClusterPolicy with one verifyImages rule; `top` is the policy-wide action, `entry` extra keys of the entry. */
function verify(top: string | undefined, entry = ''): Record<string, string> {
  return {
    'policies/verify.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: verify-flux-images
spec:
${top ? `  validationFailureAction: ${top}\n` : ''}  rules:
    - name: verify-cosign-signature
      match:
        any:
          - resources:
              kinds: [Pod]
      verifyImages:
        - imageReferences: [ghcr.io/fluxcd/*]
${entry}          attestors:
            - entries:
                - keyless:
                    subject: https://github.com/fluxcd/*
                    issuer: https://token.actions.githubusercontent.com
`,
  };
}

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
    { name: 'a verifyImages rule without an action (Audit by default)', after: verify(undefined) },
    { name: 'a verifyImages rule in Audit', after: verify('Audit') },
    {
      name: 'a verifyImages entry in Audit under an enforcing policy (the entry wins)',
      after: verify('Enforce', '          failureAction: Audit\n'),
    },
    {
      name: 'a verifyImages rule that does not require signatures',
      after: verify('Enforce', '          required: false\n'),
    },
    {
      name: 'an enforcing verifyImages rule unchanged while the policy changes',
      before: verify('Enforce'),
      after: { 'policies/verify.yaml': verify('Enforce')['policies/verify.yaml']!.replace('[Pod]', '[Pod]\n      exclude: {}') },
    },
  ],
  invalid: [
    {
      name: 'a new verifyImages rule under an enforcing policy',
      before: { 'policies/README.md': 'cluster policies\n' },
      after: verify('Enforce'),
      errors: [{ messageId: 'added', class: 'fully-reversible', line: 6, message: /verify-cosign-signature.*Pod/ }],
    },
    {
      name: 'a verifyImages entry that enforces itself',
      after: verify(undefined, '          failureAction: Enforce\n'),
      errors: [{ messageId: 'added', line: 14 }],
    },
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
