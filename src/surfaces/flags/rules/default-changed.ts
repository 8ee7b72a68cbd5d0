import { defineToggleRule } from '../../../core/toggle.js';
import { flagData, type Flag, type FlagData, type FlagSource, type FlagsContext } from '../model.js';

/** A finding's data: the flag (`FlagData`), and its default variant or state before and after. */
export type DefaultChangedData = FlagData & { from?: string; to?: string };

/** A flag defined at both sides of a changed source. */
interface FlagPair {
  before: Flag;
  after: Flag;
  key: string;
  source: { name: string; after: FlagSource };
}

function flagPairs({ sources }: FlagsContext): FlagPair[] {
  const out: FlagPair[] = [];
  for (const s of sources) {
    if (!s.before || !s.after) continue;
    for (const [key, f] of s.after.flags) {
      const o = s.before.flags.get(key);
      if (o) out.push({ before: o, after: f, key, source: { name: s.name, after: s.after } });
    }
  }
  return out;
}

const base = ({ after, key, source }: FlagPair) => flagData(after, key, source.name);
const where = ({ key, source }: FlagPair) => source.after.locate(key);

export default defineToggleRule<FlagsContext, 'defaultVariant' | 'state' | 'targeting', FlagPair, DefaultChangedData>({
  id: 'default-changed',
  surface: 'flags',
  class: 'fully-reversible',
  decision: { effects: [] },
  severity: 'info',
  docs: {
    summary: "A feature flag's default variant, state or targeting changes.",
    rationale:
      'A flag change takes effect as soon as the flag provider reloads (flagd watches its files and ConfigMaps), and flipping it back restores the previous behaviour without a deployment: it is the preferred containment at incident time (disable the flag first, then decide about the code). rollwright names the flag so the decision can offer exactly that. Data written while the flag was on stays written.',
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
  pairs: flagPairs,
  switches: [
    {
      read: (f) => f.defaultVariant,
      moves: { changed: 'defaultVariant' },
      data: (p, now, was) => ({ ...base(p), from: was || '(none)', to: now || '(none)' }),
      at: where,
    },
    {
      read: (f) => f.state,
      moves: { changed: 'state' },
      data: (p, now, was) => ({ ...base(p), from: was, to: now }),
      at: where,
    },
    {
      read: (f) => f.targeting,
      moves: { changed: 'targeting' },
      data: base,
      at: where,
    },
  ],
});
