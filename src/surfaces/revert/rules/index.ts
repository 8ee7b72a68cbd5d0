import type { AnyRule } from '../../../core/rule.js';
import admissionDenied from './admission-denied.js';
import admissionNotEvaluated from './admission-not-evaluated.js';
import crdVersionReverted from './crd-version-reverted.js';
import expandMigrationReverted from './expand-migration-reverted.js';
import imageRevertTarget from './image-revert-target.js';
import schemaInvalid from './schema-invalid.js';

/** The rules of the `revert` family, sorted by id. */
export const revertRules: readonly AnyRule[] = [
  admissionDenied,
  admissionNotEvaluated,
  crdVersionReverted,
  expandMigrationReverted,
  imageRevertTarget,
  schemaInvalid,
];
