/**
 * Rendering kustomizations with the real `kubectl kustomize`, for both revisions of a change.
 *
 * The inputs of each overlay (its directory and, transitively, the directories of the kustomizations
 * it references) are read through the repository reader (git's `cat-file --batch`: read-only, also
 * for `--worktree`) and written into one temporary directory per side, then every affected overlay
 * is rendered in parallel on both sides. An overlay whose inputs hash the same at both sides is not
 * rendered at all (its output cannot differ), and renders are cached in the process by the hash of
 * their inputs (content-addressed, like a git tree id), so an overlay rendered once is not rendered
 * again. kubectl runs through execFile with an argument array, never a shell.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RepoReader } from '../../core/change.js';
import { isObject, type JsonObject } from '../../kube/model.js';
import { KUSTOMIZATION_NAMES, dirOf, joinPath, localReferences } from './model.js';

export type Side = 'base' | 'head';

export interface KustomizationNode {
  /** The directory (the kustomization's root). */
  dir: string;
  /** The kustomization file. */
  file: string;
  /** Local kustomization directories it references (resources, bases, components). */
  children: string[];
  /** Remote references (URLs), rendered by kubectl only with network access. */
  remote: string[];
  /**
   * `helmCharts:` entries (`<name>` or `<name> <version> from <repo>`): kustomize inflates them only under
   * `--enable-helm` with a helm binary, pulling from `repo` unless the chart is vendored under `chartHome`.
   */
  helmCharts: string[];
  /** The parsed kustomization; undefined when it does not parse to a mapping. */
  value?: JsonObject;
}

export interface Graph {
  nodes: Map<string, KustomizationNode>;
  /** Kustomizations no other kustomization references: what gets deployed. */
  roots: string[];
  /** Every directory an overlay reads, itself included. */
  closure(dir: string): string[];
}

export const KUSTOMIZATION_GLOBS = KUSTOMIZATION_NAMES.map((n) => `**/${n}`);

/**
 * Parsed kustomization texts per repository reader: both sides of a change mostly hold the same files,
 * and each distinct text is parsed once. The values are shared between the sides' graphs, never changed.
 */
const parsedKustomizations = new WeakMap<RepoReader, Map<string, unknown>>();

/** The kustomization files of one side, by directory (kustomize reads the first of its names that exists). */
interface Listing {
  byDir: Map<string, string>;
  texts: Map<string, string | undefined>;
}

async function listKustomizations(repo: RepoReader, side: Side): Promise<Listing> {
  // The tree listing is cheaper than a search of every file (it reads no file); the texts read below are
  // kept when they hold a `:`, which is what the search asked for. Where git gives blob ids, a text is read
  // once for both sides (most kustomizations are the same blob at both).
  const blobs = repo.findBlobs && repo.readBlobText ? await repo.findBlobs(side, KUSTOMIZATION_NAMES) : undefined;
  const paths = blobs
    ? blobs.map((b) => b.path)
    : repo.findFiles
      ? await repo.findFiles(side, KUSTOMIZATION_NAMES)
      : await repo.grep(side, [':'], KUSTOMIZATION_GLOBS);
  const read = (p: string, i: number) => (blobs ? repo.readBlobText!(blobs[i]!.oid) : repo.readText(side, p));
  // A kustomization that cannot be read (over the size limit, binary) stays in the graph with no
  // references, as the search kept it: leaving it out would drop the overlays built from it unseen.
  const texts = new Map<string, string | undefined>();
  await Promise.all(
    paths.map(async (p, i) => {
      const text = await read(p, i);
      if (text === undefined || text.includes(':')) texts.set(p, text);
    }),
  );
  const byDir = new Map<string, string>();
  const rank = (x: string) => KUSTOMIZATION_NAMES.indexOf(x.slice(x.lastIndexOf('/') + 1) as never);
  for (const p of [...texts.keys()].sort()) {
    const d = dirOf(p);
    const prev = byDir.get(d);
    if (!prev || rank(p) < rank(prev)) byDir.set(d, p);
  }
  return { byDir, texts };
}

