import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import { kustomization } from '../testing/fixtures.js';
import rule from './prune.js';

ruleTable(flux, rule, {
  valid: [
    {
      name: 'unchanged prune',
      before: kustomization('  prune: true\n'),
      after: kustomization('  prune: true\n  wait: true\n'),
    },
    { name: 'added', after: kustomization('  prune: true\n') },
  ],
  invalid: [
    {
      name: 'turned on',
      before: kustomization('  prune: false\n'),
      after: kustomization('  prune: true\n'),
      errors: [{ messageId: 'turnedOn', class: 'fully-reversible', severity: 'warning', line: 12 }],
    },
    {
      name: 'turned off',
      before: kustomization('  prune: true\n'),
      after: kustomization('  prune: false\n'),
      errors: [{ messageId: 'turnedOff', severity: 'info', line: 12 }],
    },
  ],
});
