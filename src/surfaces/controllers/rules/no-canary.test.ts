import { ruleTable } from '../../../testing/rule-tester.js';
import { controllers } from '../index.js';
import { certManager } from '../testing/fixtures.js';
import rule from './no-canary.js';

ruleTable(controllers, rule, {
  valid: [
    {
      name: 'one cluster first',
      before: { 'clusters/prod/cm.yaml': certManager('v1.14.4'), 'clusters/staging/cm.yaml': certManager('v1.14.4') },
      after: { 'clusters/prod/cm.yaml': certManager('v1.14.4'), 'clusters/staging/cm.yaml': certManager('v1.15.0') },
    },
  ],
  invalid: [
    {
      name: 'every cluster at once',
      before: {
        'clusters/prod/cm.yaml': certManager('v1.14.4'),
        'clusters/staging/cm.yaml': certManager('v1.14.4'),
        'clusters/dev/cm.yaml': certManager('v1.14.4'),
      },
      after: {
        'clusters/prod/cm.yaml': certManager('v1.15.0'),
        'clusters/staging/cm.yaml': certManager('v1.15.0'),
        'clusters/dev/cm.yaml': certManager('v1.15.0'),
      },
      errors: [
        {
          messageId: 'everywhere',
          class: 'fully-reversible',
          severity: 'warning',
          line: 11,
          message: /in 3 places at once \(dev, prod, staging\)/,
        },
      ],
    },
  ],
});