/** Builds one side's nodes lazily: a kustomization is parsed when its node is first asked for. */
async function nodeMaker(repo: RepoReader, { byDir, texts }: Listing) {
  const { parseYaml } = await import('../../core/yaml.js');
  let parsed = parsedKustomizations.get(repo);
  if (!parsed) parsedKustomizations.set(repo, (parsed = new Map()));
  const memo = parsed;
  const valueOf = (text: string): unknown => {
    if (memo.has(text)) return memo.get(text);
    const v = parseYaml(text).docs[0]?.value;
    memo.set(text, v);
    return v;
  };
  const made = new Map<string, KustomizationNode>();
  return (dir: string): KustomizationNode | undefined => {
    const file = byDir.get(dir);
    if (file === undefined) return undefined;
    const hit = made.get(dir);
    if (hit) return hit;
    const text = texts.get(file);
    const v = text === undefined ? undefined : valueOf(text);
    const refs = isObject(v) ? localReferences(v) : { dirsOrFiles: [], files: [], remote: [] };
    const children = refs.dirsOrFiles
      .map((r) => joinPath(dir, r))
      .filter((d): d is string => d !== undefined && byDir.has(d) && d !== dir);
    const helmCharts = (isObject(v) && Array.isArray(v.helmCharts) ? v.helmCharts : []).flatMap((c) =>
      isObject(c) && typeof c.name === 'string'
        ? [
            typeof c.repo === 'string' && c.repo
              ? `helm chart ${c.name}${c.version !== undefined ? ` ${String(c.version)}` : ''} from ${c.repo}`
              : `helm chart ${c.name}`,
          ]
        : [],
    );
    const node = { dir, file, children, remote: refs.remote, helmCharts, ...(isObject(v) ? { value: v } : {}) };
    made.set(dir, node);
    return node;
  };
}

/** The graph of some nodes: roots are those no node of them references. */
function graphOf(nodes: Map<string, KustomizationNode>): Graph {
  const referenced = new Set([...nodes.values()].flatMap((n) => n.children));
  const memo = new Map<string, string[]>();
  const closure = (dir: string): string[] => {
    const hit = memo.get(dir);
    if (hit) return hit;
    const out = new Set<string>([dir]);
    memo.set(dir, [dir]); // cycles stop here
    for (const c of nodes.get(dir)?.children ?? []) for (const d of closure(c)) out.add(d);
    const list = [...out].sort();
    memo.set(dir, list);
    return list;
  };
  return { nodes, roots: [...nodes.keys()].filter((d) => !referenced.has(d)).sort(), closure };
}

/** Finds and parses every kustomization at one side of the change. */
export async function loadGraph(repo: RepoReader, side: Side): Promise<Graph> {
  const listing = await listKustomizations(repo, side);
  const node = await nodeMaker(repo, listing);
  const nodes = new Map<string, KustomizationNode>();
  for (const dir of listing.byDir.keys()) nodes.set(dir, node(dir)!);
  return graphOf(nodes);
}

/**
 * True when a kustomization's text may hold a local reference that resolves to `target` from `dir`.
 * A reference resolves segment by segment (`joinPath`), so the last segment of what it resolves to was
 * either written in it, or is one of `dir`'s own (the target is an ancestor of `dir`). YAML writes a
 * string's characters as they are except in escapes (a backslash), doubled single quotes, and folded
 * line breaks (which only join segments with whitespace): a name holding none of those is written
 * verbatim wherever a reference names it.
 */
