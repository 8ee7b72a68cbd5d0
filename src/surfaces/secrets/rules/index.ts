import type { Rule } from '../../../core/rule.js';
import type { SecretsContext } from '../context.js';
import externalSecretChanged from './external-secret-changed.js';
import sealedSecretChanged from './sealed-secret-changed.js';
import sopsDecrypted from './sops-decrypted.js';
import sopsRotated from './sops-rotated.js';

export const secretsRules: readonly Rule<SecretsContext, string>[] = [
  externalSecretChanged,
  sealedSecretChanged,
  sopsDecrypted,
  sopsRotated,
];
