import type { SurfaceContext } from '../../core/surface.js';
import { emptyObjectsContext, type ObjectsContext } from '../../kube/objects.js';
import { sopsFromEnv, sopsFromValue, type SopsFileChange, type SopsSide } from './model.js';

/** What the secrets rules receive: the secret objects of the change, and the SOPS files with both sides. */
export interface SecretsContext extends ObjectsContext {
  sops: SopsFileChange[];
}

/**
 * The secrets rules' context: the secret objects (when a file mentions their groups) and the SOPS
 * files of the change; undefined when the change has neither.
 */
export async function secretsContext(
  ctx: SurfaceContext,
  objects: ObjectsContext | undefined,
): Promise<SecretsContext | undefined> {
  const sops = await sopsChanges(ctx);
  if (!sops.length && !objects) return undefined;
  return { ...(objects ?? emptyObjectsContext(ctx.config)), sops };
}

/** The changed files that SOPS encrypted at either side, read without decrypting anything. */
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
