import type { Rule } from '../../../core/rule.js';
import type { ControllersContext } from '../context.js';
import controllerUpgraded from './controller-upgraded.js';
import noCanary from './no-canary.js';

export const controllersRules: readonly Rule<ControllersContext, string>[] = [controllerUpgraded, noCanary];
