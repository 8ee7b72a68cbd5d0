import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get, isObject } from '../../../kube/model.js';
import type { FluxContext } from '../context.js';

/** Bad input, reported rather than passed: a HelmRelease that names no chart cannot be reconciled. */
export default defineRule<FluxContext, 'missing'>({
  id: 'helmrelease-without-chart',
  surface: 'flux',
  class: 'reversible-with-manual-repair',
  severity: 'error',
  docs: {
    summary: 'A HelmRelease has neither `spec.chart` nor `spec.chartRef`.',
    rationale:
      'helm-controller needs a chart template (`spec.chart.spec.chart` with a `sourceRef`) or a reference to an existing HelmChart or OCIRepository (`spec.chartRef`); the CRD rejects an object with neither, so the apply fails and whatever the change meant to do does not happen. rollwright cannot say what would be deployed: the change is held until the input is fixed. A file that a kustomization in its folder lists as a patch (`patches`, `patchesStrategicMerge`, `patchesJson6902`) is applied to its target HelmRelease when kustomize builds, so it names no chart of its own and is not reported.',
    fix: 'Add `spec.chart.spec` (chart, version, sourceRef) or `spec.chartRef`.',
    references: [
      'https://fluxcd.io/flux/components/helm/helmreleases/#chart-template',
      'https://fluxcd.io/flux/components/helm/helmreleases/#chart-reference',
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/',
    ],
  },
  messages: {
    missing: '{{object}} has neither spec.chart nor spec.chartRef: the HelmRelease is rejected and nothing is deployed',
  },
  check({ changes, patchFiles, report }) {
    for (const c of changes) {
      if (c.kind !== 'HelmRelease' || !c.after || !c.bodyChanged || patchFiles.has(c.after.file)) continue;
      const chart = get(c.after.body, ['spec', 'chart']);
      const ref = get(c.after.body, ['spec', 'chartRef']);
      const ok = (isObject(chart) && isObject(chart.spec) && typeof chart.spec.chart === 'string') || isObject(ref);
      if (!ok) report('missing', { object: describeObject(c.after) }, at(c.after, ['spec']), { object: c.id });
    }
  },
});
