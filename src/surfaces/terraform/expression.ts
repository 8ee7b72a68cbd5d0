/**
 * The part of Terraform's expression language that `count`, `for_each` and switch arguments are
 * written in, evaluated over the values a configuration gives: used by count.ts and the rules that
 * compare argument values.
 */

export const UNKNOWN = Symbol('unknown');
type Value = boolean | number | string | null | readonly unknown[] | Record<string, unknown> | typeof UNKNOWN;

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A literal value as hcl2json gives it, with every string inside that holds an expression (`"${var.x}"`
 * in a map written with references) made unknown: its scope is not followed here.
 */
export function known(v: unknown): Value {
  if (typeof v === 'string') return v.includes('${') ? UNKNOWN : v;
  if (Array.isArray(v)) return v.map(known);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, known(x)]));
  return v as Value;
}

/**
 * Evaluates one expression of Terraform's language (the text inside `${...}`), with `var.x` and
 * `local.x` given by `ref`. Unknown (a symbol) where the value depends on something not modelled.
 */
export function evaluateExpression(text: string, ref: (name: string) => Value): Value {
  return new Parser(text, ref).parse();
}

/** The value of what the configuration does not give. */
export const UNKNOWN_VALUE: Value = UNKNOWN;

/** Whether an evaluated value is unknown. */
export function isUnknown(v: Value): boolean {
  return v === UNKNOWN;
}

export type { Value as ExpressionValue };

const empty = (v: Value) =>
  v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);

/** Terraform's conversion of a value to bool (`"true"`/`"false"` strings convert). */
function toBool(v: Value): Value {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return UNKNOWN;
}

function toNum(v: Value): Value {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return UNKNOWN;
}

/** Whether a value holds an unknown anywhere. */
export function partly(v: Value | unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(partly);
  if (isObj(v)) return Object.values(v).some(partly);
  return false;
}

/**
 * The functions a switch is commonly written with. Each takes evaluated arguments and returns
 * unknown when an argument it needs is unknown. Semantics as Terraform's built-in functions.
 */
const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  length: ([v]) =>
    Array.isArray(v) ? v.length : isObj(v) ? Object.keys(v).length : typeof v === 'string' ? [...v].length : UNKNOWN,
  // try: the first argument that evaluates without an error. An unknown first argument may be an error
  // (a missing attribute) or a value: the result is unknown.
  try: ([v]) => (v === undefined ? UNKNOWN : v),
  can: ([v]) => (v === UNKNOWN ? UNKNOWN : true),
  coalesce: (args) => {
    for (const a of args) {
      if (a === UNKNOWN) return UNKNOWN;
      if (a !== null && a !== '') return a;
    }
    return UNKNOWN; // an error in Terraform: no non-null argument
  },
  coalescelist: (args) => {
    for (const a of args) {
      if (!Array.isArray(a)) return UNKNOWN;
      if (a.length > 0) return a;
    }
    return [];
  },
  toset: ([v]) =>
    Array.isArray(v) && !partly(v)
      ? [...new Set(v.map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as Value)
      : Array.isArray(v) && v.length === 0
        ? []
        : UNKNOWN,
  tolist: ([v]) => (Array.isArray(v) ? v : UNKNOWN),
  tomap: ([v]) => (isObj(v) ? v : UNKNOWN),
  tobool: ([v]) => (v === null ? null : toBool(v as Value)),
  tonumber: ([v]) => (v === null ? null : toNum(v as Value)),
  tostring: ([v]) =>
    typeof v === 'string' || v === null ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : UNKNOWN,
  keys: ([v]) => (isObj(v) ? Object.keys(v).sort() : UNKNOWN),
  values: ([v]) =>
    isObj(v)
      ? Object.keys(v)
          .sort()
          .map((k) => v[k] as Value)
      : UNKNOWN,
  concat: (args) => (args.every(Array.isArray) ? ((args as unknown[][]).flat() as Value) : UNKNOWN),
  merge: (args) => (args.every((a) => isObj(a) || a === null) ? Object.assign({}, ...args) : UNKNOWN),
  compact: ([v]) =>
    Array.isArray(v) && !v.some((x) => x === UNKNOWN) ? v.filter((x) => x !== null && x !== '') : UNKNOWN,
  contains: ([l, x]) =>
    Array.isArray(l) && !partly(l) && x !== UNKNOWN ? l.some((e) => JSON.stringify(e) === JSON.stringify(x)) : UNKNOWN,
  lookup: ([m, k, d]) =>
    !isObj(m) || typeof k !== 'string' ? UNKNOWN : k in m ? (m[k] as Value) : d === undefined ? UNKNOWN : d,
  one: ([v]) => (Array.isArray(v) ? (v.length === 0 ? null : v.length === 1 ? (v[0] as Value) : UNKNOWN) : UNKNOWN),
  alltrue: ([v]) =>
    Array.isArray(v)
      ? v.some((x) => toBool(x as Value) === false)
        ? false
        : v.every((x) => toBool(x as Value) === true)
          ? true
          : UNKNOWN
      : UNKNOWN,
  anytrue: ([v]) =>
    Array.isArray(v)
      ? v.some((x) => toBool(x as Value) === true)
        ? true
        : v.every((x) => toBool(x as Value) === false)
          ? false
          : UNKNOWN
      : UNKNOWN,
};

