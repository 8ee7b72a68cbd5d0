import { ruleTable } from '../../../testing/rule-tester.js';
import { rollouts } from '../index.js';
import rule from './analysis-no-data-policy.js';

const template = (metric: string) => `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate, namespace: shop}
spec:
  metrics:
    - name: success-rate
      interval: 1m
${metric}      provider:
        prometheus: {address: http://prometheus:9090, query: "sum(rate(ok[5m])) / sum(rate(all[5m]))"}
`;

ruleTable(rollouts, rule, {
  valid: [
    {
      name: 'explicit empty handling',
      after: template('      successCondition: len(result) > 0 && result[0] >= 0.95\n'),
    },
    {
      name: 'limits set',
      after: template('      successCondition: result[0] >= 0.95\n      consecutiveErrorLimit: 2\n'),
    },
  ],
  invalid: [
    {
      name: 'no policy',
      after: template('      successCondition: result[0] >= 0.95\n'),
      errors: [{ messageId: 'noPolicy', class: 'fully-reversible', line: 6 }],
    },
    {
      name: 'passes on empty',
      after: template('      successCondition: len(result) == 0 || result[0] >= 0.95\n'),
      errors: [{ messageId: 'passesOnEmpty', line: 8 }],
    },
  ],
});
