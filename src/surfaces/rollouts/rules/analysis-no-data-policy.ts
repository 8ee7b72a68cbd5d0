import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get, isObject } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';

/** A condition that decides what an empty query result means. */
const HANDLES_EMPTY = /len\(result\)|isNaN\(|default\(|result\s*==\s*nil|\?\?/;

export default defineRule<ObjectsContext, 'noPolicy' | 'passesOnEmpty'>({
  id: 'analysis-no-data-policy',
  surface: 'rollouts',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'An analysis metric does not say what happens when its query returns no data, or passes when it does.',
    rationale:
      'A metric query that returns nothing (a new service, a renamed label, a scrape gap) is the common failure of canary analysis. In Argo Rollouts an expression such as `result[0] >= 0.95` fails to evaluate on an empty vector and counts as an error; after `consecutiveErrorLimit` (default 4) errors the run is Error and the rollout aborts, or an `inconclusiveLimit` pauses it; a condition written as `len(result) == 0 || ...` promotes on no data. Either way the behaviour should be a decision: name it in the condition and set the limits.',
    fix: 'Handle empty results explicitly in `successCondition`/`failureCondition` (fail, or mark inconclusive) and set `consecutiveErrorLimit`/`inconclusiveLimit`; never let no data pass.',
    references: [
      'https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#handling-metric-results',
      'https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#consecutive-error-limit',
    ],
  },
  messages: {
    noPolicy:
      '{{object}}: metric {{metric}} has no explicit no-data handling and no error/inconclusive limits: an empty result aborts after the default 4 errors',
    passesOnEmpty: '{{object}}: metric {{metric}} passes when its query returns no data ({{condition}})',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.after || !c.bodyChanged || (c.kind !== 'AnalysisTemplate' && c.kind !== 'ClusterAnalysisTemplate'))
        continue;
      const metrics = get(c.after.body, ['spec', 'metrics']);
      if (!Array.isArray(metrics)) continue;
      metrics.forEach((m, i) => {
        if (!isObject(m) || !isObject(m.provider) || isObject(m.provider.job)) return;
        const ok = typeof m.successCondition === 'string' ? m.successCondition : '';
        const bad = typeof m.failureCondition === 'string' ? m.failureCondition : '';
        const object = describeObject(c.after!);
        const metric = String(m.name ?? `#${i}`);
        if (/len\(result\)\s*==\s*0\s*\|\|/.test(ok))
          report(
            'passesOnEmpty',
            { object, metric, condition: ok },
            at(c.after!, ['spec', 'metrics', i, 'successCondition']),
            { object: c.id },
          );
        else if (
          !HANDLES_EMPTY.test(ok + bad) &&
          m.consecutiveErrorLimit === undefined &&
          m.inconclusiveLimit === undefined
        )
          report('noPolicy', { object, metric }, at(c.after!, ['spec', 'metrics', i]), { object: c.id });
      });
    }
  },
});
