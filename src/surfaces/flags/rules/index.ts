import type { Rule } from '../../../core/rule.js';
import type { FlagsContext } from '../model.js';
import defaultChanged from './default-changed.js';
import flagRemoved from './flag-removed.js';

export const flagsRules: readonly Rule<FlagsContext, string>[] = [defaultChanged, flagRemoved];
