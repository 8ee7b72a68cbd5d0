import { z } from 'zod';
import { ROLLBACK_CLASSES } from './classes.js';

/**
 * A change declaration (SPEC §2): how a production change says it would be undone.
 * Read from `.rollwright/changes/*.yaml` (`change:` mapping) or from commit trailers.
 */
const windowValue = z.union([z.string().min(1), z.number()]).transform((v) => String(v));

export const DeclarationSchema = z
  .object({
    id: z.string().min(1).optional(),
    environment: z.string().min(1).optional(),
    rollbackClass: z.enum(ROLLBACK_CLASSES).optional(),
    /** One window for the change, or one per surface (`appImage: 24h`, `databaseSchema: until-contract-phase`). */
    rollbackWindow: z.union([windowValue, z.record(z.string(), windowValue)]).optional(),
    rollbackMethod: z.string().min(1).optional(),
    irreversibleEffects: z.array(z.string()).optional(),
    verification: z.array(z.string()).optional(),
  })
  .strict();

export type DeclarationBody = z.infer<typeof DeclarationSchema>;

export interface Declaration extends DeclarationBody {
  /** Where it was read from: a file path in the head revision, or `trailer:<sha>`. */
  source: string;
}
