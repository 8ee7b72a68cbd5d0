import { ruleTable } from '../../../testing/rule-tester.js';
import { helm } from '../index.js';
import { chart } from '../testing/fixtures.js';
import rule from './values-persistence.js';

const values = (enabled: boolean, name = 'shop') =>
  `fullnameOverride: ${name}\nprimary:\n  persistence:\n    enabled: ${enabled}\n    size: 10Gi\n`;

const pvcTemplate = (annotations = '') => `{{- if .Values.primary.persistence.enabled }}
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ .Values.fullnameOverride }}-data
${annotations}spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: {{ .Values.primary.persistence.size }}}}
{{- end }}
`;

const release = (size: string, storageClass = 'fast') => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: db, namespace: data}
spec:
  interval: 10m
  chart:
    spec: {chart: postgresql, version: 16.0.1, sourceRef: {kind: HelmRepository, name: bitnami}}
  values:
    primary:
      persistence:
        enabled: true
        storageClass: ${storageClass}
        size: ${size}
`;

ruleTable(helm, rule, {
  valid: [
    {
      name: 'HelmRelease values change elsewhere',
      before: release('20Gi'),
      after: release('20Gi').replace('enabled: true', 'enabled: true\n        labels: {tier: db}'),
    },
    {
      name: 'size grows',
      before: { 'c/values.yaml': values(true) },
      after: { 'c/values.yaml': values(true).replace('10Gi', '20Gi') },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
    },
    {
      name: 'persistence turned on',
      before: { 'c/values.yaml': values(false) },
      after: { 'c/values.yaml': values(true) },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
    },
    {
      name: 'persistence already off',
      before: { 'c/values.yaml': values(false) },
      after: { 'c/values.yaml': values(false).replace('10Gi', '20Gi') },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
    },
    {
      name: 'a name override set where there was none',
      before: { 'c/values.yaml': 'replicas: 1\n' },
      after: { 'c/values.yaml': 'replicas: 1\nnameOverride: shop\n' },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
    },
    {
      name: 'fullnameOverride changes where the claim template has a literal name',
      before: { 'c/values.yaml': values(true) },
      after: { 'c/values.yaml': values(true, 'store').replace('fullnameOverride', 'nameOverride') },
      unchanged: {
        'c/Chart.yaml': chart('1.0.0'),
        'c/templates/pvc.yaml': pvcTemplate().replace('{{ .Values.fullnameOverride }}-data', 'shop-data'),
      },
    },
  ],
  invalid: [
    {
      name: 'HelmRelease inline values raise persistence.size (the chart is not rendered here)',
      before: { 'apps/db/release.yaml': release('20Gi') },
      after: { 'apps/db/release.yaml': release('50Gi') },
      errors: [
        {
          messageId: 'claimSpec',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'apps/db/release.yaml',
          line: 13,
          message: /HelmRelease data\/db\): primary.persistence.size changes from "20Gi" to "50Gi"/,
        },
      ],
    },
    {
      name: 'HelmRelease inline values change the storage class',
      before: release('20Gi'),
      after: release('20Gi', 'slow'),
      errors: [{ messageId: 'claimSpec', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'HelmRelease inline values turn persistence off',
      before: release('20Gi'),
      after: release('20Gi').replace('enabled: true', 'enabled: false'),
      errors: [{ messageId: 'persistenceOff', class: 'non-recoverable-without-restore' }],
    },
    {
      name: 'a values file changes the storage class (immutable in a claim and a template alike)',
      before: { 'c/values.yaml': `${values(true)}    storageClass: fast\n` },
      after: { 'c/values.yaml': `${values(true)}    storageClass: slow\n` },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [{ messageId: 'claimSpec', class: 'reversible-with-manual-repair', file: 'c/values.yaml', line: 6 }],
    },
    {
      name: 'persistence off where the values did not set it',
      before: { 'c/values.yaml': 'replicas: 1\n' },
      after: { 'c/values.yaml': 'replicas: 1\npersistence:\n  enabled: false\n' },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [{ messageId: 'persistenceOff', line: 3, message: /: persistence\.enabled turns/ }],
    },
    {
      name: 'persistence off',
      before: { 'c/values-prod.yaml': values(true) },
      after: { 'c/values-prod.yaml': values(false) },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [
        {
          messageId: 'persistenceOff',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          file: 'c/values-prod.yaml',
          line: 4,
          message: /primary\.persistence\.enabled/,
        },
      ],
    },
    {
      name: 'fullnameOverride renamed',
      before: { 'c/values.yaml': values(true) },
      after: { 'c/values.yaml': values(true, 'store') },
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [{ messageId: 'renamed', class: 'reversible-with-manual-repair', line: 1 }],
    },
    {
      name: 'fullnameOverride renamed on a chart whose claim template is named from it: the claim is deleted',
      before: { 'c/values.yaml': values(true) },
      after: { 'c/values.yaml': values(true, 'store') },
      unchanged: { 'c/Chart.yaml': chart('1.0.0'), 'c/templates/pvc.yaml': pvcTemplate() },
      errors: [
        {
          messageId: 'claimsRenamed',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          line: 1,
          message: /names its PersistentVolumeClaim from it \(c\/templates\/pvc\.yaml\)/,
        },
      ],
    },
    {
      name: 'fullnameOverride renamed on a chart whose named claim is kept by Helm',
      before: { 'c/values.yaml': values(true) },
      after: { 'c/values.yaml': values(true, 'store') },
      unchanged: {
        'c/Chart.yaml': chart('1.0.0'),
        'c/templates/pvc.yaml': pvcTemplate('  annotations:\n    helm.sh/resource-policy: keep\n'),
      },
      errors: [{ messageId: 'claimsKept', class: 'reversible-with-manual-repair', severity: 'warning' }],
    },
  ],
});
