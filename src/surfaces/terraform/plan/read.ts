import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InputError } from '../../../core/errors.js';
import { firstInvalidUtf8 } from '../../../core/utf8.js';
import { redactSecrets } from '../source.js';
import { DependencyGraph } from './graph.js';
import {
  JsonStreamError,
  JsonStreamScanner,
  type CaptureSelector,
  type ObjectSelector,
  type Position,
  type Selector,
} from './json-stream.js';
import { SUPPORTED_FORMAT, type ChangeValues, type OutputChange, type PlanChange, type PlanModel } from './model.js';

export interface ReadPlanOptions {
  /** Keep `before`/`after` (and their sensitivity masks) for changes of these resource types. */
  keepValues?(type: string): boolean;
  /** Only these top-level attributes of kept values are decoded (default: the whole objects). */
  attributes?: ReadonlySet<string>;
}

const SUPPORTED_TEXT = '1.x (Terraform 1.0 and later and OpenTofu write 1.0 to 1.2)';

/** Reads a plan JSON file as a stream: never the whole text in memory, never one `JSON.parse` of it. */
export async function readPlanFile(path: string, display: string, opts: ReadPlanOptions = {}): Promise<PlanModel> {
  if (path === '-') return readPlan(process.stdin, '(stdin)', opts);
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InputError('not a file', display);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read the plan: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, display);
  }
  return readPlan(createReadStream(path, { highWaterMark: 4 << 20 }), display, opts);
}

