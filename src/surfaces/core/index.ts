import type { RuleFamily } from '../../core/surface.js';
import { coreRules } from './rules/index.js';

/** The engine's own rules: it reports through them itself, so the family claims no files. */
export const core: RuleFamily = {
  id: 'core',
  name: 'Engine',
  summary:
    'Findings the engine itself reports: files a surface claims but could not read, and rules that failed. They hold the class at the conservative end, because unknown is never safe.',
  rules: coreRules,
};
