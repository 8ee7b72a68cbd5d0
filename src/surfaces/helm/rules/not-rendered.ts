import { defineRule } from '../../../core/rule.js';
import type { HelmContext } from '../model.js';

export default defineRule<HelmContext, 'notRendered'>({
  id: 'not-rendered',
  surface: 'helm',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary:
      'Changed charts were not rendered (helm is not installed), so only what can be read statically was assessed.',
    rationale:
      'The exact effect of a chart or values change is in the rendered objects (`helm template` of both revisions, compared with the Kubernetes rules). Without a renderer rollwright says so once, and assesses what the chart files say on their own: chart versions, CRDs in `crds/`, hooks, persistence and naming values. Unknown is reported, not passed: the other Helm rules still hold the class where they can see a risk.',
    fix: 'Install helm where rollwright runs to get the rendered comparison; until then review the rendered diff (`helm template` both revisions) by hand for risky changes.',
    references: ['https://helm.sh/docs/helm/helm_template/'],
  },
  messages: {
    notRendered: '{{count}} changed chart file(s) not rendered ({{reason}}): only static chart rules were applied',
  },
  check({ charts, renderer, chartLocation, report }) {
    if (!charts.length) return;
    const first = [...charts].sort((a, b) => (a.path < b.path ? -1 : 1))[0]!;
    report('notRendered', { count: charts.length, reason: renderer.reason }, chartLocation(first.chart));
  },
});
