import type { ModuleSpace, TfModuleCall, TfResource } from './model.js';
import { callerPrefix, expr, resolveArgument } from './space.js';

/**
 * Whether a resource has no instance at one revision with the inputs the configuration gives:
 * its own `count`/`for_each`, or that of a module call it sits in, evaluates to zero (`count = 0`,
 * `count = var.create ? 1 : 0` with `create = false` passed by the call or as the default,
 * `for_each = { for k, v in var.x : k => v if var.create }`, a module called with `count = 0`).
 * Terraform expands a resource into one instance per count index or for_each key, and a module call
 * with count 0 has no instance, so nothing under it exists to destroy, replace or move.
 *
 * `off`: zero instances; `on`: the repetition evaluates to something other than zero (or there is
 * none); `unknown`: it depends on a value the configuration does not give (a root variable with no
 * default, a resource attribute, a function this evaluator does not model).
 */
export type Instances = { state: 'off'; why: string } | { state: 'on' } | { state: 'unknown'; expression: string };

const UNKNOWN = Symbol('unknown');
type Value = boolean | number | string | null | readonly unknown[] | Record<string, unknown> | typeof UNKNOWN;

export function instancesOf(space: ModuleSpace, r: TfResource): Instances {
  const own = repetitionOf(space, r.modulePrefix, r.args, r);
  if (own.state !== 'on') return own;
  // The module calls the resource is in, innermost first.
  let prefix = r.modulePrefix;
  while (prefix) {
    const call: TfModuleCall | undefined = space.modules.get(prefix.slice(0, -1));
    if (!call) break;
    const outer = repetitionOf(space, callerPrefix(call), call.args, call);
    if (outer.state !== 'on') return outer;
    prefix = callerPrefix(call);
  }
  return { state: 'on' };
}

