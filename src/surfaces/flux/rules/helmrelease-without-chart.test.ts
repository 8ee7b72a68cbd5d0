import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import { helmRelease } from '../testing/fixtures.js';
import rule from './helmrelease-without-chart.js';

const noChart = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: redis, namespace: cache}
spec:
  interval: 10m
  values: {replicas: 2}
`;

ruleTable(flux, rule, {
  valid: [
    { name: 'chart template', after: helmRelease() },
    {
      name: 'chartRef',
      after: noChart.replace('  values', '  chartRef: {kind: OCIRepository, name: redis}\n  values'),
    },
    {
      name: 'a strategic-merge patch file listed under patches (applied to its target)',
      before: { 'apps/prod/redis-values.yaml': noChart },
      after: { 'apps/prod/redis-values.yaml': noChart.replace('replicas: 2', 'replicas: 3') },
      unchanged: { 'apps/prod/kustomization.yaml': 'resources: [../base/redis]\npatches:\n  - path: redis-values.yaml\n' },
    },
    {
      name: 'a patch file listed under patchesStrategicMerge',
      after: { 'apps/prod/redis-values.yaml': noChart },
      unchanged: { 'apps/prod/kustomization.yaml': 'resources: [../base/redis]\npatchesStrategicMerge:\n  - redis-values.yaml\n' },
    },
  ],
  invalid: [
    {
      name: 'a kustomization beside it lists another file as a patch',
      after: { 'apps/prod/redis.yaml': noChart },
      unchanged: { 'apps/prod/kustomization.yaml': 'resources: [redis.yaml]\npatches:\n  - path: other.yaml\n' },
      errors: [{ messageId: 'missing', class: 'reversible-with-manual-repair' }],
    },
    {
      name: 'no chart',
      after: { 'apps/redis.yaml': noChart },
      errors: [
        {
          messageId: 'missing',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          file: 'apps/redis.yaml',
          line: 4,
        },
      ],
    },
  ],
});
