import type { KubeObject } from '../../kube/model.js';
import { isObject, type Json } from '../../kube/model.js';

export const SECRET_KINDS = [
  'external-secrets.io/ExternalSecret',
  'external-secrets.io/ClusterExternalSecret',
  'external-secrets.io/SecretStore',
  'external-secrets.io/ClusterSecretStore',
  'bitnami.com/SealedSecret',
] as const;

export function isSecretKind(o: Pick<KubeObject, 'group' | 'kind'>): boolean {
  return (SECRET_KINDS as readonly string[]).includes(`${o.group}/${o.kind}`);
}

const SOPS_FILE = /\.(ya?ml|json|env|ini)$/i;

/** SOPS files by the usual naming (`*.enc.json`, `secrets.env`, `credentials.ini`...), `.sops.yaml` aside. */
export function claimsSopsFile(path: string): boolean {
  return SOPS_FILE.test(path) && /sops|enc|secret|cred/i.test(path) && !/(^|\/)\.sops\.ya?ml$/.test(path);
}

/** A SOPS-encrypted value. */
export const ENC = /^ENC\[[A-Za-z0-9_]+,data:/;

/** One side of a SOPS file: the encrypted leaves by path, and the metadata. */
export interface SopsSide {
  /** `a.b[0].c` → ciphertext (compared, never printed). */
  values: Map<string, string>;
  /** The `sops` metadata block is present. */
  encrypted: boolean;
  /** Recipients (age, pgp, kms ARNs...), to tell a re-key from a rotation. */
  recipients: string[];
  /** Leaves that are not encrypted (names only). */
  plain: string[];
  lastmodified?: string;
}

function leaves(v: Json, path: string, out: Map<string, string>, plain: string[], skip: (p: string) => boolean): void {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${path}[${i}]`, out, plain, skip));
  else if (isObject(v))
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (!skip(p)) leaves(x, p, out, plain, skip);
    }
  else if (typeof v === 'string' && ENC.test(v)) out.set(path, v);
  else if (v !== null && path) plain.push(path);
}

function recipientsOf(sops: Json): string[] {
  const out: string[] = [];
  const walk = (v: Json, key: string) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (
      typeof v === 'string' &&
      ['recipient', 'arn', 'fp', 'vault_address', 'resource_id', 'vaultUrl', 'vault_url'].includes(key)
    )
      out.push(v);
  };
  walk(sops, '');
  return [...new Set(out)].sort();
}

/** Reads a YAML or JSON document as SOPS writes it (a top-level `sops` block). */
export function sopsFromValue(v: Json, kubernetesObject: boolean): SopsSide | undefined {
  if (!isObject(v) || !isObject(v.sops)) return undefined;
  const values = new Map<string, string>();
  const plain: string[] = [];
  // In a Kubernetes object only data/stringData are secret; metadata stays readable on purpose.
  const skip = (p: string) => p === 'sops' || (kubernetesObject && !/^(data|stringData)(\.|$)/.test(p));
  leaves(v, '', values, plain, skip);
  const lm = v.sops.lastmodified;
  return {
    values,
    encrypted: true,
    recipients: recipientsOf(v.sops),
    plain: kubernetesObject ? [] : plain,
    ...(typeof lm === 'string' ? { lastmodified: lm } : {}),
  };
}

/** Reads a dotenv or INI file as SOPS writes it (`KEY=ENC[...]` and `sops_*` keys). */
export function sopsFromEnv(text: string): SopsSide | undefined {
  if (!/^sops_(mac|version|lastmodified)\s*=/m.test(text)) return undefined;
  const values = new Map<string, string>();
  const recipients: string[] = [];
  let section = '';
  let lastmodified: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1] === 'sops' ? 'sops' : `${sec[1]}.`;
      continue;
    }
    const m = /^([^=#\s]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, k, v] = m as unknown as [string, string, string];
    if (k.startsWith('sops_') || section === 'sops') {
      if (/recipient|arn|fp/.test(k)) recipients.push(v);
      if (/lastmodified/.test(k)) lastmodified = v;
      continue;
    }
    if (ENC.test(v)) values.set(`${section}${k}`, v);
  }
  return {
    values,
    encrypted: true,
    recipients: recipients.sort(),
    plain: [],
    ...(lastmodified ? { lastmodified } : {}),
  };
}

export interface SopsFileChange {
  path: string;
  before?: SopsSide;
  after?: SopsSide;
  /** The file was SOPS-encrypted at base and no longer is at head (values now in the clear). */
  decrypted: boolean;
}
