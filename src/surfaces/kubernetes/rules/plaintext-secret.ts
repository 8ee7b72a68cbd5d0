import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get, isObject, type KubeContext, type KubeObject } from '../../../kube/model.js';

/** A SOPS-encrypted value: `ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]`. */
const SOPS_VALUE = /^ENC\[[A-Za-z0-9_]+,data:/;
/**
 * Values that are references resolved elsewhere, never the secret itself (the whole value, trimmed):
 * Flux post-build substitution `${VAR}`; vals `ref+<backend>://...` (vals eval replaces them from
 * Vault, AWS Secrets Manager, SSM...); 1Password secret references `op://vault/item[/section]/field`;
 * argocd-vault-plugin inline placeholders `<path:kv/data/app#key>`; a Go/Helm template `{{ ... }}`.
 */
const REFERENCES: readonly RegExp[] = [
  /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/, // Flux post-build substitution
  /^ref\+[a-z0-9]+:\/\/\S+$/, // vals
  /^op:\/\/[^/\s]+\/[^/\s]+\/\S+$/, // 1Password
  /^<path:[^<>#\s]+#[^<>\s]+>$/, // argocd-vault-plugin inline path
  /^\{\{.*\}\}$/s, // Go/Helm template
];
/** argocd-vault-plugin generic placeholders (`<key>`) are resolved from the path this annotation names. */
const AVP_PATH_ANNOTATION = 'avp.kubernetes.io/path';
const AVP_GENERIC = /^<[A-Za-z0-9_.-]+>$/;

/**
 * Secret data committed to Git in the clear. Reverting the commit does not un-publish it: the value
 * stays in the history and in every clone, so the only remedy is to rotate the credential, a
 * compensating action (compensatable). Values that are references resolved elsewhere (vals, 1Password,
 * argocd-vault-plugin, Flux substitution, templates) hold no secret. Key names are reported, values
 * never (not in the message, not in the finding data).
 */
export default defineRule<KubeContext, 'plaintext' | 'stillPlaintext'>({
  id: 'plaintext-secret',
  surface: 'kubernetes',
  class: 'compensatable',
  decision: { playbook: 'bad-config-reference', effects: ['secret-exposed'] },
  severity: 'error',
  smell: true,
  blocksGate: true,
  neverAccepted: 'a secret committed in plain text is exposed whatever the reason: rotate it and encrypt it (SOPS, SealedSecret, ExternalSecret)',
  docs: {
    summary:
      'A Secret added or changed in Git carries data or stringData values that are not encrypted (no SOPS ENC[...] values).',
    rationale:
      'Base64 in `data` is an encoding, not encryption: anyone with read access to the repository, its clones, forks and CI logs has the credential. A revert removes the value from the tip, not from history, so the exposure cannot be rolled back, and the revert does not even remove `stringData` keys from the live Secret (kubectl apply and server-side apply merge into the existing `data`): the leak can only be compensated, by rotating the credential (and rewriting history if policy demands it). A SOPS-encrypted Secret (a `sops:` metadata block and ENC[...] values) is fine, as are values that are references resolved elsewhere when the manifest is deployed: `${VAR}` placeholders of Flux post-build substitution, vals expressions `ref+vault://...`, `ref+awssecrets://...` (replaced by `vals eval`), 1Password secret references `op://vault/item/field` (resolved by `op inject` or the 1Password operator), argocd-vault-plugin placeholders `<path:kv/data/app#key>` (and `<key>` under an `avp.kubernetes.io/path` annotation), and whole Go/Helm template expressions.',
    fix: 'Rotate the exposed credential now. Then keep Secrets out of Git in the clear: encrypt with SOPS (Flux decrypts natively), commit a SealedSecret, or reference an external store with an ExternalSecret.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/secret/#information-security-for-secrets',
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
      'https://github.com/getsops/sops#encrypting-only-parts-of-a-file (encrypted_regex; encrypted values are ENC[...])',
      'https://fluxcd.io/flux/guides/mozilla-sops/',
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-substitution',
      'https://github.com/helmfile/vals#expression-syntax (ref+<backend>://path#/key)',
      'https://developer.1password.com/docs/cli/secret-references/ (op://vault/item/field)',
      'https://argocd-vault-plugin.readthedocs.io/en/stable/howitworks/ (inline-path and generic placeholders)',
      'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository',
    ],
  },
  // secrets/sops-decrypted states the same fact about a whole SOPS file, more precisely.
  fact: { id: () => 'plaintext-secret', rank: 1 },
  messages: {
    plaintext:
      '{{object}} commits {{count}} unencrypted value(s) to Git (keys: {{keys}}); reverting leaves them in the history: rotate the credential and encrypt the Secret (SOPS, SealedSecret or ExternalSecret)',
    stillPlaintext: {
      text: '{{object}} still holds unencrypted value(s) committed earlier (keys: {{keys}}); this change does not add any, but they remain exposed: rotate them and encrypt the Secret',
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
    },
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.after || !c.bodyChanged || c.group !== '' || c.kind !== 'Secret') continue;
      const now = plaintextValues(c.after);
      if (now.size === 0) continue;
      const was = c.before ? plaintextValues(c.before) : new Map<string, string>();
      const fresh = [...now.keys()].filter((k) => was.get(k) !== now.get(k)).sort();
      const old = [...now.keys()].filter((k) => was.get(k) === now.get(k)).sort();
      const object = describeObject(c.after);
      const extra = { object: c.id };
      if (fresh.length > 0)
        report(
          'plaintext',
          { object, count: fresh.length, keys: fresh.join(', ') },
          keyLocation(c.after, fresh[0]!),
          extra,
        );
      else if (old.length > 0)
        report('stillPlaintext', { object, keys: old.join(', ') }, keyLocation(c.after, old[0]!), extra);
    }
  },
});

/**
 * Unencrypted, non-empty values by key (`data` and `stringData` folded, as the API server does; the
 * value is kept only to compare the two sides and never leaves this module).
 */
function plaintextValues(secret: KubeObject): Map<string, string> {
  const sops = isObject(get(secret.body, ['sops']));
  const annotations = get(secret.body, ['metadata', 'annotations']);
  const avp = isObject(annotations) && typeof annotations[AVP_PATH_ANNOTATION] === 'string';
  const out = new Map<string, string>();
  for (const field of ['data', 'stringData'] as const) {
    const map = get(secret.body, [field]);
    if (!isObject(map)) continue;
    for (const [k, raw] of Object.entries(map)) {
      if (raw === null || raw === undefined) continue;
      const v = String(raw);
      if (v.trim() === '') continue;
      if (sops && SOPS_VALUE.test(v)) continue;
      const plain = (field === 'data' ? decode(v) : v).trim();
      if (REFERENCES.some((re) => re.test(plain))) continue;
      if (avp && AVP_GENERIC.test(plain)) continue;
      out.set(k, plain);
    }
  }
  return out;
}

function decode(b64: string): string {
  try {
    return Buffer.from(b64, 'base64').toString('utf8');
  } catch {
    return b64;
  }
}

function keyLocation(secret: KubeObject, key: string) {
  for (const field of ['stringData', 'data'])
    if (isObject(get(secret.body, [field])) && Object.prototype.hasOwnProperty.call(get(secret.body, [field]), key))
      return at(secret, [field, key]);
  return at(secret, ['data']);
}
