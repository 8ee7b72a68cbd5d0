import type { ChangedFile } from '../../core/change.js';
import type { Report } from '../../core/rule.js';
import type { Surface, SurfaceContext } from '../../core/surface.js';
import { environmentsOfPath, kubeMinor } from '../../engine/config.js';
import type { KubeContext, KubeObject, RepositoryIndex } from './model.js';
import type { ParsedManifests } from './parse.js';
import { kubernetesRules } from './rules/index.js';
import invalidManifest from './rules/invalid-manifest.js';

/** Paths that are YAML but never Kubernetes objects. */
const NOT_MANIFESTS = [
  /(^|\/)\.rollwright\.ya?ml$/,
  /^\.rollwright\//,
  /^\.github\//,
  /(^|\/)\.gitlab-ci\.ya?ml$/,
  /(^|\/)\.pre-commit-config\.ya?ml$/,
  /(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/,
  /(^|\/)\.sops\.ya?ml$/,
  /(^|\/)Chart\.ya?ml$/,
  /(^|\/)Chart\.lock$/,
  /(^|\/)values([.-][\w.-]+)?\.ya?ml$/,
];

export function claimsManifest(path: string): boolean {
  return /\.ya?ml$/i.test(path) && !NOT_MANIFESTS.some((re) => re.test(path));
}

/** A Helm template is Go-templated YAML: the Helm surface renders it; it is not parsed as YAML. */
function isTemplated(path: string, text: string): boolean {
  return /(^|\/)templates\//.test(path) && /\{\{[-\s]/.test(text);
}

export const kubernetes: Surface = {
  id: 'kubernetes',
  name: 'Kubernetes manifests',
  summary: 'Plain Kubernetes objects in YAML: immutable fields, deletions of state, images, API versions, references.',
  claims: claimsManifest,
  rules: [invalidManifest, ...kubernetesRules],
  async assess(ctx: SurfaceContext): Promise<void> {
    await ctx.run(kubernetesRules, await buildKubeContext(ctx));
  },
};

/** Parses both sides of the claimed files, reports what does not parse, and pairs the objects. */
export async function buildKubeContext(ctx: SurfaceContext): Promise<KubeContext> {
  const { parseManifests, diffObjects } = await import('./parse.js');
  const report = ctx.reporter(invalidManifest);
  // The environment a file deploys to scopes its objects' identity (see KubeObject.scope).
  const parse = (file: string, text: string, blob: string | undefined): ParsedManifests =>
    ctx.memo(`kubernetes:${blob ?? file}:${file}`, () =>
      parseManifests(file, text, {
        defaultNamespace: ctx.config.kubernetes.defaultNamespace,
        scope: environmentsOfPath(ctx.config, file)[0] ?? '',
      }),
    );

  const before: KubeObject[] = [];
  const after: KubeObject[] = [];
  /** Base paths of files whose head text does not parse: what they lost is unknown, not deleted. */
  const brokenAtHead = new Set<string>();
  for (const f of ctx.files) {
    const sides: Array<['base' | 'head', string | undefined, string, string | undefined]> = [
      ['base', f.oldText, f.oldPath ?? f.path, f.oldBlob],
      ['head', f.newText, f.path, f.newBlob],
    ];
    let manifest = false;
    for (const [side, text, path, blob] of sides) {
      if (text === undefined) continue;
      if (isTemplated(path, text)) {
        ctx.skip(path, 'Helm template: rendered and assessed by the helm surface');
        continue;
      }
      const parsed = parse(path, text, blob);
      if (!parsed.isManifest && parsed.problems.every((p) => p.type !== 'yaml')) continue;
      manifest = true;
      (side === 'base' ? before : after).push(...parsed.objects);
      if (side === 'head' && parsed.problems.some((p) => p.type === 'yaml')) brokenAtHead.add(f.oldPath ?? f.path);
      // Problems are reported for the head side only; a base that did not parse is named once, as context.
      if (side === 'head' || f.newText === undefined) reportProblems(report, path, parsed, side);
    }
    if (!manifest && !isTemplated(f.path, f.newText ?? f.oldText ?? '')) {
      ctx.skip(f.path, 'YAML without apiVersion and kind: not a Kubernetes manifest');
    }
  }

  const afterById = new Map(after.map((o) => [o.id, o]));
  const beforeById = new Map(before.map((o) => [o.id, o]));
  const index = repositoryIndex(ctx, ctx.files, afterById, (file, text) => parse(file, text, undefined));
  // An object missing from a file that no longer parses is reported by invalid-manifest, not as a deletion.
  const diffable = before.filter((o) => !brokenAtHead.has(o.file) || afterById.has(o.id));
  return {
    changes: diffObjects(diffable, after),
    before: beforeById,
    after: afterById,
    config: ctx.config,
    kubeMinor: kubeMinor(ctx.config),
    knownKinds: ctx.knownKinds,
    repo: ctx.repo,
    index,
  };
}

function reportProblems(
  report: Report<'yaml' | 'notObject' | 'missingField' | 'duplicate'>,
  file: string,
  parsed: ParsedManifests,
  side: 'base' | 'head',
): void {
  for (const p of parsed.problems) {
    const where = { file, line: p.line };
    const sideNote = side === 'base' ? ' (in the base revision)' : '';
    switch (p.type) {
      case 'yaml':
        report('yaml', { reason: p.reason + sideNote, column: p.column }, { ...where, column: p.column });
        break;
      case 'not-object':
        report('notObject', { found: p.found }, where);
        break;
      case 'missing-field':
        report('missingField', { field: p.field }, where);
        break;
      case 'duplicate':
        report('duplicate', { id: p.id, firstLine: p.firstLine }, where, { object: p.id });
        break;
    }
  }
}

/** Objects at head from files outside the change set, found by `git grep` only when a rule asks. */
function repositoryIndex(
  ctx: SurfaceContext,
  changed: ChangedFile[],
  changedAfter: ReadonlyMap<string, KubeObject>,
  parse: (file: string, text: string) => ParsedManifests,
): RepositoryIndex {
  const changedPaths = new Set(changed.map((f) => f.path));
  return {
    async objectsMentioning(strings) {
      const out: KubeObject[] = [...changedAfter.values()];
      const paths = await ctx.memo(`kubernetes:grep:${strings.join('\0')}`, () =>
        ctx.repo.grep('head', strings, ['**/*.yaml', '**/*.yml']),
      );
      for (const p of paths) {
        if (changedPaths.has(p) || !claimsManifest(p)) continue;
        const text = await ctx.repo.readText('head', p);
        if (text === undefined || isTemplated(p, text)) continue;
        out.push(...parse(p, text).objects);
      }
      return out;
    },
  };
}
