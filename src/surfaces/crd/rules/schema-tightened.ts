import { defineRule } from '../../../core/rule.js';
import { at } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { crdKind, tightenings, versionsOf } from '../model.js';

/** A finding's data: the CRD, the version, what got stricter and where in its schema. */
export type SchemaTightenedData = { crd: string; version: string; what: string; path: string };

export default defineRule<ObjectsContext, 'tightened', SchemaTightenedData>({
  id: 'schema-tightened',
  surface: 'crd',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-controller-upgrade', effects: [] },
  severity: 'warning',
  docs: {
    summary:
      "A served version's schema accepts less: a field newly required, enum values removed, a validation or CEL rule added, an allOf/anyOf/oneOf/not constraint added or narrowed, a type changed.",
    rationale:
      'The API server validates writes against the new schema, but objects already stored are not re-validated until they are next written: a stored object that violates the new schema cannot be updated (its controller fails to write status, a `kubectl apply` is rejected) until someone fixes it by hand. Removed properties are pruned from stored objects on their next write, which loses data. Ratcheting (Kubernetes 1.30+) lets unchanged invalid fields pass on update, but not new objects nor changed fields.',
    fix: 'Tighten in a new version, or check every stored object against the new schema first (`kubectl get <kind> -A -o yaml` and a dry-run apply); add CEL rules with `optionalOldSelf`/transition rules where possible.',
    references: [
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-ratcheting',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules',
    ],
  },
  messages: {
    tightened:
      '{{crd}} version {{version}}: {{what}} at {{path}}; stored objects that do not conform cannot be updated until repaired',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged) continue;
      const olds = versionsOf(c.before) ?? [];
      for (const v of versionsOf(c.after) ?? []) {
        if (!v.served) continue;
        const old = olds.find((o) => o.name === v.name);
        if (!old?.schema || !v.schema) continue;
        for (const t of tightenings(old.schema, v.schema))
          report(
            'tightened',
            { crd: crdKind(c.after), version: v.name, what: t.what, path: t.at },
            at(c.after, [...v.path, 'schema']),
            {
              object: c.id,
            },
          );
      }
    }
  },
});
