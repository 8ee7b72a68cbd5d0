import type { Rule } from '../../../core/rule.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import enforcementChanged from './enforcement-changed.js';
import enforcingRuleAdded from './enforcing-rule-added.js';
import policyException from './policy-exception.js';
import regoChanged from './rego-changed.js';
import ruleRemoved from './rule-removed.js';

/** The policy objects of the change, and the Rego files with both texts. */
export interface RegoContext extends ObjectsContext {
  rego: Array<{ path: string; before?: string; after?: string }>;
}

export const policyRules: readonly Rule<RegoContext, string>[] = [
  enforcementChanged,
  enforcingRuleAdded,
  policyException,
  ruleRemoved,
];
export const regoRules: readonly Rule<RegoContext, string>[] = [regoChanged];
