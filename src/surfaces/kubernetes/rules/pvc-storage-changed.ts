import { defineRule } from '../../../core/rule.js';
import {
  at,
  compareQuantities,
  describeObject,
  get,
  parseQuantity,
  type KubeContext,
  type KubeObject,
  type RepositoryIndex,
} from '../../../kube/model.js';

const STORAGE = ['spec', 'resources', 'requests', 'storage'];

/**
 * The storage request of a PersistentVolumeClaim changed. A volume cannot shrink: a decrease is
 * rejected, and an increase cannot be reverted (the revert asks for the decrease). Sizes of
 * StatefulSet volumeClaimTemplates are immutable and left to immutable-field-changed.
 */
export default defineRule<KubeContext, 'decrease' | 'increase' | 'expansionNotAllowed' | 'unparsable'>({
  id: 'pvc-storage-changed',
  surface: 'kubernetes',
  class: 'forward-only',
  severity: 'warning',
  docs: {
    summary:
      'The storage request of a PersistentVolumeClaim is increased (the revert cannot shrink it) or decreased (rejected).',
    rationale:
      'Kubernetes does not shrink volumes. ValidatePersistentVolumeClaimUpdate rejects a request below the current capacity ("field can not be less than status.capacity"), so a decrease fails to apply, and the revert of an increase is exactly such a decrease: once the volume has grown, the old manifest can no longer be applied. Since 1.34 (RecoverVolumeExpansionFailure, GA) a request may go back down only while the expansion has not completed, down to the size the volume really has. An increase also needs the StorageClass to allow expansion.',
    fix: 'Treat a size increase as forward-only: after it is applied, keep the larger size in Git. To really shrink, copy the data to a new smaller claim and switch the workload to it. Make sure the StorageClass has allowVolumeExpansion: true before increasing.',
    references: [
      'ValidatePersistentVolumeClaimUpdate (pkg/apis/core/validation/validation.go): field can not be less than status.capacity',
      'https://kubernetes.io/docs/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims',
      'https://kubernetes.io/blog/2025/09/19/kubernetes-v1-34-recover-expansion-failure/',
      'https://github.com/kubernetes/enhancements/tree/master/keps/sig-storage/1790-recover-resize-failure',
      'PersistentVolumeClaimResize admission plugin (plugin/pkg/admission/storage/persistentvolume/resize/admission.go): only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      'https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/',
    ],
  },
  messages: {
    decrease: {
      text: '{{object}}: storage request lowered from {{from}} to {{to}}; the API server rejects it (a volume cannot shrink below its capacity) and the sync fails until the size goes back up',
      class: 'reversible-with-manual-repair',
      severity: 'error',
    },
    increase: {
      text: '{{object}}: storage request raised from {{from}} to {{to}}; once the volume has grown, the revert asks for {{from}} and is rejected: keep the new size in Git',
      decision: { effects: ['previous-invalid'] },
    },
    expansionNotAllowed: {
      text: '{{object}}: storage request raised from {{from}} to {{to}}, but StorageClass {{storageClass}} does not set allowVolumeExpansion: true; the API server rejects the resize',
      class: 'reversible-with-manual-repair',
      severity: 'error',
    },
    unparsable: {
      text: '{{object}}: storage request changed from {{from}} to {{to}}, which rollwright cannot read as quantities; check the direction by hand (a decrease is rejected)',
      class: 'forward-only',
      severity: 'warning',
      decision: { effects: ['previous-invalid'] },
    },
  },
  async check({ changes, mentioning, index, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged || c.group !== '' || c.kind !== 'PersistentVolumeClaim') continue;
      const rawFrom = get(c.before.body, STORAGE);
      const rawTo = get(c.after.body, STORAGE);
      if (rawFrom === undefined || rawTo === undefined || rawFrom === null || rawTo === null) continue;
      const from = String(rawFrom);
      const to = String(rawTo);
      if (from === to) continue;
      const object = describeObject(c.after);
      const where = at(c.after, STORAGE);
      const extra = { object: c.id };
      const qFrom = parseQuantity(rawFrom);
      const qTo = parseQuantity(rawTo);
      if (!qFrom || !qTo) {
        report('unparsable', { object, from, to }, where, extra);
        continue;
      }
      const cmp = compareQuantities(qTo, qFrom);
      if (cmp < 0) report('decrease', { object, from, to }, where, extra);
      else if (cmp > 0) {
        const sc = await storageClassOf(c.after, mentioning, index);
        if (sc && get(sc.body, ['allowVolumeExpansion']) !== true)
          report('expansionNotAllowed', { object, from, to, storageClass: sc.name }, where, extra);
        else report('increase', { object, from, to }, where, extra);
      }
    }
  },
});

/**
 * The claim's StorageClass when the repository defines it: among the changed files, else looked up at
 * head (a lazy grep, only for claims that grow). A claim without a class uses the cluster default,
 * which cannot be known from Git.
 */
async function storageClassOf(
  pvc: KubeObject,
  mentioning: KubeContext['mentioning'],
  index: RepositoryIndex,
): Promise<KubeObject | undefined> {
  const name = get(pvc.body, ['spec', 'storageClassName']);
  if (typeof name !== 'string' || !name) return undefined;
  const id = `storage.k8s.io/StorageClass//${name}`;
  const known =
    mentioning('head', [name], ['StorageClass']).find((o) => o.id === id) ??
    mentioning('base', [name], ['StorageClass']).find((o) => o.id === id);
  if (known) return known;
  return (await index.objectsMentioning([name], [pvc.scope])).find((o) => o.id === id && o.scope === pvc.scope);
}
