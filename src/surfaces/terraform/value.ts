import type { Located, ModuleSpace } from './model.js';
import { resolveArgument } from './space.js';
import {
  canonical,
  empty,
  list,
  listCall,
  lit,
  sourceOnly,
  sym,
  type Lit,
  type Ref,
  type Source,
  type Term,
} from './term.js';

export { canonical, differ, type Ref, type Source, type Term } from './term.js';

const RESERVED = new Set(['var', 'local', 'module', 'data', 'each', 'count', 'path', 'self', 'terraform']);

/** The term of `value` (as hcl2json gives it) written in the module at `prefix`. */
export function termOf(space: ModuleSpace, prefix: string, value: unknown, where: Located): Term {
  return new Reader(space, 0).value(prefix, value, where);
}

class Reader {
  constructor(
    private readonly space: ModuleSpace,
    private readonly depth: number,
  ) {}

  value(prefix: string, value: unknown, where: Located): Term {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return lit(value);
    if (Array.isArray(value) && this.depth <= 24) return list(value.map((v) => this.value(prefix, v, where)));
    if (typeof value !== 'string') return sym(JSON.stringify(value), []);
    if (this.depth > 24) return sym(value, []);
    return new Expression(value, true, this.space, prefix, where, this.depth).read();
  }
}

