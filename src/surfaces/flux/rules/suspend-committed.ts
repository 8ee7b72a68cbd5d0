import { defineToggleRule } from '../../../core/toggle.js';
import { at, describeObject, get } from '../../../kube/model.js';
import { changedObjects, type ObjectsContext } from '../../../kube/objects.js';
import { cliNoun } from '../model.js';

/**
 * `spec.suspend: true` committed to Git: a pause left on. Pausing is a containment step, never the
 * recovery itself; committed, it also stops every later commit (a rollback included) from reaching
 * the cluster until someone resumes it.
 */
export default defineToggleRule({
  id: 'suspend-committed',
  surface: 'flux',
  class: 'fully-reversible',
  severity: 'warning',
  smell: ['suspended'],
  docs: {
    summary: 'A Flux object is committed with `spec.suspend: true` (or a committed suspension is lifted).',
    rationale:
      'A suspended Flux Kustomization, HelmRelease or source is not reconciled: nothing in Git reaches the cluster through it, neither the next change nor a revert. `flux suspend` is the narrow pause an incident uses to stop a control loop repeating damage, meant to be temporary and followed by `flux resume`; written into Git it becomes a standing freeze that nobody sees, and drift accumulates behind it. Lifting it applies everything that waited at once.',
    fix: 'Pause with `flux suspend <kind> <name>` during an incident and resume after; do not commit `suspend: true`. If a freeze must be declared in Git, give the change a window and an owner.',
    references: [
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#suspend',
      'https://fluxcd.io/flux/components/helm/helmreleases/#suspend',
      'https://fluxcd.io/flux/cmd/flux_suspend/',
    ],
  },
  messages: {
    suspended:
      '{{object}} is committed with suspend: true: Flux stops reconciling it, so neither later changes nor a rollback reach the cluster until `flux resume {{noun}} {{name}}{{ns}}`',
    resumed: {
      text: '{{object}} is resumed (suspend removed): everything committed while it was paused is applied at once',
      severity: 'info',
    },
  },
  pairs: ({ changes }: ObjectsContext) => changedObjects(changes),
  object: (c) => c.id,
  switches: [
    {
      read: (o) => get(o.body, ['spec', 'suspend']) === true,
      moves: { added: 'suspended', on: 'suspended', off: 'resumed' },
      data: ({ after }) => ({
        object: describeObject(after),
        noun: cliNoun(after.kind),
        name: after.name,
        ns: after.namespace ? ` -n ${after.namespace}` : '',
      }),
      at: ({ after }, move) => at(after, move === 'off' ? ['spec'] : ['spec', 'suspend']),
    },
  ],
});
