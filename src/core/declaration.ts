import * as z from 'zod/mini';
import { ROLLBACK_CLASSES } from './classes.js';
import { RULE_KEY_RE } from './vocabulary.js';

/**
 * A change declaration (docs/concepts.md#declarations): how a production change says it would be undone.
 * Read from `.rollwright/changes/*.yaml` (`change:` mapping) or from commit trailers.
 */
const windowValue = z.pipe(
  z.union([z.string().check(z.minLength(1)), z.number()]),
  z.transform((v) => String(v)),
);

const REASON_MESSAGE = 'say why this finding is acceptable: a reason is required';

/**
 * One finding the change owns: a rule and the object (`<group>/<kind>/<namespace>/<name>`, as findings
 * carry it) or the file it is about, and why a person judged it acceptable.
 */
export const AcceptEntrySchema = z
  .strictObject({
    rule: z.string({ error: 'name the rule, as `rollwright rules` lists it: <surface>/<rule-id>' }).check(
      z.regex(RULE_KEY_RE, 'name the rule as <surface>/<rule-id>, e.g. kubernetes/image-changed'),
    ),
    object: z.optional(z.string().check(z.minLength(1))),
    file: z.optional(z.string().check(z.minLength(1))),
    reason: z.string({ error: REASON_MESSAGE }).check(z.trim(), z.minLength(1, REASON_MESSAGE)),
  })
  .check(
    z.refine((e) => (e.object === undefined) !== (e.file === undefined), {
      message: 'name exactly one of object (<group>/<kind>/<namespace>/<name>) or file (a path)',
    }),
  );

export type AcceptEntry = z.infer<typeof AcceptEntrySchema>;

export const DeclarationSchema = z.strictObject({
  id: z.optional(z.string().check(z.minLength(1))),
  environment: z.optional(z.string().check(z.minLength(1))),
  rollbackClass: z.optional(z.enum(ROLLBACK_CLASSES)),
  /** One window for the change, or one per surface (`appImage: 24h`, `databaseSchema: until-contract-phase`). */
  rollbackWindow: z.optional(z.union([windowValue, z.record(z.string(), windowValue)])),
  rollbackMethod: z.optional(z.string().check(z.minLength(1))),
  irreversibleEffects: z.optional(z.array(z.string())),
  verification: z.optional(z.array(z.string())),
  /** Findings this change owns, each with the reason a person judged it acceptable. */
  accept: z.optional(z.array(AcceptEntrySchema)),
});

export type DeclarationBody = z.infer<typeof DeclarationSchema>;

export interface Declaration extends DeclarationBody {
  /** Where it was read from: a file path in the head revision, or `trailer:<sha>`. */
  source: string;
}
