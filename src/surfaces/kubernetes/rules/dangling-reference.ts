import { defineRule } from '../../../core/rule.js';
import {
  at,
  configReferences,
  deepEqual,
  describeObject,
  get,
  isObject,
  type ConfigRef,
  type KubeContext,
  type KubeObject,
} from '../../../kube/model.js';

type Kind = 'ConfigMap' | 'Secret';

interface Gone {
  kind: Kind;
  namespace: string;
  name: string;
  /** Removed keys; empty when the whole object is removed. */
  keys: string[];
  /** Another object of the same kind and data added in the same namespace: a rename. */
  renamedTo?: string;
  /** Where the object was defined at base, for the message. */
  file: string;
  /** The environment it belonged to: only workloads of the same environment reference it. */
  scope: string;
}

const EFFECT: Record<ConfigRef['via'], string> = {
  env: 'pods that start from now on fail with CreateContainerConfigError',
  envFrom: 'pods that start from now on fail with CreateContainerConfigError',
  volume: 'pods that start from now on stay in ContainerCreating (the volume cannot be mounted)',
  imagePullSecret: 'image pulls that need the credential fail (ErrImagePull)',
};

/** A finding's data: the workload, the reference (kind, name, where and how it reads it), and what went. */
export type DanglingReferenceData = {
  workload: string;
  kind: string;
  name: string;
  via: string;
  path: string;
  effect: string;
  renamedTo?: string;
  definedIn?: string;
  keys?: string;
};

/**
 * A ConfigMap or Secret (or a key of it) goes away while a workload at head still references it
 * without `optional: true`. The workload keeps running until its pods restart; then they cannot
 * start. References are looked up across the repository (files the change did not touch included)
 * only when something was removed.
 */
