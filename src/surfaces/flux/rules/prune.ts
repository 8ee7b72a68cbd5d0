import { defineToggleRule } from '../../../core/toggle.js';
import { at, describeObject, get } from '../../../kube/model.js';
import { changedObjects, type ObjectsContext } from '../../../kube/objects.js';

/** Garbage collection of a Flux Kustomization is turned on or off. */
export default defineToggleRule({
  id: 'prune',
  surface: 'flux',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'A Flux Kustomization turns garbage collection (`spec.prune`) on or off.',
    rationale:
      'With `spec.prune: true` kustomize-controller deletes objects it applied before and no longer finds in the source (its inventory): a manifest removed from Git, or a path moved, becomes a deletion in the cluster, PersistentVolumeClaims and Namespaces included unless they carry `kustomize.toolkit.fluxcd.io/prune: disabled`. Turning it off leaves removed objects running, unmanaged. Either way the setting changes what later changes do.',
    fix: 'Mark stateful objects `kustomize.toolkit.fluxcd.io/prune: disabled` before turning pruning on.',
    references: ['https://fluxcd.io/flux/components/kustomize/kustomizations/#prune'],
  },
  messages: {
    turnedOn: '{{object}} turns pruning on: objects removed from its source are now deleted from the cluster',
    turnedOff: {
      text: '{{object}} turns pruning off: objects removed from its source stay in the cluster, unmanaged',
      severity: 'info',
    },
  },
  pairs: ({ changes }: ObjectsContext) => changedObjects(changes, { kinds: ['Kustomization'], paired: true }),
  object: (c) => c.id,
  switches: [
    {
      read: (o) => get(o.body, ['spec', 'prune']) === true,
      moves: { on: 'turnedOn', off: 'turnedOff' },
      data: ({ after }) => ({ object: describeObject(after) }),
      at: ({ after }) => at(after, ['spec', 'prune']),
    },
  ],
});
