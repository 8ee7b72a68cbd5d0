import { ruleTable } from '../../../testing/rule-tester.js';
import { rollouts } from '../index.js';
import { rollout, WITH_ANALYSIS } from '../testing/fixtures.js';
import rule from './rollout-changed.js';

ruleTable(rollouts, rule, {
  valid: [
    { name: 'added', after: rollout('web@sha256:a', WITH_ANALYSIS) },
    {
      name: 'strategy only',
      before: rollout('web@sha256:a', WITH_ANALYSIS),
      after: rollout('web@sha256:a', WITH_ANALYSIS.replace('20', '10')),
    },
  ],
  invalid: [
    {
      name: 'new image',
      before: rollout('web@sha256:a', WITH_ANALYSIS),
      after: rollout('web@sha256:b', WITH_ANALYSIS),
      errors: [
        {
          messageId: 'rollout',
          class: 'fully-reversible',
          severity: 'info',
          line: 9,
          message: /kubectl argo rollouts abort web -n shop/,
        },
      ],
    },
  ],
});
