import { defineRule } from '../../../core/rule.js';
import { flagData, type FlagData, type FlagsContext } from '../model.js';

export default defineRule<FlagsContext, 'removed', FlagData>({
  id: 'flag-removed',
  surface: 'flags',
  class: 'fully-reversible',
  decision: { effects: [] },
  severity: 'warning',
  docs: {
    summary: 'A feature flag is removed from its definitions.',
    rationale:
      "When a flag disappears, OpenFeature evaluations return the default the code passes (with a FLAG_NOT_FOUND reason): the behaviour silently becomes whatever the code's default is, and the flag can no longer be used to contain an incident. Reverting brings the flag back; removing it is safe only after the code no longer reads it.",
    fix: 'Remove the flag from the code first (or make its code default the intended behaviour), then from the definitions.',
    references: [
      'https://openfeature.dev/specification/types/#error-code',
      'https://flagd.dev/reference/flag-definitions/',
    ],
  },
  messages: {
    removed:
      '{{source}}: flag {{flag}} is removed; evaluations fall back to the code default and the flag can no longer contain an incident',
  },
  check({ sources, report }) {
    for (const s of sources) {
      if (!s.before) continue;
      for (const [key, flag] of s.before.flags) {
        if (s.after?.flags.has(key)) continue;
        const where = s.after ? { file: s.after.locate(key).file, line: 1 } : s.before.locate(key);
        report('removed', flagData(flag, key, s.name), where);
      }
    }
  },
});
