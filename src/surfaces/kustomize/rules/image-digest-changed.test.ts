import { ruleTable } from '../../../testing/rule-tester.js';
import { kustomize } from '../index.js';
import rule from './image-digest-changed.js';

const k = (img: string) => ({ 'a/kustomization.yaml': `resources: []\nimages:\n  - name: ghcr.io/acme/web\n${img}` });
const digest = '    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n';

ruleTable(kustomize, rule, {
  valid: [
    { name: 'tag to tag', before: k('    newTag: "1.0"\n'), after: k('    newTag: "1.1"\n') },
    { name: 'digest to digest', before: k(digest), after: k(digest.replace(/1{64}/, '2'.repeat(64))) },
  ],
  invalid: [
    {
      name: 'digest to tag',
      before: k(digest),
      after: k('    newTag: "1.1"\n'),
      errors: [{ messageId: 'toTag', class: 'fully-reversible', severity: 'warning', line: 3, message: /to tag 1.1/ }],
    },
    {
      name: 'tag to digest',
      before: k('    newTag: "1.0"\n'),
      after: k(digest),
      errors: [{ messageId: 'toDigest', severity: 'info', line: 4 }],
    },
  ],
});
