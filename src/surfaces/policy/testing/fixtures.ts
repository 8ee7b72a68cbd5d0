/** Test fixtures shared by the policy case tables. */
export function kyverno(opts: { top?: string; rule?: string; name?: string; extraRule?: boolean } = {}): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${opts.name ?? 'require-team-label'}
spec:
${opts.top ? `  validationFailureAction: ${opts.top}\n` : ''}  background: true
  rules:
    - name: check-team
      match:
        any:
          - resources:
              kinds: [Deployment, StatefulSet]
      validate:
${opts.rule ? `        failureAction: ${opts.rule}\n` : ''}        message: the team label is required
        pattern:
          metadata:
            labels:
              team: "?*"
${
  opts.extraRule
    ? `    - name: check-owner
      match:
        any:
          - resources:
              kinds: [Service]
      validate:
        failureAction: Enforce
        pattern: {metadata: {labels: {owner: "?*"}}}
`
    : ''
}`;
}

export function constraint(action?: string): string {
  return `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: ns-must-have-owner
spec:
${action ? `  enforcementAction: ${action}\n` : ''}  match:
    kinds:
      - apiGroups: [""]
        kinds: [Namespace]
  parameters:
    labels: [owner]
`;
}