/**
 * The part of Terraform's expression language a switch is written in: literals (numbers, strings
 * without templates, bools, null, tuples, objects), `var.x`/`local.x` with attribute and index access,
 * `!`, unary `-`, arithmetic, comparisons, `&&`, `||`, `==`, `!=`, `? :`, parentheses, the functions
 * above, and a `for` expression over an empty collection or whose `if` is false whatever the element.
 * Anything else (resource attributes, `each`, `count.index`, other functions, templates) is unknown.
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

  private eat(tok: string, notBefore?: RegExp): boolean {
    this.ws();
    if (!this.s.startsWith(tok, this.i)) return false;
    if (notBefore && notBefore.test(this.s[this.i + tok.length] ?? '')) return false;
    this.i += tok.length;
    return true;
  }

  private ternary(): Value {
    const c = this.or();
    if (!this.eat('?')) return c;
    const a = this.ternary();
    if (!this.eat(':')) return this.fail();
    const b = this.ternary();
    const t = c === UNKNOWN ? UNKNOWN : toBool(c);
    if (t === UNKNOWN) {
      // Both branches the same known value: the condition does not matter.
      return a !== UNKNOWN && !partly(a) && JSON.stringify(a) === JSON.stringify(b) ? a : UNKNOWN;
    }
    return t ? a : b;
  }

  private or(): Value {
    let v = this.and();
    while (this.eat('||')) {
      const w = this.and();
      const x = v === UNKNOWN ? UNKNOWN : toBool(v);
      const y = w === UNKNOWN ? UNKNOWN : toBool(w);
      v = x === true || y === true ? true : x === false && y === false ? false : UNKNOWN;
    }
    return v;
  }

  private and(): Value {
    let v = this.eq();
    while (this.eat('&&')) {
      const w = this.eq();
      const x = v === UNKNOWN ? UNKNOWN : toBool(v);
      const y = w === UNKNOWN ? UNKNOWN : toBool(w);
      v = x === false || y === false ? false : x === true && y === true ? true : UNKNOWN;
    }
    return v;
  }

  private eq(): Value {
    let v = this.cmp();
    for (;;) {
      const op = this.eat('==') ? '==' : this.eat('!=') ? '!=' : undefined;
      if (!op) return v;
      const w = this.cmp();
      if (partly(v) || partly(w)) v = UNKNOWN;
      else {
        const same = JSON.stringify(v) === JSON.stringify(w);
        v = op === '==' ? same : !same;
      }
    }
  }

  private cmp(): Value {
    let v = this.add();
    for (;;) {
      const op = ['<=', '>=', '<', '>'].find((o) => this.eat(o));
      if (!op) return v;
      const w = this.add();
      const a = v === UNKNOWN ? UNKNOWN : toNum(v);
      const b = w === UNKNOWN ? UNKNOWN : toNum(w);
      if (a === UNKNOWN || b === UNKNOWN) v = UNKNOWN;
      else {
        const [x, y] = [a as number, b as number];
        v = op === '<=' ? x <= y : op === '>=' ? x >= y : op === '<' ? x < y : x > y;
      }
    }
  }

  private add(): Value {
    let v = this.mul();
    for (;;) {
      const op = this.eat('+') ? '+' : this.eat('-', /[>]/) ? '-' : undefined;
      if (!op) return v;
      const w = this.mul();
      const a = v === UNKNOWN ? UNKNOWN : toNum(v);
      const b = w === UNKNOWN ? UNKNOWN : toNum(w);
      v =
        a === UNKNOWN || b === UNKNOWN
          ? UNKNOWN
          : op === '+'
            ? (a as number) + (b as number)
            : (a as number) - (b as number);
    }
  }

  private mul(): Value {
    let v = this.unary();
    for (;;) {
      const op = this.eat('*') ? '*' : this.eat('/') ? '/' : this.eat('%') ? '%' : undefined;
      if (!op) return v;
      const w = this.unary();
      const a = v === UNKNOWN ? UNKNOWN : toNum(v);
      const b = w === UNKNOWN ? UNKNOWN : toNum(w);
      if (a === UNKNOWN || b === UNKNOWN || (op !== '*' && b === 0)) v = UNKNOWN;
      else {
        const [x, y] = [a as number, b as number];
        v = op === '*' ? x * y : op === '/' ? x / y : x % y;
      }
    }
  }

  private unary(): Value {
    if (this.eat('!', /=/)) {
      const v = this.unary();
      const b = v === UNKNOWN ? UNKNOWN : toBool(v);
      return b === UNKNOWN ? UNKNOWN : !b;
    }
    if (this.eat('-')) {
      const v = this.unary();
      const n = v === UNKNOWN ? UNKNOWN : toNum(v);
      return n === UNKNOWN ? UNKNOWN : -(n as number);
    }
    return this.postfix(this.primary());
  }

  /** `.attr`, `[index]` after a value; a splat (`.*`, `[*]`) is unknown. */
  private postfix(v: Value): Value {
    for (;;) {
      const rest = this.s.slice(this.i);
      const attr = /^\.([A-Za-z_][\w-]*)/.exec(rest);
      if (attr) {
        this.i += attr[0].length;
        v = isObj(v) && attr[1]! in v ? (v[attr[1]!] as Value) : UNKNOWN;
        continue;
      }
      if (/^\.\*|^\[\s*\*\s*\]/.test(rest)) {
        this.i += /^\.\*|^\[\s*\*\s*\]/.exec(rest)![0].length;
        v = UNKNOWN;
        continue;
      }
      if (rest.startsWith('[')) {
        this.i++;
        const k = this.ternary();
        if (!this.eat(']')) return this.fail();
        if (Array.isArray(v) && typeof k === 'number') v = k in v ? (v[k] as Value) : UNKNOWN;
        else if (isObj(v) && typeof k === 'string') v = k in v ? (v[k] as Value) : UNKNOWN;
        else v = UNKNOWN;
        continue;
      }
      return v;
    }
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
    if (rest.startsWith('[')) return this.tuple();
    if (rest.startsWith('{')) return this.object();
    m = /^\d+(\.\d+)?(?![\w.])/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    if (rest.startsWith('"')) return this.string();
    m = /^(true|false|null)(?![\w.-])/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return m[1] === 'null' ? null : m[1] === 'true';
    }
    m = /^(?:var|local)\.[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return known(this.ref(m[0]));
    }
    m = /^([A-Za-z_][\w-]*)\s*\(/.exec(rest);
    if (m) {
      const fn = FUNCTIONS[m[1]!];
      if (!fn) {
        const end = this.balanced(this.i + m[0].length - 1);
        if (end < 0) return this.fail();
        this.i = end + 1;
        return UNKNOWN;
      }
      this.i += m[0].length;
      const args: Value[] = [];
      if (!this.eat(')')) {
        do {
          args.push(this.ternary());
          if (this.eat('...')) args.push(UNKNOWN);
        } while (this.eat(','));
        if (!this.eat(')')) return this.fail();
      }
      return fn(args);
    }
    // Any other reference (a resource, data source, module output, each, count, path): unknown.
    m = /^[A-Za-z_][\w-]*/.exec(rest);
    if (!m) return this.fail();
    this.i += m[0].length;
    return UNKNOWN;
  }

  private tuple(): Value {
    this.i++; // [
    const out: Value[] = [];
    if (this.eat(']')) return out;
    for (;;) {
      out.push(this.ternary());
      const comma = this.eat(',');
      if (this.eat(']')) return out;
      if (!comma) return this.fail();
    }
  }

  private object(): Value {
    this.i++; // {
    const out: Record<string, unknown> = {};
    let unknownKey = false;
    for (;;) {
      if (this.eat('}')) break;
      this.ws();
      let key: Value;
      const id = /^[A-Za-z_][\w-]*/.exec(this.s.slice(this.i));
      if (this.s[this.i] === '"') key = this.string();
      else if (this.s[this.i] === '(') key = this.primary();
      else if (id) {
        this.i += id[0].length;
        key = id[0];
      } else return this.fail();
      if (!this.eat('=', /[=>]/) && !this.eat(':')) return this.fail();
      const v = this.ternary();
      if (typeof key === 'string') out[key] = v;
      else unknownKey = true;
      this.eat(',');
    }
    return unknownKey ? UNKNOWN : out;
  }

  /** A quoted string; one with a template (`${...}`, `%{...}`) is unknown. */
  private string(): Value {
    const start = this.i;
    let j = start + 1;
    let template = false;
    let depth = 0;
    for (; j < this.s.length; j++) {
      const ch = this.s[j]!;
      if (ch === '\\') {
        j++;
        continue;
      }
      if ((ch === '$' || ch === '%') && this.s[j + 1] === '{' && this.s[j - 1] !== ch) {
        template = true;
        depth++;
        j++;
        continue;
      }
      if (depth > 0 && ch === '}') depth--;
      else if (depth === 0 && ch === '"') break;
    }
    if (j >= this.s.length) return this.fail();
    this.i = j + 1;
    if (template) return UNKNOWN;
    try {
      return JSON.parse(this.s.slice(start, j + 1)) as string;
    } catch {
      return this.s.slice(start + 1, j);
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
    const none = close === ']' ? [] : {};
    const body = this.s.slice(start + 1, end);
    const head = /^\s*for\s+[\w\s,]+?\s+in\s+/.exec(body);
    if (head) {
      const coll = new Parser(body.slice(head[0].length), this.ref);
      const v = coll.ternary();
      if (coll.eat(':') && v !== UNKNOWN && (Array.isArray(v) || isObj(v)) && empty(v)) return none;
    }
    const cond = /\sif\s+([^?:]*)$/s.exec(body);
    if (!cond) return UNKNOWN;
    const c = new Parser(cond[1]!, this.ref).parse();
    return c !== UNKNOWN && toBool(c) === false ? none : UNKNOWN;
  }

  private fail(): Value {
    this.i = this.s.length + 1; // parse() then reports unknown
    return UNKNOWN;
  }
}
