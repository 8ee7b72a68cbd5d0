import type { ObjectsContext } from '../../kube/objects.js';
import type { SopsFileChange } from './model.js';

/** What the secrets rules receive: the secret objects of the change, and the SOPS files with both sides. */
export interface SecretsContext extends ObjectsContext {
  sops: SopsFileChange[];
}
