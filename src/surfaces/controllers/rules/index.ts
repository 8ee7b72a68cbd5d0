import type { Rule } from '../../../core/rule.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import controllerUpgraded from './controller-upgraded.js';
import noCanary from './no-canary.js';

export const controllersRules: readonly Rule<ObjectsContext, string>[] = [controllerUpgraded, noCanary];