/** Reads a plan JSON from any byte stream (a file, stdin, a blob). */
export async function readPlan(
  input: AsyncIterable<Buffer | string> & { destroy?(): void },
  file: string,
  opts: ReadPlanOptions = {},
): Promise<PlanModel> {
  const graph = new DependencyGraph();
  const changes: PlanChange[] = [];
  const drift: PlanChange[] = [];
  const outputs: OutputChange[] = [];
  const rootKeys = new Set<string>();
  const meta: {
    formatVersion?: string;
    terraformVersion?: string;
    errored?: boolean;
    complete?: boolean;
    applyable?: boolean;
    deferred: number;
  } = { deferred: 0 };
  const keep = opts.keepValues ?? (() => false);

  const capture = (emit: CaptureSelector['emit']): CaptureSelector => ({ kind: 'capture', ...(emit ? { emit } : {}) });
  const stateModule: ObjectSelector = {
    kind: 'object',
    keys: {
      resources: {
        kind: 'array',
        items: {
          kind: 'object',
          record: true,
          keys: { address: capture(undefined), depends_on: capture(undefined) },
          end: (r) => graph.addStateDependencies(r.address, r.depends_on),
        },
      },
    },
  };
  stateModule.keys!.child_modules = { kind: 'array', items: stateModule };
  const configModule: ObjectSelector = {
    kind: 'object',
    keys: {
      resources: {
        kind: 'array',
        items: capture((v, at) => graph.addConfigResource(modulePathOf(at.path), v)),
      },
      outputs: {
        kind: 'object',
        any: capture((v, at) => graph.addOutput(modulePathOf(at.path), String(at.path[at.path.length - 1]), v)),
      },
    },
  };
  configModule.keys!.module_calls = {
    kind: 'object',
    any: {
      kind: 'object',
      keys: {
        expressions: capture((v, at) => {
          const path = modulePathOf(at.path);
          graph.addModuleCall(path.slice(0, -1), path[path.length - 1]!, v);
        }),
        module: configModule,
      },
    },
  };

  let changeType: string | undefined;
  let changeBody: Record<string, unknown> | undefined;
  let changeValues: Record<string, unknown> = {};
  const field = capture(undefined);
  const VALUE_KEYS = ['before', 'after', 'before_sensitive', 'after_sensitive'];
  // With an attribute list, a kept value is descended and only those attributes are decoded.
  const attrs = opts.attributes;
  const valueSelectors = new Map<string, Selector>(
    VALUE_KEYS.map((key) => [
      key,
      attrs
        ? {
            kind: 'object',
            record: true,
            keys: Object.fromEntries([...attrs].map((a) => [a, field])),
            primitive: capture((v) => (changeValues[key] = v)),
            end: (r: Record<string, unknown>) => (changeValues[key] = r),
          }
        : capture((v) => (changeValues[key] = v)),
    ]),
  );
  const resourceChange: ObjectSelector = {
    kind: 'object',
    record: true,
    keys: {
      address: field,
      previous_address: field,
      module_address: field,
      mode: field,
      type: capture((v) => (changeType = typeof v === 'string' ? v : undefined)),
      name: field,
      provider_name: field,
      deposed: field,
      action_reason: field,
      change: {
        kind: 'object',
        record: true,
        keys: { actions: field, replace_paths: field, importing: field },
        // The type comes before the change in Terraform's output; when it does not, values are kept.
        select: (key) => (changeType === undefined || keep(changeType) ? valueSelectors.get(key) : undefined),
        end: (r) => (changeBody = r),
      },
    },
    end: (r, at) => {
      r.change = { ...changeBody, ...changeValues };
      changeBody = undefined;
      changeValues = {};
      changeType = undefined;
      changes.push(compactChange(r, at.position, `resource_changes[${String(at.path[1])}]`, file, keep));
    },
  };

  const root: Selector = {
    kind: 'object',
    onKey: (k) => rootKeys.add(k),
    keys: {
      format_version: capture((v) => {
        if (typeof v !== 'string' || !SUPPORTED_FORMAT.test(v))
          throw new InputError(
            `plan format_version ${JSON.stringify(v)} is not supported: rollwright reads format ${SUPPORTED_TEXT}`,
            file,
          );
        meta.formatVersion = v;
      }),
      terraform_version: capture((v, at) => {
        if (typeof v === 'string') meta.terraformVersion = v;
        else if (v !== null) throw mistyped('terraform_version', 'a string', v, at.position);
      }),
      // One object per change, built from the fields rules read: `before`/`after` are skipped
      // (never decoded) unless a rule reads attributes of the type.
      resource_changes: { kind: 'array', items: resourceChange },
      resource_drift: {
        kind: 'array',
        items: capture((v, at) => {
          const c = compactChange(v, at.position, `resource_drift[${String(at.path[1])}]`, file, () => false);
          c.changedAttributes = changedAttributes(v);
          drift.push(c);
        }),
      },
      deferred_changes: { kind: 'array', items: capture(() => meta.deferred++) },
      output_changes: {
        kind: 'object',
        any: capture((v, at) => outputs.push(compactOutput(String(at.path[1]), v, at.position))),
      },
      prior_state: { kind: 'object', keys: { values: { kind: 'object', keys: { root_module: stateModule } } } },
      configuration: { kind: 'object', keys: { root_module: configModule } },
      errored: capture((v, at) => (meta.errored = flag('errored', v, at.position))),
      complete: capture((v, at) => (meta.complete = flag('complete', v, at.position))),
      applyable: capture((v, at) => (meta.applyable = flag('applyable', v, at.position))),
    },
  };

  function mistyped(field: string, want: string, v: unknown, p: Position): InputError {
    const got = Array.isArray(v)
      ? 'an array'
      : v === null
        ? 'null'
        : typeof v === 'object'
          ? 'an object'
          : `a ${typeof v}`;
    return new InputError(
      `${field}: expected ${want}, found ${got}`,
      file,
      p.line || undefined,
      p.line ? p.column : undefined,
    );
  }
  function flag(field: string, v: unknown, p: Position): boolean {
    if (typeof v !== 'boolean') throw mistyped(field, 'true or false', v, p);
    return v;
  }

  function notUtf8(p: Position): InputError {
    return new InputError(
      `the plan is not valid UTF-8 (at byte ${p.offset}): terraform show -json writes UTF-8`,
      file,
      p.line,
      p.column,
    );
  }

  const scanner = new JsonStreamScanner(root);
  const utf8 = new Utf8Stream();
  let first = true;
  try {
    for await (const raw of input) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      if (first && chunk.length) {
        first = false;
        sniff(chunk, file);
      }
      // Bytes are checked before the scanner decodes any of them.
      const bad = utf8.push(chunk);
      if (bad !== undefined) throw notUtf8(positionIn(chunk, scanner.here, bad));
      scanner.push(chunk);
    }
    scanner.end();
    const bad = utf8.end();
    if (bad !== undefined) throw notUtf8(scanner.here);
  } catch (e) {
    input.destroy?.();
    if (e instanceof InputError) throw e;
    if (e instanceof JsonStreamError && e.shape)
      throw new InputError(
        `${e.path || '(the document)'}: ${e.reason}`,
        file,
        e.position.line || undefined,
        e.position.line ? e.position.column : undefined,
      );
    if (e instanceof JsonStreamError) {
      const p = e.position;
      throw new InputError(
        e.truncated
          ? `${e.message}; the plan was cut short (a full disk, an interrupted \`terraform show -json\`?)`
          : `the plan is not valid JSON: ${e.message.replace(/ \(line \d+, column \d+\)/, '')}${e.path ? ` (in ${e.path})` : ''}`,
        file,
        p.line || undefined,
        p.line ? p.column : undefined,
      );
    }
    throw e;
  }
  if (rootKeys.has('values') && !rootKeys.has('planned_values'))
    throw new InputError(
      'this is the JSON of a state (`terraform show -json` without a plan file), not of a plan: run `terraform plan -out=PLAN` then `terraform show -json PLAN`',
      file,
    );
  if (meta.formatVersion === undefined) {
    throw new InputError(
      'not a plan JSON: it has no format_version (expected the output of `terraform show -json PLAN` or `tofu show -json PLAN`)',
      file,
    );
  }
  graph.finish();
  return {
    file,
    formatVersion: meta.formatVersion,
    ...(meta.terraformVersion !== undefined ? { terraformVersion: meta.terraformVersion } : {}),
    changes,
    drift,
    outputs,
    deferred: meta.deferred,
    ...(meta.errored !== undefined ? { errored: meta.errored } : {}),
    ...(meta.complete !== undefined ? { complete: meta.complete } : {}),
    ...(meta.applyable !== undefined ? { applyable: meta.applyable } : {}),
    bytes: scanner.stats.bytes,
    dependents: (a) => graph.dependentsOf(a),
    eachDependent: (a, visit) => graph.eachDependent(a, visit),
  };
}

