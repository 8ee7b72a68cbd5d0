import type { ChangedFile } from '../core/change.js';
import type { Rule } from '../core/rule.js';
import type { Surface, SurfaceContext } from '../core/surface.js';
import type { KubeObject } from './model.js';
import { claimsManifest, objectsContext, type ObjectsContext } from './objects.js';

/**
 * A surface that owns some Kubernetes-shaped kinds (Argo CD, Flux, CRDs, policies...): what it claims,
 * which text a file must mention before anything is parsed, which objects its rules read, and the
 * rules. `kubeSurface` turns that into a Surface whose assess skips a change that mentions none of its
 * kinds, pairs the selected objects across the change (objectsContext) and runs the rules on them.
 */
export interface KubeSurfaceSpec<Ctx extends ObjectsContext> {
  id: string;
  name: string;
  summary: string;
  /** Which paths it reads (default: every path that may hold manifests). */
  claims?: (path: string) => boolean;
  /** Custom resource kinds (`group/Kind`) it understands. */
  kinds?: readonly string[];
  rules: readonly Rule<Ctx, string>[];
  /**
   * Cost follows the change: nothing is parsed unless one side of a claimed file mentions this (its
   * API group, usually); a plain string is searched for as is.
   */
  mentions: string | RegExp;
  /**
   * The files whose objects are read once the change mentions the surface: every claimed file (the
   * default), only the files that mention it, or the files whose path passes a test.
   */
  read?: 'mentioning' | ((path: string) => boolean);
  /** The objects its rules read. */
  select: (o: Pick<KubeObject, 'group' | 'kind' | 'apiVersion'>) => boolean;
  /** Its rules read `changes` only: documents identical at both sides are not parsed (ObjectsOptions). */
  changedOnly?: boolean;
  /**
   * For rules that read more than objects (SOPS files, Rego): the rules' context from the objects'
   * one (undefined when no file mentions the surface), or undefined to run nothing. Without it, the
   * rules run when some selected object changed.
   */
  context?: (ctx: SurfaceContext, objects: ObjectsContext | undefined) => Promise<Ctx | undefined>;
}

export function kubeSurface<Ctx extends ObjectsContext = ObjectsContext>(spec: KubeSurfaceSpec<Ctx>): Surface {
  const { mentions, read, context } = spec;
  const mentioned =
    typeof mentions === 'string'
      ? (f: ChangedFile) => `${f.oldText ?? ''}${f.newText ?? ''}`.includes(mentions)
      : (f: ChangedFile) => mentions.test(`${f.oldText ?? ''}${f.newText ?? ''}`);
  const reads = read === 'mentioning' ? mentioned : read ? (f: ChangedFile) => read(f.path) : undefined;
  return {
    id: spec.id,
    name: spec.name,
    summary: spec.summary,
    claims: spec.claims ?? claimsManifest,
    ...(spec.kinds ? { kinds: spec.kinds } : {}),
    rules: spec.rules,
    async assess(ctx: SurfaceContext): Promise<void> {
      const files = reads ? ctx.files.filter(reads) : ctx.files;
      const wanted = (reads === mentioned ? files : ctx.files).some(mentioned);
      if (!wanted && !context) return;
      const objects = wanted
        ? await objectsContext(files === ctx.files ? ctx : { ...ctx, files }, spec.select, {
            changedOnly: spec.changedOnly ?? false,
          })
        : undefined;
      if (!context) {
        if (objects!.changes.length) await ctx.run(spec.rules, objects as Ctx);
        return;
      }
      const full = await context(ctx, objects);
      if (full) await ctx.run(spec.rules, full);
    },
  };
}
