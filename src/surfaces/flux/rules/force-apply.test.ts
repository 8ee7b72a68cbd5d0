import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import { helmRelease, kustomization } from '../testing/fixtures.js';
import rule from './force-apply.js';

ruleTable(flux, rule, {
  valid: [
    { name: 'no force', after: kustomization('  prune: true\n') },
    {
      name: 'force already on',
      before: kustomization('  force: true\n'),
      after: kustomization('  force: true\n  prune: true\n'),
    },
  ],
  invalid: [
    {
      name: 'Kustomization force',
      before: kustomization(),
      after: kustomization('  force: true\n'),
      errors: [{ messageId: 'kustomization', class: 'fully-reversible', line: 12 }],
    },
    {
      name: 'HelmRelease upgrade.force',
      after: helmRelease('  upgrade:\n    force: true\n'),
      errors: [
        {
          messageId: 'helmRelease',
          class: 'fully-reversible',
          line: 16,
          object: 'helm.toolkit.fluxcd.io/HelmRelease/cache/redis',
        },
      ],
    },
  ],
});