function repetitionOf(
  space: ModuleSpace,
  prefix: string,
  args: Record<string, unknown>,
  where: { file: string; line: number },
): Instances {
  for (const key of ['count', 'for_each'] as const) {
    const raw = args[key];
    if (raw === undefined) continue;
    const text = typeof raw === 'string' ? (expr(raw) ?? raw) : JSON.stringify(raw);
    const v = typeof raw === 'string' ? evaluate(space, prefix, raw, where, 0) : (raw as Value);
    if (v === UNKNOWN) return { state: 'unknown', expression: `${key} = ${text}` };
    const zero =
      key === 'count'
        ? // Terraform 0.11 read `count = "${var.flag}"` with a boolean default false as 0.
          v === 0 || v === null || v === false || v === '0' || v === 'false'
        : (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
    return zero ? { state: 'off', why: `${key} = ${text} is ${key === 'count' ? '0' : 'empty'}` } : { state: 'on' };
  }
  return { state: 'on' };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Evaluates a value as hcl2json gives it (literals as themselves, expressions as `${...}`). */
function evaluate(
  space: ModuleSpace,
  prefix: string,
  value: unknown,
  where: { file: string; line: number },
  depth: number,
): Value {
  if (depth > 16) return UNKNOWN;
  if (typeof value !== 'string') return value as Value;
  const m = /^\$\{(.*)\}$/s.exec(value.trim());
  if (!m) return value.includes('${') ? UNKNOWN : value;
  return new Parser(m[1]!, (ref) => {
    const r = resolveArgument(space, prefix, `\${${ref}}`, where, { defaults: true });
    if (!r || r.steps.length === 0) return UNKNOWN;
    return evaluate(space, r.prefix, r.value, r, depth + 1);
  }).parse();
}

/**
 * The part of Terraform's expression language a switch is written in: literals, `var.x`/`local.x`,
 * `!`, `&&`, `||`, `==`, `!=`, `? :`, parentheses, empty `[]`/`{}`, and a `for` expression whose `if`
 * is false whatever the element. Anything else is unknown.
 */
class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly ref: (name: string) => Value,
  ) {}

  parse(): Value {
    const v = this.ternary();
    this.ws();
    return this.i === this.s.length ? v : UNKNOWN;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private eat(tok: string): boolean {
    this.ws();
    if (this.s.startsWith(tok, this.i)) {
      this.i += tok.length;
      return true;
    }
    return false;
  }

  private ternary(): Value {
    const c = this.or();
    if (!this.eat('?')) return c;
    const a = this.ternary();
    if (!this.eat(':')) return this.fail();
    const b = this.ternary();
    if (c === UNKNOWN || typeof c !== 'boolean') return UNKNOWN;
    return c ? a : b;
  }

  private or(): Value {
    let v = this.and();
    while (this.eat('||')) {
      const w = this.and();
      v = v === true || w === true ? true : v === false && w === false ? false : UNKNOWN;
    }
    return v;
  }

  private and(): Value {
    let v = this.eq();
    while (this.eat('&&')) {
      const w = this.eq();
      v = v === false || w === false ? false : v === true && w === true ? true : UNKNOWN;
    }
    return v;
  }

  private eq(): Value {
    const v = this.unary();
    for (const op of ['==', '!='] as const) {
      if (this.eat(op)) {
        const w = this.unary();
        if (v === UNKNOWN || w === UNKNOWN || typeof v === 'object' || typeof w === 'object') return UNKNOWN;
        return op === '==' ? v === w : v !== w;
      }
    }
    return v;
  }

  private unary(): Value {
    if (this.eat('!')) {
      const v = this.unary();
      return typeof v === 'boolean' ? !v : UNKNOWN;
    }
    return this.primary();
  }

  private primary(): Value {
    this.ws();
    const rest = this.s.slice(this.i);
    if (this.eat('(')) {
      const v = this.ternary();
      return this.eat(')') ? v : this.fail();
    }
    let m = /^(\[|\{)\s*for\s/.exec(rest);
    if (m) return this.forExpr(m[1] === '[' ? ']' : '}');
    m = /^(\[\s*\]|\{\s*\})/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return m[0].startsWith('[') ? [] : {};
    }
    m = /^-?\d+(\.\d+)?(?![\w.])/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    m = /^"((?:[^"\\$]|\\.)*)"/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return m[1]!;
    }
    m = /^(true|false|null)(?![\w.-])/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return m[1] === 'null' ? null : m[1] === 'true';
    }
    m = /^(?:var|local)\.[A-Za-z_][A-Za-z0-9_-]*(?![\w.[(-])/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return this.ref(m[0]);
    }
    // Any other reference or function call: skipped whole, its value unknown.
    m = /^[A-Za-z_][\w-]*/.exec(rest);
    if (!m) return this.fail();
    this.i += m[0].length;
    for (;;) {
      const c = this.s[this.i];
      if (c === '.' && /^\.[\w*]/.test(this.s.slice(this.i))) {
        this.i += /^\.[\w*-]+/.exec(this.s.slice(this.i))![0].length;
      } else if (c === '(' || c === '[') {
        const end = this.balanced(this.i);
        if (end < 0) return this.fail();
        this.i = end + 1;
      } else return UNKNOWN;
    }
  }

  /** The index of the bracket that closes the one at `start`, -1 when none. */
  private balanced(start: number): number {
    let depth = 0;
    for (let j = start; j < this.s.length; j++) {
      const ch = this.s[j]!;
      if (ch === '"') {
        j++;
        while (j < this.s.length && this.s[j] !== '"') j += this.s[j] === '\\' ? 2 : 1;
      } else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch) && --depth === 0) return j;
    }
    return -1;
  }

  /**
   * `[for k, v in COLL : X if COND]`: empty when COLL is empty, or when COND is false whatever the
   * element; unknown otherwise.
   */
  private forExpr(close: string): Value {
    const start = this.i;
    const end = this.balanced(start);
    if (end < 0 || this.s[end] !== close) return this.fail();
    this.i = end + 1;
    const empty = close === ']' ? [] : {};
    const body = this.s.slice(start + 1, end);
    const head = /^\s*for\s+[\w\s,]+?\s+in\s+/.exec(body);
    if (head) {
      const coll = new Parser(body.slice(head[0].length), this.ref);
      const v = coll.ternary();
      if (coll.eat(':') && ((Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0)))
        return empty;
    }
    const cond = /\sif\s+([^?:]*)$/s.exec(body);
    if (!cond) return UNKNOWN;
    return new Parser(cond[1]!, this.ref).parse() === false ? empty : UNKNOWN;
  }

  private fail(): Value {
    this.i = this.s.length + 1; // parse() then reports unknown
    return UNKNOWN;
  }
}
