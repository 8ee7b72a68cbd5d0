/**
 * The layering of src/, as data, and the checker that holds the code to it (src/architecture.test.ts).
 * It reads every import of every module (static, dynamic `import()`, type-only, `export ... from`,
 * `typeof import()` in types), resolves the relative ones to files, and reports each import a layer may
 * not make, and every circle in the module graph, with the file, line and import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * What each folder of src/ may import besides itself (paths relative to src/; a top-level file is the
 * layer named by its file name: `registry`, `index`). A folder not listed here may import nothing but
 * itself until it is added, with its rule.
 */
/** Every layer of the library: what the CLI and the public API (src/index.ts) may import. */
const LIBRARY: readonly string[] = [
  'core',
  'kube',
  'git',
  'live',
  'ci',
  'registry',
  'engine',
  'ledger',
  'reporters',
  'rehearse',
  'surfaces',
  'server',
];

export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  /** The vocabulary, config and its schema. */
  core: [],
  /** The shared Kubernetes object code. */
  kube: ['core'],
  /** The only code that runs git. */
  git: ['core'],
  /** Adapters to live systems (registries, chart repositories, git remotes). */
  live: ['core', 'git'],
  /**
   * One folder per surface or rule family. A surface reads with core, kube and git (terraform's trace
   * points); it imports another surface only through a module of PUBLIC_SURFACE_MODULES.
   */
  surfaces: ['core', 'kube', 'git'],
  /** The list of surfaces and rule families: the engine's way to them. */
  registry: ['core', 'surfaces'],
  /** CI integration: the sticky pull/merge request comment, over live's HTTP with retries. */
  ci: ['core', 'live'],
  /** The evidence store and its views; never the CLI. */
  ledger: ['core'],
  /** Reporters: pure renderings; never the CLI. */
  reporters: ['core', 'engine', 'registry', 'ledger'],
  /**
   * assess, gate, declarations, decide, the revert check: surfaces through the registry or kube only;
   * the rollback targets of `assess --live`, `check-targets` and `revert --check` through live.
   */
  engine: ['core', 'kube', 'git', 'live', 'registry', 'ledger', 'reporters'],
  /** Migrations rehearsed on PostgreSQL, with the database surface's readers. */
  rehearse: ['core', 'engine', 'surfaces'],
  /** The HTTP API, webhooks and dashboard: the library, never the CLI. */
  server: ['core', 'kube', 'git', 'live', 'registry', 'engine', 'ledger', 'reporters', 'rehearse', 'surfaces'],
  /** The command line: the only place that exits. */
  cli: LIBRARY,
  /** src/index.ts, the public library API: everything but the CLI. */
  index: LIBRARY,
};

/**
 * The modules of a surface that code outside it may import (besides the registry, which reads every
 * surface's index.ts), and why. A surface's rule files, data tables and index.ts are its own.
 */
export const PUBLIC_SURFACE_MODULES: Readonly<Record<string, string>> = {
  'surfaces/core/rules/index.ts': 'the engine reports through its own rules (unreadable-file, rule-failed)',
  'surfaces/kubernetes/context.ts': 'helm and kustomize assess their rendered output as manifests (assessManifests)',
  'surfaces/helm/model.ts': 'chart references, read by kustomize (helmCharts) and controllers (chart versions)',
  'surfaces/helm/probe.ts': 'whether helm runs, probed once per process for helm and kustomize',
  'surfaces/kustomize/model.ts':
    'kustomization paths, read by helm and by controllers (which environments build a shared base)',
  'surfaces/kustomize/render.ts': 'the rendering workspace helm shares',
  'surfaces/crd/model.ts': 'CRD versions, read by revert/crd-version-reverted',
  'surfaces/controllers/model.ts':
    'known controllers by image and chart (and whether the chart ships CRDs), read by terraform (helm_release charts)',
  'surfaces/database/frameworks.ts': 'migration frameworks and dbmate sections, read by revert and rehearse',
  'surfaces/database/sql/index.ts': 'the SQL reader, used by revert and rehearse',
  'surfaces/database/sqitch.ts': 'the sqitch plan reader, used by rehearse',
  'surfaces/database/rules/rehearsal.ts': 'rehearse reports its results through this rule',
  'surfaces/terraform/plan/index.ts': 'the plan reader behind `plan` and `assess --plan`',
  'surfaces/terraform/rules/index.ts': '`plan` gates on the plan rules',
  'surfaces/argocd/model.ts': "the Argo CD reader: Applications' sources and sync policy, read by decide",
  'surfaces/flux/model.ts': 'the Flux reader: Kustomizations, HelmReleases and their sources, read by decide',
  'surfaces/flags/model.ts': 'decide reads flag definitions',
};

/**
 * The only surface modules the engine imports directly (everything else through src/registry.ts or
 * src/kube/), and why each cannot go through the registry.
 */
