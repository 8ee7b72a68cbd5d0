import type { Rule } from '../../../core/rule.js';
import type { FlagsContext } from '../model.js';
import defaultChanged from './default-changed.js';
import flagReferenced from './flag-referenced.js';
import flagRemoved from './flag-removed.js';

export const flagsRules: readonly Rule<FlagsContext, string>[] = [defaultChanged, flagReferenced, flagRemoved];