/**
 * UTF-8 validity of a byte stream, chunk by chunk (a character may be split between two chunks):
 * `push` and `end` return the offset of the first bad byte, if any.
 */
class Utf8Stream {
  private carry = Buffer.alloc(0);
  private offset = 0;

  push(chunk: Buffer): number | undefined {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    // Keep back an incomplete sequence at the end: at most 3 bytes after the last lead byte.
    let cut = buf.length;
    for (let k = 1; k <= 3 && k <= buf.length; k++) {
      const b = buf[buf.length - k]!;
      if ((b & 0xc0) === 0x80) continue;
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > k) cut = buf.length - k;
      break;
    }
    const whole = buf.subarray(0, cut);
    if (!isUtf8(whole)) return this.offset + firstInvalidUtf8(whole).offset;
    this.offset += cut;
    this.carry = Buffer.from(buf.subarray(cut));
    return undefined;
  }

  end(): number | undefined {
    return this.carry.length ? this.offset : undefined;
  }
}

/** The position of byte `offset` of the stream, in `chunk` whose first byte is at `start` (earlier: `start` itself). */
function positionIn(chunk: Buffer, start: Position, offset: number): Position {
  let { line } = start;
  let lineStart = start.offset - start.column + 1;
  const end = offset - start.offset;
  for (let nl = chunk.indexOf(0x0a); nl >= 0 && nl < end; nl = chunk.indexOf(0x0a, nl + 1)) {
    line++;
    lineStart = start.offset + nl + 1;
  }
  return { offset, line, column: Math.max(offset, start.offset) - lineStart + 1 };
}

/** Clear errors for the common wrong inputs: a binary plan, UTF-16 from a PowerShell redirect. */
function sniff(chunk: Buffer, file: string): void {
  if (chunk[0] === 0x50 && chunk[1] === 0x4b && chunk[2] === 0x03 && chunk[3] === 0x04)
    throw new InputError(
      'this is a binary plan file (a zip archive): convert it with `terraform show -json PLAN > plan.json`',
      file,
    );
  if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
    throw new InputError(
      'the plan is UTF-16 text (a PowerShell redirect?): write it as UTF-8, e.g. `terraform show -json PLAN | Set-Content -Encoding utf8 plan.json`',
      file,
    );
}

/** `['configuration','root_module','module_calls','a','module','resources',3]` -> `['a']`. */
function modulePathOf(path: ReadonlyArray<string | number>): string[] {
  const out: string[] = [];
  for (let i = 0; i < path.length - 1; i++) if (path[i] === 'module_calls') out.push(String(path[i + 1]));
  return out;
}

