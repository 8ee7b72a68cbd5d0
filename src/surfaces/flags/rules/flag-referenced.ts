import { defineRule } from '../../../core/rule.js';
import { addedLines, flagData, keyMatcher, type FlagData, type FlagsContext } from '../model.js';

/** Where flag definitions are looked for outside the change set: paths that name flags or OpenFeature. */
export const DEFAULT_DEFINITION_GLOBS = [
  '**/*flag*',
  '**/*Flag*',
  '**/*FLAG*',
  '**/*flag*/**',
  '**/*Flag*/**',
  '**/*openfeature*',
  '**/*openfeature*/**',
];

/** A finding's data: the flag (`FlagData`) and its default variant. */
export type FlagReferencedData = FlagData & { defaultVariant: string };

export default defineRule<FlagsContext, 'referenced' | 'referencedNoOff', FlagReferencedData>({
  id: 'flag-referenced',
  surface: 'flags',
  class: 'fully-reversible',
  decision: { effects: [] },
  severity: 'info',
  docs: {
    summary:
      'A change adds a reference to a feature flag defined in the repository (an env var, a Helm value, application config, code).',
    rationale:
      "When the new behaviour sits behind a flag, turning the flag off contains an incident within the provider's reload time (flagd watches its files and ConfigMaps) and without a deployment, and leaves the decision about the code for later: the incident decision asks whether a feature flag contains the impact before anything else is rolled back. rollwright names every flag whose key appears in the lines a change adds, with the definition it comes from and the variant that turns it off, so `rollwright decide` can offer exactly that step. A key is matched as a whole token in added lines of any changed text file (manifests, Helm values, application config, source code); definition files themselves are not references.",
    fix: 'Nothing to change. Check that the flag really guards the new code path, and that its off variant is tested.',
    references: [
      'https://flagd.dev/reference/flag-definitions/',
      'https://flagd.dev/concepts/syncs/',
      'https://openfeature.dev/docs/reference/concepts/evaluation-api/',
    ],
  },
  messages: {
    referenced:
      'the change references flag {{flag}} (defined in {{source}}, default {{defaultVariant}}); setting it to {{offVariant}} is the first containment',
    referencedNoOff:
      'the change references flag {{flag}} (defined in {{source}}, default {{defaultVariant}}); it has no off variant, so containment means another default or targeting',
  },
  options: {
    defaults: { definitions: DEFAULT_DEFINITION_GLOBS },
    schema: (z) => z.strictObject({ definitions: z.optional(z.array(z.string())) }),
  },
  async check({ references, definitions, report, options }) {
    if (!references.length) return;
    const defs = await definitions(options.definitions as string[]);
    const re = keyMatcher(defs.keys());
    if (!re) return;
    for (const f of references) {
      const seen = new Set<string>();
      for (const { line, text } of addedLines(f.oldText, f.newText)) {
        for (const m of text.matchAll(re)) {
          const key = m[0];
          if (seen.has(key)) continue;
          seen.add(key);
          const d = defs.get(key)!;
          const data = { ...flagData(d.flag, key, d.source), defaultVariant: d.flag.defaultVariant || '(none)' };
          report(d.flag.offVariant !== undefined ? 'referenced' : 'referencedNoOff', data, {
            file: f.path,
            line,
            column: m.index + 1,
          });
        }
      }
    }
  },
});
