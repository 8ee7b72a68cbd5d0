import { defineRule } from '../../../core/rule.js';
import {
  at,
  configReferences,
  deepEqual,
  describeObject,
  get,
  isObject,
  podTemplatePath,
  type KubeContext,
  type KubeObject,
} from '../../../kube/model.js';
import { changedKeys } from './immutable-configmap-changed.js';

type MessageId = 'changed' | 'env' | 'volume' | 'subPath' | 'rolled';

/** A finding's data: the ConfigMap, its changed keys, and the workload that reads it (and how). */
export type ConfigMapDataChangedData = { object: string; keys: string; workload?: string; via?: string };

/**
 * A ConfigMap's data changed. The change itself is reversible (re-apply the old data), but who sees
 * it, and when, depends on how each workload consumes it: environment variables are read once at
 * container start, mounted files are refreshed by the kubelet, subPath mounts never are.
 */
export default defineRule<KubeContext, MessageId, ConfigMapDataChangedData>({
  id: 'configmap-data-changed',
  surface: 'kubernetes',
  class: 'fully-reversible',
  decision: { playbook: 'bad-config-reference', effects: [] },
  severity: 'info',
  docs: {
    summary:
      "A ConfigMap's data changed; names the workloads in the changed files that read it through env/envFrom (no reload until restart), volumes (eventually updated) or subPath mounts (never updated).",
    rationale:
      'Re-applying the previous data restores the ConfigMap, so the change is fully reversible, but the pods may not run what Git says: env and envFrom values are read when a container starts and never again, so a data change (and its revert) only reaches pods that restart; mounted files are updated by the kubelet after its sync period and cache TTL, and the application must notice; files mounted with subPath are never updated. Knowing which consumers need a restart tells the operator what a rollback must also restart.',
    fix: 'Roll the consumers with the change: a content hash of the ConfigMap in a pod template annotation (Helm checksum/config, kustomize configMapGenerator name suffix) restarts them on every data change and on its revert. Avoid subPath for configuration that must update.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically',
      'https://kubernetes.io/docs/concepts/configuration/configmap/#configmaps-consumed-as-environment-variables-are-not-updated-automatically',
      'https://kubernetes.io/docs/concepts/storage/volumes/#using-subpath (a container using a ConfigMap as a subPath volume mount will not receive ConfigMap updates)',
      'https://helm.sh/docs/howto/charts_tips_and_tricks/#automatically-roll-deployments',
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/',
    ],
  },
  messages: {
    changed:
      '{{object}}: data changed (keys: {{keys}}); no workload in the changed files reads it (consumers in other files were not checked)',
    env: '{{object}}: data changed (keys: {{keys}}); {{workload}} reads it through {{via}} and will not see the change, nor its revert, until its pods restart',
    volume:
      '{{object}}: data changed (keys: {{keys}}); {{workload}} mounts it as a volume: the kubelet updates the files after its sync period and cache TTL, and the application must re-read them',
    subPath:
      '{{object}}: data changed (keys: {{keys}}); {{workload}} mounts it with subPath: those files are never updated, the pods must restart to see the change or its revert',
    rolled:
      '{{object}}: data changed (keys: {{keys}}); {{workload}} reads it and its pod template changes in this change too, so its pods restart with the new data',
  },
  check({ changes, mentioning, report }) {
    // A workload whose pod template changed in this change rolls its pods anyway.
    const rolling = new Set(
      changes.filter((c) => c.before && c.after && templateChanged(c.before, c.after)).map((c) => c.id),
    );
    const changedMaps = changes.filter(
      (c) => c.before && c.after && c.bodyChanged && c.group === '' && c.kind === 'ConfigMap',
    );
    // One look-up for every changed ConfigMap's name: only documents naming one of them are parsed.
    const candidates = changedMaps.length
      ? mentioning('head', [...new Set(changedMaps.map((c) => c.after!.name))].sort()).sort((a, b) =>
          a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
        )
      : [];
    // Each candidate's ConfigMap references, read once and indexed by the ConfigMap they name: a
    // change of thousands of ConfigMaps would otherwise read every candidate once per ConfigMap.
    const readers = new Map<string, Array<{ w: KubeObject; refs: ReturnType<typeof configReferences> }>>();
    for (const w of candidates) {
      const byName = new Map<string, ReturnType<typeof configReferences>>();
      for (const r of configReferences(w)) {
        if (r.kind !== 'ConfigMap') continue;
        const list = byName.get(r.name);
        if (list) list.push(r);
        else byName.set(r.name, [r]);
      }
      for (const [name, refs] of byName) {
        const key = `${w.namespace}\0${w.scope}\0${name}`;
        const list = readers.get(key);
        if (list) list.push({ w, refs });
        else readers.set(key, [{ w, refs }]);
      }
    }
    for (const c of changedMaps) {
      if (!c.before || !c.after) continue;
      // An immutable ConfigMap cannot change at all: immutable-configmap-changed reports it.
      if (get(c.before.body, ['immutable']) === true) continue;
      const keys = [
        ...new Set([
          ...changedKeys(mapOf(c.before, 'data'), mapOf(c.after, 'data')),
          ...changedKeys(mapOf(c.before, 'binaryData'), mapOf(c.after, 'binaryData')),
        ]),
      ].sort();
      if (keys.length === 0) continue;
      const cm = c.after;
      const base = { object: describeObject(cm), keys: keys.join(', ') };
      const where = keyLocation(cm, keys);
      const extra = { object: c.id };
      let consumers = 0;
      // Consumers among the changed files (documents that name a changed ConfigMap).
      for (const { w, refs: named } of readers.get(`${cm.namespace}\0${cm.scope}\0${cm.name}`) ?? []) {
        const refs = named.filter((r) => r.keys.length === 0 || r.keys.some((k) => keys.includes(k)));
        if (refs.length === 0) continue;
        consumers++;
        const workload = describeObject(w);
        if (rolling.has(w.id)) {
          report('rolled', { ...base, workload }, where, extra);
          continue;
        }
        const via = [...new Set(refs.filter((r) => r.via === 'env' || r.via === 'envFrom').map((r) => r.via))];
        if (via.length > 0) report('env', { ...base, workload, via: via.join(' and ') }, where, extra);
        if (refs.some((r) => r.via === 'volume' && r.wholeMount)) report('volume', { ...base, workload }, where, extra);
        if (refs.some((r) => r.via === 'volume' && r.subPath)) report('subPath', { ...base, workload }, where, extra);
      }
      if (consumers === 0) report('changed', base, where, extra);
    }
  },
});

function mapOf(o: KubeObject, field: string): Record<string, unknown> {
  const m = get(o.body, [field]);
  return isObject(m) ? m : {};
}

function keyLocation(cm: KubeObject, keys: string[]) {
  for (const k of keys)
    for (const f of ['data', 'binaryData']) {
      const m = get(cm.body, [f]);
      if (isObject(m) && Object.prototype.hasOwnProperty.call(m, k)) return at(cm, [f, k]);
    }
  return at(cm, [isObject(get(cm.body, ['data'])) ? 'data' : 'binaryData']);
}

/** The workload's pod template differs between the two sides (its pods roll anyway). */
function templateChanged(old: KubeObject, w: KubeObject): boolean {
  const path = podTemplatePath(w);
  if (!path) return false;
  return !deepEqual(get(old.body, path), get(w.body, path));
}
