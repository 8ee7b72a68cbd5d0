import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import { helmRelease } from '../testing/fixtures.js';
import rule from './drift-detection.js';

const mode = (m: string) => `  driftDetection:\n    mode: ${m}\n`;

ruleTable(flux, rule, {
  valid: [
    { name: 'no drift detection', after: helmRelease() },
    { name: 'warn only', after: helmRelease(mode('warn')) },
    {
      name: 'unchanged',
      before: helmRelease(mode('enabled')),
      after: helmRelease(mode('enabled')).replace('19.6.2', '19.7.0'),
    },
  ],
  invalid: [
    {
      name: 'enabled',
      before: helmRelease(),
      after: helmRelease(mode('enabled')),
      errors: [
        {
          messageId: 'enabled',
          class: 'fully-reversible',
          line: 16,
          message: /flux suspend helmrelease redis -n cache/,
        },
      ],
    },
    {
      name: 'disabled',
      before: helmRelease(mode('enabled')),
      after: helmRelease(mode('warn')),
      errors: [{ messageId: 'disabled', line: 6 }],
    },
  ],
});
