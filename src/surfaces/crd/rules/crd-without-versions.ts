import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { versionsOf } from '../model.js';

/** A finding's data: the CRD's name, and how many versions claim storage. */
export type CrdWithoutVersionsData = { name: string; count?: number };

export default defineRule<ObjectsContext, 'missing' | 'noStorage', CrdWithoutVersionsData>({
  id: 'crd-without-versions',
  surface: 'crd',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-controller-upgrade', effects: [] },
  severity: 'error',
  docs: {
    summary: 'A CRD has no versions, or not exactly one storage version.',
    rationale:
      'The API server rejects a CustomResourceDefinition without `spec.versions` (apiextensions.k8s.io/v1) or without exactly one `storage: true` version. The apply fails and nothing the change meant happens; rollwright cannot compare versions it cannot read, so the input is reported instead of passed.',
    fix: 'List the versions under `spec.versions` with exactly one `storage: true`.',
    references: [
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/',
    ],
  },
  messages: {
    missing: 'CustomResourceDefinition {{name}} has no versions: the API server rejects it',
    noStorage:
      'CustomResourceDefinition {{name}} has {{count}} storage versions (exactly one is required): the API server rejects it',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.after || !c.bodyChanged) continue;
      const vs = versionsOf(c.after);
      if (!vs || vs.length === 0) {
        report('missing', { name: c.after.name }, at(c.after, ['spec']), { object: c.id });
        continue;
      }
      const n = vs.filter((v) => v.storage).length;
      if (n !== 1)
        report('noStorage', { name: c.after.name, count: n }, at(c.after, ['spec', 'versions']), { object: c.id });
    }
  },
});
