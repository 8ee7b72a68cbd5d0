import type { Surface, SurfaceContext } from '../../core/surface.js';
import type { KubeObject } from '../../kube/model.js';
import { claimsManifest } from '../../kube/objects.js';
import { objectsContext } from '../../kube/objects.js';
import { rolloutsRules } from './rules/index.js';

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

export const rollouts: Surface = {
  id: 'rollouts',
  name: 'Progressive delivery',
  summary:
    'Argo Rollouts (Rollout, AnalysisTemplate) and Flagger (Canary): canaries without analysis, analysis without a no-data policy, changes that a rollout can abort.',
  claims: claimsManifest,
  kinds: [...ROLLOUT_KINDS],
  rules: rolloutsRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    if (!ctx.files.some((f) => /argoproj\.io|flagger\.app/.test(`${f.oldText ?? ''}${f.newText ?? ''}`))) return;
    const octx = await objectsContext(ctx, isRolloutKind, { changedOnly: true });
    if (octx.changes.length) await ctx.run(rolloutsRules, octx);
  },
};