export const ENGINE_SURFACE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'surfaces/core/rules/index.ts':
    'the engine reports through its own rules; the registry would load every surface for `plan`',
  'surfaces/terraform/plan/index.ts': '`assess --plan` reads a plan file, loaded lazily',
  'surfaces/argocd/model.ts':
    "the Argo CD surface's reader: decide's gather finds the loops of a change with it, the rollback targets the sources (sourcesOf)",
  'surfaces/flux/model.ts': "decide's gather finds the loops of a change through the Flux surface's reader",
  'surfaces/flags/model.ts': "decide's gather finds where a flag is defined through the flags surface's reader",
  'surfaces/kustomize/model.ts':
    'the rollback targets read kustomization files and their remote resources (isKustomizationPath, localReferences)',
  'surfaces/terraform/hcl.ts':
    'the rollback targets read module calls from either side of a .tf file (parseHcl), loaded lazily',
  'surfaces/terraform/source.ts': "the rollback targets read a module call's source (parseModuleSource, redactSource)",
  'surfaces/terraform/space.ts': "the rollback targets read a module call's source and version expressions (expr)",
};

/** The longest a production module may be, in lines: past it, a module is doing more than one job. */
export const MAX_MODULE_LINES = 500;

/**
 * Production modules allowed past MAX_MODULE_LINES (`*` matches one path segment), and why. Nothing
 * else is: a module that grows past it is split along its own jobs into named modules.
 */
export const LONG_MODULES: Readonly<Record<string, string>> = {
  'surfaces/*/data/*.ts': 'data tables: one entry a line, read as tables, not as code',
  'surfaces/terraform/plan/json-stream.ts':
    'the streaming JSON scanner of plan files: one hot loop over the bytes, whose speed is in keeping it whole',
};

