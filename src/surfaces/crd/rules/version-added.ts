import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { crdKind, versionsOf } from '../model.js';

/** A finding's data: the CRD, the added version, the versions still served and the storage version. */
export type VersionAddedData = { crd: string; version: string; old?: string; storage?: string };

export default defineRule<ObjectsContext, 'added' | 'addedWithStorage', VersionAddedData>({
  id: 'version-added',
  surface: 'crd',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: 'A CRD gains a served version while the old ones stay served and storage is unchanged.',
    rationale:
      'Adding a version is the expand step of a CRD migration: old clients keep working, new ones can start, and objects are still stored as before. Removing the new version again is safe as long as nothing was stored in it, which holds while storage did not move. Its revert, once clients use the new version, is a served-version removal: do it before clients move.',
    fix: 'Nothing to do; move storage and stop serving the old version in later, separate changes.',
    references: [
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/',
    ],
  },
  messages: {
    added: '{{crd}}: version {{version}} is added; {{old}} stay served and storage stays {{storage}}',
    addedWithStorage: {
      text: '{{crd}}: version {{version}} is added and becomes the storage version at once; reverting it would stop serving a stored version',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
    },
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged) continue;
      const olds = versionsOf(c.before) ?? [];
      const news = versionsOf(c.after) ?? [];
      const oldStorage = olds.find((v) => v.storage)?.name;
      for (const v of news) {
        if (olds.some((o) => o.name === v.name) || !v.served) continue;
        const stillServed = olds
          .filter((o) => o.served && news.some((n) => n.name === o.name && n.served))
          .map((o) => o.name);
        const crd = crdKind(c.after);
        if (v.storage && oldStorage !== v.name)
          report('addedWithStorage', { crd, version: v.name }, at(c.after, v.path), { object: c.id });
        else if (stillServed.length)
          report(
            'added',
            { crd, version: v.name, old: stillServed.join(', '), storage: oldStorage ?? '?' },
            at(c.after, v.path),
            { object: c.id },
          );
      }
    }
  },
});
