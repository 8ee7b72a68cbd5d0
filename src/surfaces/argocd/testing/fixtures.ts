/** Test fixtures shared by the Argo CD case tables. */
export function app(opts: { name?: string; syncPolicy?: string; source?: string; finalizers?: boolean }): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${opts.name ?? 'shop'}
  namespace: argocd${opts.finalizers ? '\n  finalizers:\n    - resources-finalizer.argocd.argoproj.io' : ''}
spec:
  project: default
  source:
${opts.source ?? '    repoURL: https://git.example.com/shop.git\n    path: clusters/prod\n    targetRevision: v1.2.0'}
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
${opts.syncPolicy ?? ''}`;
}
