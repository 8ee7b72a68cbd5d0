import { defineToggleRule } from '../../../core/toggle.js';
import { describeObject, get, isObject, type Json } from '../../../kube/model.js';
import type { ClaimTemplate, HelmContext } from '../model.js';

function flatten(v: Json | undefined, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  if (isObject(v)) for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  else if (prefix) out.set(prefix, v ?? null);
  return out;
}

const PERSISTENCE = /(^|\.)persistence\.enabled$/;
const NAMES = /(^|\.)(nameOverride|fullnameOverride)$/;
/** Values most charts copy into a claim's spec (a standalone PVC or a StatefulSet's volumeClaimTemplates). */
const CLAIM_SPEC = /(^|\.)persistence\.(size|storageClass|storageClassName|accessModes?)$/;
/**
 * Of those, the ones immutable in both a claim and a volumeClaimTemplate. A size may grow on a
 * standalone claim: in a chart of this repository the render tells which it is, so only inline values
 * of a release whose chart is not rendered here report a size change.
 */
const IMMUTABLE_CLAIM_SPEC = /(^|\.)persistence\.(storageClass|storageClassName|accessModes?)$/;
const WATCHED = (key: string) => PERSISTENCE.test(key) || NAMES.test(key) || CLAIM_SPEC.test(key);

/** A key of a values file the change modifies, with its value at head and at base (absent: a new key). */
interface ValuePair {
  before?: Json;
  after: Json;
  key: string;
  /** Where the values are, for messages: a values file, or a HelmRelease / Application in a manifest. */
  file: string;
  /** The file and line to point at. */
  path: string;
  line: number;
  /** The claim templates named from the release's names, of the chart a values file belongs to (in this repository). */
  claims?: readonly ClaimTemplate[];
}

/** The persistence and name keys of the values files, and of HelmRelease / Application inline values, the change modifies. */
async function valuePairs({ charts, changes, namedClaims }: HelmContext): Promise<ValuePair[]> {
  const { parseYaml } = await import('../../../core/yaml.js');
  const out: ValuePair[] = [];
  for (const c of charts) {
    if (c.kind !== 'values' || c.before === undefined || c.after === undefined) continue;
    const yb = parseYaml(c.after);
    const a = flatten(parseYaml(c.before).docs[0]?.value as Json | undefined);
    const bDoc = yb.docs[0];
    const b = flatten(bDoc?.value as Json | undefined);
    for (const [key, v] of b) {
      if (!WATCHED(key) || (CLAIM_SPEC.test(key) && !IMMUTABLE_CLAIM_SPEC.test(key))) continue;
      const line = bDoc ? yb.locate(bDoc, key.split('.')) : 1;
      const claims = NAMES.test(key) ? namedClaims.get(c.chart) : undefined;
      out.push({
        ...(a.has(key) ? { before: a.get(key)! } : {}),
        after: v,
        key,
        file: c.path,
        path: c.path,
        line,
        ...(claims ? { claims } : {}),
      });
    }
  }
  // Inline values: a Flux HelmRelease's spec.values, an Argo CD Application's source.helm.valuesObject.
  for (const c of changes) {
    if (!c.before || !c.after || !c.bodyChanged) continue;
    const path =
      c.kind === 'HelmRelease'
        ? ['spec', 'values']
        : c.kind === 'Application'
          ? ['spec', 'source', 'helm', 'valuesObject']
          : undefined;
    if (!path) continue;
    const a = flatten(get(c.before.body, path) as Json | undefined);
    const b = flatten(get(c.after.body, path) as Json | undefined);
    const o = c.after;
    for (const [key, v] of b) {
      if (!WATCHED(key)) continue;
      out.push({
        ...(a.has(key) ? { before: a.get(key)! } : {}),
        after: v,
        key,
        file: `${o.file} (${describeObject(o)})`,
        path: o.file,
        line: o.yaml.locate(o.doc, [...path, ...key.split('.')]),
      });
    }
  }
  return out;
}

const where = (p: ValuePair) => ({ file: p.path, line: p.line });

