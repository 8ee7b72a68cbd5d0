import type { Location } from '../../../core/finding.js';
import { defineRule } from '../../../core/rule.js';
import {
  at,
  deepEqual,
  describeObject,
  get,
  isObject,
  type KubeContext,
  type KubeObject,
} from '../../../kube/model.js';

/**
 * A ConfigMap or Secret marked `immutable: true` cannot change its data, nor become mutable again.
 * Key names only ever appear in messages: values (Secret data above all) are never read out.
 */
export default defineRule<KubeContext, 'dataChanged' | 'madeMutable'>({
  id: 'immutable-configmap-changed',
  surface: 'kubernetes',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-config-reference', effects: ['immutable'] },
  severity: 'warning',
  docs: {
    summary: 'The data of a ConfigMap or Secret marked immutable: true changed, or immutable was turned off.',
    rationale:
      'Once immutable is true, the API server rejects any change to data or binaryData (stringData is folded into data) and any attempt to set immutable back to false. The apply fails until the object is deleted and re-created, and the revert meets the same wall; pods that mounted it keep the old content until they restart.',
    fix: 'Treat immutable configuration as versioned: create a new ConfigMap or Secret under a new name (kustomize configMapGenerator/secretGenerator add a content hash for this), point the workloads at it, and delete the old one once nothing uses it.',
    references: [
      'ValidateConfigMapUpdate (pkg/apis/core/validation/validation.go): field is immutable when `immutable` is set',
      'ValidateSecretUpdate (pkg/apis/core/validation/validation.go): field is immutable when `immutable` is set',
      'https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-immutable',
      'https://kubernetes.io/docs/concepts/configuration/secret/#secret-immutable',
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/',
    ],
  },
  messages: {
    dataChanged:
      '{{object}} is immutable: true, and {{field}} keys changed ({{keys}}): the API server rejects the update unless the object is deleted and re-created ({{source}})',
    madeMutable:
      '{{object}} was immutable: true and is set back to mutable: the API server rejects that; only delete and re-create makes it mutable ({{source}})',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged || c.group !== '') continue;
      if (c.kind !== 'ConfigMap' && c.kind !== 'Secret') continue;
      if (get(c.before.body, ['immutable']) !== true) continue;
      const object = describeObject(c.after);
      const source = c.kind === 'ConfigMap' ? 'ValidateConfigMapUpdate' : 'ValidateSecretUpdate';
      const extra = { object: c.id };
      const fields = c.kind === 'ConfigMap' ? (['data', 'binaryData'] as const) : (['data'] as const);
      for (const field of fields) {
        const keys = changedKeys(dataOf(c.before, field), dataOf(c.after, field));
        if (keys.length === 0) continue;
        report(
          'dataChanged',
          { object, field, keys: keys.join(', '), source },
          locateKeys(c.after, field, keys),
          extra,
        );
      }
      if (get(c.after.body, ['immutable']) !== true)
        report('madeMutable', { object, source }, at(c.after, ['immutable']), extra);
    }
  },
});

/** The map of one data field; for a Secret's `data`, with stringData folded in as the API server does. */
function dataOf(obj: KubeObject, field: 'data' | 'binaryData'): Record<string, unknown> {
  const base = get(obj.body, [field]);
  const out: Record<string, unknown> = isObject(base) ? { ...base } : {};
  if (obj.kind === 'Secret' && field === 'data') {
    const sd = get(obj.body, ['stringData']);
    if (isObject(sd))
      for (const [k, v] of Object.entries(sd)) out[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
  }
  return out;
}

/** Keys added, removed or whose value changed, sorted. Values are compared, never returned. */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !deepEqual(before[k] ?? null, after[k] ?? null) || !(k in before) || !(k in after))
    .sort();
}

/** The line of the first changed key still present in the new text (else the field, else the object). */
function locateKeys(obj: KubeObject, field: string, keys: string[]): Location {
  const where = obj.kind === 'Secret' && field === 'data' ? ['data', 'stringData'] : [field];
  for (const k of keys)
    for (const f of where) {
      const map = get(obj.body, [f]);
      if (isObject(map) && Object.prototype.hasOwnProperty.call(map, k)) return at(obj, [f, k]);
    }
  return at(obj, [where.find((f) => isObject(get(obj.body, [f]))) ?? field]);
}
