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
  ],
  invalid: [
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
