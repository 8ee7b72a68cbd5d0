import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get } from '../../../kube/model.js';
import type { FluxContext } from '../context.js';
import { kustomizationPath, prunes } from '../model.js';

const LIST = 3;
const list = (xs: readonly string[]): string =>
  xs.length <= LIST ? xs.join(', ') : `${xs.slice(0, LIST).join(', ')} and ${xs.length - LIST} more`;

/**
 * A Flux Kustomization with `spec.prune: true` leaves Git (deleted, renamed, or commented out): its
 * parent prunes it, and its finalizer garbage-collects every object in its inventory. The class
 * follows what its `spec.path` holds in this repository at the base.
 */
export default defineRule<FluxContext, 'destroys' | 'unread' | 'stateless'>({
  id: 'kustomization-deleted',
  surface: 'flux',
  class: 'non-recoverable-without-restore',
  severity: 'error',
  decision: { effects: ['data-destroyed'] },
  docs: {
    summary:
      'A Flux Kustomization with `prune: true` is deleted, renamed or commented out: kustomize-controller deletes everything it applied; classed by what its path holds.',
    rationale:
      'A Kustomization with `spec.prune: true` keeps an inventory of the objects it applied; when the Kustomization itself is deleted (its manifest removed, commented out, or renamed, which is a delete of the old name and a create of the new), its finalizer deletes every object of that inventory (`flux delete kustomization`: "Delete a kustomization and the Kubernetes resources created by it when prune is enabled"), unless an object carries `kustomize.toolkit.fluxcd.io/prune: disabled`. Re-adding the manifest re-applies the objects, not their data: a PersistentVolumeClaim (its volume under the Delete reclaim policy), a Namespace, or a StatefulSet whose claims are deleted with it come back empty. rollwright reads the Kustomization\'s `spec.path` at the base as Flux builds it (the kustomization.yaml resources, or every manifest below a plain directory), follows nested pruning Kustomizations, and classes the deletion by the most destructive object found. What it cannot read there (a remote base, a Helm chart, a path of another source) holds the class at non-recoverable, reported as not assessed. With `prune: false` the objects stay, unmanaged, and nothing is reported.',
    fix: 'Before removing the Kustomization, set `spec.prune: false` (or annotate its stateful objects `kustomize.toolkit.fluxcd.io/prune: disabled`) in a separate change, then remove it; to rename, add the new Kustomization first and move the objects over before deleting the old one.',
    references: [
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#prune',
      'https://fluxcd.io/flux/cmd/flux_delete_kustomization/',
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#path',
    ],
  },
  messages: {
    destroys:
      '{{object}} with prune: true {{how}}: kustomize-controller garbage-collects everything it applied, including {{stateful}}; re-adding it re-creates them empty',
    unread: {
      text: '{{object}} with prune: true {{how}}: kustomize-controller garbage-collects everything it applied, and part of it could not be assessed ({{unread}}); class held at non-recoverable until what it deploys is checked',
      severity: 'warning',
      decision: { effects: ['unassessed', 'data-surface'] },
      unassessed: {
        reason: 'part of what the Kustomization applied could not be read (a remote base, a Helm chart or another source)',
        remedy: 'list what it applied (flux tree kustomization NAME) and accept the finding in the change declaration, or set prune: false before removing it',
      },
    },
    stateless: {
      text: '{{object}} with prune: true {{how}}: kustomize-controller deletes the {{count}} objects it applied (none holds data: no claim, volume, namespace or claim-deleting StatefulSet); the revert re-applies them, with an outage in between',
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
    },
  },
  check({ changes, inventory, report }) {
    for (const c of changes) {
      const o = c.before;
      if (c.status !== 'removed' || !o || o.kind !== 'Kustomization' || !prunes(o)) continue;
      const inv = inventory.get(c.id);
      if (!inv) continue;
      const path = kustomizationPath(o);
      const renamed = changes.find(
        (n) =>
          n.status === 'added' &&
          n.after?.kind === 'Kustomization' &&
          n.after.scope === o.scope &&
          kustomizationPath(n.after) === path &&
          get(n.after.body, ['spec', 'sourceRef', 'name']) === get(o.body, ['spec', 'sourceRef', 'name']),
      )?.after;
      const how = renamed ? `is renamed to ${renamed.name} (a delete and a create)` : 'leaves Git';
      const object = describeObject(o);
      const where = at(o, ['spec', 'prune']);
      if (inv.stateful.length) report('destroys', { object, how, stateful: list(inv.stateful) }, where, { object: c.id });
      else if (inv.unread.length) report('unread', { object, how, unread: list(inv.unread) }, where, { object: c.id });
      else report('stateless', { object, how, count: String(inv.objects) }, where, { object: c.id });
    }
  },
});
