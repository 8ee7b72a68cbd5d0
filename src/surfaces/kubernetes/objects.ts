import type { SurfaceContext } from '../../core/surface.js';
import { environmentsOfPath, type RollwrightConfig } from '../../engine/config.js';
import type { KubeObject, ObjectChange } from './model.js';
import type { ParsedManifests } from './parse.js';

/**
 * What a surface that owns some Kubernetes-shaped kinds (Argo CD, Flux, CRDs, policies...) gives its
 * rules: the objects of its kinds paired across the change, and every object of those kinds in the
 * changed files at each side (unchanged ones included, for rules that look at the whole file).
 */
export interface ObjectsContext {
  changes: ObjectChange[];
  before: KubeObject[];
  after: KubeObject[];
  config: RollwrightConfig;
}

/**
 * Parses one side of a file the way the kubernetes surface does, with the same memo key, so a file
 * two surfaces read is parsed once per run.
 */
export async function parseSide(
  ctx: Pick<SurfaceContext, 'memo' | 'config'>,
  file: string,
  text: string,
  key: string,
): Promise<ParsedManifests> {
  const { parseManifests } = await import('./parse.js');
  return ctx.memo(`kubernetes:${key}:${file}`, () =>
    parseManifests(file, text, {
      defaultNamespace: ctx.config.kubernetes.defaultNamespace,
      scope: environmentsOfPath(ctx.config, file)[0] ?? '',
    }),
  );
}

/**
 * The objects `accept` keeps, from both sides of the claimed files, paired by identity with the
 * kubernetes surface's `diffObjects`. Files that do not parse are left to kubernetes/invalid-manifest.
 */
export async function objectsContext(
  ctx: SurfaceContext,
  accept: (o: Pick<KubeObject, 'group' | 'kind' | 'apiVersion'>) => boolean,
): Promise<ObjectsContext> {
  const { diffObjects } = await import('./parse.js');
  const before: KubeObject[] = [];
  const after: KubeObject[] = [];
  for (const f of ctx.files) {
    const oldPath = f.oldPath ?? f.path;
    if (f.oldText !== undefined && !templated(oldPath, f.oldText))
      before.push(...(await parseSide(ctx, oldPath, f.oldText, f.oldBlob ?? `base:${oldPath}`)).objects.filter(accept));
    if (f.newText !== undefined && !templated(f.path, f.newText))
      after.push(...(await parseSide(ctx, f.path, f.newText, f.newBlob ?? `head:${f.path}`)).objects.filter(accept));
  }
  return { changes: diffObjects(before, after), before, after, config: ctx.config };
}

/** A Helm template is Go-templated YAML, not YAML. */
export function templated(path: string, text: string): boolean {
  return /(^|\/)templates\//.test(path) && /\{\{[-\s]/.test(text);
}

/** A cheap path test shared by the surfaces that read Kubernetes-shaped YAML. */
export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
