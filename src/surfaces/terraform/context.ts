import { posix } from 'node:path';
import type { ChangedFile } from '../../core/change.js';
import type { SurfaceContext } from '../../core/surface.js';
import { tracePoint } from '../../git/exec.js';
import { HCL, terraformFileKind } from './files.js';
import type { HclError } from './hcl.js';
import type { BlockIndex } from './locate.js';
import type { BackendFile, LockedProvider, ModuleSpace, TfContext, TfUnit } from './model.js';
import { configRules } from './rules/index.js';
import invalidHcl, { looksLikeHcl1 } from './rules/invalid-hcl.js';
import type { ParsedFile, SpaceReader } from './space.js';

/** Reads the changed module directories of both revisions and runs the configuration rules on them. */
export async function assessConfiguration(ctx: SurfaceContext): Promise<void> {
  const tctx = await buildTerraformContext(ctx);
  await ctx.run(configRules, tctx);
}

const dirOf = (p: string) => {
  const d = posix.dirname(p);
  return d === '.' ? '' : d;
};

/** Reads the changed module directories of both revisions into address spaces. The HCL parser loads only if needed. */
export async function buildTerraformContext(ctx: SurfaceContext): Promise<TfContext> {
  const stateFiles: ChangedFile[] = [];
  const scripts: ChangedFile[] = [];
  const hclDirs = new Set<string>();
  const lockFiles: ChangedFile[] = [];
  const backendFiles: ChangedFile[] = [];
  /** Changed HCL files by path at each side. */
  const changedBase = new Map<string, ChangedFile>();
  const changedHead = new Map<string, ChangedFile>();
  /** HCL files renamed or copied into another directory: head path -> old path. */
  const movedFrom = new Map<string, string>();
  for (const f of ctx.files) {
    const kinds = new Set([
      terraformFileKind(f.path),
      f.oldPath !== undefined ? terraformFileKind(f.oldPath) : undefined,
    ]);
    if (kinds.has('hcl')) {
      if (f.oldText !== undefined || f.status === 'deleted') changedBase.set(f.oldPath ?? f.path, f);
      if (f.newText !== undefined || f.status !== 'deleted') changedHead.set(f.path, f);
      if (f.status !== 'added') hclDirs.add(dirOf(f.oldPath ?? f.path));
      if (f.status !== 'deleted') hclDirs.add(dirOf(f.path));
      if (f.oldPath !== undefined && f.newText !== undefined && dirOf(f.oldPath) !== dirOf(f.path))
        movedFrom.set(f.path, f.oldPath);
    }
    if (kinds.has('hcl-json'))
      ctx.skip(f.path, 'Terraform JSON syntax (.tf.json) is not read: its resources are not in the address space');
    if (kinds.has('lock')) lockFiles.push(f);
    if (kinds.has('backend')) backendFiles.push(f);
    if (kinds.has('state')) stateFiles.push(f);
    if (kinds.has('script')) scripts.push(f);
  }
  /** Head paths of the changed files this surface parses: their syntax errors are reported. */
  const headPaths = new Set(
    ctx.files
      .filter((f) => f.newText !== undefined && ['hcl', 'lock', 'backend'].includes(terraformFileKind(f.path) ?? ''))
      .map((f) => f.path),
  );
  const needsParser = hclDirs.size > 0 || lockFiles.length > 0 || backendFiles.length > 0;
  if (!needsParser) return { units: [], backendFiles: [], stateFiles, scripts, config: ctx.config };

  const [{ parseHcl, hclStats }, { indexHcl }, { loadSpace }] = await Promise.all([
    import('./hcl.js'),
    import('./locate.js'),
    import('./space.js'),
  ]);
  const report = ctx.reporter(invalidHcl);
  const parsedByText = new Map<string, Promise<{ parsed?: ParsedFile; error?: HclError }>>();
  const reported = new Set<string>();
  /** Changed files whose head does not parse. */
  const brokenAtHead = new Set<string>();
  const parse = async (path: string, text: string, side: 'base' | 'head'): Promise<ParsedFile | undefined> => {
    const key = `${path}\0${text}`;
    let p = parsedByText.get(key);
    if (!p) {
      p = parseHcl(path, text).then((r) =>
        r.body
          ? { parsed: { body: r.body, index: indexHcl(text) } }
          : { error: r.error ?? { line: 1, column: 1, reason: 'does not parse' } },
      );
      parsedByText.set(key, p);
    }
    const { parsed, error } = await p;
    if (error && side === 'head' && headPaths.has(path)) {
      brokenAtHead.add(path);
      if (!reported.has(path)) {
        reported.add(path);
        report(
          looksLikeHcl1(text) ? 'hcl1' : 'syntax',
          { reason: error.reason, column: error.column },
          { file: path, line: error.line, column: error.column },
        );
      }
    }
    return parsed;
  };

  const dirFiles = new Map<string, ReturnType<SpaceReader['files']>>();
  const reader: SpaceReader = {
    files(side, dir) {
      const key = `${side}\0${dir}`;
      let p = dirFiles.get(key);
      if (!p) dirFiles.set(key, (p = readDir(ctx, side, dir, side === 'base' ? changedBase : changedHead)));
      return p;
    },
    parse: (path, text) => {
      // Which side the text is from does not matter for the value; for reporting it does.
      const side = changedHead.get(path)?.newText === text ? 'head' : 'base';
      return parse(path, text, side);
    },
  };

  const units: TfUnit[] = [];
  const baseSpaces = new Map<string, ModuleSpace>();
  const expandedBy = new Map<string, { base: Set<string>; head: Set<string> }>();
  for (const dir of [...hclDirs].sort()) {
    // A directory whose changed files only edit settings (terraform, provider, variable, output,
    // locals blocks) at both sides cannot change its address space: only those files are read.
    const own = ctx.files.filter(
      (f) => terraformFileKind(f.path) === 'hcl' && (dirOf(f.path) === dir || dirOf(f.oldPath ?? f.path) === dir),
    );
    // ... unless a local's value or a variable's default changes: what reads it (a module call's version
    // input, a resource's argument) may sit in a file that did not change.
    const light =
      own.every(
        (f) =>
          f.oldText !== undefined &&
          f.newText !== undefined &&
          dirOf(f.oldPath ?? f.path) === dir &&
          dirOf(f.path) === dir &&
          settingsOnly(indexHcl(f.oldText)) &&
          settingsOnly(indexHcl(f.newText)),
      ) && (await sameValues(own, parse));
    const unitReader: SpaceReader = light
      ? {
          ...reader,
          files: async (side, d) => {
            const all = await reader.files(side, d);
            if (d !== dir) return all;
            const changed = side === 'base' ? changedBase : changedHead;
            return { ...all, files: all.files.filter((f) => changed.has(f.path)) };
          },
        }
      : reader;
    // Whether a lock file records the providers' selection matters only to a provider constraint that
    // changes, which is written in a required_providers block of a changed file: other directories skip
    // the tree listings, the .gitignore reads and the scan for provider blocks.
    const providersMayMove = own.some(
      (f) => /required_providers/.test(f.oldText ?? '') || /required_providers/.test(f.newText ?? ''),
    );
    const [b, h, lockAt] = await Promise.all([
      loadSpace('base', dir, unitReader),
      loadSpace('head', dir, unitReader),
      providersMayMove
        ? Promise.all([hasLockFile(ctx, 'base', dir), hasLockFile(ctx, 'head', dir), lockIgnored(ctx, dir)])
        : [true, true, false],
    ]);
    const unit: TfUnit = {
      dir,
      // A lock file only in the head's working tree, where .gitignore lists it, is not committed.
      ...(!lockAt[0] && (!lockAt[1] || lockAt[2]) && (await appliedItself(reader, dir)) ? { unlockedRoot: true } : {}),
      broken: h.space ? h.space.files.some((f) => brokenAtHead.has(f)) : false,
      ...(b.space ? { base: b.space } : {}),
      ...(h.space ? { head: h.space } : {}),
    };
    units.push(unit);
    if (b.space) baseSpaces.set(dir, b.space);
    expandedBy.set(dir, { base: new Set(b.expanded), head: new Set(h.expanded) });
  }
  // A file renamed (or copied) from another directory was, before the change, the file at its old
  // path: its blocks' properties are compared with what that file declared (the old directory is a
  // changed directory, so its base is read).
  for (const u of units) {
    const cameFrom = new Map<string, { file: string; space: ModuleSpace }>();
    for (const file of u.head?.files ?? []) {
      const old = movedFrom.get(file);
      const space = old === undefined ? undefined : baseSpaces.get(dirOf(old));
      if (old !== undefined && space) cameFrom.set(file, { file: old, space });
    }
    if (cameFrom.size) u.cameFrom = cameFrom;
  }
  // A changed child module read through a changed parent at both revisions is assessed there, with its
  // module address; one the parent reads at one revision only (its call moved to or from the registry)
  // is assessed on its own, or its changes would be seen by nobody.
  const kept = units.filter(
    (u) => ![...expandedBy].some(([d, x]) => d !== u.dir && x.base.has(u.dir) && x.head.has(u.dir)),
  );
  for (const u of kept) {
    const callers = [...expandedBy].filter(([d, x]) => d !== u.dir && x.base.has(u.dir)).map(([d]) => d || '.');
    if (callers.length) u.calledBy = callers;
  }

  for (const f of lockFiles) {
    const dir = dirOf(f.path);
    let unit = kept.find((u) => u.dir === dir);
    if (!unit) kept.push((unit = { dir, broken: false }));
    unit.lock = {
      file: f.path,
      base: await lockProviders(f.oldPath ?? f.path, f.oldText, parse, 'base'),
      head: await lockProviders(f.path, f.newText, parse, 'head'),
    };
  }
  kept.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));

  const backends: BackendFile[] = [];
  for (const f of backendFiles) {
    const base = f.oldText !== undefined ? await parse(f.oldPath ?? f.path, f.oldText, 'base') : undefined;
    const head = f.newText !== undefined ? await parse(f.path, f.newText, 'head') : undefined;
    backends.push({
      file: f.path,
      line: 1,
      ...(base ? { base: flatSettings(base.body) } : {}),
      ...(head ? { head: flatSettings(head.body) } : {}),
    });
  }
  tracePoint(
    `terraform: ${hclStats.files} HCL files parsed in ${hclStats.parseMs.toFixed(1)} ms, ${kept.length} module directories`,
  );
  return { units: kept, backendFiles: backends, stateFiles, scripts, config: ctx.config };
}

