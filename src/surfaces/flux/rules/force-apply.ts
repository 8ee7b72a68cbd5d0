import { defineToggleRule } from '../../../core/toggle.js';
import { at, describeObject, get } from '../../../kube/model.js';
import { changedObjects, type ChangedObject, type ObjectsContext } from '../../../kube/objects.js';

/** Where each kind keeps the switch. */
const FORCE: Record<string, { path: string[]; message: 'kustomization' | 'helmRelease' }> = {
  Kustomization: { path: ['spec', 'force'], message: 'kustomization' },
  HelmRelease: { path: ['spec', 'upgrade', 'force'], message: 'helmRelease' },
};
const force = (c: ChangedObject) => FORCE[c.kind]!;

/**
 * `force: true` makes Flux delete and re-create an object whose update the API server rejects for an
 * immutable field. The change then deletes objects silently: a StatefulSet's pods, a Job's history,
 * a Service's cluster IP.
 */
export default defineToggleRule({
  id: 'force-apply',
  surface: 'flux',
  // Turning force on is itself undone by a revert: a risk amplifier for later changes, like a guard
  // rail turned off, so the class is fully-reversible and the warning carries the risk.
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'A Flux Kustomization (`spec.force`) or HelmRelease (`spec.upgrade.force`) turns forced replacement on.',
    rationale:
      'With `spec.force: true` kustomize-controller recreates an object when patching fails on an immutable field: the object is deleted (with background propagation: a StatefulSet takes its pods with it) and created again. helm-controller `upgrade.force` makes Helm replace resources the same way. What would have been a rejected apply becomes a delete and re-create, with new identity (cluster IPs, UIDs, owner references), and the revert does the same again. The setting itself is undone by a revert (fully-reversible): the risk is for the later changes it applies to, which the warning names.',
    fix: 'Keep force off; handle an immutable-field change as its own, declared change (orphan-delete and re-create) where it is needed.',
    references: [
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#force',
      'https://fluxcd.io/flux/components/helm/helmreleases/#upgrade-configuration',
      'https://github.com/fluxcd/pkg/issues/603',
    ],
  },
  messages: {
    kustomization:
      '{{object}} sets force: true: objects whose immutable fields change are deleted and re-created instead of rejected',
    helmRelease: '{{object}} sets upgrade.force: true: Helm replaces resources on upgrade (delete and re-create)',
  },
  pairs: ({ changes }: ObjectsContext) => changedObjects(changes, { kinds: Object.keys(FORCE) }),
  object: (c) => c.id,
  switches: [
    {
      read: (o, c) => get(o.body, force(c).path) === true,
      moves: { added: (c) => force(c).message, on: (c) => force(c).message },
      data: ({ after }) => ({ object: describeObject(after) }),
      at: (c) => at(c.after, force(c).path),
    },
  ],
});
