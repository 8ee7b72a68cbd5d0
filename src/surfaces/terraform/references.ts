import type { ModuleSpace, TfResource } from './model.js';
import { callerPrefix } from './space.js';

/**
 * Who holds a resource's identity inside one configuration: the resources whose arguments refer to
 * it (directly, or through locals, module inputs and module outputs), and whether an output of the
 * root module hands it out (`published`), where other configurations can read it
 * (`terraform_remote_state`, `terraform output`). A reference to a whole module object
 * (`module.x`, `for k, v in module.x`) counts as a reference to everything its outputs carry.
 */
export interface Holders {
  /** Addresses of the resources that refer to it, in the order found. */
  referrers: string[];
  /** The root output that hands it out, when one does. */
  published?: string;
  /** Calls of modules whose code is not read (registry, git) that take it as an input, in the order found. */
  modules: string[];
}

/** What counts as holding it. */
export interface HoldersOptions {
  /**
   * Whether `depends_on` and `lifecycle` (ordering and `replace_triggered_by`) hold it: they name the
   * resource, but nothing of its identity is written into the referrer. Counted unless false.
   */
  ordering?: boolean;
}

interface Holder {
  kind: 'resource' | 'local' | 'output' | 'input';
  /** The resource address, `local.x`/`output.x` name, or for an input the call address and the input name. */
  key: string;
  name?: string;
  text: string;
  /** For a resource: its arguments' text without `depends_on` and `lifecycle`. */
  valueText?: string;
  value: unknown;
}

const VALUE_KEY = /^((?:module\.[^.]+\.)*)(local|output)\.(.+)$/;
const NOT_INPUTS = new Set(['source', 'version', 'providers']);
const REPEAT = new Set(['for_each', 'count']);
const ORDERING = new Set(['depends_on', 'lifecycle']);
const EACH = /(?<![\w.-])each\.value(?![\w-])/;

/** The holders of each module prefix of a space, built once per space. */
const indexes = new WeakMap<ModuleSpace, Map<string, Holder[]>>();

function indexOf(space: ModuleSpace): Map<string, Holder[]> {
  let idx = indexes.get(space);
  if (idx) return idx;
  idx = new Map();
  const add = (prefix: string, h: Holder) => {
    let list = idx!.get(prefix);
    if (!list) idx!.set(prefix, (list = []));
    list.push(h);
  };
  for (const r of space.resources.values()) {
    const values = Object.fromEntries(Object.entries(r.args).filter(([k]) => !ORDERING.has(k)));
    add(r.modulePrefix, {
      kind: 'resource',
      key: r.address,
      text: JSON.stringify(r.args),
      valueText: JSON.stringify(values),
      value: r.args,
    });
  }
  for (const call of space.modules.values())
    for (const [name, v] of Object.entries(call.args))
      if (!NOT_INPUTS.has(name))
        add(callerPrefix(call), { kind: 'input', key: call.address, name, text: JSON.stringify(v), value: v });
  for (const [key, v] of space.values) {
    const m = VALUE_KEY.exec(key);
    if (m) add(m[1]!, { kind: m[2] as 'local' | 'output', key: m[3]!, text: JSON.stringify(v.value), value: v.value });
  }
  indexes.set(space, idx);
  return idx;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a holder's text refers to a symbol. */
type Test = (text: string) => boolean;

/** `aws_x.y`, but not `data.aws_x.y`, `aws_x.y_z` or `module.a.aws_x.y`. */
function plain(symbol: string, keys?: ReadonlySet<string>): Test {
  const re = new RegExp(`(?<![\\w.-])${escape(symbol)}(?![\\w-])`);
  if (!keys) return (t) => re.test(t);
  // A map input that holds it only under some keys: `var.x.key`, `var.x["k"].key`, or all of `var.x`.
  const alt = [...keys].map(escape).join('|');
  const keyed = new RegExp(`(?<![\\w.-])${escape(symbol)}(?:\\[[^\\]]*\\])?(?:\\.(?:${alt})(?![\\w-])|(?![\\w.\\[-]))`);
  return (t) => keyed.test(t);
}

/**
 * The keys of a map or object value on the way to what `test` finds, at any depth (`{ a = { ids = [x] } }`
 * -> `a`, `ids`: an element of a map of objects is read by its own keys); undefined when the value is one
 * expression, which holds it whole.
 */
function keysOf(value: unknown, test: Test): Set<string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (!test(JSON.stringify(x))) continue;
      keys.add(k);
      if (typeof x === 'object' && x !== null && !Array.isArray(x)) walk(x);
    }
  };
  walk(value);
  return keys.size ? keys : undefined;
}