/** A recursive-descent reader of one HCL expression (or template when `template`), evaluating as it goes. */
class Expression {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly template: boolean,
    private readonly space: ModuleSpace,
    private readonly prefix: string,
    private readonly where: Located,
    private readonly depth: number,
  ) {}

  read(): Term {
    if (this.template) return this.templateBody(this.s);
    const t = this.conditional();
    this.ws();
    return this.i === this.s.length ? t : sym(`?${this.s}`, [t]);
  }

  /** A template: literal text and `${...}` interpolations; a lone interpolation keeps its type. */
  private templateBody(s: string): Term {
    const parts: Term[] = [];
    let text = '';
    let j = 0;
    const flush = () => {
      if (text) parts.push(lit(text.replace(/\$\$\{/g, '${')));
      text = '';
    };
    while (j < s.length) {
      if (s.startsWith('$${', j)) {
        text += '$${';
        j += 3;
      } else if (s.startsWith('${', j) || s.startsWith('%{', j)) {
        const end = closing(s, j + 1);
        if (end < 0) return sym(`?${s}`, []);
        flush();
        const inner = s.slice(j + 2, end).replace(/^~|~$/g, '');
        parts.push(
          s[j] === '%'
            ? sym(`%{${inner}}`, [])
            : new Expression(inner, false, this.space, this.prefix, this.where, this.depth + 1).read(),
        );
        j = end + 1;
      } else text += s[j++];
    }
    flush();
    if (parts.length === 1) return parts[0]!;
    if (parts.length === 0) return lit('');
    if (parts.every((p) => p.known))
      return lit(
        parts.map((p) => String((p as { value: Lit }).value)).join(''),
        false,
        parts.flatMap((p) => p.refs),
      );
    const str = (p: Term) => (p.known ? String(p.value) : `\${${p.text}}`);
    const firstUnknown = parts.findIndex((p) => !p.known);
    const lastUnknown = parts.length - 1 - [...parts].reverse().findIndex((p) => !p.known);
    const inner = (p: Term, end: 'head' | 'tail') => (p.known ? '' : (p[end] ?? ''));
    const head = parts.slice(0, firstUnknown).map(str).join('') + inner(parts[firstUnknown]!, 'head');
    const tail =
      inner(parts[lastUnknown]!, 'tail') +
      parts
        .slice(lastUnknown + 1)
        .map(str)
        .join('');
    return sym(`"${parts.map(str).join('')}"`, parts, { head, tail, present: head !== '' || tail !== '' });
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private eat(tok: string): boolean {
    this.ws();
    if (!this.s.startsWith(tok, this.i)) return false;
    // `==` is not `=`, `=>` is not `=`.
    if ((tok === '!' || tok === '=') && this.s[this.i + 1] === '=') return false;
    this.i += tok.length;
    return true;
  }

  private conditional(): Term {
    const c = this.or();
    if (!this.eat('?')) return c;
    const a = this.conditional();
    if (!this.eat(':')) return sym(`?${this.s}`, [c, a]);
    const b = this.conditional();
    if (c.known && typeof c.value === 'boolean') return c.value ? a : b;
    return sym(`(${canonical(c)} ? ${canonical(a)} : ${canonical(b)})`, [c, a, b]);
  }

  private or(): Term {
    return this.logical('||', true, () => this.and());
  }

  private and(): Term {
    return this.logical('&&', false, () => this.compare());
  }

  /** `a || b` (`a && b`): decided by one known operand that equals `decides` (true, false), or by both known. */
  private logical(op: '||' | '&&', decides: boolean, operand: () => Term): Term {
    let v = operand();
    while (this.eat(op)) {
      const w = operand();
      const refs = [...v.refs, ...w.refs];
      v =
        (v.known && v.value === decides) || (w.known && w.value === decides)
          ? lit(decides, false, refs)
          : v.known && w.known
            ? lit(!decides, v.outside || w.outside, refs)
            : sym(`(${canonical(v)} ${op} ${canonical(w)})`, [v, w]);
    }
    return v;
  }

  private compare(): Term {
    const v = this.unary();
    for (const op of ['==', '!='] as const) {
      this.ws();
      if (!this.s.startsWith(op, this.i)) continue;
      this.i += 2;
      const w = this.unary();
      if (v.known && w.known)
        return lit(op === '==' ? v.value === w.value : v.value !== w.value, v.outside || w.outside);
      return sym(`(${canonical(v)} ${op} ${canonical(w)})`, [v, w]);
    }
    return v;
  }

  private unary(): Term {
    if (this.eat('!')) {
      const v = this.unary();
      return v.known && typeof v.value === 'boolean' ? lit(!v.value, v.outside, v.refs) : sym(`!${canonical(v)}`, [v]);
    }
    return this.postfix();
  }

  private postfix(): Term {
    this.ws();
    const start = this.i;
    const rest = this.s.slice(this.i);
    let m = /^-?\d+(\.\d+)?(?![\w.])/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return lit(Number(m[0]));
    }
    m = /^(true|false|null)(?![\w-])/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return lit(m[1] === 'null' ? null : m[1] === 'true');
    }
    if (rest.startsWith('"')) {
      const end = stringEnd(this.s, this.i);
      if (end < 0) return this.rest();
      this.i = end + 1;
      return this.templateBody(unescape(this.s.slice(start + 1, end)));
    }
    if (rest.startsWith('(')) {
      this.i++;
      const v = this.conditional();
      return this.eat(')') ? v : this.rest();
    }
    if (rest.startsWith('[') && !/^\[\s*for\s/.test(rest)) {
      const end = closing(this.s, this.i);
      if (end < 0) return this.rest();
      this.i = end + 1;
      return list(
        splitArgs(this.s.slice(start + 1, end)).map((a) =>
          new Expression(a, false, this.space, this.prefix, this.where, this.depth + 1).read(),
        ),
      );
    }
    if (rest.startsWith('[') || rest.startsWith('{') || rest.startsWith('<<')) {
      // Collections, for expressions and heredocs: compared by their text.
      const end = rest.startsWith('<<') ? this.s.length - 1 : closing(this.s, this.i);
      if (end < 0) return this.rest();
      this.i = end + 1;
      return sym(this.s.slice(start, this.i).replace(/\s+/g, ' '), []);
    }
    m = /^[A-Za-z_][\w-]*/.exec(rest);
    if (!m) return this.rest();
    this.i += m[0].length;
    const name = m[0];
    this.ws();
    if (this.s[this.i] === '(') return this.call(name);
    // A traversal: name(.attr | [index])*
    const steps: string[] = [];
    for (;;) {
      const c = this.s[this.i];
      if (c === '.' && /^\.[\w*]/.test(this.s.slice(this.i))) {
        const seg = /^\.([\w*-]+)/.exec(this.s.slice(this.i))!;
        this.i += seg[0].length;
        steps.push(/^\d+$/.test(seg[1]!) ? `[${seg[1]}]` : `.${seg[1]}`);
      } else if (c === '[') {
        const end = closing(this.s, this.i);
        if (end < 0) return this.rest();
        steps.push(`[${this.s.slice(this.i + 1, end).trim()}]`);
        this.i = end + 1;
      } else break;
    }
    return this.reference(name, steps);
  }

  /** Anything left unread: compared by its text. */
  private rest(): Term {
    const text = this.s.slice(this.i);
    this.i = this.s.length;
    return sym(`?${text}`, []);
  }

  private reference(name: string, steps: string[]): Term {
    const first = steps[0];
    if ((name === 'var' || name === 'local') && first?.startsWith('.')) {
      const ref = `${name}${first}`;
      const r = resolveArgument(this.space, this.prefix, `\${${ref}}`, this.where, { defaults: true });
      const more = steps.slice(1).join('');
      if (!r) return sym(`${ref}${more}`, [{ known: false, text: ref, outside: true, refs: [] }]);
      if (r.steps.length === 0) return sym(`${this.prefix}${ref}${more}`, []); // a local not in the files read
      const v = new Reader(this.space, this.depth + 1).value(r.prefix, r.value, r);
      // An attribute or element of a value read from module outputs or data sources is read from them too.
      return more ? sym(`${canonical(v)}${more}`, [v], v.known ? {} : { pure: v.pure === true }) : v;
    }
    // Count turned on moves `a` to `a[0]` by itself: `x.y[0].z` and `x.y.z` name the same object.
    const norm = steps.filter((s, k) => !(k === 1 && s === '[0]')).join('');
    const text = `${this.prefix}${name}${norm}`;
    const source = this.source(name, steps);
    if (source) return sym(text, [], { sources: [source], pure: true });
    if (RESERVED.has(name) || !first?.startsWith('.')) return sym(text, []);
    const rest = steps.slice(1).filter((s) => !/^\[/.test(s));
    const attribute = rest[0]?.slice(1);
    // A managed resource's `id` and `arn` are never null or empty: the provider sets them on create.
    const present = rest.length === 1 && (attribute === 'id' || attribute === 'arn');
    return sym(
      text,
      [
        {
          known: false,
          text,
          outside: false,
          refs: [{ address: `${this.prefix}${name}${first}`, ...(attribute ? { attribute } : {}) }],
        },
      ],
      present ? { present } : {},
    );
  }

  /** `module.vpc[0].private_subnets[1]` -> module `module.vpc` output `private_subnets`; `data.aws_subnets.a.ids` likewise. */
  private source(name: string, steps: readonly string[]): Source | undefined {
    const named = steps.filter((s) => s.startsWith('.')).map((s) => s.slice(1));
    if (name === 'module' && named.length >= 2 && steps[0]?.startsWith('.'))
      return { kind: 'module', instance: `${this.prefix}module.${named[0]}`, name: named[1]! };
    if (name === 'data' && named.length >= 3 && steps[0]?.startsWith('.') && steps[1]?.startsWith('.'))
      return { kind: 'data', instance: `${this.prefix}data.${named[0]}.${named[1]}`, name: named[2]! };
    return undefined;
  }

  private call(name: string): Term {
    const open = this.i;
    const end = closing(this.s, open);
    if (end < 0) return this.rest();
    this.i = end + 1;
    const args = splitArgs(this.s.slice(open + 1, end)).map((a) =>
      new Expression(a, false, this.space, this.prefix, this.where, this.depth + 1).read(),
    );
    if (name === 'coalesce' || name === 'coalescelist') {
      // The first argument that is neither null nor empty; a template with literal text is neither.
      const left = args.filter((_, k) => !args.slice(0, k + 1).every(empty));
      const first = left[0];
      if (first && (first.known || left.length === 1 || (first.head ?? '') !== '' || (first.tail ?? '') !== ''))
        return first.known
          ? lit(
              first.value,
              args.some((x) => x.outside),
              args.flatMap((x) => x.refs),
            )
          : first;
      return sym(`${name}(${left.map(canonical).join(', ')})`, args, {
        ...(first ? { first } : {}),
        pure: left.every(sourceOnly),
      });
    }
    return listCall(name, args) ?? sym(`${name}(${args.map(canonical).join(', ')})`, args);
  }
}

/** The index of the bracket closing the one at `start` (strings and nested brackets skipped), -1 when none. */
function closing(s: string, start: number): number {
  let depth = 0;
  for (let j = start; j < s.length; j++) {
    const ch = s[j]!;
    if (ch === '"') {
      j = stringEnd(s, j);
      if (j < 0) return -1;
    } else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch) && --depth === 0) return j;
  }
  return -1;
}

/** The index of the quote closing the string opened at `start` (escapes and `${...}` skipped), -1 when none. */
function stringEnd(s: string, start: number): number {
  for (let j = start + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '$' && s[j + 1] === '{') {
      j = closing(s, j + 1);
      if (j < 0) return -1;
    } else if (s[j] === '"') return j;
  }
  return -1;
}

/** Splits a call's arguments at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let j = 0; j < s.length; j++) {
    const ch = s[j]!;
    const end = ch === '"' ? stringEnd(s, j) : '([{'.includes(ch) ? closing(s, j) : j;
    if (end < 0) return [s.trim()];
    j = end;
    if (ch === ',') {
      out.push(s.slice(from, j));
      from = j + 1;
    }
  }
  if (s.slice(from).trim()) out.push(s.slice(from));
  return out.map((a) => a.trim()).filter((a) => a.length > 0);
}

function unescape(s: string): string {
  return s.replace(/\\(["\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
