import type { Rule } from '../../../core/rule.js';
import type { KubeContext } from '../model.js';
import statefulObjectDeleted from './stateful-object-deleted.js';
import statelessObjectDeleted from './stateless-object-deleted.js';

/** The Kubernetes rules run on the paired objects, sorted by id (a test checks this list against the folder). */
export const kubernetesRules: readonly Rule<KubeContext, string>[] = [statefulObjectDeleted, statelessObjectDeleted];