/**
 * A reference to output `out` of module call `name`: `module.name.out`, `module.name["k"].out`, or
 * the whole module object (`value = module.name`, `merge(module.name, ...)`), which carries every
 * output; a `for` over the instances (`for g in module.name : g.other`) holds it only when it reads
 * an attribute of that name.
 */
function moduleOutput(name: string, out: string): Test {
  const m = `(?<![\\w.-])module\\.${escape(name)}(?:\\[[^\\]]*\\])?`;
  const direct = new RegExp(`${m}\\.${escape(out)}(?![\\w-])`);
  const whole = new RegExp(`${m}(?![\\w.\\[-])`);
  const loop = new RegExp(`\\bin\\s+module\\.${escape(name)}(?![\\w.\\[-])`);
  const attr = new RegExp(`\\.${escape(out)}(?![\\w-])`);
  return (t) => direct.test(t) || (whole.test(t) && (!loop.test(t) || attr.test(t)));
}

/** The holders of resource `r` in `space`. */
export function holdersOf(space: ModuleSpace, r: TfResource, opts: HoldersOptions = {}): Holders {
  const idx = indexOf(space);
  const referrers: string[] = [];
  const modules: string[] = [];
  let published: string | undefined;
  const seen = new Set<string>();
  /** A symbol in a module's scope, and the keys of its value that hold the resource (all when absent). */
  const queue: Array<{ prefix: string; test: Test; keys?: Set<string> }> = [];
  const push = (prefix: string, key: string, test: Test, keys?: Set<string>) => {
    const k = `${prefix}\0${key}${keys ? `{${[...keys].sort().join()}}` : ''}`;
    if (seen.has(k)) return;
    seen.add(k);
    queue.push({ prefix, test, ...(keys ? { keys } : {}) });
  };
  const pushVar = (call: string, name: string, keys?: Set<string>) =>
    push(`${call}.`, `var.${name}`, plain(`var.${name}`, keys), keys);
  push(r.modulePrefix, `${r.type}.${r.name}`, plain(`${r.type}.${r.name}`));
  while (queue.length) {
    const { prefix, test, keys } = queue.shift()!;
    for (const h of idx.get(prefix) ?? []) {
      if (h.kind === 'resource' && h.key === r.address) continue;
      if (!test(opts.ordering === false && h.valueText !== undefined ? h.valueText : h.text)) continue;
      if (h.kind === 'resource') {
        if (!referrers.includes(h.key)) referrers.push(h.key);
      } else if (h.kind === 'local') push(prefix, `local.${h.key}`, plain(`local.${h.key}`));
      else if (h.kind === 'input' && opts.ordering === false && ORDERING.has(h.name!)) continue;
      else if (h.kind === 'input' && space.modules.get(h.key)?.dir === undefined) {
        // A module whose code is not read: what it does with the input is not known here.
        if (!modules.includes(h.key)) modules.push(h.key);
      } else if (h.kind === 'input' && REPEAT.has(h.name!)) {
        // `for_each = var.groups` makes `each.value` in the call's inputs an element of it, holding
        // it under the keys the map held it under.
        const each = plain('each.value', keys);
        for (const other of idx.get(prefix) ?? [])
          if (other.kind === 'input' && other.key === h.key && !REPEAT.has(other.name!) && each(other.text))
            pushVar(h.key, other.name!, keysOf(other.value, each));
      } else if (h.kind === 'input') pushVar(h.key, h.name!, keysOf(h.value, test));
      else if (!prefix) published ??= `output.${h.key}`;
      else {
        const call = space.modules.get(prefix.slice(0, -1));
        if (call) push(callerPrefix(call), `module.${call.name}.${h.key}`, moduleOutput(call.name, h.key));
      }
    }
  }
  return { referrers, ...(published ? { published } : {}), modules };
}
