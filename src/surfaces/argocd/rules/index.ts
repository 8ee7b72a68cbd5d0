import type { Rule } from '../../../core/rule.js';
import type { ArgoContext } from '../context.js';
import applicationDeleted from './application-deleted.js';
import autoPrune from './auto-prune.js';
import mutableTargetRevision from './mutable-target-revision.js';
import selfHeal from './self-heal.js';
import sourceChanged from './source-changed.js';
import syncWindow from './sync-window.js';

export const argocdRules: readonly Rule<ArgoContext, string>[] = [
  applicationDeleted,
  autoPrune,
  mutableTargetRevision,
  selfHeal,
  sourceChanged,
  syncWindow,
];
