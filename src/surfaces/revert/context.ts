import type { SurfaceContext } from '../../core/surface.js';
import type { AdmissionRequestObject } from '../../kube/admission.js';
import { at, type KubeObject } from '../../kube/model.js';
import { claimsManifest, objectsContext, parseSide } from '../../kube/objects.js';
import type { RevertContext, RevertSections } from './model.js';
import { revertRules } from './rules/index.js';

/**
 * Checks the objects a revert writes against their schemas and the repository's admission policies
 * (results into `sections`, for the command's output), and runs the revert rules.
 */
export async function assessRevert(ctx: SurfaceContext, sections: RevertSections): Promise<void> {
  const [{ validateObjects }, { evaluateAdmission, isPolicy, isBinding }] = await Promise.all([
    import('../../kube/schema.js'),
    import('../../kube/admission.js'),
  ]);
  const objects = await objectsContext(ctx, () => true);
  const written = objects.changes.filter((c) => c.after && c.bodyChanged).map((c) => c.after!);
  const context = await headObjects(ctx, written);
  const crds = context.filter((o) => o.group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition');
  const schema = await validateObjects(written, crds, ctx.config.kubernetes.version);
  const requests: AdmissionRequestObject[] = objects.changes
    .filter((c) => c.bodyChanged || c.status !== 'moved')
    .map((c) => ({
      operation: !c.before ? 'CREATE' : !c.after ? 'DELETE' : 'UPDATE',
      object: c.after,
      oldObject: c.before,
    }));
  const admission = await evaluateAdmission(
    requests.filter((r) => !(r.object && (isPolicy(r.object) || isBinding(r.object)))),
    context,
    (o) => at(o).line,
  );
  sections.schema = schema;
  sections.admission = admission;
  const rctx: RevertContext = { files: ctx.files, objects, repo: ctx.repo, config: ctx.config, schema, admission };
  await ctx.run(revertRules, rctx);
}

/**
 * Objects at the revert's head that judge the written ones: admission policies, their bindings and
 * parameters, and CRDs (for custom resources' schemas and resource names), found with `git grep`.
 */
async function headObjects(ctx: SurfaceContext, written: readonly KubeObject[]): Promise<KubeObject[]> {
  const globs = ['**/*.yaml', '**/*.yml'];
  const seen = new Set<string>();
  const out: KubeObject[] = [...written];
  const load = async (strings: string[]) => {
    const paths = (await ctx.repo.grep('head', strings, globs)).filter((p) => claimsManifest(p) && !seen.has(p));
    for (const p of paths) {
      seen.add(p);
      const text = await ctx.repo.readText('head', p);
      if (text === undefined) continue;
      const parsed = await parseSide(ctx, p, text, `revert-head:${p}`);
      for (const o of parsed.objects) if (!out.some((x) => x.id === o.id && x.file === o.file)) out.push(o);
    }
  };
  await load(['ValidatingAdmissionPolicy', 'CustomResourceDefinition']);
  const paramNames = out
    .filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')
    .map((o) => (o.body.spec as { paramRef?: { name?: unknown } } | undefined)?.paramRef?.name)
    .filter((n): n is string => typeof n === 'string' && n.length > 0);
  if (paramNames.length) await load(paramNames);
  return out;
}
