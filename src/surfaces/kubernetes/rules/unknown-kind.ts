import { defineRule } from '../../../core/rule.js';
import { isBuiltinGroup } from '../../../kube/kinds.js';
import {
  at,
  createdPerRun,
  deepEqual,
  describeObject,
  get,
  type KubeContext,
  type KubeObject,
  type ObjectChange,
} from '../../../kube/model.js';
import { knownKind } from '../data/known-kinds.js';

type MessageId = 'changed' | 'removed' | 'renamed' | 'finalizers';

/**
 * A custom resource of a kind rollwright does not model. A kind is known when a surface of the run
 * models it (its `kinds`), when it is in the catalogue of widely used CRDs (`data/known-kinds.ts`), or
 * when a CustomResourceDefinition in the repository defines it. An addition or an update of a known
 * kind draws nothing; for a kind that is none of these, an addition or an update is reported as information: re-applying the previous manifest undoes it, and
 * rollwright has no evidence that it needs repair. What can destroy or strand state held by a
 * controller rollwright does not model (any kind outside the catalogue, a repository's own kinds
 * included) is held for a person: the object removed, renamed or moved to another namespace (the
 * controller sees a delete), or its finalizers changed.
 */
export default defineRule<KubeContext, MessageId>({
  id: 'unknown-kind',
  surface: 'kubernetes',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'A custom resource of a kind rollwright does not model changes (information), or is removed, renamed, moved to another namespace or has its finalizers changed (held for a person).',
    rationale:
      "A custom resource is an instruction to a controller, and only that controller knows what it does with it. A kind is known when a rollwright surface models it, when it belongs to the shipped catalogue of widely used CRDs (cert-manager, Gateway API, Prometheus Operator, External Secrets, Kyverno, Argo CD/Rollouts/Workflows/Events, Flux, Crossplane, Velero, VolSync, CloudNativePG, Istio, Traefik, KEDA, ...; each group with its API reference as source), or when a CustomResourceDefinition in the repository (changed or not) defines it: adding or updating an object of a known kind draws no finding here, and deleting one of a catalogue kind is judged by what the catalogue says its controller deletes (kubernetes/stateful-object-deleted). For any other kind, adding or updating an object is reported as information and does not set the class: the API server stores what is applied and re-applying the previous manifest stores the previous spec, and nothing says the controller did anything a revert cannot undo. Deleting the object is different: many controllers delete what they manage outside the cluster when their resource goes (a Crossplane or ACK managed resource deletes its cloud resource under the default deletionPolicy: Delete), and a rename or a namespace move is a delete and a create for the controller. Changing metadata.finalizers changes what happens at deletion (the controller's cleanup runs, or is skipped and leaves its resources stranded). Those are held at reversible-with-manual-repair until a person classifies them.",
    fix: "Check what the controller does on delete (deletionPolicy, finalizers, retain flags) and declare the class in the change declaration; protect deletions with the controller's retain setting or a prune annotation. Commit the kind's CustomResourceDefinition to the repository, or have a surface model the kind, to make it known.",
    references: [
      'https://kubernetes.io/docs/concepts/extend-kubernetes/api-extension/custom-resources/',
      'https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/',
      'https://docs.crossplane.io/latest/managed-resources/managed-resources/#deletionpolicy',
      'src/surfaces/kubernetes/data/known-kinds.ts (the catalogue of widely used CRD kinds, with a source per group)',
    ],
  },
  messages: {
    changed: {
      text: '{{object}} ({{apiVersion}}) is {{status}}; {{groupKind}} is a kind rollwright does not model (no surface, no CRD in the repository, not in the catalogue of widely used CRDs): re-applying the previous manifest undoes the change, but check what its controller does with it',
      class: 'fully-reversible',
      severity: 'info',
    },
    removed:
      '{{object}} ({{apiVersion}}) is removed; rollwright does not know what the controller of {{groupKind}} does on delete (it may delete what it manages outside the cluster)',
    renamed:
      '{{object}} ({{apiVersion}}) becomes {{to}}: for the controller of {{groupKind}} that is a delete and a create, and rollwright does not know what it does on delete (it may delete what it manages outside the cluster)',
    finalizers:
      '{{object}} ({{apiVersion}}) changes its finalizers ({{from}} to {{to}}): they decide whether the controller of {{groupKind}} cleans up, or strands, what it manages when the object is deleted, and rollwright does not model that controller',
  },
  async check({ changes, knownKinds, index, before, after, report }) {
    const candidates = changes.filter((c) => {
      if (isBuiltinGroup(c.group)) return false;
      // `group/*`: a surface understands every kind of the group (Gatekeeper constraints).
      if (knownKinds.has(`${c.group}/${c.kind}`) || knownKinds.has(`${c.group}/*`)) return false;
      if (knownKind(c.group, c.kind)) return false;
      if (generated(c)) return false;
      return c.status === 'removed' || (c.after !== undefined && c.bodyChanged);
    });
    if (!candidates.length) return;
    const defined = await definedKinds([...new Set(candidates.map((c) => c.group))], index, [
      ...before.values(),
      ...after.values(),
    ]);
    // A kind the repository defines is known: only what can destroy or strand state is held for it.
    // A removal paired with an addition of the same kind in the same file: a rename or a namespace move.
    const added = candidates.filter((c) => c.status === 'added');
    const renamedTo = new Map<ObjectChange, KubeObject>();
    for (const c of candidates) {
      if (c.status !== 'removed' || !c.before) continue;
      const i = added.findIndex((a) => a.kind === c.kind && a.group === c.group && a.after!.file === c.before!.file);
      if (i < 0) continue;
      renamedTo.set(c, added[i]!.after!);
      added.splice(i, 1);
    }
    const partners = new Set([...renamedTo.values()]);
    for (const c of candidates) {
      const groupKind = `${c.group}/${c.kind}`;
      if (c.status === 'removed' && c.before) {
        const o = c.before;
        const data = { object: describeObject(o), apiVersion: o.apiVersion, groupKind };
        const to = renamedTo.get(c);
        if (to) report('renamed', { ...data, to: describeObject(to) }, at(to, ['metadata']), { object: c.id });
        else report('removed', data, at(o, ['kind']), { object: c.id });
        continue;
      }
      const o = c.after!;
      if (partners.has(o)) continue;
      const isDefined = defined.has(groupKind);
      const data = { object: describeObject(o), apiVersion: o.apiVersion, groupKind };
      const was = c.before ? finalizers(c.before) : undefined;
      const now = finalizers(o);
      if (c.before && !deepEqual(was, now)) {
        report(
          'finalizers',
          { ...data, from: list(was), to: list(now) },
          at(o, now.length ? ['metadata', 'finalizers'] : ['metadata']),
          { object: c.id },
        );
        continue;
      }
      if (isDefined) continue;
      report('changed', { ...data, status: c.status === 'added' ? 'added' : 'changed' }, at(o, ['kind']), {
        object: c.id,
      });
    }
  },
});

/**
 * The `group/Kind`s among `groups` that a CustomResourceDefinition defines, in the changed files (either
 * side) or anywhere in the repository at head (one search for the group names).
 */
async function definedKinds(
  groups: string[],
  index: KubeContext['index'],
  changed: KubeObject[],
): Promise<Set<string>> {
  const out = new Set<string>();
  const add = (o: KubeObject) => {
    if (o.group !== 'apiextensions.k8s.io' || o.kind !== 'CustomResourceDefinition') return;
    const group = get(o.body, ['spec', 'group']);
    const kind = get(o.body, ['spec', 'names', 'kind']);
    if (typeof group === 'string' && typeof kind === 'string' && groups.includes(group)) out.add(`${group}/${kind}`);
  };
  changed.forEach(add);
  (await index.objectsMentioning(groups)).forEach(add);
  return out;
}

/** Hooks and objects created under a generated name are never updated or deleted by Git. */
function generated(c: ObjectChange): boolean {
  return createdPerRun(c.after ?? c.before!) !== undefined;
}

function finalizers(o: KubeObject): string[] {
  const f = get(o.body, ['metadata', 'finalizers']);
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

function list(f: string[] | undefined): string {
  return f && f.length ? f.join(', ') : 'none';
}
