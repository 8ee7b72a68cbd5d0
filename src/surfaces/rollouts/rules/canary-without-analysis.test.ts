import { ruleTable } from '../../../testing/rule-tester.js';
import { rollouts } from '../index.js';
import { rollout, STEPS, WITH_ANALYSIS } from '../testing/fixtures.js';
import rule from './canary-without-analysis.js';

const canary = (analysis: string) => `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  analysis:
    interval: 1m
${analysis}`;

ruleTable(rollouts, rule, {
  valid: [
    { name: 'background analysis', after: rollout('web@sha256:a', WITH_ANALYSIS) },
    {
      name: 'analysis step',
      after: rollout(
        'web@sha256:a',
        '      steps: [{setWeight: 20}, {analysis: {templates: [{templateName: success-rate}]}}]\n',
      ),
    },
    {
      name: 'flagger metrics',
      after: canary('    metrics: [{name: request-success-rate, thresholdRange: {min: 99}}]\n'),
    },
  ],
  invalid: [
    {
      name: 'rollout canary without analysis',
      after: rollout('web@sha256:a', STEPS),
      errors: [
        {
          messageId: 'rollout',
          class: 'fully-reversible',
          severity: 'warning',
          line: 14,
          object: 'argoproj.io/Rollout/shop/web',
        },
      ],
    },
    {
      name: 'flagger without metrics',
      after: canary('    threshold: 5\n'),
      errors: [{ messageId: 'flagger', line: 6 }],
    },
  ],
});
