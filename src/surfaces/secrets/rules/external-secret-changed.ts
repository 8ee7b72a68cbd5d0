import { defineRule } from '../../../core/rule.js';
import { at, deepEqual, describeObject, get, isObject, type Json } from '../../../kube/model.js';
import type { SecretsContext } from '../context.js';

interface Ref {
  secretKey: string;
  key: string;
  version?: string;
  property?: string;
  index: number;
}

function refs(o: { body: Json }): Ref[] {
  const data = get(o.body, ['spec', 'data']);
  if (!Array.isArray(data)) return [];
  return data.flatMap((d, index) => {
    const r = isObject(d) ? d.remoteRef : undefined;
    if (!isObject(d) || !isObject(r) || typeof r.key !== 'string') return [];
    return [
      {
        secretKey: String(d.secretKey ?? r.key),
        key: r.key,
        ...(r.version !== undefined ? { version: String(r.version) } : {}),
        ...(r.property !== undefined ? { property: String(r.property) } : {}),
        index,
      },
    ];
  });
}

export default defineRule<SecretsContext, 'rotated' | 'repointed' | 'deletionPolicy' | 'removed'>({
  id: 'external-secret-changed',
  surface: 'secrets',
  class: 'reversible-with-compatibility-window',
  decision: { playbook: 'bad-config-reference', effects: ['secret-rotated'] },
  severity: 'warning',
  docs: {
    summary: 'An ExternalSecret changes the remote key or version it reads, its deletion policy, or is removed.',
    rationale:
      "External Secrets Operator copies values from a provider into a Kubernetes Secret. A new `remoteRef.version` (or a different `remoteRef.key`) is a rotation: workloads get the new value, and a revert points back at the old version, which works only while the provider still holds it and it is not revoked. `target.deletionPolicy: Delete` deletes the Kubernetes Secret when the provider's secret disappears (the default, Retain, keeps the last value). Removing an ExternalSecret with `creationPolicy: Owner` (the default) garbage-collects the Secret it created, whatever `deletionPolicy` says (the Secret carries an owner reference to the ExternalSecret): pods that read it fail at their next start. The revert re-creates the ExternalSecret, which syncs the Secret again from the store, so the removal is fully reversible; the warning is for the outage in between.",
    fix: 'Rotate with overlap (keep the old version enabled at the provider for the rollback window); prefer `deletionPolicy: Retain`; move consumers before removing an ExternalSecret.',
    references: [
      'https://external-secrets.io/latest/api/externalsecret/',
      'https://external-secrets.io/latest/guides/ownership-deletion-policy/',
    ],
  },
  messages: {
    rotated:
      '{{object}}: {{secretKey}} reads version {{to}} of {{key}} instead of {{from}}; a revert reads the old version, which works only while the provider still holds it and it is valid',
    repointed:
      '{{object}}: {{secretKey}} now reads {{to}} instead of {{from}}; a revert reads the old remote key, which works only while it still exists and is valid',
    deletionPolicy: {
      text: '{{object}}: target.deletionPolicy is Delete: if the remote secret disappears, the Kubernetes Secret is deleted too',
      severity: 'warning',
    },
    removed: {
      text: '{{object}} is removed: the Secret it owns ({{target}}) is garbage-collected, and pods that read it fail at their next start until the revert re-creates the ExternalSecret and it syncs the Secret again',
      class: 'fully-reversible',
      decision: { effects: [] },
    },
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (c.kind !== 'ExternalSecret') continue;
      if (c.status === 'removed' && c.before) {
        const policy = get(c.before.body, ['spec', 'target', 'creationPolicy']);
        if (policy === undefined || policy === 'Owner')
          report(
            'removed',
            {
              object: describeObject(c.before),
              target: String(get(c.before.body, ['spec', 'target', 'name']) ?? c.before.name),
            },
            at(c.before),
            { object: c.id },
          );
        continue;
      }
      if (!c.after || !c.bodyChanged) continue;
      const object = describeObject(c.after);
      const olds = c.before ? refs(c.before) : [];
      for (const r of refs(c.after)) {
        const o = olds.find((x) => x.secretKey === r.secretKey);
        if (!o) continue;
        if (o.key !== r.key || o.property !== r.property)
          report(
            'repointed',
            {
              object,
              secretKey: r.secretKey,
              from: `${o.key}${o.property ? `#${o.property}` : ''}`,
              to: `${r.key}${r.property ? `#${r.property}` : ''}`,
            },
            at(c.after, ['spec', 'data', r.index, 'remoteRef', 'key']),
            { object: c.id },
          );
        else if (o.version !== r.version)
          report(
            'rotated',
            { object, secretKey: r.secretKey, key: r.key, from: o.version ?? '(latest)', to: r.version ?? '(latest)' },
            at(c.after, ['spec', 'data', r.index, 'remoteRef']),
            { object: c.id },
          );
      }
      const path = ['spec', 'target', 'deletionPolicy'];
      if (get(c.after.body, path) === 'Delete' && !(c.before && deepEqual(get(c.before.body, path), 'Delete')))
        report('deletionPolicy', { object }, at(c.after, path), { object: c.id });
    }
  },
});
