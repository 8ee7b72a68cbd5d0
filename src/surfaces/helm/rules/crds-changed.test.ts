import { ruleTable } from '../../../testing/rule-tester.js';
import { helm } from '../index.js';
import { chart } from '../testing/fixtures.js';
import rule from './crds-changed.js';

const crd = (v: string) =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: [{name: ${v}, served: true, storage: true}]\n`;

ruleTable(helm, rule, {
  valid: [
    { name: 'crds/ outside a chart', before: { 'x/crds/w.yaml': crd('v1') }, after: { 'x/crds/w.yaml': crd('v2') } },
  ],
  invalid: [
    {
      name: 'a chart CRD changes',
      before: { 'c/Chart.yaml': chart('1.0.0'), 'c/crds/w.yaml': crd('v1') },
      after: { 'c/Chart.yaml': chart('2.0.0'), 'c/crds/w.yaml': crd('v2') },
      errors: [{ messageId: 'changed', class: 'reversible-with-manual-repair', file: 'c/crds/w.yaml', line: 1 }],
    },
    {
      name: 'a chart CRD removed',
      before: { 'c/crds/w.yaml': crd('v1') },
      after: {},
      unchanged: { 'c/Chart.yaml': chart('1.0.0') },
      errors: [{ messageId: 'removed' }],
    },
  ],
});
