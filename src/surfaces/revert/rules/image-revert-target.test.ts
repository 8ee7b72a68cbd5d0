import { ruleTable } from '../../../testing/rule-tester.js';
import { revert as surface } from '../index.js';
import { deployment } from '../testing/fixtures.js';
import rule from './image-revert-target.js';

const OLD = `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`;
const NEW = `ghcr.io/acme/web@sha256:${'b'.repeat(64)}`;

ruleTable(surface, rule, {
  valid: [
    { name: 'the image does not change', before: deployment({ replicas: 2 }), after: deployment({ replicas: 3 }) },
    { name: 'a new workload', before: {}, after: { 'apps/web.yaml': deployment() } },
  ],
  invalid: [
    {
      name: 'a digest bump reverted',
      before: deployment({ image: NEW }),
      after: deployment({ image: OLD }),
      errors: [
        {
          messageId: 'digest',
          class: 'fully-reversible',
          severity: 'warning',
          line: 18,
          message: new RegExp(`crane digest ${OLD.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
        },
      ],
    },
    {
      name: 'a tag brought back',
      before: deployment({ image: 'ghcr.io/acme/web:1.2.0' }),
      after: deployment({ image: 'ghcr.io/acme/web:1.1.0' }),
      errors: [{ messageId: 'tag', message: /may now name other bytes/ }],
    },
  ],
});
