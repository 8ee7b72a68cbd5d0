import type { Rule } from '../../../core/rule.js';
import type { ControllersContext } from '../context.js';
import controllerUpgraded from './controller-upgraded.js';
import noCanary from './no-canary.js';
import sharedBaseUpgrade from './shared-base-upgrade.js';

export const controllersRules: readonly Rule<ControllersContext, string>[] = [
  controllerUpgraded,
  noCanary,
  sharedBaseUpgrade,
];
