import type { AnyRule } from '../../../core/rule.js';
import configLoosened from './config-loosened.js';
import rollbackTargetMissing from './rollback-target-missing.js';
import ruleFailed from './rule-failed.js';
import symlink from './symlink.js';
import unassessedFile from './unassessed-file.js';
import unreadableFile from './unreadable-file.js';
import unusedSuppression from './unused-suppression.js';

/** Rules the engine itself reports through (surface `core`). */
export const coreRules: readonly AnyRule[] = [
  configLoosened,
  rollbackTargetMissing,
  ruleFailed,
  symlink,
  unassessedFile,
  unreadableFile,
  unusedSuppression,
];
export {
  configLoosened,
  rollbackTargetMissing,
  ruleFailed,
  symlink,
  unassessedFile,
  unreadableFile,
  unusedSuppression,
};
export type { Loosening } from './config-loosened.js';
