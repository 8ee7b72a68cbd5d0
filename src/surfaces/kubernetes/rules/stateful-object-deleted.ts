import { defineRule, type Report } from '../../../core/rule.js';
import { knownKind } from '../data/known-kinds.js';
import {
  at,
  createdPerRun,
  describeObject,
  get,
  isObject,
  pruneProtection,
  type KubeContext,
  type KubeObject,
} from '../../../kube/model.js';

/** Built-in kinds whose deletion can destroy data (group/Kind). */
export const STATEFUL_KINDS = new Set([
  '/PersistentVolumeClaim',
  '/PersistentVolume',
  '/Namespace',
  'apps/StatefulSet',
]);

type MessageId =
  | 'pvc'
  | 'pvcRetained'
  | 'pv'
  | 'pvRetained'
  | 'namespace'
  | 'statefulSetClaimsDeleted'
  | 'statefulSetClaimsKept'
  | 'statefulSetScaledDown'
  | 'customResource'
  | 'kept';

/**
 * A kind that holds data, or owns what does, leaves Git. What the deletion destroys follows the
 * real reclaim and retention policies: a claim whose volume is reclaimed with `Delete`, a volume
 * whose policy is `Delete`, a Namespace (everything in it), a StatefulSet whose claims are deleted
 * with it. Where the data survives (Retain), the object must still be re-bound by hand.
 *
 * A StatefulSet kept in Git can delete claims too: with
 * `persistentVolumeClaimRetentionPolicy.whenScaled: Delete` (read from the after state, which is what
 * the controller acts on) a lower `replicas` deletes the claims of the ordinals above the new count.
 */
