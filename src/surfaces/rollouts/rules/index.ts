import type { Rule } from '../../../core/rule.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import analysisNoDataPolicy from './analysis-no-data-policy.js';
import canaryWithoutAnalysis from './canary-without-analysis.js';
import rolloutChanged from './rollout-changed.js';

export const rolloutsRules: readonly Rule<ObjectsContext, string>[] = [
  analysisNoDataPolicy,
  canaryWithoutAnalysis,
  rolloutChanged,
];
