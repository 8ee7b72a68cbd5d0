import type { Rule } from '../../../core/rule.js';
import type { TfContext } from '../model.js';
import type { PlanContext } from '../plan/model.js';
import backendChanged from './backend-changed.js';
import createBeforeDestroyRemoved from './create-before-destroy-removed.js';
import dataUnprotected from './data-unprotected.js';
import forceNewChanged from './force-new-changed.js';
import giantState from './giant-state.js';
import helmReleaseVersionChanged from './helm-release-version-changed.js';
import importBlock from './import-block.js';
import moduleSourceUnpinned from './module-source-unpinned.js';
import moduleVersionChanged from './module-version-changed.js';
import movedBlockAdded from './moved-block-added.js';
import movedBlockMissing from './moved-block-missing.js';
import planDrift from './plan-drift.js';
import planForget from './plan-forget.js';
import planIamChanged from './plan-iam-changed.js';
import planImport from './plan-import.js';
import planIncomplete from './plan-incomplete.js';
import planMove from './plan-move.js';
import planNetworkChanged from './plan-network-changed.js';
import planOutputRemoved from './plan-output-removed.js';
import planResourceDestroyed from './plan-resource-destroyed.js';
import planVersionUpgraded from './plan-version-upgraded.js';
import preventDestroyRemoved from './prevent-destroy-removed.js';
import providerRegionChanged from './provider-region-changed.js';
import providerVersionChanged from './provider-version-changed.js';
import resourceRemoved from './resource-removed.js';
import stateFileCommitted from './state-file-committed.js';
import stateOperation from './state-operation.js';
import versionUpgraded from './version-upgraded.js';

/** Rules over configuration changes (address spaces, lock files, state files, scripts), sorted by id. */
export const configRules: readonly Rule<TfContext, string>[] = [
  backendChanged,
  createBeforeDestroyRemoved,
  dataUnprotected,
  forceNewChanged,
  giantState,
  helmReleaseVersionChanged,
  importBlock,
  moduleSourceUnpinned,
  moduleVersionChanged,
  movedBlockAdded,
  movedBlockMissing,
  preventDestroyRemoved,
  providerRegionChanged,
  providerVersionChanged,
  resourceRemoved,
  stateFileCommitted,
  stateOperation,
  versionUpgraded,
];

/** Rules over a plan JSON, sorted by id. */
export const planRules: readonly Rule<PlanContext, string>[] = [
  planDrift,
  planForget,
  planIamChanged,
  planImport,
  planIncomplete,
  planMove,
  planNetworkChanged,
  planOutputRemoved,
  planResourceDestroyed,
  planVersionUpgraded,
];
