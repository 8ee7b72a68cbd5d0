import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get, isObject } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';

export default defineRule<ObjectsContext, 'rollout' | 'flagger'>({
  id: 'canary-without-analysis',
  surface: 'rollouts',
  class: 'fully-reversible',
  severity: 'warning',
  smell: true,
  docs: {
    summary: 'A canary (Argo Rollouts canary strategy, Flagger Canary) promotes without any analysis.',
    rationale:
      'A canary earns its reduced blast radius from the checks between steps: without a background `analysis` or an `analysis` step (Argo Rollouts), or without `analysis.metrics`/webhooks (Flagger, which then checks only pod readiness), the canary advances on time alone and a bad version reaches full traffic before anyone decides to abort. The rollout can still be aborted by hand, so the class does not change: it is a smell that lengthens detection.',
    fix: 'Reference an AnalysisTemplate (background or as steps) measuring error rate and latency, or add Flagger metrics.',
    references: [
      'https://argo-rollouts.readthedocs.io/en/stable/features/analysis/',
      'https://docs.flagger.app/usage/metrics',
    ],
  },
  messages: {
    rollout: '{{object}} uses a canary strategy without analysis: steps advance on time alone',
    flagger: '{{object}} has no analysis metrics or webhooks: promotion only checks pod readiness',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.after || !c.bodyChanged) continue;
      const o = c.after;
      if (o.kind === 'Rollout') {
        const canary = get(o.body, ['spec', 'strategy', 'canary']);
        if (!isObject(canary)) continue;
        const steps = Array.isArray(canary.steps) ? canary.steps : [];
        const has =
          isObject(canary.analysis) ||
          steps.some((s) => isObject(s) && (isObject(s.analysis) || isObject(s.experiment)));
        if (!has)
          report('rollout', { object: describeObject(o) }, at(o, ['spec', 'strategy', 'canary']), { object: c.id });
      } else if (o.kind === 'Canary') {
        const a = get(o.body, ['spec', 'analysis']);
        const metrics = isObject(a) && Array.isArray(a.metrics) && a.metrics.length > 0;
        const hooks = isObject(a) && Array.isArray(a.webhooks) && a.webhooks.length > 0;
        if (!metrics && !hooks)
          report('flagger', { object: describeObject(o) }, at(o, ['spec', isObject(a) ? 'analysis' : 'targetRef']), {
            object: c.id,
          });
      }
    }
  },
});
