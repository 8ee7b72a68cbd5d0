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

/**
 * Parses both sides of the claimed files, reports what does not parse, and pairs the objects.
 * Documents a modified file has in common on both sides are blanked before parsing (they cannot
 * change anything); the complete objects of the changed files are parsed only if a rule asks for
 * them through `before`/`after`.
 */
export async function buildKubeContext(ctx: SurfaceContext): Promise<KubeContext> {
  const [{ parseManifests, diffObjects }, { keepDocuments, maskCommonDocuments }] = await Promise.all([
    import('./parse.js'),
    import('../../core/yaml.js'),
  ]);
  const report = ctx.reporter(invalidManifest);
  // The environment a file deploys to scopes its objects' identity (see KubeObject.scope).
  const parse = (file: string, text: string, key: string): ParsedManifests =>
    ctx.memo(`kubernetes:${key}:${file}`, () =>
      parseManifests(file, text, {
        defaultNamespace: ctx.config.kubernetes.defaultNamespace,
        scope: environmentsOfPath(ctx.config, file)[0] ?? '',
      }),
    );

  const before: KubeObject[] = [];
  const after: KubeObject[] = [];
  /** Base paths of files whose head text does not parse: what they lost is unknown, not deleted. */
  const brokenAtHead = new Set<string>();
  /** The complete texts, for the lazy maps. */
  const complete: Array<{ side: 'base' | 'head'; path: string; text: string; key: string }> = [];
  for (const f of ctx.files) {
    const oldPath = f.oldPath ?? f.path;
    const templated = (path: string, text: string | undefined) => text !== undefined && isTemplated(path, text);
    for (const [path, text] of [
      [oldPath, f.oldText],
      [f.path, f.newText],
    ] as const)
      if (templated(path, text)) ctx.skip(path, 'Helm template: rendered and assessed by the helm surface');
    const oldText = templated(oldPath, f.oldText) ? undefined : f.oldText;
    const newText = templated(f.path, f.newText) ? undefined : f.newText;
    const masked = oldText !== undefined && newText !== undefined ? maskCommonDocuments(oldText, newText) : undefined;
    const sides: Array<['base' | 'head', string | undefined, string, string, string | undefined]> = [
      ['base', oldText, oldPath, f.oldBlob ?? `base:${oldPath}`, masked?.a],
      ['head', newText, f.path, f.newBlob ?? `head:${f.path}`, masked?.b],
    ];
    let manifest = false;
    for (const [side, text, path, key, partial] of sides) {
      if (text === undefined) continue;
      complete.push({ side, path, text, key });
      const parsed = masked?.masked
        ? parse(path, partial!, `${key}:masked:${sides[side === 'base' ? 1 : 0][3]}`)
        : parse(path, text, key);
      if (!parsed.isManifest && parsed.problems.every((p) => p.type !== 'yaml')) {
        // Every document it kept may have been blanked as unchanged: still a manifest, with nothing to assess.
        if (masked?.masked && looksLikeManifest(text)) manifest = true;
        continue;
      }
      manifest = true;
      (side === 'base' ? before : after).push(...parsed.objects);
      if (side === 'head' && parsed.problems.some((p) => p.type === 'yaml')) brokenAtHead.add(oldPath);
      // Problems are reported for the head side only; a base that did not parse is named once, as context.
      if (side === 'head' || newText === undefined) reportProblems(report, path, parsed, side);
    }
    if (!manifest && oldText === undefined && newText === undefined) continue;
    if (!manifest) ctx.skip(f.path, 'YAML without apiVersion and kind: not a Kubernetes manifest');
  }

  // Every object of the changed files (unchanged documents included), parsed on first use.
  const all = (side: 'base' | 'head') => () =>
    complete.filter((c) => c.side === side).flatMap((c) => parse(c.path, c.text, c.key).objects);
  const mentioning = (side: 'base' | 'head', strings: readonly string[]): KubeObject[] =>
    complete
      .filter((c) => c.side === side && strings.some((x) => c.text.includes(x)))
      .flatMap((c) => {
        const key = `${c.key}:mentioning:${strings.join('\0')}`;
        const text = ctx.memo(`kubernetes:text:${key}`, () =>
          keepDocuments(c.text, (doc) => strings.some((x) => doc.includes(x))),
        );
        return parse(c.path, text, key).objects;
      });
  const index = repositoryIndex(ctx, ctx.files, mentioning, (file, text) => parse(file, text, `grep:${file}`));
  const afterIds = new Set(after.map((o) => o.id));
  // An object missing from a file that no longer parses is reported by invalid-manifest, not as a deletion.
  const diffable = before.filter((o) => !brokenAtHead.has(o.file) || afterIds.has(o.id));
  return {
    changes: diffObjects(diffable, after),
    before: lazyMap(all('base')),
    after: lazyMap(all('head')),
    config: ctx.config,
    kubeMinor: kubeMinor(ctx.config),
    knownKinds: ctx.knownKinds,
    repo: ctx.repo,
    index,
    mentioning,
  };
}

/** A cheap look at a file whose documents were all blanked as unchanged. */
function looksLikeManifest(text: string): boolean {
  return /^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text);
}

/** A read-only map by object id, built the first time anything reads it. */
function lazyMap(load: () => KubeObject[]): ReadonlyMap<string, KubeObject> {
  let map: Map<string, KubeObject> | undefined;
  const m = () => (map ??= new Map(load().map((o) => [o.id, o])));
  return {
    get: (k) => m().get(k),
    has: (k) => m().has(k),
    get size() {
      return m().size;
    },
    forEach: (cb, thisArg) => m().forEach(cb, thisArg),
    entries: () => m().entries(),
    keys: () => m().keys(),
    values: () => m().values(),
    [Symbol.iterator]: () => m()[Symbol.iterator](),
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
  changedMentioning: (side: 'head', strings: readonly string[]) => KubeObject[],
  parse: (file: string, text: string) => ParsedManifests,
): RepositoryIndex {
  const changedPaths = new Set(changed.map((f) => f.path));
  return {
    async objectsMentioning(strings) {
      const out: KubeObject[] = changedMentioning('head', strings);
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
