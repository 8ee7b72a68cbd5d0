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

const oci = (url: string, tag: string) => `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: manifests, namespace: flux-system}
spec:
  interval: 1h
  url: ${url}
  ref:
    tag: ${tag}
`;
const kyvernoOci = (tag: string) => oci('oci://ghcr.io/kyverno/manifests/kyverno', tag);
const remote = (url: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ${url}
`;
const kyvernoGit = (tag: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: kyverno-controller, namespace: flux-system}
spec:
  interval: 2h
  url: https://github.com/kyverno/kyverno
  ref:
    tag: ${tag}
`;
const kyvernoRaw = (tag: string) =>
  remote(`https://raw.githubusercontent.com/kyverno/kyverno/${tag}/config/release/install.yaml`);
const kyvernoRelease = (tag: string) =>
  remote(`https://github.com/kyverno/kyverno/releases/download/${tag}/install.yaml`);

ruleTable(controllers, rule, {
  valid: [
    {
      name: 'an OCIRepository of an unknown artifact',
      before: oci('oci://ghcr.io/stefanprodan/manifests/podinfo', '6.5.0'),
      after: oci('oci://ghcr.io/stefanprodan/manifests/podinfo', '6.6.0'),
    },
    {
      name: 'a release URL of an unknown project',
      before: {
        'infra/kustomization.yaml': remote('https://github.com/acme/web/releases/download/v1.0.0/install.yaml'),
      },
      after: {
        'infra/kustomization.yaml': remote('https://github.com/acme/web/releases/download/v1.1.0/install.yaml'),
      },
    },
    {
      name: 'a controller release URL unchanged',
      before: { 'infra/kustomization.yaml': kyvernoRelease('v1.11.0') },
      after: { 'infra/kustomization.yaml': `${kyvernoRelease('v1.11.0')}namespace: kyverno\n` },
    },
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
      name: 'the Kyverno install-manifests OCI artifact: a minor jump brings its CRDs',
      before: { 'infra/kyverno/source.yaml': kyvernoOci('v1.11.4') },
      after: { 'infra/kyverno/source.yaml': kyvernoOci('v1.12.0') },
      errors: [
        {
          messageId: 'withCrds',
          class: 'reversible-with-manual-repair',
          line: 8,
          message:
            /^Kyverno OCI artifact ghcr.io\/kyverno\/manifests\/kyverno .* moves v1.11.4 → v1.12.0 together with CRD changes \(the CRDs bundled in OCI artifact/,
        },
      ],
    },
    {
      name: 'the Kyverno install-manifests OCI artifact: a patch bump',
      before: kyvernoOci('v1.12.2'),
      after: kyvernoOci('v1.12.3'),
      errors: [{ messageId: 'upgraded', class: 'reversible-with-compatibility-window' }],
    },
    {
      name: 'the Flux manifests OCI artifact',
      before: oci('oci://ghcr.io/fluxcd/flux-manifests', 'v2.2.3'),
      after: oci('oci://ghcr.io/fluxcd/flux-manifests', 'v2.3.0'),
      errors: [{ messageId: 'withCrds', message: /^Flux OCI artifact/ }],
    },
    {
      name: 'a controller chart through an OCIRepository (chartRef): the chart alone',
      before: oci('oci://ghcr.io/cert-manager/charts/cert-manager', 'v1.14.4'),
      after: oci('oci://ghcr.io/cert-manager/charts/cert-manager', 'v1.15.0'),
      errors: [
        { messageId: 'upgraded', class: 'reversible-with-compatibility-window', message: /^cert-manager OCI artifact/ },
      ],
    },
    {
      name: 'Karpenter through an OCIRepository: a 0.x minor its upgrade guide lists as no rollback break is a minor',
      before: oci('oci://public.ecr.aws/karpenter/karpenter', 'v0.33.1'),
      after: oci('oci://public.ecr.aws/karpenter/karpenter', 'v0.34.0'),
      errors: [{ messageId: 'upgraded', message: /v0.33.1 → v0.34.0 \(minor\)/ }],
    },
    {
      name: 'Karpenter through an OCIRepository: a 0.x minor across a listed breaking release says which',
      before: oci('oci://public.ecr.aws/karpenter/karpenter', '0.35.1'),
      after: oci('oci://public.ecr.aws/karpenter/karpenter', '0.36.1'),
      errors: [{ messageId: 'upgraded', message: /0.35.1 → 0.36.1 \(a 0.x minor across v0.36/ }],
    },
    {
      name: 'a release install manifest URL: minor',
      before: { 'infra/kyverno/kustomization.yaml': kyvernoRelease('v1.10.7') },
      after: { 'infra/kyverno/kustomization.yaml': kyvernoRelease('v1.11.0') },
      errors: [
        {
          messageId: 'withCrds',
          class: 'reversible-with-manual-repair',
          file: 'infra/kyverno/kustomization.yaml',
          line: 4,
          message:
            /^Kyverno install manifests kyverno\/kyverno install.yaml .* moves v1.10.7 → v1.11.0 together with CRD changes \(the CRDs of its install manifests\)/,
        },
      ],
    },
    {
      name: 'a raw file URL at a release candidate tag',
      before: {
        'infra/kyverno/kustomization.yaml': remote(
          'https://raw.githubusercontent.com/kyverno/kyverno/v1.3.0-rc8/definitions/release/install.yaml',
        ),
      },
      after: {
        'infra/kyverno/kustomization.yaml': remote(
          'https://raw.githubusercontent.com/kyverno/kyverno/v1.3.0-rc11/definitions/release/install.yaml',
        ),
      },
      errors: [{ messageId: 'withCrds', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'a raw install manifest that moved inside the repository between releases',
      before: {
        'infra/kyverno/kustomization.yaml': remote(
          'https://raw.githubusercontent.com/kyverno/kyverno/v1.5.5/definitions/release/install.yaml',
        ),
      },
      after: {
        'infra/kyverno/kustomization.yaml': remote(
          'https://raw.githubusercontent.com/kyverno/kyverno/v1.6.0-rc2/config/install.yaml',
        ),
      },
      errors: [{ messageId: 'withCrds', message: /moves v1.5.5 → v1.6.0-rc2/ }],
    },
    {
      name: 'a release install manifest URL: patch',
      before: { 'infra/kyverno/kustomization.yaml': kyvernoRelease('v1.11.0') },
      after: { 'infra/kyverno/kustomization.yaml': kyvernoRelease('v1.11.1') },
      errors: [{ messageId: 'upgraded', class: 'reversible-with-compatibility-window' }],
    },
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
    {
      name: 'a release candidate downgrade of a raw install manifest',
      before: { 'infra/kyverno/kustomization.yaml': kyvernoRaw('v1.6.0-rc4') },
      after: { 'infra/kyverno/kustomization.yaml': kyvernoRaw('v1.6.0-rc3') },
      errors: [{ messageId: 'downgraded', class: 'reversible-with-manual-repair' }],
    },
    {
      // flux2-multi-tenancy 196cdba59c: the Kustomization that applied the GitRepository applies the
      // OCIRepository of the same name; Flux applies the new set before it prunes, so nothing changes applier.
      name: 'a GitRepository replaced by an OCIRepository of the same name: an upgrade like any other, not a move',
      before: { 'infra/kyverno/source.yaml': kyvernoGit('v1.7.3') },
      after: {
        'infra/kyverno/source.yaml': kyvernoOci('v1.8.0').replace('name: manifests', 'name: kyverno-controller'),
      },
      errors: [{ messageId: 'withCrds', class: 'reversible-with-manual-repair', file: 'infra/kyverno/source.yaml' }],
    },
    {
      name: 'a remote install manifest replaced by a GitRepository one release candidate below: moved and downgraded',
      before: { 'infra/kyverno/kustomization.yaml': kyvernoRaw('v1.6.0-rc4') },
      after: {
        'infra/kyverno/kustomization.yaml': remote('source.yaml'),
        'infra/kyverno/source.yaml': kyvernoGit('v1.6.0-rc3'),
      },
      errors: [
        {
          messageId: 'sourceMoved',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'infra/kyverno/source.yaml',
          line: 8,
          message:
            /^Kyverno moves from install manifests kyverno\/kyverno config\/release\/install\.yaml \(infra\/kyverno\/kustomization\.yaml\) at v1\.6\.0-rc4 to Git repository github\.com\/kyverno\/kyverno \(GitRepository kyverno-controller\) at v1\.6\.0-rc3 \(a downgrade.*prune: true/,
        },
      ],
    },
  ],
});
