import { ruleTable } from '../../../testing/rule-tester.js';
import { helm } from '../index.js';
import { chart } from '../testing/fixtures.js';
import rule from './values-persistence.js';

const values = (enabled: boolean, name = 'shop') =>
  `fullnameOverride: ${name}\nprimary:\n  persistence:\n    enabled: ${enabled}\n    size: 10Gi\n`;

ruleTable(helm, rule, {
  valid: [
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
  ],
  invalid: [
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
  ],
});
