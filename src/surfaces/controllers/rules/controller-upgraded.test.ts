import { ruleTable } from '../../../testing/rule-tester.js';
import { controllers } from '../index.js';
import { certManager, crd } from '../testing/fixtures.js';
import rule from './controller-upgraded.js';

const hr = (v: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: kyverno, namespace: kyverno}
spec:
  chart:
    spec: {chart: kyverno, version: ${v}, sourceRef: {kind: HelmRepository, name: kyverno}}
`;

// Argo CD installed by Flux from the argo-helm repository: the HelmRelease names only the chart (`argo-cd`)
// and a HelmRepository defined elsewhere; neither file holds an image of argoproj.
const argoHr = (v: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: argocd, namespace: argocd}
spec:
  interval: 10m
  chart:
    spec: {chart: argo-cd, version: ${v}, sourceRef: {kind: HelmRepository, name: argo, namespace: flux-system}}
`;
const unknownHr = (v: string) =>
  argoHr(v)
    .replace('chart: argo-cd', 'chart: podinfo')
    .replace(/argocd/g, 'podinfo');

ruleTable(controllers, rule, {
  valid: [
    {
      name: 'an unknown image',
      before: certManager('v1.14.0').replace('jetstack/cert-manager-controller', 'acme/web'),
      after: certManager('v1.15.0').replace('jetstack/cert-manager-controller', 'acme/web'),
    },
    { name: 'a controller added', after: certManager('v1.15.0') },
    {
      name: 'a HelmRelease of a chart that is no known controller',
      before: unknownHr('6.5.0'),
      after: unknownHr('6.6.0'),
    },
  ],
  invalid: [
    {
      name: 'cert-manager image minor upgrade',
      before: { 'infra/cert-manager.yaml': certManager('v1.14.4') },
      after: { 'infra/cert-manager.yaml': certManager('v1.15.0') },
      errors: [
        {
          messageId: 'upgraded',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          file: 'infra/cert-manager.yaml',
          line: 11,
          message:
            /^cert-manager image quay.io\/jetstack\/cert-manager-controller .* moves v1.14.4 → v1.15.0 \(minor\)/,
        },
      ],
    },
    {
      name: 'with CRD changes',
      before: { 'infra/cert-manager.yaml': certManager('v1.14.4'), 'infra/crds.yaml': crd('v1') },
      after: {
        'infra/cert-manager.yaml': certManager('v1.15.0'),
        'infra/crds.yaml': crd('v1').replace('scope: Namespaced', 'scope: Namespaced\n  conversion: {strategy: None}'),
      },
      errors: [
        { messageId: 'withCrds', class: 'reversible-with-manual-repair', message: /certificates.cert-manager.io/ },
      ],
    },
    {
      name: 'Argo CD upgraded through a Flux HelmRelease of the argo-cd chart (argo-helm repository)',
      before: { 'infra/argocd/helmrelease.yaml': argoHr('7.3.4') },
      after: { 'infra/argocd/helmrelease.yaml': argoHr('7.4.0') },
      errors: [
        {
          messageId: 'upgraded',
          class: 'reversible-with-compatibility-window',
          file: 'infra/argocd/helmrelease.yaml',
          line: 7,
          message: /^Argo CD chart argo-cd .* moves 7\.3\.4 → 7\.4\.0 \(minor\)/,
        },
      ],
    },
    {
      name: 'a chart downgrade',
      before: hr('3.2.0'),
      after: hr('3.1.4'),
      errors: [{ messageId: 'downgraded', class: 'reversible-with-manual-repair', line: 6 }],
    },
  ],
});
