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
