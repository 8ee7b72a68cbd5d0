import { defineRule } from '../../../core/rule.js';
import { deepEqual, isObject, type Json } from '../../../kube/model.js';
import { locate, type KustomizeContext } from '../model.js';

/** The labels a kustomization writes into selectors: `commonLabels`, and `labels` with includeSelectors. */
function selectorLabels(v: Record<string, Json> | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (!v) return out;
  if (isObject(v.commonLabels)) Object.assign(out, v.commonLabels);
  if (Array.isArray(v.labels))
    for (const l of v.labels)
      if (isObject(l) && l.includeSelectors === true && isObject(l.pairs)) Object.assign(out, l.pairs);
  return out;
}

export default defineRule<KustomizeContext, 'changed'>({
  id: 'selector-labels-changed',
  surface: 'kustomize',
  class: 'reversible-with-manual-repair',
  decision: { effects: ['immutable'] },
  severity: 'warning',
  docs: {
    summary:
      'A kustomization changes labels it writes into selectors (`commonLabels`, or `labels` with `includeSelectors: true`).',
    rationale:
      "`commonLabels` are added to every object's labels and also to selectors: Deployment, ReplicaSet, DaemonSet and StatefulSet `spec.selector` (immutable once created), Job templates and Service selectors. Changing them makes the API server reject the update of every workload of the overlay; applying needs delete and re-create, and so does the rollback. The `labels` field leaves selectors alone unless `includeSelectors: true`.",
    fix: 'Use `labels:` without `includeSelectors` for labels that may change; keep selector labels fixed for the life of the workload.',
    references: [
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/commonlabels/',
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/labels/',
      'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#label-selector-updates',
    ],
  },
  // The rendered workloads' kubernetes/immutable-field-changed on spec.selector is this same fact.
  fact: { id: () => 'immutable:spec.selector', rank: 0 },
  messages: {
    changed:
      'selector labels change ({{keys}}): every Deployment, StatefulSet, DaemonSet and Job selector of this overlay changes, an immutable field: apply and rollback need the workloads deleted and re-created',
  },
  check({ kustomizations, report }) {
    for (const k of kustomizations) {
      if (!k.before || !k.after) continue;
      const a = selectorLabels(k.before.value);
      const b = selectorLabels(k.after.value);
      if (deepEqual(a, b)) continue;
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((x) => !deepEqual(a[x], b[x])).sort();
      const field = k.after.value.commonLabels !== undefined ? 'commonLabels' : 'labels';
      report('changed', { keys: keys.join(', ') }, locate(k.after, [field]));
    }
  },
});
