import type { SurfaceContext } from '../core/surface.js';
import { environmentsOfPath, type RollwrightConfig } from '../core/config.js';
import { documentsOf } from './documents.js';
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

/** An object change with a head side: what a rule about a setting of a kept or added object reads. */
export type ChangedObject = ObjectChange & { after: KubeObject };

/**
 * The changes whose object is at head with another body than at base (or new): the things a toggle
 * rule compares. `kinds`: only objects of these kinds; `paired`: only objects with a base side too.
 */
export function changedObjects(
  changes: readonly ObjectChange[],
  opts: { kinds?: readonly string[]; paired?: boolean } = {},
): ChangedObject[] {
  return changes.filter(
    (c): c is ChangedObject =>
      c.after !== undefined &&
      c.bodyChanged &&
      (opts.kinds === undefined || opts.kinds.includes(c.kind)) &&
      (!opts.paired || c.before !== undefined),
  );
}

/** The context of a surface none of whose objects the change touches. */
export function emptyObjectsContext(config: RollwrightConfig): ObjectsContext {
  return { changes: [], before: [], after: [], config };
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

export interface ObjectsOptions {
  /**
   * The surface's rules read `changes` only (never the whole-file `before`/`after` lists): documents
   * identical at both sides of a file are left out, and the rest is the kubernetes surface's own parse.
   */
  changedOnly?: boolean;
}

/**
 * The objects `accept` keeps, from both sides of the claimed files, paired by identity with the
 * kubernetes surface's `diffObjects`. Files that do not parse are left to kubernetes/invalid-manifest.
 */
export async function objectsContext(
  ctx: SurfaceContext,
  accept: (o: Pick<KubeObject, 'group' | 'kind' | 'apiVersion'>) => boolean,
  opts: ObjectsOptions = {},
): Promise<ObjectsContext> {
  const [
    { diffObjects, splitApiVersion },
    { keepDocuments, maskCommonDocuments },
    { canonicalGroup },
    { kustomizePatchFiles },
  ] = await Promise.all([
    import('./parse.js'),
    import('../core/yaml.js'),
    import('./kinds.js'),
    import('./kustomize-inputs.js'),
  ]);
  // Kustomize patch files are applied to their targets when rendering, never objects of their own.
  const patchFiles = await kustomizePatchFiles(ctx);
  // Only documents whose own apiVersion and kind lines this surface accepts are parsed; the others are
  // blanked (lines kept). A document whose header cannot be read that way (flow style, a List) is kept.
  // The pieces and headers are read once per run for every surface (documentsOf).
  const mayAccept = ({ apiVersion: api, kind }: { apiVersion?: string; kind?: string }): boolean => {
    if (!api || !kind || kind.endsWith('List')) return true;
    const { group } = splitApiVersion(api);
    return accept({ group: canonicalGroup(group, kind), kind, apiVersion: api });
  };
  const side = async (path: string, text: string, key: string, alone: boolean) => {
    const docs = documentsOf(ctx, key, text);
    const kept: number[] = [];
    let accepted = 0;
    docs.pieces.forEach((_, i) => {
      if (!mayAccept(docs.header(i))) return;
      kept.push(i);
      if (!docs.empty(i)) accepted++;
    });
    // No document this surface may accept (a comment before the first `---` is no document): nothing
    // is parsed, added files included. The kubernetes surface reads a change of thousands of files in
    // batches whose parses are dropped with each batch: a file parsed here for nothing would be parsed
    // a second time and kept for the run.
    if (accepted === 0) return [];
    // A side with no counterpart (an added or deleted file, every file of a tree that `lint` reads) is
    // otherwise parsed whole by the kubernetes surface under this key: its objects are filtered from that
    // one parse, never parsed again from a partial text.
    if (alone || kept.length === docs.pieces.length)
      return (await parseSide(ctx, path, text, key)).objects.filter(accept);
    const keep = new Set(kept);
    const partial = keepDocuments(text, (_, i) => keep.has(i), docs.pieces);
    // The memo key names the documents kept: surfaces that keep the same ones share the parse.
    return (await parseSide(ctx, path, partial, `${key}:docs:${kept.join(',')}`)).objects.filter(accept);
  };
  const before: KubeObject[] = [];
  const after: KubeObject[] = [];
  for (const f of ctx.files) {
    if (patchFiles.has(f.path)) continue;
    const oldPath = f.oldPath ?? f.path;
    const oldText = f.oldText !== undefined && !templated(oldPath, f.oldText) ? f.oldText : undefined;
    const newText = f.newText !== undefined && !templated(f.path, f.newText) ? f.newText : undefined;
    const oldKey = f.oldBlob ?? `base:${oldPath}`;
    const newKey = f.newBlob ?? `head:${f.path}`;
    if (opts.changedOnly && oldText !== undefined && newText !== undefined) {
      // Documents identical at both sides cannot change anything: blank them exactly as the kubernetes
      // surface does, under its memo key, so the changed documents are parsed once for both surfaces.
      const masked = ctx.memo(`kubernetes:mask:${oldKey}:${newKey}`, () => maskCommonDocuments(oldText, newText));
      if (masked.masked) {
        before.push(...(await parseSide(ctx, oldPath, masked.a, `${oldKey}:masked:${newKey}`)).objects.filter(accept));
        after.push(...(await parseSide(ctx, f.path, masked.b, `${newKey}:masked:${oldKey}`)).objects.filter(accept));
        continue;
      }
    }
    if (oldText !== undefined) before.push(...(await side(oldPath, oldText, oldKey, newText === undefined)));
    if (newText !== undefined) after.push(...(await side(f.path, newText, newKey, oldText === undefined)));
  }
  return { changes: diffObjects(before, after), before, after, config: ctx.config };
}

/**
 * Paths that are YAML but never Kubernetes objects: rollwright's own config and declarations, CI and
 * bot configs, package managers' lock and workspace files, Compose, SOPS rules, Helm chart metadata
 * and values.
 */
const NOT_MANIFESTS = [
  /(^|\/)\.rollwright\.ya?ml$/,
  /^\.rollwright\//,
  /^\.github\//,
  /^\.gitea\//,
  /^\.forgejo\//,
  /^\.circleci\//,
  /^\.buildkite\//,
  /^\.gitlab\//,
  /(^|\/)\.gitlab-ci\.ya?ml$/,
  /(^|\/)\.(travis|drone|woodpecker|appveyor|mergify|codecov|golangci|goreleaser|yamllint|markdownlint|gitpod|pre-commit-hooks)\.ya?ml$/,
  /(^|\/)(azure-pipelines|bitbucket-pipelines|appveyor|codecov|cloudbuild|mkdocs|renovate|dependabot|pnpm-lock|pnpm-workspace|conda-lock)\.ya?ml$/,
  /(^|\/)\.woodpecker\//,
  /(^|\/)\.yarnrc\.ya?ml$/,
  /(^|\/)\.pre-commit-config\.ya?ml$/,
  /(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/,
  /(^|\/)\.sops\.ya?ml$/,
  /(^|\/)Chart\.ya?ml$/,
  /(^|\/)Chart\.lock$/,
  /(^|\/)values([.-][\w.-]+)?\.ya?ml$/,
];

/**
 * JSON that is never a Kubernetes object: package manifests and lock files, editor, linter and
 * compiler settings, Terraform's JSON syntax (the terraform surface reads it), JSON schemas.
 */
const NOT_JSON_MANIFESTS =
  /(^|\/)(package(-lock)?|npm-shrinkwrap|composer(\.lock)?|bower|lerna|nx|turbo|deno|jsconfig|tsconfig[\w.-]*|tslint|\.eslintrc|\.babelrc|babel\.config|\.prettierrc|renovate|\.renovaterc|default|\.markdownlint|cspell|\.?devcontainer|firebase|vercel|app|manifest|angular|project)\.json$|\.(tf|tofu|tfvars)\.json$|\.schema\.json$|(^|\/)(\.vscode|\.idea|\.devcontainer|node_modules|\.terraform)\//;

/**
 * Whether a path may hold Kubernetes manifests: the claim of every Kubernetes-shaped surface. YAML,
 * and JSON (Argo CD applies the .yaml, .yml and .json files of a directory application; kubectl
 * applies JSON manifests), read through the same parser: JSON is YAML 1.2.
 */
export function claimsManifest(path: string): boolean {
  if (/\.json$/i.test(path)) return !NOT_JSON_MANIFESTS.test(path) && !NOT_MANIFESTS.some((re) => re.test(path));
  return /\.ya?ml$/i.test(path) && !NOT_MANIFESTS.some((re) => re.test(path));
}

/** claimsManifest for YAML only: for surfaces whose own JSON files are not manifests (feature flags). */
export function claimsYamlManifest(path: string): boolean {
  return /\.ya?ml$/i.test(path) && claimsManifest(path);
}

/** A Helm template is Go-templated YAML (the helm surface renders it), not YAML. */
export function templated(path: string, text: string): boolean {
  return /(^|\/)templates\//.test(path) && /\{\{[-\s]/.test(text);
}

/** A cheap path test shared by the surfaces that read Kubernetes-shaped YAML. */
export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