export default defineRule<KubeContext, 'removed' | 'renamed' | 'keyRemoved', DanglingReferenceData>({
  id: 'dangling-reference',
  surface: 'kubernetes',
  class: 'fully-reversible',
  decision: { playbook: 'bad-config-reference', effects: [] },
  severity: 'error',
  docs: {
    summary:
      'A ConfigMap or Secret, or one of its keys, is removed or renamed while a workload still references it (env, envFrom, volumes, projected volumes, imagePullSecrets) without optional: true.',
    rationale:
      'Running pods keep what they read at start, so nothing fails at once: the breakage waits for the next restart, scale-up, eviction or rollout, when new pods cannot start (CreateContainerConfigError for env, ContainerCreating for volumes, ErrImagePull for pull secrets). Those pods are not failed: they wait (the kubelet keeps retrying the container creation, and a Job does not count a pod that never started against its backoffLimit), so reverting the change re-creates the object and the waiting pods start without anyone restarting them; a Deployment past its progress deadline resumes as its pods become ready. The break is real and reported as an error, but the revert repairs it: the class is fully-reversible. A Secret that something else still produces at head (an ExternalSecret, a SealedSecret, a cert-manager Certificate) is not dangling.',
    fix: 'Remove the reference first (or mark it optional: true), roll the workloads, and delete the ConfigMap or Secret in a later change. To rename, add the new object, move the references, then remove the old one.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/configmap/#configmaps-and-pods',
      'https://kubernetes.io/docs/concepts/configuration/secret/#restriction-secret-must-exist',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#optional-configmaps',
      'https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod',
      'https://external-secrets.io/latest/api/externalsecret/ (spec.target.name, defaults to metadata.name)',
      'https://github.com/bitnami-labs/sealed-secrets#usage (the Secret takes the SealedSecret name)',
      'https://cert-manager.io/docs/usage/certificate/ (spec.secretName)',
    ],
  },
  messages: {
    removed:
      '{{workload}} references {{kind}} {{name}} ({{via}} at {{path}}), which this change removes (it was defined in {{definedIn}}): {{effect}}',
    renamed:
      '{{workload}} references {{kind}} {{name}} ({{via}} at {{path}}), which this change renames to {{renamedTo}}: {{effect}} until the reference is updated',
    keyRemoved:
      '{{workload}} references key {{keys}} of {{kind}} {{name}} ({{via}} at {{path}}), which this change removes: {{effect}}',
  },
  async check({ changes, index, report }) {
    const gone = removedThings(changes);
    if (gone.length === 0) return;
    const head = await index.objectsMentioning([...new Set(gone.map((g) => g.name))].sort(), [
      ...new Set(gone.map((g) => g.scope)),
    ]);
    const defined = definedAtHead(head);
    const byKey = new Map<string, Gone>();
    for (const g of gone) {
      const key = `${g.scope}\0${g.kind}/${g.namespace}/${g.name}`;
      if (g.keys.length === 0 && defined.has(key)) continue;
      byKey.set(key, g);
    }
    if (byKey.size === 0) return;
    const seen = new Set<string>();
    for (const w of head) {
      for (const ref of configReferences(w)) {
        if (ref.optional) continue;
        const g = byKey.get(`${w.scope}\0${ref.kind}/${w.namespace}/${ref.name}`);
        if (!g) continue;
        const dedupe = `${w.id}\0${ref.path.join('.')}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        const data = {
          workload: describeObject(w),
          kind: ref.kind,
          name: ref.name,
          via: ref.via,
          path: ref.path
            .map((p) => (typeof p === 'number' ? `[${p}]` : p))
            .join('.')
            .replace(/\.\[/g, '['),
          effect: EFFECT[ref.via],
        };
        const where = at(w, ref.path);
        if (g.keys.length === 0) {
          if (g.renamedTo) report('renamed', { ...data, renamedTo: g.renamedTo }, where, { object: w.id });
          else report('removed', { ...data, definedIn: g.file }, where, { object: w.id });
        } else {
          const missing = ref.keys.filter((k) => g.keys.includes(k));
          if (missing.length > 0) report('keyRemoved', { ...data, keys: missing.join(', ') }, where, { object: w.id });
        }
      }
    }
  },
});

function dataKeys(o: KubeObject): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of o.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData']) {
    const m = get(o.body, [f]);
    if (isObject(m)) for (const [k, v] of Object.entries(m)) out.set(k, v);
  }
  return out;
}

/** ConfigMaps and Secrets removed at head, and keys removed from those that stay. */
function removedThings(changes: KubeContext['changes']): Gone[] {
  const out: Gone[] = [];
  const isConfig = (k: string, g: string): k is Kind => g === '' && (k === 'ConfigMap' || k === 'Secret');
  const added = changes.filter((c) => c.status === 'added' && c.after && isConfig(c.kind, c.group));
  for (const c of changes) {
    if (!isConfig(c.kind, c.group) || !c.before) continue;
    const b = c.before;
    if (c.status === 'removed') {
      const data = dataKeys(b);
      const twin =
        data.size > 0
          ? added.find(
              (a) =>
                a.after!.kind === b.kind &&
                a.after!.namespace === b.namespace &&
                a.after!.scope === b.scope &&
                deepEqual(Object.fromEntries(dataKeys(a.after!)), Object.fromEntries(data)),
            )
          : undefined;
      out.push({
        kind: c.kind,
        namespace: b.namespace,
        name: b.name,
        keys: [],
        file: b.file,
        scope: b.scope,
        ...(twin ? { renamedTo: twin.after!.name } : {}),
      });
    } else if (c.after) {
      const now = dataKeys(c.after);
      const lost = [...dataKeys(b).keys()].filter((k) => !now.has(k)).sort();
      if (lost.length > 0)
        out.push({ kind: c.kind, namespace: b.namespace, name: b.name, keys: lost, file: b.file, scope: b.scope });
    }
  }
  return out;
}

/**
 * `Kind/namespace/name` of every ConfigMap and Secret defined at head, including Secrets produced by
 * controllers from other objects: ExternalSecret (spec.target.name, default metadata.name), SealedSecret
 * (its own name), cert-manager Certificate (spec.secretName).
 */
function definedAtHead(objects: KubeObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.group === '' && (o.kind === 'ConfigMap' || o.kind === 'Secret'))
      out.add(`${o.scope}\0${o.kind}/${o.namespace}/${o.name}`);
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    let produced: string | undefined;
    if (o.group === 'external-secrets.io' && o.kind === 'ExternalSecret')
      produced = str(get(o.body, ['spec', 'target', 'name'])) ?? o.name;
    else if (o.group === 'bitnami.com' && o.kind === 'SealedSecret') produced = o.name;
    else if (o.group === 'cert-manager.io' && o.kind === 'Certificate')
      produced = str(get(o.body, ['spec', 'secretName']));
    if (produced) out.add(`${o.scope}\0Secret/${o.namespace}/${produced}`);
  }
  return out;
}
