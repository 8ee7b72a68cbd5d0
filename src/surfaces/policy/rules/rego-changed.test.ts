import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { policy } from '../index.js';
import rule, { denyRules } from './rego-changed.js';

const one = `package k8s.labels

deny[msg] {
  input.kind == "Deployment"
  not input.metadata.labels.team
  msg := "team label required"
}
`;
const two = `${one}
deny[msg] {
  input.kind == "Service"
  not input.metadata.labels.owner
  msg := "owner label required"
}
`;
const template = (rego: string) => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8srequiredlabels}
spec:
  crd: {spec: {names: {kind: K8sRequiredLabels}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
${rego
  .split('\n')
  .map((l) => `        ${l}`)
  .join('\n')}
`;

ruleTable(policy, rule, {
  valid: [
    {
      name: 'a comment changes',
      before: { 'policy/labels.rego': one },
      after: { 'policy/labels.rego': `# owners: platform\n${one}` },
    },
  ],
  invalid: [
    {
      name: 'a deny body added',
      before: { 'policy/labels.rego': one },
      after: { 'policy/labels.rego': two },
      errors: [
        { messageId: 'added', class: 'fully-reversible', file: 'policy/labels.rego', line: 1 },
      ],
    },
    {
      name: 'a deny body removed',
      before: { 'policy/labels.rego': two },
      after: { 'policy/labels.rego': one },
      errors: [{ messageId: 'removed', class: 'fully-reversible' }],
    },
    {
      name: 'a deny body changed',
      before: { 'policy/labels.rego': one },
      after: { 'policy/labels.rego': one.replace('"Deployment"', '"StatefulSet"') },
      errors: [{ messageId: 'changed', class: 'fully-reversible' }],
    },
    {
      name: 'a ConstraintTemplate gains a violation',
      before: template(one.replace(/deny\[msg\]/g, 'violation[{"msg": msg}]')),
      after: template(two.replace(/deny\[msg\]/g, 'violation[{"msg": msg}]')),
      errors: [
        {
          messageId: 'added',
          line: 6,
          message: /ConstraintTemplate k8srequiredlabels: a violation rule body is added/,
        },
      ],
    },
  ],
});

describe('denyRules', () => {
  it('reads rule bodies of both Rego syntaxes', () => {
    const v1 =
      'package p\nimport rego.v1\ndeny contains msg if {\n  input.x\n  msg := "x"\n}\nwarn_old[m] {\n  input.y\n  m := "y"\n}\nallow := true\n';
    expect([...denyRules(v1).keys()]).toEqual(['deny', 'warn_old']);
  });
});
