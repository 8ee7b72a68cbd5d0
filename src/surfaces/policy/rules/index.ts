import type { Rule } from '../../../core/rule.js';
import type { RegoContext } from '../context.js';
import enforcementChanged from './enforcement-changed.js';
import enforcingRuleAdded from './enforcing-rule-added.js';
import policyException from './policy-exception.js';
import regoChanged from './rego-changed.js';
import ruleRemoved from './rule-removed.js';

export const policyRules: readonly Rule<RegoContext, string>[] = [
  enforcementChanged,
  enforcingRuleAdded,
  policyException,
  ruleRemoved,
];
export const regoRules: readonly Rule<RegoContext, string>[] = [regoChanged];
