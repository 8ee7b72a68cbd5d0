import { defineRule } from '../../../core/rule.js';

/** One way a change's own `.rollwright.yaml` loosens the gate (found by the engine's config trust). */
export interface Loosening {
  /** What the change does, as a person says it: `rule kubernetes/pvc-deleted switched off`. */
  what: string;
  /** What applies instead while this change is assessed. */
  kept: string;
  line: number;
}

export interface ConfigLoosenedContext {
  /** The config file of the head revision. */
  file: string;
  loosened: readonly Loosening[];
}

/**
 * The change edits `.rollwright.yaml` so that the gate judges less: a rule off or lowered, an ignore
 * added, an environment's declaration requirement or paths removed. Such settings come from the base
 * revision while the change is assessed; the loosening itself is reported, for review.
 */
export default defineRule<ConfigLoosenedContext, 'loosened'>({
  id: 'config-loosened',
  surface: 'core',
  class: 'fully-reversible',
  severity: 'warning',
  decision: { effects: [] },
  docs: {
    summary:
      "The change loosens its own gate in .rollwright.yaml (a rule switched off or lowered, an ignore added, an environment's declaration requirement or paths removed); the base revision's setting applies to this change.",
    rationale:
      'A pull request that carries both a dangerous change and the config that silences its finding would pass a gate that reads the config from the head revision. Settings that loosen the gate are therefore read from the base revision (or a trusted --config file); those that tighten it apply at once. Once the loosening is reviewed and merged, it governs later changes.',
    fix: 'Land the config change on its own, reviewed, before the change it is meant for; or pass a trusted --config file that the CI job owns.',
  },
  messages: {
    loosened: '{{what}} in this change: not applied to it ({{kept}}); the loosening takes effect once merged',
  },
  check({ file, loosened, report }) {
    for (const l of loosened) report('loosened', { what: l.what, kept: l.kept }, { file, line: l.line });
  },
});
