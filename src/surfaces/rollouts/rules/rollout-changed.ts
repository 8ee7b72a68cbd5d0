import { defineRule } from '../../../core/rule.js';
import { at, deepEqual, describeObject, get } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';

export default defineRule<ObjectsContext, 'rollout' | 'canary'>({
  id: 'rollout-changed',
  surface: 'rollouts',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: 'A change to a progressively delivered workload: the decision can abort it back to the stable version.',
    rationale:
      'A Rollout (Argo Rollouts) or a Flagger-managed target moves to its new version step by step: until full promotion the stable ReplicaSet keeps serving, and aborting (`kubectl argo rollouts abort`, or a failed Flagger analysis) shifts traffic back at once. While the rollout is in progress, the incident decision prefers this transition over a revert; rollwright records the command. After promotion, rolling back is a new rollout to the old version.',
    fix: 'Nothing to change; during an incident abort first, then revert in Git so the controller does not promote again.',
    references: [
      'https://argo-rollouts.readthedocs.io/en/stable/generated/kubectl-argo-rollouts/kubectl-argo-rollouts_abort/',
      'https://docs.flagger.app/usage/how-it-works',
    ],
  },
  messages: {
    rollout:
      '{{object}} changes its pod template: it rolls out progressively, and until promotion `kubectl argo rollouts abort {{name}}{{ns}}` returns traffic to the stable version',
    canary: '{{object}} changes: Flagger rolls {{target}} out progressively and rolls back on failed analysis',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged) continue;
      const o = c.after;
      if (
        o.kind === 'Rollout' &&
        !deepEqual(get(o.body, ['spec', 'template']), get(c.before.body, ['spec', 'template']))
      )
        report(
          'rollout',
          { object: describeObject(o), name: o.name, ns: o.namespace ? ` -n ${o.namespace}` : '' },
          at(o, ['spec', 'template']),
          { object: c.id },
        );
      else if (o.kind === 'Canary')
        report(
          'canary',
          { object: describeObject(o), target: String(get(o.body, ['spec', 'targetRef', 'name']) ?? 'its target') },
          at(o, ['spec']),
          { object: c.id },
        );
    }
  },
});
