import { defineRule } from '../../../core/rule.js';
import { isBuiltinGroup } from '../../../kube/kinds.js';
import { at, describeObject, type KubeContext } from '../../../kube/model.js';

/**
 * Unknown is never safe: a custom resource that no surface of this run understands changed. Its
 * controller decides what an update or a delete does (a database, a bucket, a DNS zone may follow),
 * and rollwright cannot tell, so the change is held for a person to classify.
 */
export default defineRule<KubeContext, 'changed' | 'removed'>({
  id: 'unknown-kind',
  surface: 'kubernetes',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary: 'A custom resource of a kind no rollwright surface understands is added, changed or removed.',
    rationale:
      'A custom resource is an instruction to a controller, and only that controller knows what it does with it: a Crossplane or ACK resource may create or delete a cloud database, an operator may run a migration on update. rollwright cannot classify what it does not know, and unknown is never safe, so the change is held at reversible-with-manual-repair until a person (or a surface that knows the kind) says otherwise. A deletion is called out on its own: many controllers delete what they manage outside the cluster when their resource goes.',
    fix: "Check what the controller does on update and on delete (deletionPolicy, finalizers, retain flags) and declare the class in the change declaration; protect deletions with the controller's retain setting or a prune annotation. A surface that understands the kind lists it in its `kinds`, which silences this rule for it.",
    references: [
      'https://kubernetes.io/docs/concepts/extend-kubernetes/api-extension/custom-resources/',
      'https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/',
      'https://docs.crossplane.io/latest/managed-resources/managed-resources/#deletionpolicy',
    ],
  },
  messages: {
    changed:
      '{{object}} ({{apiVersion}}) is {{status}}; rollwright does not know what the controller of {{groupKind}} does with it, so the change cannot be classified automatically',
    removed:
      '{{object}} ({{apiVersion}}) is removed; rollwright does not know what the controller of {{groupKind}} does on delete (it may delete what it manages outside the cluster)',
  },
  check({ changes, knownKinds, report }) {
    for (const c of changes) {
      if (isBuiltinGroup(c.group)) continue;
      const groupKind = `${c.group}/${c.kind}`;
      // `group/*`: a surface understands every kind of the group (Gatekeeper constraints).
      if (knownKinds.has(groupKind) || knownKinds.has(`${c.group}/*`)) continue;
      if (c.status === 'removed' && c.before) {
        const o = c.before;
        report('removed', { object: describeObject(o), apiVersion: o.apiVersion, groupKind }, at(o, ['kind']), {
          object: c.id,
        });
        continue;
      }
      if (!c.after || !c.bodyChanged) continue;
      const o = c.after;
      report(
        'changed',
        {
          object: describeObject(o),
          apiVersion: o.apiVersion,
          groupKind,
          status: c.status === 'added' ? 'added' : 'changed',
        },
        at(o, ['kind']),
        { object: c.id },
      );
    }
  },
});
