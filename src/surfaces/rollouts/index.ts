import { kubeSurface } from '../../kube/surface.js';
import { ROLLOUT_KINDS, isRolloutKind } from './model.js';
import { rolloutsRules } from './rules/index.js';

export const rollouts = kubeSurface({
  id: 'rollouts',
  name: 'Progressive delivery',
  summary:
    'Argo Rollouts (Rollout, AnalysisTemplate) and Flagger (Canary): canaries without analysis, analysis without a no-data policy, changes that a rollout can abort.',
  kinds: [...ROLLOUT_KINDS],
  rules: rolloutsRules,
  mentions: /argoproj\.io|flagger\.app/,
  select: isRolloutKind,
  changedOnly: true,
});