export function mayReference(text: string | undefined, dir: string, target: string): boolean {
  if (text === undefined || target === dir) return false;
  if (inDir(dir, target)) return true;
  const name = target.slice(target.lastIndexOf('/') + 1);
  return text.includes('\\') || /[\s'\\]/.test(name) || text.includes(name);
}

/**
 * Both sides' graphs, restricted to what the changed paths can reach: the kustomizations whose
 * directories hold a changed path, those whose references lead to one of them (transitively, at either
 * side), and everything the overlays among them read. A kustomization is parsed only when its text may
 * name a directory already in the set (`mayReference`, a sound pre-filter), so a change to one app of a
 * repository of hundreds parses a handful of them. Every overlay that reads a changed path is in the
 * result with the same closure, and is a root exactly when it is one in the whole graph: a kustomization
 * that references it reads the changed path too, so it is in the set.
 */
export async function loadGraphs(repo: RepoReader, changed: readonly string[]): Promise<Record<Side, Graph>> {
  const sides = ['base', 'head'] as const;
  const listings = await Promise.all(sides.map((s) => listKustomizations(repo, s)));
  const makers = await Promise.all(listings.map((l) => nodeMaker(repo, l)));
  const dirs = [...new Set(listings.flatMap((l) => [...l.byDir.keys()]))];
  const reaching = new Set(dirs.filter((d) => changed.some((p) => inDir(p, d))));
  let frontier = [...reaching];
  while (frontier.length) {
    const next: string[] = [];
    for (const d of dirs) {
      if (reaching.has(d)) continue;
      const refersToFrontier = listings.some((l, i) => {
        const file = l.byDir.get(d);
        if (file === undefined) return false;
        const text = l.texts.get(file);
        if (!frontier.some((t) => mayReference(text, d, t))) return false;
        return makers[i]!(d)!.children.some((c) => reaching.has(c));
      });
      if (refersToFrontier) next.push(d);
    }
    for (const d of next) reaching.add(d);
    frontier = next;
  }
  const graphs = sides.map((_, i) => {
    const nodes = new Map<string, KustomizationNode>();
    const add = (d: string): void => {
      if (nodes.has(d)) return;
      const n = makers[i]!(d);
      if (!n) return;
      nodes.set(d, n);
      n.children.forEach(add);
    };
    [...reaching].sort().forEach(add);
    return graphOf(nodes);
  });
  return { base: graphs[0]!, head: graphs[1]! };
}

/** True when `path` lies in `dir` (the repository root '' holds everything). */
export function inDir(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** The files of some directories at one side, read through the repository reader. */
export async function readTrees(repo: RepoReader, side: Side, dirs: Iterable<string>): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const seen = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const entries = await repo.listDir(side, dir);
    await Promise.all(
      entries.map(async (e) => {
        const p = dir ? `${dir}/${e.name}` : e.name;
        if (e.type === 'tree') return walk(p);
        const text = await repo.readText(side, p);
        if (text !== undefined) files.set(p, text);
      }),
    );
  };
  // Outer directories first, so a nested one is walked once.
  for (const d of [...new Set(dirs)].sort((a, b) => a.length - b.length)) {
    if ([...seen].some((s) => inDir(d, s))) continue;
    await walk(d);
  }
  return files;
}

/**
 * node:crypto's sha256, loaded when an overlay's inputs are first hashed: a change whose overlays need no
 * render never loads it (its load is a few percent of a one-line change's CPU time).
 */
function sha256() {
  return process.getBuiltinModule('node:crypto').createHash('sha256');
}

/** The hash of an overlay's inputs: every file under the directories it reads. */
export function inputHash(root: string, dirs: readonly string[], files: ReadonlyMap<string, string>): string {
  const h = sha256();
  h.update(`root\0${root}\0`);
  for (const p of [...files.keys()].filter((p) => dirs.some((d) => inDir(p, d))).sort())
    h.update(`${p}\0${files.get(p)!.length}\0`)
      .update(files.get(p)!)
      .update('\0');
  return h.digest('hex');
}

/**
 * The key of an overlay's inputs from git's tree ids of the directories it reads (content-addressed: the
 * same key is the same files, at any revision); undefined where a side has no tree ids (a work tree).
 */
