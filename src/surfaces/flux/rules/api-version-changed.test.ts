import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import { helmRelease } from '../testing/fixtures.js';
import rule from './api-version-changed.js';

ruleTable(flux, rule, {
  valid: [
    { name: 'same version', before: helmRelease(), after: helmRelease().replace('19.6.2', '19.6.3') },
    { name: 'added', after: helmRelease() },
  ],
  invalid: [
    {
      name: 'v2beta2 to v2',
      before: helmRelease('', 'helm.toolkit.fluxcd.io/v2beta2'),
      after: helmRelease(),
      errors: [
        {
          messageId: 'changed',
          class: 'fully-reversible',
          line: 1,
          message: /from helm.toolkit.fluxcd.io\/v2beta2 to helm.toolkit.fluxcd.io\/v2/,
        },
      ],
    },
  ],
});
