import { defineRule } from '../../../core/rule.js';
import { flagData, type FlagData, type FlagsContext } from '../model.js';

/** A finding's data: the flag (`FlagData`), and its default variant or state before and after. */
export type DefaultChangedData = FlagData & { from?: string; to?: string };

export default defineRule<FlagsContext, 'defaultVariant' | 'state' | 'targeting', DefaultChangedData>({
  id: 'default-changed',
  surface: 'flags',
  class: 'fully-reversible',
  decision: { effects: [] },
  severity: 'info',
  docs: {
    summary: "A feature flag's default variant, state or targeting changes.",
    rationale:
      'A flag change takes effect as soon as the flag provider reloads (flagd watches its files and ConfigMaps), and flipping it back restores the previous behaviour without a deployment: it is the preferred containment of SPEC §4 (question 3: disable the flag first, then decide about the code). rollwright names the flag so the decision can offer exactly that. Data written while the flag was on stays written.',
    fix: 'Nothing to change; keep the flag until the code path it guards is proven, and record its previous value in the change.',
    references: [
      'https://flagd.dev/reference/flag-definitions/',
      'https://openfeature.dev/docs/reference/concepts/evaluation-api/',
    ],
  },
  messages: {
    defaultVariant: '{{source}}: flag {{flag}} default {{from}} → {{to}}; flipping it back is the fastest containment',
    state: '{{source}}: flag {{flag}} state {{from}} → {{to}}',
    targeting:
      '{{source}}: flag {{flag}} targeting rules change; reverting the definition restores who gets which variant',
  },
  check({ sources, report }) {
    for (const s of sources) {
      if (!s.before || !s.after) continue;
      for (const [key, f] of s.after.flags) {
        const o = s.before.flags.get(key);
        if (!o) continue;
        const where = s.after.locate(key);
        const base = flagData(f, key, s.name);
        if (o.defaultVariant !== f.defaultVariant)
          report(
            'defaultVariant',
            { ...base, from: o.defaultVariant || '(none)', to: f.defaultVariant || '(none)' },
            where,
          );
        if (o.state !== f.state) report('state', { ...base, from: o.state, to: f.state }, where);
        if (o.targeting !== f.targeting) report('targeting', base, where);
      }
    }
  },
});
