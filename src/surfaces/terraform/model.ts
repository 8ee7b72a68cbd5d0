import type { ChangedFile } from '../../core/change.js';
import type { Location } from '../../core/finding.js';
import type { RollwrightConfig } from '../../core/config.js';

/**
 * The address space of one Terraform/OpenTofu module directory at one revision: what it declares and
 * where (file and line), with local child modules expanded under `module.<name>.` prefixes, so that
 * `aws_security_group.api` at base and `module.api_security.aws_security_group.this` at head are both
 * addresses of the same space.
 */
export interface ModuleSpace {
  dir: string;
  /** `.tofu` files present: OpenTofu semantics (x.tofu replaces x.tf). */
  tool: 'terraform' | 'opentofu';
  /** The files read, the unit's own and its expanded local modules'. */
  files: string[];
  /** Managed resources and data sources by configuration address (`module.a.aws_x.y`, `data.aws_x.y`). */
  resources: Map<string, TfResource>;
  /** Module calls by address (`module.a`, `module.a.module.b`). */
  modules: Map<string, TfModuleCall>;
  moved: TfMoved[];
  removed: TfRemoved[];
  imports: TfImport[];
  /** `terraform { required_providers { ... } }` of the root of the space, by local name. */
  providers: Map<string, TfProvider>;
  /** `provider` blocks of the root of the space (its own directory, not its modules'), in file order. */
  providerConfigs?: TfProviderConfig[];
  backend?: TfBackend;
  /**
   * `locals` values, variable defaults, output values and provider configurations as written, by address
   * (`local.x`, `module.a.var.y`, `module.a.output.z`, `provider.helm`, `provider.aws.eu`), with the line that defines each: what `resolveArgument`
   * follows, and what `holdersOf` searches for references.
   */
  values: Map<string, TfValue>;
}

export interface TfValue extends Located {
  value: unknown;
}

export interface Located {
  file: string;
  line: number;
}

export interface TfResource extends Located {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** The `module.a.` prefix of the module the resource is declared in ('' at the root). */
  modulePrefix: string;
  repetition?: 'count' | 'for_each';
  preventDestroy?: boolean;
  preventDestroyLine?: number;
  createBeforeDestroy?: boolean;
  createBeforeDestroyLine?: number;
  /**
   * The block's arguments as the parser gives them (expressions as `${...}` strings, nested blocks as
   * arrays), and the line of each top-level argument: read by the rules that compare values.
   */
  args: Record<string, unknown>;
  argLines: ReadonlyMap<string, number>;
}

export interface TfModuleCall extends Located {
  address: string;
  name: string;
  /** As written; redact before any output (see source.ts). */
  source?: string;
  version?: string;
  sourceLine: number;
  versionLine: number;
  repetition?: 'count' | 'for_each';
  /**
   * A local path (`./`, `../`), or a path written without `./` that names a directory of the revision
   * (read the way Terraform 0.11 and earlier read it).
   */
  local: boolean;
  /** The child directory, when the source is a local path that was read. */
  dir?: string;
  /** The call's arguments (its inputs, and source, version, count...) and their lines. */
  args: Record<string, unknown>;
  argLines: ReadonlyMap<string, number>;
}

export interface TfMoved extends Located {
  from: string;
  to: string;
}

export interface TfRemoved extends Located {
  from: string;
  /** `lifecycle { destroy = ... }`; undefined when not written. */
  destroy?: boolean;
}

export interface TfImport extends Located {
  to: string;
  id?: string;
  forEach: boolean;
}

export interface TfProvider extends Located {
  name: string;
  source?: string;
  version?: string;
}

/** A `provider "aws" { ... }` block: its local name (`aws`, or `aws.west` with an alias) and its arguments as written. */
export interface TfProviderConfig extends Located {
  address: string;
  args: Record<string, unknown>;
  /** The line of each argument written. */
  lines: Map<string, number>;
}

export interface TfBackend extends Located {
  kind: 'backend' | 'cloud';
  type: string;
  /** Setting name -> canonical JSON of its value: compared, never printed. */
  settings: Record<string, string>;
}

export interface LockedProvider {
  address: string;
  version?: string;
  constraints?: string;
  line: number;
}

/** A changed module directory, both sides. */
export interface TfUnit {
  dir: string;
  base?: ModuleSpace;
  head?: ModuleSpace;
  /** A file of the unit does not parse at head: rules that diff address spaces skip the unit. */
  broken: boolean;
  /**
   * The other changed directories whose configuration at base calls this one as a local module
   * (`source = "./modules/x"`): a directory that is called is not a root, and its resources are
   * assessed through its callers, under their module addresses.
   */
  calledBy?: string[];
  /**
   * The directory configures providers or a backend at head (`provider` blocks, `terraform { backend }`
   * or `cloud`: a configuration that is applied itself) and no `.terraform.lock.hcl` is committed in it
   * at either revision (none written, or git-ignored): nothing records a provider selection for it.
   */
  unlockedRoot?: boolean;
  /**
   * Head files of the unit that the change renamed (or copied) from another directory, with the file
   * they came from and the base configuration of that directory: what their blocks were before the
   * change, where the unit's own base does not have them (a root configuration whose directory is
   * renamed has no base of its own).
   */
  cameFrom?: ReadonlyMap<string, { file: string; space: ModuleSpace }>;
  /** `.terraform.lock.hcl` when it changed. */
  lock?: { file: string; base: Map<string, LockedProvider>; head: Map<string, LockedProvider> };
}

/** A `*.tfbackend` partial backend configuration file that changed. */
export interface BackendFile {
  file: string;
  base?: Record<string, string>;
  head?: Record<string, string>;
  line: number;
}

/** What the configuration rules receive. */
export interface TfContext {
  units: TfUnit[];
  backendFiles: BackendFile[];
  /** Changed `*.tfstate`, `terraform.tfstate*` files. */
  stateFiles: ChangedFile[];
  /** Changed scripts and pipeline definitions. */
  scripts: ChangedFile[];
  config: RollwrightConfig;
}

/**
 * The module call a head call was before the change: the call at its address in the unit's base, or,
 * for a call in a file renamed or copied from another directory, the call of that name in the file it
 * came from. For comparing properties of the text (a version range that was already a range), never
 * for what happens to deployed objects: a root configuration that moves starts from another state.
 */
export function priorCall(unit: TfUnit, call: TfModuleCall): TfModuleCall | undefined {
  const same = unit.base?.modules.get(call.address);
  if (same) return same;
  const from = unit.cameFrom?.get(call.file);
  if (!from) return undefined;
  for (const c of from.space.modules.values()) if (c.file === from.file && c.name === call.name) return c;
  return undefined;
}

/** The resource a head resource was before the change, found as `priorCall` finds a call. */
export function priorResource(unit: TfUnit, r: TfResource): TfResource | undefined {
  const same = unit.base?.resources.get(r.address);
  if (same) return same;
  const from = unit.cameFrom?.get(r.file);
  if (!from) return undefined;
  for (const x of from.space.resources.values())
    if (x.file === from.file && x.mode === r.mode && x.type === r.type && x.name === r.name) return x;
  return undefined;
}

export function at(x: Located, line = x.line): Location {
  return { file: x.file, line };
}

/** A `moved` block's text, ready to paste. */
export function movedBlock(from: string, to: string): string {
  return `moved { from = ${from}  to = ${to} }`;
}
