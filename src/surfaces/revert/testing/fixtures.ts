/** Test fixtures shared by the revert case tables. */
export { crd } from '../../crd/testing/fixtures.js';

export function deployment(opts: { image?: string; replicas?: unknown; labels?: Record<string, string> } = {}): string {
  const labels = Object.entries(opts.labels ?? { app: 'web' })
    .map(([k, v]) => `\n    ${k}: ${v}`)
    .join('');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:${labels}
spec:
  replicas: ${JSON.stringify(opts.replicas ?? 2)}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${opts.image ?? 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64)}
`;
}

/** A policy (and its binding) that caps Deployment replicas at `max`, with the given actions. */
export function replicaPolicy(max: number, actions = ['Deny'], expression?: string): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-cap
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["deployments"]
  validations:
    - expression: ${JSON.stringify(expression ?? `object.spec.replicas <= ${max}`)}
      message: replicas must be at most ${max}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replica-cap-binding
spec:
  policyName: replica-cap
  validationActions: [${actions.join(', ')}]
`;
}
