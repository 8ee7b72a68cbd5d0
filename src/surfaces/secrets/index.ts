import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { objectsContext } from '../../kube/objects.js';
import { SECRET_KINDS, isSecretKind, sopsFromEnv, sopsFromValue, type SopsFileChange, type SopsSide } from './model.js';
import type { SecretsContext } from './context.js';
import { secretsRules } from './rules/index.js';

const SOPS_FILE = /\.(ya?ml|json|env|ini)$/i;

export const secrets: Surface = {
  id: 'secrets',
  name: 'Secrets',
  summary:
    'SOPS-encrypted files, ExternalSecrets and SealedSecrets: rotations (a compatibility window while the old value stays valid), deletion policies, files decrypted into Git. No secret value, encrypted or not, is ever printed.',
  // Manifests, and SOPS files by the usual naming (`*.enc.json`, `secrets.env`, `credentials.ini`...).
  claims: (p) =>
    claimsManifest(p) || (SOPS_FILE.test(p) && /sops|enc|secret|cred/i.test(p) && !/(^|\/)\.sops\.ya?ml$/.test(p)),
  kinds: [...SECRET_KINDS],
  rules: secretsRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    const sops = await sopsChanges(ctx);
    const wanted = ctx.files.some((f) =>
      /external-secrets\.io|bitnami\.com/.test(`${f.oldText ?? ''}${f.newText ?? ''}`),
    );
    if (!sops.length && !wanted) return;
    const octx = wanted
      ? await objectsContext({ ...ctx, files: ctx.files.filter((f) => claimsManifest(f.path)) }, isSecretKind, {
          changedOnly: true,
        })
      : { changes: [], before: [], after: [], config: ctx.config };
    const sctx: SecretsContext = { ...octx, sops };
    await ctx.run(secretsRules, sctx);
  },
};

async function sopsChanges(ctx: SurfaceContext): Promise<SopsFileChange[]> {
  const candidates = ctx.files.filter((f) => /\bsops\b|sops_mac/.test(`${f.oldText ?? ''}${f.newText ?? ''}`));
  if (!candidates.length) return [];
  const { parseYaml } = await import('../../core/yaml.js');
  const read = (path: string, text: string | undefined): SopsSide | undefined => {
    if (text === undefined) return undefined;
    if (/\.(env|ini)$/i.test(path)) return sopsFromEnv(text);
    for (const doc of parseYaml(text).docs) {
      const v = doc.value as Parameters<typeof sopsFromValue>[0];
      const isObj = v !== null && typeof v === 'object' && !Array.isArray(v);
      const side = sopsFromValue(v, isObj && typeof (v as Record<string, unknown>).kind === 'string');
      if (side) return side;
    }
    return undefined;
  };
  const out: SopsFileChange[] = [];
  for (const f of candidates) {
    const before = read(f.oldPath ?? f.path, f.oldText);
    const after = read(f.path, f.newText);
    if (!before && !after) continue;
    out.push({
      path: f.path,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      decrypted: !!before && !after && f.newText !== undefined,
    });
  }
  return out;
}