/**
 * Whether the changed files give every local and variable default they declare at both sides the same
 * value (a local or variable that is new or gone cannot change what an unchanged file reads).
 */
async function sameValues(
  files: ChangedFile[],
  parse: (path: string, text: string, side: 'base' | 'head') => Promise<ParsedFile | undefined>,
): Promise<boolean> {
  const values = (p: ParsedFile | undefined) => {
    if (!p) return undefined;
    const out = new Map<string, string>();
    const locals = p.body.locals;
    for (const block of Array.isArray(locals) ? locals : [locals])
      for (const [name, v] of Object.entries((block ?? {}) as Record<string, unknown>))
        out.set(`local.${name}`, JSON.stringify(v));
    for (const [name, decl] of Object.entries((p.body.variable ?? {}) as Record<string, unknown>))
      out.set(`var.${name}`, JSON.stringify((Array.isArray(decl) ? decl[0] : decl)?.default ?? null));
    return out;
  };
  for (const f of files) {
    const [a, b] = await Promise.all([
      parse(f.oldPath ?? f.path, f.oldText!, 'base').then(values),
      parse(f.path, f.newText!, 'head').then(values),
    ]);
    if (!a || !b || [...a].some(([k, v]) => b.has(k) && b.get(k) !== v)) return false;
  }
  return true;
}

