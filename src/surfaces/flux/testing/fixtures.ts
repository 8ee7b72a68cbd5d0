/** Test fixtures shared by the Flux case tables. */
export function kustomization(spec = ''): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: shop
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  sourceRef:
    kind: GitRepository
    name: shop
${spec}`;
}

export function helmRelease(spec = '', apiVersion = 'helm.toolkit.fluxcd.io/v2'): string {
  return `apiVersion: ${apiVersion}
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
spec:
  interval: 10m
  chart:
    spec:
      chart: redis
      version: 19.6.2
      sourceRef:
        kind: HelmRepository
        name: bitnami
${spec}`;
}
