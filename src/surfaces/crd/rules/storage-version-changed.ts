import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { crdKind, versionsOf } from '../model.js';

/** A finding's data: the CRD and its storage version before and after. */
export type StorageVersionChangedData = { crd: string; from: string; to: string };

export default defineRule<ObjectsContext, 'changed', StorageVersionChangedData>({
  id: 'storage-version-changed',
  surface: 'crd',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  severity: 'warning',
  docs: {
    summary: 'A CRD moves its storage version (`storage: true`) to another version.',
    rationale:
      'Objects are written in the storage version from now on, and existing ones stay in the old version until rewritten; `status.storedVersions` lists both. Moving storage back is possible only while the old version is still served and the conversion (webhook or `None`) round-trips: fields only the new version has are lost when objects are written back in the old one. Cleaning up (migrating stored objects, pruning `storedVersions`) is an operator action, not a revert.',
    fix: 'Move storage only after the new version has been served (and converted) for a while; migrate stored objects explicitly and keep the old version served until then.',
    references: [
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#writing-reading-and-updating-versioned-customresourcedefinition-objects',
    ],
  },
  messages: {
    changed:
      '{{crd}}: the storage version moves from {{from}} to {{to}}; objects written from now on are stored as {{to}}, and moving back needs a storage migration',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged) continue;
      const from = (versionsOf(c.before) ?? []).find((v) => v.storage);
      const news = versionsOf(c.after) ?? [];
      const to = news.find((v) => v.storage);
      if (!from || !to || from.name === to.name) continue;
      report('changed', { crd: crdKind(c.after), from: from.name, to: to.name }, at(c.after, [...to.path, 'storage']), {
        object: c.id,
      });
    }
  },
});
