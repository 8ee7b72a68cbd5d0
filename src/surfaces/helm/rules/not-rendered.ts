import { CONSERVATIVE_CLASS } from '../../../core/classes.js';
import { defineRule } from '../../../core/rule.js';
import type { HelmContext } from '../model.js';

export default defineRule<HelmContext, 'notRendered' | 'failed' | 'dependencies'>({
  id: 'not-rendered',
  surface: 'helm',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary:
      'Changed charts were not rendered (helm is not installed, or a chart does not render), so only what can be read statically was assessed.',
    rationale:
      'The exact effect of a chart or values change is in the rendered objects (`helm template` of both revisions, compared with the Kubernetes rules). Without a renderer rollwright says so once, and assesses what the chart files say on their own: chart versions, CRDs in `crds/`, hooks, persistence and naming values. Unknown is reported, not passed: the other Helm rules still hold the class where they can see a risk. With helm on PATH, each changed chart is rendered at both revisions (its default values, and each changed extra values file on its own) and the rendered objects are assessed with the Kubernetes rules; a chart that does not render at a side is an error at the conservative class (a chart that does not render at head will not install either), except when only its dependencies are missing from `charts/` (rollwright never fetches them: an info finding says so).',
    fix: 'Install helm where rollwright runs to get the rendered comparison; until then review the rendered diff (`helm template` both revisions) by hand for risky changes.',
    references: ['https://helm.sh/docs/helm/helm_template/', 'https://helm.sh/docs/helm/helm_dependency/'],
  },
  messages: {
    notRendered: {
      text: '{{count}} changed chart file(s) not rendered ({{reason}}): only static chart rules were applied',
      unassessed: {
        reason:
          '{{count}} changed chart file(s) were not rendered ({{reason}}), so only static chart rules were applied',
        remedy: 'install helm where rollwright runs, so both revisions are rendered and compared',
      },
    },
    failed: {
      text: 'chart {{chart}} ({{values}}) does not render at {{side}}: {{reason}}',
      class: CONSERVATIVE_CLASS,
      severity: 'error',
      decision: { effects: ['unassessed'] },
      unassessed: {
        reason: 'chart {{chart}} ({{values}}) does not render at {{side}}, so its rendered objects were not assessed',
        remedy: 'run `helm template` on the chart at {{side}} and fix what it reports',
      },
    },
    dependencies: {
      text: 'chart {{chart}} ({{values}}) was not rendered at {{side}}: its dependencies are not vendored in charts/ (`helm dependency build`); only static chart rules were applied ({{reason}})',
      unassessed: {
        reason:
          'chart {{chart}} ({{values}}) was not rendered at {{side}}: its dependencies are not vendored in charts/',
        remedy: 'vendor the dependencies (`helm dependency build`) so the chart renders offline',
      },
    },
  },
  check({ charts, renderer, chartLocation, report }) {
    // With helm available the charts are rendered; render failures are reported while rendering (index.ts).
    if (!charts.length || renderer.available) return;
    const first = [...charts].sort((a, b) => (a.path < b.path ? -1 : 1))[0]!;
    report('notRendered', { count: charts.length, reason: renderer.reason }, chartLocation(first.chart));
  },
});