export default defineToggleRule({
  id: 'values-persistence',
  surface: 'helm',
  class: 'non-recoverable-without-restore',
  severity: 'error',
  docs: {
    summary:
      'A values file, or the inline values of a Flux HelmRelease or Argo CD Application, turns persistence off, changes a persistence size (inline values of a chart not rendered here) or storage class, or changes the names the release gives its objects (nameOverride, fullnameOverride).',
    rationale:
      "In most charts `persistence.enabled: false` (or `*.persistence.enabled`) drops the PersistentVolumeClaim or the StatefulSet's volumeClaimTemplates: the claim Helm created is deleted with its volume (unless annotated `helm.sh/resource-policy: keep`), or the StatefulSet update is rejected as an immutable change. Data does not come back with a revert. A `nameOverride`/`fullnameOverride` change renames every object: Helm's upgrade deletes the resources the new manifest no longer holds and creates the new ones, which start empty. When the chart is in this repository its templates are read: a PersistentVolumeClaim template whose name is a template expression is renamed with the release, so the old claim is deleted with its volume (under the usual Delete reclaim policy) and the data does not come back with a revert (error); a claim annotated `helm.sh/resource-policy: keep` is left in place, orphaned, and the release starts on an empty claim (manual repair: move the data or restore the names); a chart that is not here (HelmRelease or Application values) or templates no claim is manual repair. `persistence.size` and `persistence.storageClass` land in a claim spec: a StatefulSet's volumeClaimTemplates are immutable (the upgrade is rejected until the StatefulSet is re-created orphaning its pods and each claim is expanded by hand), a claim's storageClassName is immutable, and a claim's size can only grow (on a storage class with allowVolumeExpansion), so the revert of an increase is refused. Inline values (HelmRelease `spec.values`, Application `source.helm.valuesObject`) are read like a values file.",
    fix: 'Back up and migrate data before turning persistence off; keep names stable (annotate claims with `helm.sh/resource-policy: keep`).',
    references: [
      'https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource',
      'https://helm.sh/docs/chart_template_guide/named_templates/',
      'https://github.com/helm/helm/issues/3797 (an upgrade that renames a claim deletes the old one: working as intended)',
      'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#limitations',
      'https://kubernetes.io/docs/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims',
      'https://fluxcd.io/flux/components/helm/helmreleases/#values',
    ],
  },
  messages: {
    persistenceOff: {
      text: '{{file}}: {{key}} turns persistence off; the claim and its data are deleted (or the StatefulSet update is rejected)',
      decision: { effects: ['data-destroyed'] },
    },
    claimSpec: {
      text: '{{file}}: {{key}} changes from {{from}} to {{to}}; it lands in a claim spec, which the API server refuses to change (a StatefulSet volumeClaimTemplate, a storage class) or only lets grow (a standalone claim on an expandable class): the upgrade or its revert fails until the claims are handled by hand',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-surface', 'immutable'] },
    },
    claimsRenamed: {
      text: '{{file}}: {{key}} changes from {{from}} to {{to}}; the chart names its PersistentVolumeClaim from it ({{claims}}), so the upgrade deletes the old claim with its volume and creates an empty one: a revert renames it back to another empty claim',
      decision: { effects: ['data-destroyed'] },
    },
    claimsKept: {
      text: '{{file}}: {{key}} changes from {{from}} to {{to}}; the chart names its PersistentVolumeClaim from it ({{claims}}, kept by helm.sh/resource-policy: keep): the release starts on a new empty claim while the old one stays, orphaned, until its data is moved or the names restored',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-surface', 'immutable'] },
    },
    renamed: {
      text: '{{file}}: {{key}} changes from {{from}} to {{to}}; every object of the release is renamed (deleted and re-created, claims included)',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['data-surface', 'immutable'] },
    },
  },
  pairs: valuePairs,
  switches: [
    {
      read: (v, { key }) => (CLAIM_SPEC.test(key) ? v : undefined),
      moves: { changed: 'claimSpec' },
      data: ({ file, key }, now, was) => ({ file, key, from: JSON.stringify(was), to: JSON.stringify(now) }),
      at: where,
    },
    {
      // On: persistence disabled (`false`), at a key that had another value or none.
      read: (v, { key }) => PERSISTENCE.test(key) && v === false,
      moves: { added: 'persistenceOff', on: 'persistenceOff' },
      data: ({ file, key }) => ({ file, key }),
      at: where,
    },
    {
      read: (v, { key }) => (NAMES.test(key) ? v : undefined),
      moves: {
        changed: ({ claims }) =>
          !claims?.length ? 'renamed' : claims.every((c) => c.keep) ? 'claimsKept' : 'claimsRenamed',
      },
      data: ({ file, key, claims }, now, was) => ({
        file,
        key,
        from: JSON.stringify(was),
        to: JSON.stringify(now),
        claims: [...new Set((claims ?? []).map((c) => c.file))].join(', '),
      }),
      at: where,
    },
  ],
});
