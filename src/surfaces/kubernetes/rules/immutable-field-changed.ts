import { defineRule } from '../../../core/rule.js';
import { at, createdPerRun, describeObject, type KubeContext } from '../../../kube/model.js';
import { IMMUTABLE_FIELDS, diffRow, rowsFor } from '../data/immutable-fields.js';

/**
 * A field the API server refuses to update changed. The apply fails (a GitOps sync retries forever),
 * and so would the revert once the object has been re-created: both directions need delete and
 * re-create. One rule over the data table in immutable-fields.ts, one row per kind and field.
 */
export default defineRule<KubeContext, 'changed' | 'pinned'>({
  id: 'immutable-field-changed',
  surface: 'kubernetes',
  class: 'reversible-with-manual-repair',
  decision: { effects: ['immutable'] },
  severity: 'warning',
  docs: {
    summary:
      "A field the API server's update validation rejects changed (StatefulSet volumeClaimTemplates, selectors, clusterIP, PVC spec, roleRef, ...).",
    rationale:
      "The API server rejects the update, so the apply fails and a GitOps controller retries forever while the rest of the change waits. The only way through is to delete and re-create the object, and the revert meets the same wall in the other direction: neither rolling forward nor rolling back is a plain apply. Re-creating can cost more than the field: a Service gets a new address, a binding drops permissions in between, a claim loses its volume. Objects that are created anew on every run are never updated, so nothing is rejected: a `metadata.generateName` object gets a new name at each create, and Argo CD and Helm hooks (`argocd.argoproj.io/hook`, `helm.sh/hook`) are created per sync or release and deleted by their delete policy (before-hook-creation by default), outside the application's resources.",
    fix: 'Prefer a new object under a new name next to the old one, then move consumers and delete the old one. When the object must keep its name, plan the re-create (for a StatefulSet: `kubectl delete sts NAME --cascade=orphan`, then re-apply) and declare the change reversible-with-manual-repair.',
    references: [
      ...new Set(IMMUTABLE_FIELDS.map((r) => r.source.replace(/:.*$/, ''))),
      'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#limitations',
      'https://kubernetes.io/docs/tasks/run-application/delete-stateful-set/',
      'https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/ (hooks are created per sync and removed by their delete policy)',
      'https://helm.sh/docs/topics/charts_hooks/#hook-deletion-policies (before-hook-creation is the default)',
    ],
  },
  // A kustomization's selector labels state the same fact for its rendered workloads, more precisely.
  fact: { id: (d) => `immutable:${String(d.field)}`, rank: 1 },
  messages: {
    changed:
      '{{object}}: {{field}} changed, but the API server rejects updates to it ({{source}}): the update fails unless the object is deleted and re-created, and so does the revert. {{repair}}',
    pinned:
      '{{object}}: {{field}} is now written where the API server had filled it in at creation; the update is rejected unless the value equals the one the server chose ({{source}}). {{repair}}',
  },
  check({ changes, kubeMinor, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged) continue;
      // Hooks and generateName objects are created anew, never updated: nothing is rejected.
      if (createdPerRun(c.before) || createdPerRun(c.after)) continue;
      const rows = rowsFor(c.group, c.kind);
      if (rows.length === 0) continue;
      const reported = new Set<string>();
      for (const row of rows) {
        if (row.unlessReported && reported.has(row.unlessReported)) continue;
        for (const d of diffRow(row, c.before.body, c.after.body, kubeMinor)) {
          const field = d.path
            .map((p) => (typeof p === 'number' ? `[${p}]` : p))
            .join('.')
            .replace(/\.\[/g, '[');
          reported.add(field);
          report(
            d.type,
            {
              object: describeObject(c.after),
              kind: c.kind,
              field,
              source: row.source.replace(/ \(.*$/, ''),
              repair: row.repair.replace('NAME', c.after.name + (c.after.namespace ? ` -n ${c.after.namespace}` : '')),
            },
            at(c.after, d.path),
            { object: c.id },
          );
        }
      }
    }
  },
});
