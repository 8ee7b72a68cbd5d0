import type { Rule } from '../../../core/rule.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import type { SopsFileChange } from '../model.js';
import externalSecretChanged from './external-secret-changed.js';
import sealedSecretChanged from './sealed-secret-changed.js';
import sopsDecrypted from './sops-decrypted.js';
import sopsRotated from './sops-rotated.js';

export interface SecretsContext extends ObjectsContext {
  sops: SopsFileChange[];
}

export const secretsRules: readonly Rule<SecretsContext, string>[] = [
  externalSecretChanged,
  sealedSecretChanged,
  sopsDecrypted,
  sopsRotated,
];
