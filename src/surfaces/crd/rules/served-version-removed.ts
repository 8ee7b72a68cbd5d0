import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { crdKind, versionsOf } from '../model.js';

/** A finding's data: the CRD and the version no longer served. */
export type ServedVersionRemovedData = { crd: string; version: string };

export default defineRule<ObjectsContext, 'removed' | 'unserved', ServedVersionRemovedData>({
  id: 'served-version-removed',
  surface: 'crd',
  class: 'forward-only',
  decision: { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  severity: 'error',
  docs: {
    summary: 'A CRD stops serving a version: the version is removed from `spec.versions` or set `served: false`.',
    rationale:
      'Once a version is no longer served, every client, manifest and controller that still uses it gets "no matches for kind" errors, and so does the revert of the manifests that moved off it if they are rolled back after this. Removing a version from `spec.versions` while objects are still stored in it is refused by the API server (it must stay in `status.storedVersions` until the stored objects are migrated and the status is updated): the old state is not reachable without a storage migration. The change is forward-only until every stored object and every user has moved.',
    fix: 'Set `served: false` only after all clients moved and stored objects were migrated to the storage version (`kube-storage-version-migrator` or a read/write of every object); then remove the version and prune `status.storedVersions`.',
    references: [
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#upgrade-existing-objects-to-a-new-stored-version',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#version-removal',
    ],
  },
  messages: {
    removed:
      '{{crd}}: version {{version}} is removed; clients and manifests using it fail, and stored objects must have been migrated first',
    unserved: '{{crd}}: version {{version}} is no longer served (served: false); clients and manifests using it fail',
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
