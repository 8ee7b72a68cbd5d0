import { defineRule } from '../../../core/rule.js';
import type { HelmContext } from '../model.js';

export default defineRule<HelmContext, 'changed' | 'removed'>({
  id: 'crds-changed',
  surface: 'helm',
  class: 'reversible-with-manual-repair',
  decision: { effects: ['crd-incompatible'] },
  severity: 'warning',
  docs: {
    summary: "A file in a chart's `crds/` directory is added, changed or removed.",
    rationale:
      'Helm installs the CRDs in `crds/` on the first install only: `helm upgrade` does not update them and `helm uninstall`/`helm rollback` never delete or downgrade them. A chart bump that changes its CRDs therefore does nothing to them through Helm (someone applies them by hand, or Flux applies them with `upgrade.crds: CreateReplace`, or Argo CD applies the rendered CRDs like any object), and a rollback of the chart leaves the new CRDs in place: the old chart then runs against newer CRDs. The CRD surface compares the versions and schemas of the files themselves.',
    fix: 'Manage CRDs as their own change (a separate chart or manifest), upgrade them before the chart that needs them, and plan their rollback separately.',
    references: [
      'https://helm.sh/docs/chart_best_practices/custom_resource_definitions/',
      'https://helm.sh/docs/topics/charts/#limitations-on-crds',
      'https://fluxcd.io/flux/components/helm/helmreleases/#crds',
    ],
  },
  messages: {
    changed: '{{file}}: CRDs in crds/ change; helm upgrade does not apply them and a chart rollback does not undo them',
    removed: '{{file}}: a CRD leaves crds/; Helm never deletes CRDs, so it stays in the cluster',
  },
  check({ charts, report }) {
    for (const c of charts) {
      if (c.kind !== 'crd') continue;
      report(c.after === undefined ? 'removed' : 'changed', { file: c.path }, { file: c.path, line: 1 });
    }
  },
});
