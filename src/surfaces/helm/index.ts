import type { Surface } from '../../core/surface.js';
import { assessCharts, claimsChartInput } from './context.js';
import { helmRules } from './rules/index.js';

export const helm: Surface = {
  id: 'helm',
  name: 'Helm',
  summary:
    'Helm charts (Chart.yaml, values, templates, crds/) and chart references in Argo CD Applications and Flux HelmReleases: version distance, CRDs Helm never upgrades, hooks a rollback does not undo, values that drop persistence or rename the release.',
  claims: claimsChartInput,
  rules: helmRules,
  assess: (ctx) => assessCharts(ctx),
};
