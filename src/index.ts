/** The public library API: everything a command does is available here without the CLI. */
export * from './core/index.js';
export { assess, assessChangeSet, loadConfig, type Assessment, type AssessOptions } from './engine/assess.js';
export { evaluateGate, type GateResult } from './engine/gate.js';
export { defaultConfig, type RollwrightConfig } from './engine/config.js';
export { ConfigSchema } from './engine/config-schema.js';
export { GitRepo } from './git/repo.js';
export { surfaces, allRules } from './registry.js';
export { render, type Format } from './reporters/index.js';
