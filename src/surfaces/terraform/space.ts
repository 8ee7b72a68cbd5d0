import { posix } from 'node:path';
import { blocksOf, findBlock, type BlockIndex } from './locate.js';
import type { Located, ModuleSpace, TfBackend, TfModuleCall, TfResource } from './model.js';
import { isBarePath } from './source.js';

/** A parsed HCL file: values from the parser, lines from the structure index. */
export interface ParsedFile {
  body: Record<string, unknown>;
  index: BlockIndex;
}

export interface SpaceReader {
  /** The `.tf`/`.tofu` files directly in `dir` at a side, as OpenTofu or Terraform would load them. */
  files(
    side: 'base' | 'head',
    dir: string,
  ): Promise<{ tool: 'terraform' | 'opentofu'; files: Array<{ path: string; text: string }> }>;
  /** undefined when the file does not parse (the caller reports it). */
  parse(path: string, text: string): Promise<ParsedFile | undefined>;
}

export interface LoadedSpace {
  space?: ModuleSpace;
  /** Files of the space that did not parse. */
  broken: string[];
  /** Child directories read as local modules. */
  expanded: string[];
}

const MAX_DEPTH = 8;
const NO_LINES: ReadonlyMap<string, number> = new Map();

/** Loads a module directory at one revision with its local child modules; undefined space when it has no HCL file. */
export async function loadSpace(side: 'base' | 'head', dir: string, reader: SpaceReader): Promise<LoadedSpace> {
  const broken: string[] = [];
  const expanded: string[] = [];
  const root = await reader.files(side, dir);
  if (root.files.length === 0) return { broken, expanded };
  const space: ModuleSpace = {
    dir,
    tool: root.tool,
    files: [],
    resources: new Map(),
    modules: new Map(),
    moved: [],
    removed: [],
    imports: [],
    providers: new Map(),
    values: new Map(),
  };
  await addDir(space, side, dir, root.files, '', [dir], reader, broken, expanded);
  return { space, broken, expanded };
}

async function addDir(
  space: ModuleSpace,
  side: 'base' | 'head',
  dir: string,
  files: Array<{ path: string; text: string }>,
  prefix: string,
  chain: string[],
  reader: SpaceReader,
  broken: string[],
  expanded: string[],
): Promise<void> {
  const ordered = [...files].sort(
    (a, b) => Number(isOverride(a.path)) - Number(isOverride(b.path)) || (a.path < b.path ? -1 : 1),
  );
  const parsed = await Promise.all(ordered.map((f) => reader.parse(f.path, f.text)));
  const calls: TfModuleCall[] = [];
  ordered.forEach((f, i) => {
    const p = parsed[i];
    space.files.push(f.path);
    if (!p) {
      broken.push(f.path);
      return;
    }
    addFile(space, f.path, p, prefix, prefix === '', isOverride(f.path), calls);
  });
  for (const call of calls) {
    if (call.source === undefined || chain.length > MAX_DEPTH) continue;
    // A path without `./` is the directory it names when the revision holds one (Terraform 0.11 and
    // earlier read it so): the code on both sides of a call whose source moves is then compared.
    const bare = !call.local && isBarePath(call.source);
    if (!call.local && !bare) continue;
    const child = posix.normalize(posix.join(dir || '.', call.source)).replace(/(.)\/+$/, '$1');
    if (child.startsWith('..') || posix.isAbsolute(child) || chain.includes(child)) continue;
    const childDir = child === '.' ? '' : child;
    const { files: childFiles } = await reader.files(side, childDir);
    if (!childFiles.length) continue;
    if (bare) call.local = true;
    call.dir = childDir;
    expanded.push(childDir);
    await addDir(space, side, childDir, childFiles, `${call.address}.`, [...chain, child], reader, broken, expanded);
  }
}

function isOverride(path: string): boolean {
  return /(^|\/|_)override\.(tf|tofu)$/.test(path);
}

/** Strips the `${...}` hcl2json wraps expressions in: `${aws_x.y}` -> `aws_x.y`. */
export function expr(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\$\{(.*)\}$/s.exec(v.trim());
  return (m ? m[1]! : v).trim();
}

