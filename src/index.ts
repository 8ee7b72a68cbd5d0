/** The public library API: everything a command does is available here without the CLI. */
export * from './core/index.js';
export { assess, assessChangeSet, loadConfig, type Assessment, type AssessOptions } from './engine/assess.js';
export { evaluateGate, type GateResult } from './engine/gate.js';
export { defaultConfig, type RollwrightConfig } from './core/config.js';
export { ConfigSchema } from './core/config-schema.js';
export { GitRepo } from './git/repo.js';
export { surfaces, allRules } from './registry.js';
export { render, type Format } from './reporters/index.js';
export { decide, unresolvedFacts } from './engine/decide/decide.js';
export { gatherDecisionInput } from './engine/decide/gather/index.js';
export { FACTS, parseFacts, type FactSpec } from './engine/decide/facts.js';
export { DECISION_SCHEMA, PLAYBOOKS, type Decision, type DecisionInput } from './engine/decide/types.js';
export { renderDecision } from './reporters/decision.js';
export { checkRevert, REVERT_SCHEMA, type RevertReport } from './engine/revert/check.js';
export { Ledger } from './ledger/store.js';
export { computeWindows, type Window, type WindowsReport } from './ledger/windows.js';
export { sloReport, type SloReport } from './ledger/slo.js';
export { parseStoreSpec, type StoreSpec } from './ledger/store-spec.js';
export { checkRollbackTargets } from './engine/check-targets.js';
export {
  collectTargets,
  checkTargets,
  artifactFact,
  TARGETS_SCHEMA,
  type TargetReport,
  type CheckedTarget,
  type RollbackTarget,
  type ArtifactFact,
} from './engine/targets.js';
export {
  LiveChecker,
  isOffline,
  type LiveAnswer,
  type LiveOptions,
  type LiveStatus,
  type LiveTarget,
} from './live/index.js';
export { verifyLedger, type VerifyResult, type BrokenLink } from './ledger/verify.js';
export {
  signCheckpoint,
  parseCheckpointLine,
  checkCheckpoints,
  storedCheckpoints,
  saveCheckpoint,
  type SignedCheckpoint,
  type CheckpointReport,
} from './ledger/checkpoint.js';
