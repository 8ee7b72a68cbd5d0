import { defineRule } from '../../../core/rule.js';
import { locate, type KustomizeContext } from '../model.js';

/**
 * namePrefix/nameSuffix rename every object the kustomization emits: to the API server (and to the
 * GitOps controller's prune) each is a deletion of the old name and a creation of the new one.
 */
export default defineRule<KustomizeContext, 'changed'>({
  id: 'name-prefix-changed',
  surface: 'kustomize',
  class: 'reversible-with-manual-repair',
  decision: { effects: ['data-surface', 'immutable'] },
  severity: 'warning',
  docs: {
    summary: 'A kustomization changes `namePrefix` or `nameSuffix`: every object it emits is renamed.',
    rationale:
      'Kubernetes has no rename: an object with a new name is a new object, and the old one is deleted by the GitOps prune (or left orphaned). Workloads restart under new names, Services get new cluster IPs, references from outside the overlay break, and a PersistentVolumeClaim renamed is a new, empty volume while the old claim (and, with the default Delete reclaim policy, its data) goes. The rendered comparison reports each renamed stateful object with the Kubernetes rules; this finding names the cause.',
    fix: 'Do not rename stateful objects: exclude them from the prefix (a separate kustomization), or migrate the data first and declare the change.',
    references: [
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/nameprefix/',
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namesuffix/',
    ],
  },
  messages: {
    changed:
      '{{field}} changes from {{from}} to {{to}}: every object of this overlay is renamed (deleted and re-created under the new name; a renamed PersistentVolumeClaim is a new empty volume)',
  },
  check({ kustomizations, report }) {
    for (const k of kustomizations) {
      if (!k.before || !k.after) continue;
      for (const field of ['namePrefix', 'nameSuffix'] as const) {
        const from = k.before.value[field];
        const to = k.after.value[field];
        if ((from ?? '') === (to ?? '')) continue;
        report(
          'changed',
          { field, from: from ? JSON.stringify(from) : '(none)', to: to ? JSON.stringify(to) : '(none)' },
          locate(k.after, to === undefined ? [] : [field]),
        );
      }
    }
  },
});
