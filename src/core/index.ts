export * from './classes.js';
export * from './errors.js';
export * from './finding.js';
export * from './rule.js';
export * from './change.js';
export * from './declaration.js';
export type { RuleFamily, Surface, SurfaceContext } from './surface.js';