export async function treeKey(
  repo: RepoReader,
  side: Side,
  root: string,
  dirs: readonly string[],
): Promise<string | undefined> {
  if (!repo.treeId) return undefined;
  const ids = await Promise.all(dirs.map((d) => repo.treeId!(side, d)));
  if (ids.some((id) => id === undefined)) return undefined;
  const h = sha256();
  h.update(`trees\0${root}\0`);
  dirs.forEach((d, i) => h.update(`${d}\0${ids[i]}\0`));
  return h.digest('hex');
}

export type RenderResult = { ok: true; output: string } | { ok: false; reason: string; missingTool?: boolean };

const cache = new Map<string, Promise<RenderResult>>();
let running = 0;
const waiting: Array<() => void> = [];
const LIMIT = Math.max(2, availableParallelism());

async function slot<T>(f: () => Promise<T>): Promise<T> {
  if (running >= LIMIT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const simpleCache = new Map<string, Promise<string | undefined>>();

/** An in-process render (undefined: not a simple build), cached by the key of its inputs. */
export function renderSimpleCached(key: string, f: () => Promise<string | undefined>): Promise<string | undefined> {
  let p = simpleCache.get(key);
  if (!p) simpleCache.set(key, (p = f()));
  return p;
}

/** True when a render of these inputs is already known (or running) in this process. */
export function isCached(hash: string, helm: boolean): boolean {
  return cache.has(helm ? `${hash}\0helm` : hash);
}

/**
 * Renders one overlay directory of a materialised tree, cached by the hash of its inputs. `helm` is the
 * helm command for overlays with `helmCharts:` (kubectl's `--enable-helm --helm-command`).
 */
export function renderCached(hash: string, root: string, overlayDir: string, helm?: string): Promise<RenderResult> {
  const key = helm ? `${hash}\0helm` : hash;
  let p = cache.get(key);
  if (!p) {
    p = slot(() => kubectlKustomize(root, overlayDir, helm));
    cache.set(key, p);
  }
  return p;
}

/** Runs `kubectl kustomize <dir>` (with `--enable-helm` when a helm command is given) and returns its output or its (cleaned) error. */
export function kubectlKustomize(root: string, dir: string, helm?: string): Promise<RenderResult> {
  return new Promise((resolve) => {
    execFile(
      process.env.ROLLWRIGHT_KUBECTL || 'kubectl',
      ['kustomize', ...(helm ? ['--enable-helm', '--helm-command', helm] : []), join(root, dir)],
      {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        timeout: 60_000,
        windowsHide: true,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', KUBECONFIG: '/dev/null' },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, output: stdout });
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          return resolve({ ok: false, reason: 'kubectl is not installed or not on PATH', missingTool: true });
        const reason = cleanReason(stderr || err.message, root);
        resolve({ ok: false, reason: err.killed ? `timed out after 60 s (${reason})` : reason });
      },
    );
  });
}

/**
 * kubectl's message without the temporary directory, on one line, bounded, and with quoted
 * `key=value` text redacted (an env file line that does not parse could carry a value).
 */
export function cleanReason(stderr: string, root: string): string {
  const text = stderr
    .split(root + '/')
    .join('')
    .split(root)
    .join('.')
    .replace(/^error: /gm, '')
    // kubectl's klog header (severity, date, time, pid, source line) differs on every run: without it the
    // message is byte-stable and the same failure at both revisions reads the same.
    .replace(/^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.-]+:\d+\] /gm, '')
    .replace(/"[^"\n]*=[^"\n]*"/g, '"(redacted)"')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text || 'kubectl failed without a message';
}

/** Writes the files into a fresh temporary directory; returns it. */
export async function materialise(files: ReadonlyMap<string, string>, side: Side): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), `rollwright-kustomize-${side}-`));
  const dirs = new Set([...files.keys()].map((p) => dirname(join(root, p))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  await Promise.all([...files].map(([p, text]) => writeFile(join(root, p), text)));
  return root;
}

export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