function compactChange(
  v: unknown,
  position: Position,
  where: string,
  file: string,
  keep: (type: string) => boolean,
): PlanChange {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InputError(`${where} is not an object`, file, position.line, position.column);
  const r = v as Record<string, unknown>;
  // Fields of the wrong type are input errors naming the field: read as absent, a `type: 5` would
  // lose the data-bearing rule and a `mode: 7` would read a data source as a managed resource.
  const typed = (obj: Record<string, unknown>, at: string, key: string, want: 'string' | 'object' | 'array') => {
    const x = obj[key];
    if (x === undefined || x === null) return;
    const got = Array.isArray(x) ? 'array' : typeof x;
    if (got !== want)
      throw new InputError(
        `${at}.${key}: expected ${want === 'array' ? 'an array' : want === 'object' ? 'an object' : 'a string'}, found ${got === 'array' ? 'an array' : got === 'object' ? 'an object' : `a ${got}`}`,
        file,
        position.line,
        position.column,
      );
  };
  for (const k of [
    'address',
    'previous_address',
    'module_address',
    'mode',
    'type',
    'name',
    'provider_name',
    'deposed',
    'action_reason',
  ])
    typed(r, where, k, 'string');
  typed(r, where, 'change', 'object');
  if (typeof r.mode === 'string' && r.mode !== 'managed' && r.mode !== 'data')
    throw new InputError(
      `${where}.mode: expected "managed" or "data", found ${JSON.stringify(r.mode)}`,
      file,
      position.line,
      position.column,
    );
  const change = (typeof r.change === 'object' && r.change !== null ? r.change : {}) as Record<string, unknown>;
  typed(change, `${where}.change`, 'actions', 'array');
  typed(change, `${where}.change`, 'replace_paths', 'array');
  typed(change, `${where}.change`, 'importing', 'object');
  const actions = change.actions;
  if (typeof r.address !== 'string' || !Array.isArray(actions) || !actions.every((a) => typeof a === 'string'))
    throw new InputError(
      `${where} has no address or no change.actions: is this the output of \`terraform show -json\`?`,
      file,
      position.line,
      position.column,
    );
  const type = typeof r.type === 'string' ? r.type : '';
  const out: PlanChange = {
    address: r.address,
    mode: r.mode === 'data' ? 'data' : 'managed',
    type,
    name: typeof r.name === 'string' ? r.name : '',
    provider: typeof r.provider_name === 'string' ? r.provider_name : '',
    actions: actions as string[],
    position,
  };
  if (typeof r.previous_address === 'string') out.previousAddress = r.previous_address;
  if (typeof r.module_address === 'string') out.moduleAddress = r.module_address;
  if (typeof r.deposed === 'string') out.deposed = r.deposed;
  if (typeof r.action_reason === 'string') out.actionReason = r.action_reason;
  if (Array.isArray(change.replace_paths)) out.replacePaths = change.replace_paths as Array<Array<string | number>>;
  if (change.importing !== undefined && change.importing !== null) {
    const imp = change.importing as Record<string, unknown>;
    out.importing = typeof imp.id === 'string' ? { id: imp.id } : {};
  }
  if (keep(type)) {
    const values: ChangeValues = {};
    if (isRecord(change.before) || change.before === null) values.before = change.before as ChangeValues['before'];
    if (isRecord(change.after) || change.after === null) values.after = change.after as ChangeValues['after'];
    if (change.before_sensitive !== undefined) values.beforeSensitive = change.before_sensitive;
    if (change.after_sensitive !== undefined) values.afterSensitive = change.after_sensitive;
    out.values = values;
  }
  return out;
}

/** Names of the top-level attributes that differ between before and after (values are never kept). */
function changedAttributes(v: unknown): string[] {
  const change = (v as { change?: { before?: unknown; after?: unknown } }).change ?? {};
  const before = isRecord(change.before) ? change.before : {};
  const after = isRecord(change.after) ? change.after : {};
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

function compactOutput(name: string, v: unknown, position: Position): OutputChange {
  const r = (isRecord(v) ? v : {}) as Record<string, unknown>;
  const actions = Array.isArray(r.actions) ? (r.actions.filter((a) => typeof a === 'string') as string[]) : [];
  return {
    name: redactSecrets(name),
    actions,
    sensitive: r.before_sensitive === true || r.after_sensitive === true,
    position,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