export default defineRule<KubeContext, MessageId>({
  id: 'stateful-object-deleted',
  surface: 'kubernetes',
  class: 'non-recoverable-without-restore',
  decision: { effects: ['data-destroyed'] },
  severity: 'error',
  docs: {
    summary:
      'A PersistentVolumeClaim, PersistentVolume, Namespace or StatefulSet is deleted, or a StatefulSet is scaled down under whenScaled: Delete; classed by what its reclaim or retention policy destroys.',
    rationale:
      'Re-applying a manifest brings an object back, not its data. A deleted claim releases its volume, and with reclaim policy Delete (the default of dynamically provisioned volumes) the storage is deleted; a deleted Namespace takes every object in it, claims included; a StatefulSet deletes its claims only when persistentVolumeClaimRetentionPolicy.whenDeleted is Delete. With Retain the data survives as a Released volume, but the revert does not re-bind it: an operator must clear the claimRef. A StatefulSet whose claims are kept is re-created by the revert and re-binds the same claims by name. A StatefulSet that stays can delete claims as well: with persistentVolumeClaimRetentionPolicy.whenScaled: Delete "the associated PVCs for any excess pods above the replica count" are deleted when it scales down (Kubernetes API reference, StatefulSetPersistentVolumeClaimRetentionPolicy; the StatefulSetAutoDeletePVC feature, on by default since 1.27 and GA in 1.32), so lowering replicas under that policy deletes the claims of the removed ordinals and, by their reclaim policy, their volumes; scaling back up (the revert) creates empty claims. The policy is read from the after state, which is what the controller acts on; replicas written nowhere default to 1. Custom resources whose controller deletes their data with them are in the catalogue of widely used CRDs (data/known-kinds.ts, `holdsState`): a CloudNativePG Cluster (its instances\' claims are owned by the Cluster and garbage-collected with it), a Longhorn Volume.',
    fix: 'Before deleting, set the volume reclaim policy to Retain (`kubectl patch pv NAME -p \'{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}\'`), take a snapshot or backup, or keep the object in the cluster with a prune annotation (`argocd.argoproj.io/sync-options: Prune=false`, `kustomize.toolkit.fluxcd.io/prune: disabled`, `helm.sh/resource-policy: keep`).',
    references: [
      'https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming',
      'https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection',
      'SetDefaults_PersistentVolume (pkg/apis/core/v1/defaults.go): persistentVolumeReclaimPolicy defaults to Retain',
      'https://kubernetes.io/docs/concepts/storage/storage-classes/#reclaim-policy',
      'https://github.com/kubernetes/enhancements/tree/master/keps/sig-storage/2644-honor-pv-reclaim-policy (HonorPVReclaimPolicy, GA in 1.33)',
      'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention',
      'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/ (persistentVolumeClaimRetentionPolicy.whenScaled)',
      'https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace',
      'https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources',
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#prune',
      'https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource',
    ],
  },
  messages: {
    pvc: '{{object}} is deleted: its volume is released and, with reclaim policy {{policy}}, the storage and its data are deleted; the revert creates an empty claim',
    pvcRetained: {
      text: '{{object}} is deleted: its volume is kept (reclaim policy Retain, {{why}}) but left Released; the revert creates a new claim that does not bind to it until an operator clears the volume claimRef',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-surface', 'immutable'] },
    },
    pv: '{{object}} is deleted with reclaim policy {{policy}}: it stays Terminating while bound (pv-protection), cannot be revived, and its backing storage is deleted once released (the policy is honoured whichever of volume and claim goes first since 1.33)',
    pvRetained: {
      text: '{{object}} is deleted with reclaim policy {{policy}}: the backing storage is kept, but the volume object and its binding are gone; re-applying it needs the claimRef cleared and the claim re-bound by hand',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-surface', 'immutable'] },
    },
    namespace:
      '{{object}} is deleted: the API server deletes every object in it, PersistentVolumeClaims (and their volumes, by reclaim policy) and Secrets not kept in Git included',
    statefulSetClaimsDeleted:
      '{{object}} is deleted with persistentVolumeClaimRetentionPolicy.whenDeleted: Delete: its claims, and with them the volumes and their data, are deleted',
    statefulSetClaimsKept: {
      text: '{{object}} is deleted and its pods stop, but no claim goes with it ({{why}}): the revert re-creates the StatefulSet, which re-binds its existing claims by name',
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
    },
    customResource: '{{object}} is deleted: {{what}} ({{project}}); the revert creates it again, empty',
    statefulSetScaledDown:
      '{{object}} is scaled down from {{from}} to {{to}} replicas with persistentVolumeClaimRetentionPolicy.whenScaled: Delete: the claims of ordinals {{ordinals}} ({{templates}}), and with them the volumes and their data, are deleted; scaling back up creates empty claims',
    kept: {
      text: '{{object}} leaves Git but stays in the cluster ({{annotation}}): orphaned, not deleted, and its data is kept',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
  },
  check({ changes, mentioning, report }) {
    for (const c of changes) {
      if (c.before && c.after && c.bodyChanged && c.group === 'apps' && c.kind === 'StatefulSet') {
        scaledDown(c.before, c.after, report);
        continue;
      }
      if (c.status !== 'removed' || !c.before) continue;
      const obj = c.before;
      // A hook or a generateName object leaving Git deletes nothing: each run created its own.
      if (createdPerRun(obj)) continue;
      const key = `${obj.group}/${obj.kind}`;
      const custom = knownKind(obj.group, obj.kind);
      const what = custom?.holdsState?.[obj.kind];
      if (!STATEFUL_KINDS.has(key) && !what) continue;
      const object = describeObject(obj);
      const extra = { object: obj.id };
      const keep = pruneProtection(obj);
      if (keep) {
        report('kept', { object, annotation: keep }, at(obj), extra);
        continue;
      }
      if (what) {
        report('customResource', { object, what, project: custom!.project }, at(obj), extra);
        continue;
      }
      switch (key) {
        case '/PersistentVolumeClaim': {
          const retained = claimRetained(obj, mentioning);
          if (retained) report('pvcRetained', { object, why: retained.why }, at(obj, retained.path), extra);
          else report('pvc', { object, policy: 'Delete' }, at(obj), extra);
          break;
        }
        case '/PersistentVolume': {
          const written = get(obj.body, ['spec', 'persistentVolumeReclaimPolicy']);
          // SetDefaults_PersistentVolume: a volume object written without a policy gets Retain.
          const policy = typeof written === 'string' && written ? written : 'Retain';
          const where = at(obj, ['spec', 'persistentVolumeReclaimPolicy']);
          const data = { object, policy: written ? policy : 'Retain (the default for a volume written without one)' };
          if (policy === 'Retain') report('pvRetained', data, where, extra);
          else report('pv', data, where, extra);
          break;
        }
        case '/Namespace':
          report('namespace', { object }, at(obj), extra);
          break;
        case 'apps/StatefulSet': {
          const path = ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted'];
          const whenDeleted = get(obj.body, path);
          const hasClaims = Array.isArray(get(obj.body, ['spec', 'volumeClaimTemplates']));
          if (whenDeleted === 'Delete' && hasClaims)
            report('statefulSetClaimsDeleted', { object }, at(obj, path), extra);
          else
            report(
              'statefulSetClaimsKept',
              {
                object,
                why: !hasClaims
                  ? 'it has no volumeClaimTemplates'
                  : whenDeleted === 'Retain'
                    ? 'whenDeleted: Retain'
                    : 'whenDeleted defaults to Retain',
              },
              at(obj, hasClaims && whenDeleted !== undefined ? path : []),
              extra,
            );
          break;
        }
      }
    }
  },
});

/** replicas as the API server defaults it (1 when not written); undefined when not a number (templated). */
function replicasOf(o: KubeObject): number | undefined {
  const r = get(o.body, ['spec', 'replicas']);
  if (r === undefined || r === null) return 1;
  return typeof r === 'number' && Number.isInteger(r) ? r : undefined;
}

/** A kept StatefulSet whose replicas go down while the after state deletes the claims of scaled-down ordinals. */
function scaledDown(before: KubeObject, after: KubeObject, report: Report<MessageId>): void {
  const path = ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenScaled'];
  if (get(after.body, path) !== 'Delete') return;
  const templates = get(after.body, ['spec', 'volumeClaimTemplates']);
  if (!Array.isArray(templates) || templates.length === 0) return;
  const from = replicasOf(before);
  const to = replicasOf(after);
  if (from === undefined || to === undefined || to >= from) return;
  const names = templates
    .map((t) => (isObject(t) ? get(t, ['metadata', 'name']) : undefined))
    .filter((n): n is string => typeof n === 'string');
  const ordinals = from - to === 1 ? `${to}` : `${to} to ${from - 1}`;
  report(
    'statefulSetScaledDown',
    {
      object: describeObject(after),
      from,
      to,
      ordinals,
      templates: names.length ? `volumeClaimTemplates ${names.join(', ')}` : 'every volumeClaimTemplate',
    },
    at(after, get(after.body, ['spec', 'replicas']) === undefined ? path : ['spec', 'replicas']),
    { object: after.id },
  );
}

/**
 * Why a deleted claim's volume is kept, when the manifests say so: the volume it names is written
 * with Retain (or no policy, which defaults to Retain), or its StorageClass reclaims with Retain.
 * Dynamically provisioned volumes take the StorageClass policy, Delete unless it says otherwise.
 */
function claimRetained(
  pvc: KubeObject,
  mentioning: KubeContext['mentioning'],
): { why: string; path: string[] } | undefined {
  // Only documents naming the volume or class are parsed (the changed files, both sides).
  const find = (id: string, name: string, kind: string) =>
    mentioning('head', [name], [kind]).find((o) => o.id === id) ??
    mentioning('base', [name], [kind]).find((o) => o.id === id);
  const volumeName = get(pvc.body, ['spec', 'volumeName']);
  if (typeof volumeName === 'string' && volumeName) {
    const pv = find(`/PersistentVolume//${volumeName}`, volumeName, 'PersistentVolume');
    if (pv) {
      const policy = get(pv.body, ['spec', 'persistentVolumeReclaimPolicy']);
      if (policy === undefined || policy === null || policy === 'Retain')
        return {
          why: `volume ${volumeName} is written with ${policy ? 'Retain' : 'no policy, which defaults to Retain'}`,
          path: ['spec', 'volumeName'],
        };
      return undefined;
    }
  }
  const className = get(pvc.body, ['spec', 'storageClassName']);
  if (typeof className === 'string' && className) {
    const sc = find(`storage.k8s.io/StorageClass//${className}`, className, 'StorageClass');
    if (sc && isObject(sc.body) && sc.body.reclaimPolicy === 'Retain')
      return { why: `StorageClass ${className} reclaims with Retain`, path: ['spec', 'storageClassName'] };
  }
  return undefined;
}
