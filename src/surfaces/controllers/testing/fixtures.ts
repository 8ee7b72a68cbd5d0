/** Test fixtures shared by the controllers case tables. */
export const certManager = (tag: string, ns = 'cert-manager') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: cert-manager, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: cert-manager}}
  template:
    metadata: {labels: {app: cert-manager}}
    spec:
      containers:
        - name: controller
          image: quay.io/jetstack/cert-manager-controller:${tag}
`;
export const crd = (v: string) =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: certificates.cert-manager.io}\nspec:\n  group: cert-manager.io\n  names: {kind: Certificate, plural: certificates}\n  scope: Namespaced\n  versions: [{name: ${v}, served: true, storage: true}]\n`;
