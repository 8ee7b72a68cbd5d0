import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import { kustomization } from '../testing/fixtures.js';
import rule from './suspend-committed.js';

ruleTable(flux, rule, {
  valid: [
    { name: 'not suspended', after: kustomization('  prune: true\n') },
    { name: 'suspend: false', after: kustomization('  suspend: false\n') },
    {
      name: 'already suspended',
      before: kustomization('  suspend: true\n'),
      after: kustomization('  suspend: true\n  prune: true\n'),
    },
  ],
  invalid: [
    {
      name: 'suspend committed',
      before: { 'clusters/prod/flux.yaml': kustomization() },
      after: { 'clusters/prod/flux.yaml': kustomization('  suspend: true\n') },
      errors: [
        {
          messageId: 'suspended',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'clusters/prod/flux.yaml',
          line: 12,
          object: 'kustomize.toolkit.fluxcd.io/Kustomization/flux-system/shop',
          message: /flux resume kustomization shop -n flux-system/,
        },
      ],
    },
    {
      name: 'added suspended',
      after: kustomization('  suspend: true\n'),
      errors: [{ messageId: 'suspended', line: 12 }],
    },
    {
      name: 'resumed',
      before: kustomization('  suspend: true\n'),
      after: kustomization(),
      errors: [{ messageId: 'resumed', severity: 'info', line: 6 }],
    },
  ],
});
