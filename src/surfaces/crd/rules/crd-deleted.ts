import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { pruneProtection } from '../../../kube/model.js';
import { crdKind } from '../model.js';

/** A finding's data: the CRD's name, its kind, or the annotation that keeps it. */
export type CrdDeletedData = { name: string; kind?: string; annotation?: string };

export default defineRule<ObjectsContext, 'deleted' | 'kept', CrdDeletedData>({
  id: 'crd-deleted',
  surface: 'crd',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-controller-upgrade', effects: ['data-destroyed'] },
  severity: 'error',
  docs: {
    summary: 'A CustomResourceDefinition is deleted: every custom resource of its kind is deleted with it.',
    rationale:
      'Deleting a CRD deletes all its custom resources in every namespace (their controllers may then delete what they manage outside the cluster). Re-applying the CRD brings back an empty kind: the objects come back only from Git (if they are all there) or a backup. Helm never deletes CRDs from `crds/`, but Argo CD and Flux prune them like any object unless protected.',
    fix: 'Protect CRDs from pruning (`argocd.argoproj.io/sync-options: Prune=false`, `kustomize.toolkit.fluxcd.io/prune: disabled`, `helm.sh/resource-policy: keep`) and delete them only after their objects are gone on purpose.',
    references: [
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#delete-a-customresourcedefinition',
    ],
  },
  messages: {
    deleted: 'CustomResourceDefinition {{name}} is deleted: every {{kind}} object in the cluster is deleted with it',
    kept: {
      text: 'CustomResourceDefinition {{name}} leaves Git but stays in the cluster ({{annotation}})',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (c.status !== 'removed' || !c.before) continue;
      const keep = pruneProtection(c.before);
      if (keep) report('kept', { name: c.before.name, annotation: keep }, at(c.before), { object: c.id });
      else report('deleted', { name: c.before.name, kind: crdKind(c.before) }, at(c.before), { object: c.id });
    }
  },
});
