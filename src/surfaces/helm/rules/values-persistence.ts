import { defineRule } from '../../../core/rule.js';
import { isObject, type Json } from '../../../kube/model.js';
import type { HelmContext } from '../model.js';

function flatten(v: Json | undefined, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  if (isObject(v)) for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  else if (prefix) out.set(prefix, v ?? null);
  return out;
}

export default defineRule<HelmContext, 'persistenceOff' | 'renamed'>({
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
  async check({ charts, report }) {
    const { parseYaml } = await import('../../../core/yaml.js');
    for (const c of charts) {
      if (c.kind !== 'values' || c.before === undefined || c.after === undefined) continue;
      const yb = parseYaml(c.after);
      const a = flatten(parseYaml(c.before).docs[0]?.value as Json | undefined);
      const bDoc = yb.docs[0];
      const b = flatten(bDoc?.value as Json | undefined);
      const line = (key: string) => (bDoc ? yb.locate(bDoc, key.split('.')) : 1);
      for (const [key, v] of b) {
        if (/(^|\.)persistence\.enabled$/.test(key) && v === false && a.get(key) !== false)
          report('persistenceOff', { file: c.path, key }, { file: c.path, line: line(key) });
        if (/(^|\.)(nameOverride|fullnameOverride)$/.test(key) && a.has(key) && a.get(key) !== v)
          report(
            'renamed',
            { file: c.path, key, from: JSON.stringify(a.get(key)), to: JSON.stringify(v) },
            { file: c.path, line: line(key) },
          );
      }
    }
  },
});
