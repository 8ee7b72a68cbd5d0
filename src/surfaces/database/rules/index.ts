import type { Rule } from '../../../core/rule.js';
import type { DbContext } from '../model.js';
import columnTypeChanged from './column-type-changed.js';
import concurrentIndexInTransaction from './concurrent-index-in-transaction.js';
import constraintAdded from './constraint-added.js';
import contractStatement from './contract-statement.js';
import dataMutation from './data-mutation.js';
import defaultDropped from './default-dropped.js';
import downMigration from './down-migration.js';
import downNotInverse from './down-not-inverse.js';
import enumValueAdded from './enum-value-added.js';
import expandAndContractSameRelease from './expand-and-contract-same-release.js';
import expandStatement from './expand-statement.js';
import lockingStatement from './locking-statement.js';
import migrationEdited from './migration-edited.js';
import opaqueBody from './opaque-body.js';
import rename from './rename.js';

/** Rules run on the parsed migrations (invalid-sql, mysql-reduced-coverage and rehearsal report elsewhere). */
export const databaseRules: readonly Rule<DbContext, string>[] = [
  columnTypeChanged,
  concurrentIndexInTransaction,
  constraintAdded,
  contractStatement,
  dataMutation,
  defaultDropped,
  downMigration,
  downNotInverse,
  enumValueAdded,
  expandAndContractSameRelease,
  expandStatement,
  lockingStatement,
  migrationEdited,
  opaqueBody,
  rename,
];
