/**
 * The repository-wide lookup of KubeContext: objects at head in files outside the change set, found
 * by `git grep` when a rule asks, and the search started ahead for names a rule may look up.
 */
import type { ChangedFile } from '../core/change.js';
import { containsAny } from '../core/contains.js';
import type { SurfaceContext } from '../core/surface.js';
import type { KubeObject, RepositoryIndex } from './model.js';
import { claimsManifest, templated as isTemplated } from './objects.js';
import type { ParsedManifests } from './parse.js';
import { environmentsOfPath } from '../core/config.js';
import { hasDocument } from '../core/yaml-documents.js';
import { documentsOf } from './documents.js';

/** Whether searching `wide` finds every file searching `narrow` would (same includes, fewer excludes). */
function covers(wide: string[], narrow: string[]): boolean {
  const excl = (g: string[]) => new Set(g.filter((x) => x.startsWith('!')));
  const w = excl(wide);
  const n = excl(narrow);
  return (
    [...w].every((x) => n.has(x)) &&
    wide.filter((x) => !x.startsWith('!')).join() === narrow.filter((x) => !x.startsWith('!')).join()
  );
}

export interface Prefetch {
  strings: ReadonlySet<string>;
  globs: string[];
  paths: Promise<{ ok: true; paths: string[] } | { ok: false; error: unknown }>;
  /** Kills the search if no rule used it, so the process does not wait for it at exit. */
  cancel(): void;
  used: boolean;
}

/** Starts a `git grep` for names a rule may look up, so it runs while parsing goes on. */
export function prefetchGrep(ctx: SurfaceContext, strings: string[], scopes: readonly string[]): Prefetch {
  const abort = new AbortController();
  const globs = searchGlobs(ctx, scopes);
  return {
    strings: new Set(strings),
    globs,
    used: false,
    cancel() {
      if (!this.used) abort.abort();
    },
    paths: ctx.repo.grep('head', strings, globs, abort.signal).then(
      (paths) => ({ ok: true as const, paths }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
  };
}

const MANIFEST_GLOBS = ['**/*.yaml', '**/*.yml'];

/**
 * What to search for references to objects of these environments: every manifest, less the paths of
 * the other environments (their objects live in other clusters). Unscoped objects search everything.
 */
function searchGlobs(ctx: SurfaceContext, scopes: readonly string[] | undefined): string[] {
  if (!scopes || scopes.length === 0 || scopes.includes('')) return MANIFEST_GLOBS;
  const mine = new Set(scopes.flatMap((s) => ctx.config.environments[s]?.paths ?? []));
  const others = Object.entries(ctx.config.environments)
    .filter(([name]) => !scopes.includes(name))
    .flatMap(([, e]) => e.paths)
    .filter((g) => !mine.has(g));
  return [...MANIFEST_GLOBS, ...[...new Set(others)].map((g) => `!${g}`)];
}

/** Objects at head from files outside the change set, found by `git grep` only when a rule asks. */
export function repositoryIndex(
  ctx: SurfaceContext,
  changed: ChangedFile[],
  changedMentioning: (side: 'head', strings: readonly string[]) => KubeObject[],
  parse: (file: string, text: string, strings: readonly string[]) => ParsedManifests,
  prefetch: Prefetch | undefined,
): RepositoryIndex {
  const changedPaths = new Set(changed.map((f) => f.path));
  const grep = async (strings: string[], globs: string[]): Promise<string[]> => {
    // A prefetched search for a superset of the strings, over a superset of the paths, found every file this one would.
    if (prefetch && strings.every((x) => prefetch.strings.has(x)) && covers(prefetch.globs, globs)) {
      prefetch.used = true;
      const r = await prefetch.paths;
      if (!r.ok) throw r.error;
      return r.paths;
    }
    return ctx.memo(`kubernetes:grep:${strings.join('\0')}:${globs.join('\0')}`, () =>
      ctx.repo.grep('head', strings, globs),
    );
  };
  return {
    async objectsMentioning(strings, scopes) {
      const out: KubeObject[] = changedMentioning('head', strings);
      const globs = searchGlobs(ctx, scopes);
      const paths = (await grep(strings, globs)).filter((p) => !changedPaths.has(p) && claimsManifest(p));
      const texts = await Promise.all(paths.map((p) => ctx.repo.readText('head', p)));
      const has = containsAny(strings);
      paths.forEach((p, i) => {
        const text = texts[i];
        if (text === undefined || isTemplated(p, text) || !has(text)) return;
        out.push(...parse(p, text, strings).objects);
      });
      return out;
    },
  };
}

/** The most names searched ahead of need (see startPrefetch). */
const PREFETCH_MAX_NAMES = 64;

/**
 * Starts a `git grep` at head for the names of the ConfigMaps and Secrets the change may remove, so
 * that it runs on the other core while this one parses. The names are read from document headers
 * (configObjectNames) of the base documents that are not found unchanged at head, before anything
 * is masked or parsed. A header read wrong only makes the prefetch unusable: the index checks it
 * covers the names it needs before using it, and searches again otherwise.
 */
export function startPrefetch(ctx: SurfaceContext): Prefetch | undefined {
  const candidates = new Set<string>();
  const scopes = new Set<string>();
  for (const f of ctx.files) {
    const oldPath = f.oldPath ?? f.path;
    const oldText = f.oldText;
    if (oldText === undefined || isTemplated(oldPath, oldText)) continue;
    const newText = f.newText !== undefined && !isTemplated(f.path, f.newText) ? f.newText : undefined;
    const names = configObjectNames(oldText, () => {
      const pieces = documentsOf(ctx, f.oldBlob ?? `base:${oldPath}`, oldText).pieces;
      return newText === undefined ? pieces : pieces.filter((p) => !hasDocument(newText, p.text));
    });
    if (!names.length) continue;
    for (const n of names) candidates.add(n);
    scopes.add(environmentsOfPath(ctx.config, oldPath)[0] ?? '');
  }
  // `git grep -F` scans the tree once per string: thousands of names cost minutes of the other core
  // for a search that only a removal needs. Then the index searches when a rule asks.
  return candidates.size && candidates.size <= PREFETCH_MAX_NAMES
    ? prefetchGrep(ctx, [...candidates].sort(), [...scopes])
    : undefined;
}

/**
 * The names of the ConfigMaps and Secrets a text defines, read from each document's `kind` line and
 * the `name` keys of its `metadata` block, without parsing. It may list a name too many (a label
 * called `name`) or miss one written in flow style; callers use it only as a search superset.
 */
export function configObjectNames(
  text: string,
  split: (text: string) => Array<{ text: string; offset: number }>,
): string[] {
  if (!/^kind:[ \t]*["']?(?:ConfigMap|Secret)\b/m.test(text)) return [];
  const out: string[] = [];
  for (const { text: doc } of split(text)) {
    if (!/^kind:[ \t]*["']?(?:ConfigMap|Secret)["']?[ \t]*(?:#.*)?$/m.test(doc)) continue;
    const meta = /^metadata:[ \t]*(?:#.*)?\n((?:[ \t]+.*\n?|[ \t]*\n)*)/m.exec(doc);
    if (!meta) continue;
    for (const m of meta[1]!.matchAll(/^[ \t]+name:[ \t]*["']?([^"'\s#]+)/gm)) out.push(m[1]!);
  }
  return out;
}