const SETTINGS = new Set(['terraform', 'provider', 'variable', 'output', 'locals']);

/** Whether a file declares nothing of the address space (no resource, data, module, moved, removed, import). */
function settingsOnly(index: BlockIndex): boolean {
  return index.blocks.every((b) => SETTINGS.has(b.type));
}

/**
 * Whether a directory's configuration at head configures providers or a backend, as a configuration
 * that is applied itself does (every file of the directory: a unit read light has only its changed ones).
 */
async function appliedItself(reader: SpaceReader, dir: string): Promise<boolean> {
  const { indexHcl, findBlock } = await import('./locate.js');
  const { files } = await reader.files('head', dir);
  return files.some((f) =>
    indexHcl(f.text).blocks.some(
      (b) => b.type === 'provider' || (b.type === 'terraform' && !!(findBlock(b, 'backend') ?? findBlock(b, 'cloud'))),
    ),
  );
}

/** Whether `.terraform.lock.hcl` is in a directory's tree at a side. */
async function hasLockFile(ctx: SurfaceContext, side: 'base' | 'head', dir: string): Promise<boolean> {
  const entries = await ctx.repo.listDir(side, dir);
  return entries.some((e) => e.type === 'blob' && e.name === '.terraform.lock.hcl');
}

/** Whether the `.gitignore` of the repository root or of the directory lists `.terraform.lock.hcl` at head. */
async function lockIgnored(ctx: SurfaceContext, dir: string): Promise<boolean> {
  for (const path of new Set(['.gitignore', dir ? `${dir}/.gitignore` : '.gitignore'])) {
    const text = await ctx.repo.readText('head', path);
    for (const raw of text?.split('\n') ?? []) {
      const line = raw.trim().replace(/^(\*\*)?\//, '');
      if (line === '.terraform.lock.hcl' || line === '*.lock.hcl' || line === '.terraform.lock.*') return true;
    }
  }
  return false;
}

/** The HCL files of a directory at a side, with OpenTofu's precedence of `x.tofu` over `x.tf`. */
async function readDir(
  ctx: SurfaceContext,
  side: 'base' | 'head',
  dir: string,
  changed: Map<string, ChangedFile>,
): Promise<{ tool: 'terraform' | 'opentofu'; files: Array<{ path: string; text: string }> }> {
  const entries = await ctx.repo.listDir(side, dir);
  const names = entries.filter((e) => e.type === 'blob' && HCL.test(e.name)).map((e) => e.name);
  const tofu = names.some((n) => n.endsWith('.tofu'));
  const chosen = names.filter((n) => !(n.endsWith('.tf') && names.includes(`${n.slice(0, -3)}.tofu`))).sort();
  const files = await Promise.all(
    chosen.map(async (name) => {
      const path = dir ? `${dir}/${name}` : name;
      const c = changed.get(path);
      const text = c ? (side === 'base' ? c.oldText : c.newText) : await ctx.repo.readText(side, path);
      return text === undefined ? undefined : { path, text };
    }),
  );
  return {
    tool: tofu ? 'opentofu' : 'terraform',
    files: files.filter((f): f is { path: string; text: string } => !!f),
  };
}

async function lockProviders(
  path: string,
  text: string | undefined,
  parse: (path: string, text: string, side: 'base' | 'head') => Promise<ParsedFile | undefined>,
  side: 'base' | 'head',
): Promise<Map<string, LockedProvider>> {
  const out = new Map<string, LockedProvider>();
  if (text === undefined) return out;
  const parsed = await parse(path, text, side);
  if (!parsed) return out;
  const providers = parsed.body.provider;
  if (typeof providers !== 'object' || providers === null) return out;
  for (const [address, decl] of Object.entries(providers as Record<string, unknown>)) {
    const cfg = (Array.isArray(decl) ? decl[0] : decl) as Record<string, unknown> | undefined;
    const block = parsed.index.blocks.find((b: BlockIndex) => b.type === 'provider' && b.labels[0] === address);
    out.set(address, {
      address,
      line: block?.attrs.get('version') ?? block?.line ?? 1,
      ...(typeof cfg?.version === 'string' ? { version: cfg.version } : {}),
      ...(typeof cfg?.constraints === 'string' ? { constraints: cfg.constraints } : {}),
    });
  }
  return out;
}

function flatSettings(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) out[k] = JSON.stringify(v);
  return out;
}
