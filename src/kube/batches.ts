/**
 * A change of thousands of files, assessed in batches: each batch's context (kube/context.ts) is
 * built, handed to the rules and dropped before the next, so memory follows the batch and not the
 * change. Batches keep together what the rules compare across files, and objects a batch leaves
 * unpaired are carried to a last context, so the findings are those of one context of every file.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ChangedFile } from '../core/change.js';
import { foundIn } from '../core/contains.js';
import type { SurfaceContext } from '../core/surface.js';
import { splitDocuments } from '../core/yaml-documents.js';
import { buildKubeContext, lazyMap, parseOptions, type KubeContextOptions, type Unpaired } from './context.js';
import type { KubeContext } from './model.js';
import { templated as isTemplated } from './objects.js';
import { configObjectNames, startPrefetch } from './repository-index.js';

/**
 * A full garbage collection, run between two batches of a large change. A batch's parse trees, memo and
 * findings' garbage are dead once its rules have run; left to itself, V8 grows the old generation
 * around them (peak memory about three times the live heap on a 50,000-file change), so the batches
 * collect them, and the heap grows by 20% of the live size after a collection instead of V8's default
 * factor (up to 4×). The collector is V8's `gc`, exposed for this process; where it cannot be (an
 * embedder that refuses the flag), batches run without it.
 */
let collector: (() => void) | null | undefined;
export function collectGarbage(): void {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      setFlagsFromString('--heap-growing-percent=20');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  collector?.();
}

/** Files per batch of a large change (lowered by tests). */
export const kubeBatching = { files: 2_500 };

/**
 * Builds the kubernetes context of the claimed files and hands it to `use`; a change of more files than
 * a batch is read in batches (batchFiles), each parsed, assessed and dropped before the next, so that
 * memory follows the batch and not the change. Objects a batch leaves unpaired are carried to a last
 * context that pairs and reports them: the findings are those of one context of every file.
 */
export async function forEachKubeContext(
  ctx: SurfaceContext,
  opts: Omit<KubeContextOptions, 'batch'>,
  use: (kctx: KubeContext) => Promise<void>,
): Promise<void> {
  const named = new Map<string, Set<string>>();
  const batches = ctx.files.length > kubeBatching.files ? batchFiles(ctx.files, kubeBatching.files, named) : undefined;
  if (!batches) {
    const kctx = await buildKubeContext(ctx, opts);
    try {
      await use(kctx);
    } finally {
      kctx.release();
    }
    return;
  }
  // The documents split to read the names are not kept for the run.
  const prefetch = opts.prefetch ? startPrefetch({ ...ctx, memo: (_key, make) => make() }) : undefined;
  const carried: Unpaired = { before: [], after: [], brokenAtHead: new Set() };
  const sidesOf = (files: readonly ChangedFile[]) => ({
    base: files.filter((f) => f.oldBlob !== undefined || f.oldText !== undefined).length,
    head: files.filter((f) => f.newBlob !== undefined || f.newText !== undefined).length,
  });
  const total = sidesOf(ctx.files);
  const [{ kustomizePatchFiles }, { parseManifests }] = await Promise.all([
    import('./kustomize-inputs.js'),
    import('./parse.js'),
  ]);
  const patchFiles = await kustomizePatchFiles(ctx);
  // Built here, not in a batch: what a batch's closures hold is dropped with it.
  const { files, config } = ctx;
  const whole = (side: 'base' | 'head') =>
    lazyMap(() =>
      files.flatMap((f) => {
        const path = side === 'base' ? (f.oldPath ?? f.path) : f.path;
        const text = side === 'base' ? f.oldText : f.newText;
        if (text === undefined || patchFiles.has(f.path) || isTemplated(path, text)) return [];
        return parseManifests(path, text, parseOptions(config, path)).objects;
      }),
    );
  const batch = {
    all: ctx.files,
    prefetch,
    patchFiles,
    whole: { before: whole('base'), after: whole('head') },
    namedAtHead: named,
  };
  try {
    for (const files of [...batches, []]) {
      // Parses are the batch's: kept in a memo of its own, dropped with it.
      const memo = new Map<string, unknown>();
      const bctx: SurfaceContext = {
        ...ctx,
        files,
        memo<T>(key: string, make: () => T): T {
          if (!key.startsWith('kubernetes:')) return ctx.memo(key, make);
          // One look-up when the value is there (keys are long concatenations: each look-up hashes one).
          const had = memo.get(key);
          if (had !== undefined || memo.has(key)) return had as T;
          const made = make();
          memo.set(key, made);
          return made;
        },
      };
      const last = files.length === 0;
      const own = sidesOf(files);
      const sides = last
        ? { carried }
        : {
            unpaired: carried,
            addedFinal: own.base === total.base,
            removedFinal: own.head === total.head,
          };
      await use(await buildKubeContext(bctx, { ...opts, batch: { ...batch, ...sides } }));
      if (!last) collectGarbage();
    }
  } finally {
    prefetch?.cancel();
  }
}

/**
 * The files of a change in batches of about `size` files, each closed under what the kubernetes rules
 * compare across files of one change: a file that defines a ConfigMap or Secret shares its batch with
 * every file that names it at head (configmap-data-changed reads whether a consumer's pods roll in the
 * same change). Undefined (one batch) when a ConfigMap's name cannot be read from its header lines
 * (flow style, JSON), or when the groups leave one batch anyway. `named`, when given, receives what the
 * grouping read: for each ConfigMap name, the paths of every file whose head text contains it.
 */
export function batchFiles(
  files: readonly ChangedFile[],
  size: number,
  named?: Map<string, Set<string>>,
): ChangedFile[][] | undefined {
  const parent = files.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  const one = (doc: string) => [{ text: doc, offset: 0 }];
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    for (const text of [f.oldText, f.newText]) {
      if (text === undefined || !text.includes('ConfigMap')) continue;
      const written = text.match(/kind["']?[ \t]*:[ \t]*["']?ConfigMap\b/g)?.length ?? 0;
      let read = 0;
      for (const piece of splitDocuments(text)) {
        if (!/^kind:[ \t]*["']?ConfigMap\b/m.test(piece.text)) continue;
        read++;
        const names = configObjectNames(piece.text, one);
        if (names.length === 0) return undefined;
        for (const n of names) {
          const o = owner.get(n);
          if (o === undefined) owner.set(n, i);
          else parent[root(i)] = root(o);
        }
      }
      if (read !== written) return undefined;
    }
  }
  if (owner.size) {
    const found = foundIn([...owner.keys()]);
    files.forEach((f, i) => {
      if (f.newText === undefined) return;
      for (const n of found(f.newText)) {
        parent[root(i)] = root(owner.get(n)!);
        if (named) {
          const paths = named.get(n);
          if (paths) paths.add(f.path);
          else named.set(n, new Set([f.path]));
        }
      }
    });
    // A name no head text contains is named by no file.
    if (named) for (const n of owner.keys()) if (!named.has(n)) named.set(n, new Set());
  }
  const groups = new Map<number, number[]>();
  files.forEach((_, i) => {
    const r = root(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  const batches: ChangedFile[][] = [];
  let current: number[] = [];
  for (const g of groups.values()) {
    if (current.length && current.length + g.length > size) {
      batches.push(current.sort((a, b) => a - b).map((i) => files[i]!));
      current = [];
    }
    current.push(...g);
  }
  if (current.length) batches.push(current.sort((a, b) => a - b).map((i) => files[i]!));
  return batches.length > 1 ? batches : undefined;
}
