import { ruleTable, type ExpectedFinding, type InvalidCase } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './helm-release-version-changed.js';

const release = (chart: string, version: string, repository = 'https://charts.example.com', name = 'app') =>
  `resource "helm_release" "${name}" {\n  name       = "${name}"\n  repository = "${repository}"\n  chart      = "${chart}"\n  version    = "${version}"\n}\n`;

/** A case-table row: the Karpenter chart from its OCI repository moves `from` -> `to`, with the one finding expected. */
const karpenterStep = (name: string, from: string, to: string, error: ExpectedFinding): InvalidCase => ({
  name,
  before: { 'main.tf': release('karpenter', from, 'oci://public.ecr.aws/karpenter', 'karpenter') },
  after: { 'main.tf': release('karpenter', to, 'oci://public.ecr.aws/karpenter', 'karpenter') },
  errors: [error],
});

/**
 * A Karpenter release whose Helm provider reads a local EKS module's endpoint output, with the cluster
 * named `cluster` (a name change replaces it) and the release given `provider`.
 */
const onCluster = (cluster: string, version: string, provider = '') => ({
  'main.tf':
    `module "eks" {\n  source = "./eks"\n  name   = "${cluster}"\n}\n` +
    'provider "helm" {\n  kubernetes {\n    host = module.eks.cluster_endpoint\n  }\n}\n' +
    'provider "helm" {\n  alias = "ops"\n  kubernetes {\n    host = "https://ops.example.com"\n  }\n}\n' +
    release('karpenter', version, 'oci://public.ecr.aws/karpenter').replace('{\n', `{\n${provider}`),
  'eks/main.tf':
    'variable "name" {}\nresource "aws_eks_cluster" "this" {\n  name     = var.name\n  role_arn = "arn:aws:iam::1:role/eks"\n}\noutput "cluster_endpoint" {\n  value = try(aws_eks_cluster.this.endpoint, null)\n}\n',
});

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'unchanged release, values only',
      before: { 'main.tf': release('karpenter', '0.8.2') },
      after: {
        'main.tf': release('karpenter', '0.8.2').replace(
          '}\n',
          '  set {\n    name  = "replicas"\n    value = "2"\n  }\n}\n',
        ),
      },
    },
    { name: 'a new release', before: { 'main.tf': '' }, after: { 'main.tf': release('karpenter', '0.8.2') } },
    {
      name: 'a release with no instance (count = 0)',
      before: { 'main.tf': release('karpenter', '0.8.1').replace('{\n', '{\n  count = 0\n') },
      after: { 'main.tf': release('karpenter', '0.8.2').replace('{\n', '{\n  count = 0\n') },
    },
    {
      name: 'a version that depends on a value the configuration does not give',
      before: {
        'main.tf':
          release('podinfo', '6.0.0').replace('"6.0.0"', 'var.chart_version') + 'variable "chart_version" {}\n',
      },
      after: {
        'main.tf':
          release('podinfo', '6.0.0').replace('"6.0.0"', 'var.chart_version') +
          'variable "chart_version" {\n  type = string\n}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a controller patch release (the Karpenter chart 0.8.1 -> 0.8.2): a compatibility window',
      before: {
        'examples/karpenter/main.tf': release('karpenter', '0.8.1', 'https://charts.karpenter.sh', 'karpenter'),
      },
      after: {
        'examples/karpenter/main.tf': release('karpenter', '0.8.2', 'https://charts.karpenter.sh', 'karpenter'),
      },
      errors: [
        {
          messageId: 'controllerUpgraded',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          file: 'examples/karpenter/main.tf',
          line: 5,
          object: 'helm_release.karpenter',
          message:
            'helm_release.karpenter: Karpenter chart karpenter moves 0.8.1 → 0.8.2 (patch): rolling back works while the old version still understands what the new one wrote',
        },
      ],
    },
    {
      name: 'Karpenter v0.21.1 -> v0.29.0: a jump across v0.28 (the Machine CRD), a listed breaking minor; its chart ships CRDs Helm does not upgrade (manual repair)',
      before: {
        'examples/karpenter/main.tf': release('karpenter', 'v0.21.1', 'oci://public.ecr.aws/karpenter', 'karpenter'),
      },
      after: {
        'examples/karpenter/main.tf': release('karpenter', 'v0.29.0', 'oci://public.ecr.aws/karpenter', 'karpenter'),
      },
      errors: [
        {
          messageId: 'controllerMajor',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 5,
          object: 'helm_release.karpenter',
          message:
            "helm_release.karpenter: Karpenter chart karpenter moves v0.21.1 → v0.29.0 (a 0.x minor across v0.28, a release that breaks a rollback): the new version may need CRDs that Helm does not upgrade (it installs a chart's crds/ only once), and going back meets the CRDs and stored objects the new version changed",
        },
      ],
    },
    karpenterStep(
      'Karpenter v0.33.1 -> v0.34.0: a 0.x minor that crosses no listed breaking minor is a compatibility window',
      'v0.33.1',
      'v0.34.0',
      {
        messageId: 'controllerUpgraded',
        class: 'reversible-with-compatibility-window',
        severity: 'warning',
        message: /moves v0\.33\.1 → v0\.34\.0 \(minor\)/,
      },
    ),
    karpenterStep('Karpenter 0.34.0 -> 0.35.1: within the v1beta1 APIs, a compatibility window', '0.34.0', '0.35.1', {
      messageId: 'controllerUpgraded',
      class: 'reversible-with-compatibility-window',
    }),
    karpenterStep(
      'Karpenter 0.35.1 -> 0.36.1: v0.36 changes drift hashing, and a rollback to 0.35.1 (below 0.35.4) may drift every node',
      '0.35.1',
      '0.36.1',
      {
        messageId: 'controllerMajor',
        class: 'reversible-with-manual-repair',
        message: /\(a 0\.x minor across v0\.36, a release that breaks a rollback\)/,
      },
    ),
    karpenterStep(
      'Karpenter v0.31.4 -> v0.32.1: across v0.32 (the v1beta1 APIs), manual repair',
      'v0.31.4',
      'v0.32.1',
      {
        messageId: 'controllerMajor',
        class: 'reversible-with-manual-repair',
        message: /across v0\.32/,
      },
    ),
    karpenterStep(
      'Karpenter v0.34.0 -> v0.33.1: a downgrade stays a downgrade of a controller with CRDs',
      'v0.34.0',
      'v0.33.1',
      {
        messageId: 'controllerDowngraded',
      },
    ),
    {
      name: 'a known controller with no list of breaking minors: a 0.x minor keeps the SemVer reading (manual repair)',
      before: { 'main.tf': release('flux2', '0.5.0', 'https://fluxcd-community.github.io/helm-charts', 'flux') },
      after: { 'main.tf': release('flux2', '0.6.0', 'https://fluxcd-community.github.io/helm-charts', 'flux') },
      errors: [
        {
          messageId: 'controllerMajor',
          class: 'reversible-with-manual-repair',
          message: /may break anything before 1\.0/,
        },
      ],
    },
    {
      name: 'an application chart at 0.x: a minor bump is a compatibility window, a patch bump information',
      before: { 'a.tf': release('podinfo', '0.4.1'), 'b.tf': release('redis', '0.4.1', undefined, 'cache') },
      after: { 'a.tf': release('podinfo', '0.5.0'), 'b.tf': release('redis', '0.4.2', undefined, 'cache') },
      errors: [
        { messageId: 'major', class: 'reversible-with-compatibility-window', severity: 'warning', file: 'a.tf' },
        { messageId: 'minor', class: 'fully-reversible', severity: 'info', file: 'b.tf', message: /\(patch\)/ },
      ],
    },
    {
      name: 'a controller chart downgraded: Helm never downgrades its CRDs',
      before: { 'main.tf': release('cert-manager', 'v1.14.0', 'https://charts.jetstack.io') },
      after: { 'main.tf': release('cert-manager', 'v1.13.3', 'https://charts.jetstack.io') },
      errors: [
        {
          messageId: 'controllerDowngraded',
          class: 'reversible-with-manual-repair',
          message: /moves back v1\.14\.0 → v1\.13\.3: Helm never downgrades CRDs/,
        },
      ],
    },
    {
      name: 'a major release of a controller whose chart ships CRDs',
      before: { 'main.tf': release('kyverno', '2.7.5') },
      after: { 'main.tf': release('kyverno', '3.0.0') },
      errors: [{ messageId: 'controllerMajor', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'a controller without CRDs downgraded: the Helm reading',
      before: { 'main.tf': release('ingress-nginx', '4.10.0') },
      after: { 'main.tf': release('ingress-nginx', '4.9.1') },
      errors: [{ messageId: 'downgrade', class: 'fully-reversible', severity: 'warning' }],
    },
    {
      name: 'an application chart: minor is information, major a compatibility window',
      before: { 'a.tf': release('podinfo', '6.0.0'), 'b.tf': release('redis', '17.0.0', undefined, 'cache') },
      after: { 'a.tf': release('podinfo', '6.1.0'), 'b.tf': release('redis', '18.0.1', undefined, 'cache') },
      errors: [
        { messageId: 'minor', class: 'fully-reversible', severity: 'info', file: 'a.tf', message: /\(minor\)/ },
        { messageId: 'major', class: 'reversible-with-compatibility-window', severity: 'warning', file: 'b.tf' },
      ],
    },
    {
      name: 'a version followed through a local and a variable default (Karpenter 0.16.3 -> 0.27.0 crosses no listed breaking minor)',
      before: {
        'main.tf':
          release('karpenter', '0.0.0').replace('"0.0.0"', 'local.karpenter_version') +
          'locals {\n  karpenter_version = var.karpenter\n}\nvariable "karpenter" {\n  default = "0.16.3"\n}\n',
      },
      after: {
        'main.tf':
          release('karpenter', '0.0.0').replace('"0.0.0"', 'local.karpenter_version') +
          'locals {\n  karpenter_version = var.karpenter\n}\nvariable "karpenter" {\n  default = "0.27.0"\n}\n',
      },
      errors: [{ messageId: 'controllerUpgraded', message: /0\.16\.3 → 0\.27\.0 \(minor\)/ }],
    },
    {
      name: 'another chart under the same release',
      before: { 'main.tf': release('nginx', '15.0.0') },
      after: { 'main.tf': release('apache', '10.0.0') },
      errors: [{ messageId: 'chartReplaced', class: 'reversible-with-manual-repair', line: 4 }],
    },
    {
      name: 'the same chart and version from another repository (an OCI mirror)',
      before: { 'main.tf': release('karpenter', '0.37.0', 'https://charts.karpenter.sh') },
      after: { 'main.tf': release('karpenter', '0.37.0', 'oci://public.ecr.aws/karpenter') },
      errors: [{ messageId: 'repositoryMoved', class: 'fully-reversible', severity: 'info', line: 3 }],
    },
    {
      name: 'a controller chart moved on a cluster the same change replaces (its provider reads the module output of a renamed cluster): info naming the replacement',
      before: onCluster('shop', 'v0.18.0'),
      after: onCluster('shop-eu', 'v0.19.1'),
      errors: [
        {
          messageId: 'onReplacedCluster',
          class: 'fully-reversible',
          severity: 'info',
          message:
            'helm_release.app: chart karpenter moves v0.18.0 → v0.19.1 on module.eks.aws_eks_cluster.this, which the same change replaces (name): the release is installed afresh on the new cluster, no upgrade in place; the replacement is reported on the cluster',
        },
      ],
    },
    {
      name: 'the same kind of upgrade (a 1.x minor) on a cluster that stays: the compatibility window stays',
      before: onCluster('shop', 'v1.0.0'),
      after: onCluster('shop', 'v1.1.0'),
      errors: [{ messageId: 'controllerUpgraded', class: 'reversible-with-compatibility-window' }],
    },
    {
      name: 'a release on another provider configuration (an alias on a cluster that stays) while the cluster is replaced: the window stays',
      before: onCluster('shop', 'v1.0.0', '  provider = helm.ops\n'),
      after: onCluster('shop-eu', 'v1.1.0', '  provider = helm.ops\n'),
      errors: [{ messageId: 'controllerUpgraded', class: 'reversible-with-compatibility-window' }],
    },
  ],
});
