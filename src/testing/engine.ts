/**
 * The engine as surface tests drive it end to end: a change assessed from a git repository (`assess`)
 * or from in-memory files (`assessChangeSet`, with `changeSetOf` and `memoryRepo` of the rule tester),
 * and the rule runner for findings reported outside a surface's run (plan files, rehearsals). Surface
 * tests reach the engine through this module only, so the engine can move without touching them.
 */
export { assess, assessChangeSet, type Assessment } from '../engine/assess.js';
export { RuleRunner } from '../engine/runner.js';