/** One step of `resolveArgument`: a local, a module input, or a variable's default. */
export type ResolveStep =
  { kind: 'local'; name: string } | { kind: 'input'; call: string; name: string } | { kind: 'default'; name: string };

export interface ResolvedArgument extends Located {
  /** The value where the chain ends: a literal, or an expression the configuration does not define. */
  value: unknown;
  steps: ResolveStep[];
  /** The module prefix whose scope `value` is written in. */
  prefix: string;
}

/** The address prefix of the module a call is declared in (`module.a.module.b` -> `module.a.`). */
export function callerPrefix(call: TfModuleCall): string {
  return call.address.slice(0, call.address.length - `module.${call.name}`.length);
}

/**
 * What an argument written at `where` in the module at `prefix` really is, followed the way Terraform
 * evaluates it as far as the configuration says: `local.x` to the local's expression, `var.x` inside a
 * local module to what its call passes (in the caller's scope), and, with `defaults`, a variable no call
 * sets (or any variable of the root) to its literal `default`. Stops at anything else (a literal, a
 * function call, a reference to a resource or to a local not in the files read); undefined when the chain ends at a variable with no value
 * in the configuration (set with `-var`, a `.tfvars` file or the environment) or loops.
 */
export function resolveArgument(
  space: ModuleSpace,
  prefix: string,
  value: unknown,
  where: Located,
  opts: { defaults?: boolean } = {},
): ResolvedArgument | undefined {
  const steps: ResolveStep[] = [];
  let at: Located = where;
  for (let depth = 0; depth < 16; depth++) {
    const m = /^(local|var)\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expr(value) ?? '');
    if (!m) return { value, file: at.file, line: at.line, steps, prefix };
    const name = m[2]!;
    if (m[1] === 'local') {
      const d = space.values.get(`${prefix}local.${name}`);
      if (!d) return { value, file: at.file, line: at.line, steps, prefix }; // not declared in the files read
      steps.push({ kind: 'local', name });
      ({ value } = d);
      at = d;
      continue;
    }
    const call = prefix ? space.modules.get(prefix.slice(0, -1)) : undefined;
    if (call && call.args[name] !== undefined) {
      steps.push({ kind: 'input', call: call.address, name });
      value = call.args[name];
      at = { file: call.file, line: call.argLines.get(name) ?? call.line };
      prefix = callerPrefix(call);
      continue;
    }
    const d = opts.defaults ? space.values.get(`${prefix}var.${name}`) : undefined;
    if (!d) return undefined;
    steps.push({ kind: 'default', name });
    ({ value } = d);
    at = d;
  }
  return undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function first(v: unknown): Record<string, unknown> | undefined {
  return Array.isArray(v) ? obj(v[0]) : obj(v);
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function addFile(
  space: ModuleSpace,
  file: string,
  p: ParsedFile,
  prefix: string,
  isRoot: boolean,
  override: boolean,
  calls: TfModuleCall[],
): void {
  const { body, index } = p;
  for (const [mode, key] of [
    ['managed', 'resource'],
    ['data', 'data'],
  ] as const) {
    const byType = obj(body[key]);
    if (!byType) continue;
    for (const [type, byName] of Object.entries(byType)) {
      for (const [name, decl] of Object.entries(obj(byName) ?? {})) {
        const cfg = first(decl) ?? {};
        const address = `${prefix}${mode === 'data' ? 'data.' : ''}${type}.${name}`;
        const block = findBlock(index, key, type, name);
        const lifecycle = first(cfg.lifecycle);
        const lblock = findBlock(block, 'lifecycle');
        const existing = space.resources.get(address);
        if (existing) {
          if (!override) continue;
          // An override file merges into the original: lifecycle settings it writes win.
          if (lifecycle && bool(lifecycle.prevent_destroy) !== undefined) {
            existing.preventDestroy = bool(lifecycle.prevent_destroy);
            existing.preventDestroyLine = lblock?.attrs.get('prevent_destroy') ?? block?.line ?? 1;
          }
          if (lifecycle && bool(lifecycle.create_before_destroy) !== undefined) {
            existing.createBeforeDestroy = bool(lifecycle.create_before_destroy);
            existing.createBeforeDestroyLine = lblock?.attrs.get('create_before_destroy') ?? block?.line ?? 1;
          }
          continue;
        }
        const r: TfResource = {
          address,
          mode,
          type,
          name,
          modulePrefix: prefix,
          file,
          line: block?.line ?? 1,
          args: cfg,
          argLines: block?.attrs ?? NO_LINES,
          ...(cfg.count !== undefined ? { repetition: 'count' as const } : {}),
          ...(cfg.for_each !== undefined ? { repetition: 'for_each' as const } : {}),
        };
        const pd = bool(lifecycle?.prevent_destroy);
        if (pd !== undefined) {
          r.preventDestroy = pd;
          r.preventDestroyLine = lblock?.attrs.get('prevent_destroy') ?? r.line;
        }
        const cbd = bool(lifecycle?.create_before_destroy);
        if (cbd !== undefined) {
          r.createBeforeDestroy = cbd;
          r.createBeforeDestroyLine = lblock?.attrs.get('create_before_destroy') ?? r.line;
        }
        space.resources.set(address, r);
      }
    }
  }

  for (const [name, decl] of Object.entries(obj(body.module) ?? {})) {
    const cfg = first(decl) ?? {};
    const address = `${prefix}module.${name}`;
    const existing = space.modules.get(address);
    const block = findBlock(index, 'module', name);
    if (existing) {
      if (override && typeof cfg.version === 'string') {
        existing.version = cfg.version;
        existing.versionLine = block?.attrs.get('version') ?? block?.line ?? 1;
      }
      continue;
    }
    const source = typeof cfg.source === 'string' ? cfg.source : undefined;
    const line = block?.line ?? 1;
    const call: TfModuleCall = {
      address,
      name,
      file,
      line,
      sourceLine: block?.attrs.get('source') ?? line,
      versionLine: block?.attrs.get('version') ?? line,
      local: source !== undefined && (source.startsWith('./') || source.startsWith('../')),
      args: cfg,
      argLines: block?.attrs ?? NO_LINES,
      ...(source !== undefined ? { source } : {}),
      ...(typeof cfg.version === 'string' ? { version: cfg.version } : {}),
      ...(cfg.count !== undefined ? { repetition: 'count' as const } : {}),
      ...(cfg.for_each !== undefined ? { repetition: 'for_each' as const } : {}),
    };
    space.modules.set(address, call);
    calls.push(call);
  }

  const localBlocks = blocksOf(index, 'locals');
  (Array.isArray(body.locals) ? body.locals : [body.locals]).forEach((l, i) => {
    for (const [name, value] of Object.entries(obj(l) ?? {})) {
      const key = `${prefix}local.${name}`;
      if (space.values.has(key) && !override) continue;
      space.values.set(key, { value, file, line: localBlocks[i]?.attrs.get(name) ?? localBlocks[i]?.line ?? 1 });
    }
  });
  for (const [name, decl] of Object.entries(obj(body.variable) ?? {})) {
    const cfg = first(decl) ?? {};
    const key = `${prefix}var.${name}`;
    if (cfg.default === undefined || (space.values.has(key) && !override)) continue;
    const block = findBlock(index, 'variable', name);
    space.values.set(key, { value: cfg.default, file, line: block?.attrs.get('default') ?? block?.line ?? 1 });
  }

  for (const [name, decl] of Object.entries(obj(body.output) ?? {})) {
    const cfg = first(decl) ?? {};
    const key = `${prefix}output.${name}`;
    if (cfg.value === undefined || (space.values.has(key) && !override)) continue;
    const block = findBlock(index, 'output', name);
    space.values.set(key, { value: cfg.value, file, line: block?.attrs.get('value') ?? block?.line ?? 1 });
  }

  // Provider configurations, read once: as values by `provider.<name>[.<alias>]` (which cluster a release
  // or manifest is applied to), and, in a root, as the root's own configurations (their region).
  for (const [name, decls] of Object.entries(obj(body.provider) ?? {})) {
    const blocks = blocksOf(index, 'provider').filter((b) => b.labels[0] === name);
    (Array.isArray(decls) ? decls : [decls]).forEach((d, i) => {
      const args = obj(d);
      if (!args) return;
      const alias = typeof args.alias === 'string' ? args.alias : undefined;
      const address = alias ? `${name}.${alias}` : name;
      const b = blocks[i];
      const key = `${prefix}provider.${address}`;
      if (!space.values.has(key) || override) space.values.set(key, { value: args, file, line: b?.line ?? 1 });
      if (isRoot)
        (space.providerConfigs ??= []).push({
          address,
          args,
          lines: new Map(b?.attrs ?? []),
          file,
          line: b?.line ?? 1,
        });
    });
  }

  const rel = (a: string | undefined) => (a === undefined ? undefined : `${prefix}${a}`);
  const movedBlocks = blocksOf(index, 'moved');
  (Array.isArray(body.moved) ? body.moved : []).forEach((m, i) => {
    const from = rel(expr(obj(m)?.from));
    const to = rel(expr(obj(m)?.to));
    if (from && to) space.moved.push({ from, to, file, line: movedBlocks[i]?.line ?? 1 });
  });
  const removedBlocks = blocksOf(index, 'removed');
  (Array.isArray(body.removed) ? body.removed : []).forEach((m, i) => {
    const from = rel(expr(obj(m)?.from));
    const destroy = bool(first(obj(m)?.lifecycle)?.destroy);
    if (from)
      space.removed.push({
        from,
        file,
        line: removedBlocks[i]?.line ?? 1,
        ...(destroy !== undefined ? { destroy } : {}),
      });
  });
  const importBlocks = blocksOf(index, 'import');
  (Array.isArray(body.import) ? body.import : []).forEach((m, i) => {
    const o = obj(m) ?? {};
    const to = rel(expr(o.to));
    if (to)
      space.imports.push({
        to,
        file,
        line: importBlocks[i]?.line ?? 1,
        forEach: o.for_each !== undefined,
        ...(typeof o.id === 'string' ? { id: o.id } : {}),
      });
  });

  if (!isRoot) return;
  const tfBlocks = blocksOf(index, 'terraform');
  (Array.isArray(body.terraform) ? body.terraform : []).forEach((t, i) => {
    const tb = tfBlocks[i];
    const tcfg = obj(t) ?? {};
    const rpBlock = findBlock(tb, 'required_providers');
    for (const rp of Array.isArray(tcfg.required_providers) ? tcfg.required_providers : [tcfg.required_providers]) {
      for (const [name, v] of Object.entries(obj(rp) ?? {})) {
        const line = rpBlock?.attrs.get(name) ?? rpBlock?.line ?? tb?.line ?? 1;
        const spec = obj(v);
        const source = typeof spec?.source === 'string' ? spec.source : undefined;
        const version = typeof v === 'string' ? v : typeof spec?.version === 'string' ? spec.version : undefined;
        space.providers.set(name, { name, file, line, ...(source ? { source } : {}), ...(version ? { version } : {}) });
      }
    }
    const backend = obj(tcfg.backend);
    if (backend) {
      for (const [type, cfg] of Object.entries(backend)) {
        const b = findBlock(tb, 'backend', type);
        space.backend = backendOf('backend', type, first(cfg) ?? {}, file, b?.line ?? tb?.line ?? 1);
      }
    }
    const cloud = first(tcfg.cloud);
    if (cloud) space.backend = backendOf('cloud', 'cloud', cloud, file, findBlock(tb, 'cloud')?.line ?? tb?.line ?? 1);
  });
}

function backendOf(
  kind: TfBackend['kind'],
  type: string,
  cfg: Record<string, unknown>,
  file: string,
  line: number,
): TfBackend {
  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg)) settings[k] = JSON.stringify(v);
  return { kind, type, settings, file, line };
}
