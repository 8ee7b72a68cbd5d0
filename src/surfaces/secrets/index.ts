import { claimsManifest } from '../../kube/objects.js';
import { kubeSurface } from '../../kube/surface.js';
import { secretsContext } from './context.js';
import { SECRET_KINDS, claimsSopsFile, isSecretKind } from './model.js';
import { secretsRules } from './rules/index.js';

export const secrets = kubeSurface({
  id: 'secrets',
  name: 'Secrets',
  summary:
    'SOPS-encrypted files, ExternalSecrets and SealedSecrets: rotations (a compatibility window while the old value stays valid), deletion policies, files decrypted into Git. No secret value, encrypted or not, is ever printed.',
  claims: (p) => claimsManifest(p) || claimsSopsFile(p),
  kinds: [...SECRET_KINDS],
  rules: secretsRules,
  mentions: /external-secrets\.io|bitnami\.com/,
  read: claimsManifest,
  select: isSecretKind,
  changedOnly: true,
  context: secretsContext,
});
