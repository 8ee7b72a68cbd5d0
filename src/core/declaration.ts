import * as z from 'zod/mini';
import { ROLLBACK_CLASSES } from './classes.js';

/**
 * A change declaration (docs/concepts.md#declarations): how a production change says it would be undone.
 * Read from `.rollwright/changes/*.yaml` (`change:` mapping) or from commit trailers.
 */
const windowValue = z.pipe(
  z.union([z.string().check(z.minLength(1)), z.number()]),
  z.transform((v) => String(v)),
);

export const DeclarationSchema = z.strictObject({
  id: z.optional(z.string().check(z.minLength(1))),
  environment: z.optional(z.string().check(z.minLength(1))),
  rollbackClass: z.optional(z.enum(ROLLBACK_CLASSES)),
  /** One window for the change, or one per surface (`appImage: 24h`, `databaseSchema: until-contract-phase`). */
  rollbackWindow: z.optional(z.union([windowValue, z.record(z.string(), windowValue)])),
  rollbackMethod: z.optional(z.string().check(z.minLength(1))),
  irreversibleEffects: z.optional(z.array(z.string())),
  verification: z.optional(z.array(z.string())),
});

export type DeclarationBody = z.infer<typeof DeclarationSchema>;

export interface Declaration extends DeclarationBody {
  /** Where it was read from: a file path in the head revision, or `trailer:<sha>`. */
  source: string;
}
