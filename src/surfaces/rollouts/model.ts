import type { KubeObject } from '../../kube/model.js';

export const ROLLOUT_KINDS = [
  'argoproj.io/Rollout',
  'argoproj.io/AnalysisTemplate',
  'argoproj.io/ClusterAnalysisTemplate',
  'flagger.app/Canary',
  'flagger.app/MetricTemplate',
] as const;

export function isRolloutKind(o: Pick<KubeObject, 'group' | 'kind'>): boolean {
  return (ROLLOUT_KINDS as readonly string[]).includes(`${o.group}/${o.kind}`);
}