/** A path pattern of LONG_MODULES as a regular expression (`*`: one path segment, or part of one). */
export function pathGlob(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}$`,
  );
}

/** The production modules over MAX_MODULE_LINES that LONG_MODULES does not allow, with their length. */
export function oversizedModules(lengths: ReadonlyMap<string, number>): string[] {
  const allowed = Object.keys(LONG_MODULES).map(pathGlob);
  return [...lengths]
    .filter(([file, n]) => n > MAX_MODULE_LINES && !allowed.some((r) => r.test(file)))
    .map(([file, n]) => `${file}: ${n} lines (at most ${MAX_MODULE_LINES}): split it along its jobs`);
}

/** The length in lines of every production module of a source folder (src/). */
export function moduleLengths(src: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of readModuleGraph(src).modules.keys()) {
    const text = readFileSync(join(src, file), 'utf8');
    out.set(file, text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  }
  return out;
}

export interface Import {
  /** The specifier as written. */
  spec: string;
  /** 1-based line of the specifier. */
  line: number;
  /** The imported file relative to src/ (posix), or undefined for a package. */
  target?: string;
}

export interface ModuleGraph {
  /** Production modules: every .ts under src/ but tests and test support. */
  modules: Map<string, Import[]>;
  /** Test files and test support (`*.test.ts`, `testing/` folders), which the layering does not bind. */
  tests: Map<string, Import[]>;
}

export interface Violation {
  file: string;
  line: number;
  import: string;
  rule: string;
}

/** Every import of a module's text, with its line: static, dynamic, type-only, re-exports and `import()` types. */
export function importsOf(text: string): Array<{ spec: string; line: number }> {
  const info = ts.preProcessFile(text, true, true);
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  return info.importedFiles.map((f) => ({ spec: f.fileName, line: lineOf(f.pos) }));
}

/** Whether a file (relative to src/) is a test or test support rather than production code. */
export function isTestSupport(file: string): boolean {
  return file.endsWith('.test.ts') || file.split('/').includes('testing');
}

/** Reads the module graph of a source folder (src/). */
export function readModuleGraph(src: string): ModuleGraph {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (/\.m?ts$/.test(d.name) && !/\.d\.m?ts$/.test(d.name)) files.push(relative(src, p).split('\\').join('/'));
    }
  };
  walk(src);
  const known = new Set(files);
  const graph: ModuleGraph = { modules: new Map(), tests: new Map() };
  for (const file of files.sort()) {
    const imports = importsOf(readFileSync(join(src, file), 'utf8')).map(({ spec, line }): Import => {
      if (!spec.startsWith('.')) return { spec, line };
      const path = posix.normalize(posix.join(posix.dirname(file), spec));
      const ts = path.replace(/\.js$/, '.ts');
      return { spec, line, target: known.has(ts) ? ts : path };
    });
    (isTestSupport(file) ? graph.tests : graph.modules).set(file, imports);
  }
  return graph;
}

/** The layer of a file relative to src/: its top folder, or a top-level file's name. */
export function layerOf(file: string): string {
  const i = file.indexOf('/');
  return i < 0 ? file.replace(/\.m?ts$/, '') : file.slice(0, i);
}

/** The surface (or rule family) a file under surfaces/ belongs to. */
function surfaceOf(file: string): string | undefined {
  return file.startsWith('surfaces/') ? file.split('/')[1] : undefined;
}

/** Every import that breaks the layering, and every circle of production modules. */
export function checkArchitecture(graph: ModuleGraph): Violation[] {
  const out: Violation[] = [];
  for (const [file, imports] of graph.modules) {
    const from = layerOf(file);
    for (const imp of imports) {
      if (imp.target === undefined) continue;
      const rule = layerRule(file, from, imp.target);
      if (rule) out.push({ file, line: imp.line, import: imp.spec, rule });
    }
  }
  for (const [file, imports] of graph.tests) {
    if (!file.startsWith('surfaces/')) continue;
    for (const imp of imports)
      if (imp.target && layerOf(imp.target) === 'engine')
        out.push({
          file,
          line: imp.line,
          import: imp.spec,
          rule: 'a surface test reaches the engine through src/testing, never engine/',
        });
  }
  out.push(...circles(graph.modules));
  return out;
}

function layerRule(file: string, from: string, target: string): string | undefined {
  const to = layerOf(target);
  if (to === 'testing' || isTestSupport(target)) return 'production code never imports test support';
  const allowed = LAYERS[from];
  if (!allowed) return `${from}/ is not a known layer: give it a rule in LAYERS`;
  if (to === from && from !== 'surfaces') return undefined;
  if (!LAYERS[to] && to !== from) return `${to}/ is not a known layer: give it a rule in LAYERS`;
  if (to === 'surfaces') {
    if (surfaceOf(file) !== undefined && surfaceOf(file) === surfaceOf(target)) return undefined;
    if (from === 'registry') return undefined;
    if (from === 'engine')
      return target in ENGINE_SURFACE_EXCEPTIONS
        ? undefined
        : 'engine reaches surfaces only through the registry or kube (or a listed ENGINE_SURFACE_EXCEPTIONS module)';
    if (from !== 'surfaces' && !allowed.includes('surfaces')) return `${from} may not import surfaces`;
    return target in PUBLIC_SURFACE_MODULES
      ? undefined
      : `${target} is not a public module of its surface (PUBLIC_SURFACE_MODULES)`;
  }
  if (to === from) return undefined;
  return allowed.includes(to) ? undefined : `${from} may not import ${to} (${from} imports ${allowedText(allowed)})`;
}

function allowedText(allowed: readonly string[]): string {
  return allowed.length ? `only ${allowed.join(', ')}` : 'nothing but itself';
}

/** The circles of the graph (Tarjan's strongly connected components), each as one concrete cycle. */
function circles(modules: ReadonlyMap<string, readonly Import[]>): Violation[] {
  const edges = (f: string) =>
    (modules.get(f) ?? []).filter((i): i is Import & { target: string } => !!i.target && modules.has(i.target));
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of edges(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || edges(v).some((e) => e.target === v)) components.push(c);
    }
  };
  for (const v of [...modules.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((c) => {
    const members = new Set(c);
    const start = [...c].sort()[0]!;
    // A shortest way back to the start, inside the component (breadth first).
    const via = new Map<string, { from: string; imp: Import }>();
    const queue = [start];
    let last: { from: string; imp: Import } | undefined;
    while (queue.length && !last) {
      const v = queue.shift()!;
      for (const e of edges(v)) {
        if (!members.has(e.target)) continue;
        if (e.target === start) {
          last = { from: v, imp: e };
          break;
        }
        if (!via.has(e.target)) {
          via.set(e.target, { from: v, imp: e });
          queue.push(e.target);
        }
      }
    }
    const path = [start];
    for (let v = last!.from; v !== start; v = via.get(v)!.from) path.splice(1, 0, v);
    const first = path.length > 1 ? via.get(path[1]!)!.imp : last!.imp;
    return {
      file: start,
      line: first.line,
      import: first.spec,
      rule: `import circle: ${[...path, start].join(' -> ')}`,
    };
  });
}

/** One line per violation: `file:line: import 'spec': rule`. */
export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}: import '${v.import}': ${v.rule}`;
}

/** The repository's src/ folder. */
export const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The layering rules as markdown, for docs/architecture.md: what each layer may import, the surface
 * modules other code may import, and the engine's direct imports of surfaces, each with its reason.
 */
export function renderLayering(): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    '### What each layer may import',
    '',
    row(['layer', 'may import, besides itself']),
    row(['---', '---']),
    ...Object.entries(LAYERS).map(([layer, may]) =>
      row([
        layer === 'registry' || layer === 'index' ? `\`src/${layer}.ts\`` : `\`src/${layer}/\``,
        may.length ? may.map((m) => `\`${m}\``).join(', ') : 'nothing',
      ]),
    ),
    '',
    "A surface imports another surface's modules only through these public modules:",
    '',
    row(['module', 'why']),
    row(['---', '---']),
    ...Object.entries(PUBLIC_SURFACE_MODULES).map(([m, why]) => row([`\`src/${m}\``, why.replace(/\|/g, '\\|')])),
    '',
    'The engine reaches surfaces through `src/registry.ts` and `src/kube/`, and imports only these directly:',
    '',
    row(['module', 'why']),
    row(['---', '---']),
    ...Object.entries(ENGINE_SURFACE_EXCEPTIONS).map(([m, why]) => row([`\`src/${m}\``, why.replace(/\|/g, '\\|')])),
  ];
  return out.join('\n') + '\n';
}
