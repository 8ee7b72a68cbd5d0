import { defineRule } from '../../../core/rule.js';
import { crdKind, isCrd, versionsOf } from '../../crd/model.js';
import { at, get } from '../../../kube/model.js';
import type { RevertContext } from '../model.js';

type MessageId = 'storedVersion' | 'stillUsed' | 'notStored';

/**
 * The revert removes a CRD version (or stops serving it) that the reverted change had added. The crd
 * surface reports the served version going away (`crd/served-version-removed`); this rule adds what
 * the revert means for the objects already written: at the storage version they are stored there,
 * and the API server refuses to drop a version still listed in `status.storedVersions`.
 */
export default defineRule<RevertContext, MessageId>({
  id: 'crd-version-reverted',
  surface: 'revert',
  class: 'forward-only',
  severity: 'error',
  docs: {
    summary:
      'The revert removes or stops serving a CRD version that the reverted change added: objects may be stored at it, and manifests may use it.',
    rationale:
      'Objects created or updated while a version was the storage version are persisted at that version. `status.storedVersions` lists every version ever persisted, and a version may not be removed from `spec.versions` while it is listed there: the revert of the CRD is rejected until the stored objects are migrated to the old storage version and the status is pruned. A version that was only served stores nothing, but every manifest and client written against it since fails with "no matches for kind" once it is gone.',
    fix: 'Keep the added version served and revert only the storage flag first; migrate the stored objects (read and write each one, or kube-storage-version-migrator), prune `status.storedVersions`, then remove the version. Move manifests that use it back to the old version in the same revert.',
    references: [
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#upgrade-existing-objects-to-a-new-stored-version',
      'https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/custom-resource-definition-v1/ (status.storedVersions: versions may not be removed from spec.versions while they exist in this list)',
    ],
  },
  // crd/served-version-removed states the same removal; this view knows what the revert undoes.
  fact: { id: (d) => `crd-version-gone:${String(d.crd)}:${String(d.version)}`, rank: 0 },
  messages: {
    storedVersion: {
      text: '{{crd}}: the revert removes {{version}}, the storage version before the revert: every object written since is stored at {{version}}, and the API server rejects removing a version listed in status.storedVersions until those objects are migrated to {{storage}} and the status is pruned',
      decision: { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
    },
    stillUsed: {
      text: '{{crd}}: the revert stops serving {{version}}, and manifests at the revert\'s head still use it ({{files}}): they fail with "no matches for kind"',
      decision: { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
    },
    notStored: {
      text: '{{crd}}: the revert removes {{version}}, which was served but never the storage version: objects written through it are stored at {{storage}} and survive; clients outside the repository that use {{version}} fail',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
    },
  },
  async check({ objects, repo, report }) {
    for (const c of objects.changes) {
      if (!c.before || !c.after || !isCrd(c.after) || !c.bodyChanged) continue;
      const olds = versionsOf(c.before) ?? [];
      const news = versionsOf(c.after) ?? [];
      const group = get(c.after.body, ['spec', 'group']);
      const storage = news.find((v) => v.storage)?.name ?? '(none)';
      for (const v of olds) {
        if (!v.served) continue;
        const n = news.find((x) => x.name === v.name);
        if (n?.served) continue;
        const crd = crdKind(c.after);
        const where = at(c.after, n ? [...n.path, 'served'] : ['spec', 'versions']);
        const data = { crd, version: v.name, storage };
        if (v.storage) report('storedVersion', data, where, { object: c.id });
        const users =
          typeof group === 'string'
            ? (await repo.grep('head', [`apiVersion: ${group}/${v.name}`], ['**/*.yaml', '**/*.yml'])).sort()
            : [];
        if (users.length) report('stillUsed', { ...data, files: users.join(', ') }, where, { object: c.id });
        else if (!v.storage) report('notStored', data, where, { object: c.id });
      }
    }
  },
});
