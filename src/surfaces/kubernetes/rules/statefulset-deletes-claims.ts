import { defineToggleRule } from '../../../core/toggle.js';
import { at, describeObject, get, type KubeContext } from '../../../kube/model.js';
import { changedObjects, type ChangedObject } from '../../../kube/objects.js';

const POLICY = ['spec', 'persistentVolumeClaimRetentionPolicy'];

/**
 * A StatefulSet whose claim retention policy deletes its PersistentVolumeClaims: deleting the
 * StatefulSet (a prune, a revert that removes it) or scaling it down deletes the volumes' claims, and
 * with the usual reclaim policy the data with them.
 */
export default defineToggleRule({
  id: 'statefulset-deletes-claims',
  surface: 'kubernetes',
  class: 'non-recoverable-without-restore',
  severity: 'warning',
  smell: true,
  treeOnly: true,
  docs: {
    summary:
      'A StatefulSet sets `persistentVolumeClaimRetentionPolicy` to `Delete` (when deleted or when scaled down).',
    rationale:
      'The claims a StatefulSet creates from its `volumeClaimTemplates` outlive it by default (`Retain`), which is what makes deleting and re-creating a StatefulSet, or scaling it down and up, recoverable: the pods come back to their volumes. With `whenDeleted: Delete` the controller deletes the claims when the StatefulSet is deleted, by hand, by an Argo CD or Flux prune, or by a revert that removes the manifest; with `whenScaled: Delete` it deletes the claims of the replicas a scale-down removes, so scaling back up gives them empty volumes. With a `Delete` reclaim policy (the default of dynamically provisioned volumes) the data goes with the claim: only a backup brings it back.',
    fix: 'Keep the default `Retain` for both (remove the policy, or set `whenDeleted: Retain` and `whenScaled: Retain`) on any StatefulSet whose volumes hold data, and delete claims deliberately after a backup.',
    references: [
      'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention',
      'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/ (persistentVolumeClaimRetentionPolicy: whenDeleted, whenScaled; Retain by default)',
    ],
  },
  messages: {
    whenDeleted:
      '{{object}} deletes its PersistentVolumeClaims when it is deleted (whenDeleted: Delete): a prune or a revert that removes it destroys the volumes of every replica',
    whenScaled:
      '{{object}} deletes the PersistentVolumeClaims of removed replicas when it scales down (whenScaled: Delete): scaling back up, or rolling back the replica count, starts them on empty volumes',
  },
  pairs: ({ changes }: KubeContext) =>
    changedObjects(changes).filter((c) => c.after.kind === 'StatefulSet' && c.after.group === 'apps'),
  object: (c) => c.id,
  switches: (['whenDeleted', 'whenScaled'] as const).map((field) => ({
    read: (o: ChangedObject['after']) => get(o.body, [...POLICY, field]) === 'Delete',
    moves: { added: field, on: field },
    data: ({ after }: ChangedObject) => ({ object: describeObject(after) }),
    at: ({ after }: ChangedObject) => at(after, [...POLICY, field]),
  })),
});
