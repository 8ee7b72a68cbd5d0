import { ruleTable } from '../../../testing/rule-tester.js';
import { kustomize } from '../index.js';
import rule from './selector-labels-changed.js';

const k = (extra: string) => `resources: []\n${extra}`;

ruleTable(kustomize, rule, {
  valid: [
    {
      name: 'labels without selectors',
      before: { 'a/kustomization.yaml': k('labels:\n  - pairs: {team: a}\n') },
      after: { 'a/kustomization.yaml': k('labels:\n  - pairs: {team: b}\n') },
    },
    {
      name: 'same commonLabels',
      before: { 'a/kustomization.yaml': k('commonLabels: {app: web}\n') },
      after: { 'a/kustomization.yaml': k('commonLabels: {app: web}\nnamespace: x\n') },
    },
  ],
  invalid: [
    {
      name: 'commonLabels changed',
      before: { 'a/kustomization.yaml': k('commonLabels: {app: web}\n') },
      after: { 'a/kustomization.yaml': k('commonLabels: {app: web, tier: front}\n') },
      errors: [{ messageId: 'changed', class: 'reversible-with-manual-repair', line: 2, message: /\(tier\)/ }],
    },
    {
      name: 'labels with includeSelectors changed',
      before: { 'a/kustomization.yaml': k('labels:\n  - includeSelectors: true\n    pairs: {app: web}\n') },
      after: { 'a/kustomization.yaml': k('labels:\n  - includeSelectors: true\n    pairs: {app: shop}\n') },
      errors: [{ messageId: 'changed', line: 2, message: /\(app\)/ }],
    },
  ],
});
