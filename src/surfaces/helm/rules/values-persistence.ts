import { defineToggleRule } from '../../../core/toggle.js';
import { isObject, type Json } from '../../../kube/model.js';
import type { ChartFile, HelmContext } from '../model.js';

function flatten(v: Json | undefined, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  if (isObject(v)) for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  else if (prefix) out.set(prefix, v ?? null);
  return out;
}

const PERSISTENCE = /(^|\.)persistence\.enabled$/;
const NAMES = /(^|\.)(nameOverride|fullnameOverride)$/;

/** A key of a values file the change modifies, with its value at head and at base (absent: a new key). */
interface ValuePair {
  before?: Json;
  after: Json;
  key: string;
  chart: ChartFile;
  line: number;
}

/** The persistence and name keys of the values files the change modifies. */
async function valuePairs({ charts }: HelmContext): Promise<ValuePair[]> {
  const { parseYaml } = await import('../../../core/yaml.js');
  const out: ValuePair[] = [];
  for (const c of charts) {
    if (c.kind !== 'values' || c.before === undefined || c.after === undefined) continue;
    const yb = parseYaml(c.after);
    const a = flatten(parseYaml(c.before).docs[0]?.value as Json | undefined);
    const bDoc = yb.docs[0];
    const b = flatten(bDoc?.value as Json | undefined);
    for (const [key, v] of b) {
      if (!PERSISTENCE.test(key) && !NAMES.test(key)) continue;
      const line = bDoc ? yb.locate(bDoc, key.split('.')) : 1;
      out.push({ ...(a.has(key) ? { before: a.get(key)! } : {}), after: v, key, chart: c, line });
    }
  }
  return out;
}

const where = ({ chart, line }: ValuePair) => ({ file: chart.path, line });

export default defineToggleRule({
  id: 'values-persistence',
  surface: 'helm',
  class: 'non-recoverable-without-restore',
  severity: 'error',
  docs: {
    summary:
      'A values file turns persistence off, or changes the names the release gives its objects (nameOverride, fullnameOverride).',
    rationale:
      "In most charts `persistence.enabled: false` (or `*.persistence.enabled`) drops the PersistentVolumeClaim or the StatefulSet's volumeClaimTemplates: the claim Helm created is deleted with its volume (unless annotated `helm.sh/resource-policy: keep`), or the StatefulSet update is rejected as an immutable change. Data does not come back with a revert. A `nameOverride`/`fullnameOverride` change renames every object: the old ones are deleted, the new ones start empty.",
    fix: 'Back up and migrate data before turning persistence off; keep names stable (annotate claims with `helm.sh/resource-policy: keep`).',
    references: [
      'https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource',
      'https://helm.sh/docs/chart_template_guide/named_templates/',
    ],
  },
  messages: {
    persistenceOff: {
      text: '{{file}}: {{key}} turns persistence off; the claim and its data are deleted (or the StatefulSet update is rejected)',
      decision: { effects: ['data-destroyed'] },
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
      // On: persistence disabled (`false`), at a key that had another value or none.
      read: (v, { key }) => PERSISTENCE.test(key) && v === false,
      moves: { added: 'persistenceOff', on: 'persistenceOff' },
      data: ({ chart, key }) => ({ file: chart.path, key }),
      at: where,
    },
    {
      read: (v, { key }) => (NAMES.test(key) ? v : undefined),
      moves: { changed: 'renamed' },
      data: ({ chart, key }, now, was) => ({
        file: chart.path,
        key,
        from: JSON.stringify(was),
        to: JSON.stringify(now),
      }),
      at: where,
    },
  ],
});
