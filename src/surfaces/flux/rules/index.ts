import type { Rule } from '../../../core/rule.js';
import type { FluxContext } from '../context.js';
import apiVersionChanged from './api-version-changed.js';
import driftDetection from './drift-detection.js';
import forceApply from './force-apply.js';
import helmRemediation from './helm-remediation.js';
import helmreleaseWithoutChart from './helmrelease-without-chart.js';
import kustomizationDeleted from './kustomization-deleted.js';
import prune from './prune.js';
import sourceUnpinned from './source-unpinned.js';
import suspendCommitted from './suspend-committed.js';

export const fluxRules: readonly Rule<FluxContext, string>[] = [
  apiVersionChanged,
  driftDetection,
  forceApply,
  helmRemediation,
  helmreleaseWithoutChart,
  kustomizationDeleted,
  prune,
  sourceUnpinned,
  suspendCommitted,
];
