import type { ObjectsContext } from '../../kube/objects.js';

/** The policy objects of the change, and the Rego files with both texts. */
export interface RegoContext extends ObjectsContext {
  rego: Array<{ path: string; before?: string; after?: string }>;
}
