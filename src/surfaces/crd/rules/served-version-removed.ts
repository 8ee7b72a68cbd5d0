import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { crdKind, versionsOf } from '../model.js';

/** A finding's data: the CRD and the version no longer served. */
export type ServedVersionRemovedData = { crd: string; version: string };

export default defineRule<ObjectsContext, 'removed' | 'unserved', ServedVersionRemovedData>({
  id: 'served-version-removed',
  surface: 'crd',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  severity: 'error',
  docs: {
    summary: 'A CRD stops serving a version: the version is removed from `spec.versions` or set `served: false`.',
    rationale:
      'Once a version is no longer served, every client, manifest and controller that still uses it gets "no matches for kind" errors until it is served again. The change itself is reversible: the API server refuses to remove a version from `spec.versions` while it is still listed in `status.storedVersions` (so an update that drops a version with stored objects fails instead of stranding them), and setting `served: true` again, or adding the version back, is always accepted; the stored objects are converted on read either way. What breaks is every user of the version in between: the class is reversible-with-compatibility-window, and the window is how long clients keep using the old version.',
    fix: 'Find the users of the version first (audit logs, `kubectl get --raw /apis/GROUP/VERSION`, the manifests in Git); set `served: false` only after all clients moved and stored objects were migrated to the storage version (`kube-storage-version-migrator` or a read/write of every object); then remove the version and prune `status.storedVersions`.',
    references: [
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#upgrade-existing-objects-to-a-new-stored-version',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#version-removal',
      'ValidateCustomResourceDefinitionStoredVersions (staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go): every stored version must remain in spec.versions',
    ],
  },
  // revert/crd-version-reverted states the same removal from the revert's view, knowing more.
  fact: { id: (d) => `crd-version-gone:${String(d.crd)}:${String(d.version)}`, rank: 1 },
  messages: {
    removed:
      '{{crd}}: version {{version}} is removed; clients and manifests using it fail until it is served again (the API server refuses the removal while objects are stored in it)',
    unserved:
      '{{crd}}: version {{version}} is no longer served (served: false); clients and manifests using it fail until it is served again',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged) continue;
      const olds = versionsOf(c.before) ?? [];
      const news = versionsOf(c.after);
      if (!news) continue;
      for (const v of olds) {
        if (!v.served) continue;
        const n = news.find((x) => x.name === v.name);
        const crd = crdKind(c.after);
        if (!n) report('removed', { crd, version: v.name }, at(c.after, ['spec', 'versions']), { object: c.id });
        else if (!n.served)
          report('unserved', { crd, version: v.name }, at(c.after, [...n.path, 'served']), { object: c.id });
      }
    }
  },
});
