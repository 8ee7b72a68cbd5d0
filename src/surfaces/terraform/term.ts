/**
 * What an argument's value is, as far as the configuration says, in a form two revisions can be
 * compared by: literals as themselves, and anything Terraform only knows at plan or apply time (a
 * resource attribute, a data source, a module output, a function this reader does not compute, a root
 * variable given from outside) as a canonical text in the scope of the module where it is written.
 * Locals, module inputs and variable defaults are followed (`resolveArgument`); `cond ? a : b`,
 * `coalesce`, `==`, `!=`, `&&`, `||`, `!` and string templates are computed when their operands are
 * known.
 */
export type Term =
  | {
      known: true;
      value: string | number | boolean | null;
      outside: boolean;
      refs: readonly Ref[];
      sources?: readonly Source[];
    }
  | {
      known: false;
      /** Canonical text: equal texts in the same configuration are the same value. */
      text: string;
      /** For a string: the literal text it certainly starts and ends with. */
      head?: string;
      tail?: string;
      /** A root variable with no value in the configuration takes part: its value is set outside. */
      outside: boolean;
      refs: readonly Ref[];
      /** The module outputs and data-source attributes the value is read from. */
      sources?: readonly Source[];
      /** The value is nothing but those sources (or elements of them) and literals, in a list or alone. */
      pure?: boolean;
      /** `text` is the whole value, written out as literals (a list of strings): two such texts that differ are different values. */
      exact?: boolean;
      /** Chosen by `coalesce`/`coalescelist`: the first candidate, the value whenever it is not null or empty. */
      first?: Term;
      /** A list whose elements are these terms, one each, in order (`[a, b]`, `concat` of such lists). */
      items?: readonly Term[];
      /** Certainly neither null nor `""`: the `id` or `arn` of a managed resource, a template with literal text. */
      present?: boolean;
    };

/** A value Terraform reads from another object of the configuration: a module output or a data source's attribute. */
export interface Source {
  kind: 'module' | 'data';
  /** `module.vpc` (with the caller's prefix), `data.aws_subnets.default`. */
  instance: string;
  /** The output or attribute: `private_subnets`, `ids`. */
  name: string;
}

/** A managed resource attribute the value reads: `aws_iam_role.this[0].arn` in `module.eks.` -> address `module.eks.aws_iam_role.this`, attribute `arn`. */
export interface Ref {
  address: string;
  attribute?: string;
}

/** Whether two terms are certainly different values: both known and unequal, or strings whose literal ends differ. */
export function differ(a: Term, b: Term): boolean {
  if (a.known && b.known) return a.value !== b.value;
  // An empty list against one holding an element that is certainly there (a list or a set alike).
  const size = (t: Term) => (t.known ? undefined : t.items);
  const [ia, ib] = [size(a), size(b)];
  if (ia && ib && (ia.length === 0) !== (ib.length === 0) && [...ia, ...ib].some((t) => !t.known || t.value !== null))
    return true;
  const literal = (t: Term) => t.known || t.exact === true;
  if (literal(a) && literal(b)) return canonical(a) !== canonical(b);
  const ends = (t: Term): { head?: string; tail?: string } =>
    t.known ? (typeof t.value === 'string' ? { head: t.value, tail: t.value } : {}) : t;
  const x = ends(a);
  const y = ends(b);
  const clash = (p?: string, q?: string, f: 'startsWith' | 'endsWith' = 'startsWith') =>
    p !== undefined && q !== undefined && !p[f](q) && !q[f](p);
  return clash(x.head, y.head) || clash(x.tail, y.tail, 'endsWith');
}

/** The canonical text of a term, for equality. */
export function canonical(t: Term): string {
  return t.known ? JSON.stringify(t.value) : t.text;
}

export type Lit = string | number | boolean | null;

export function lit(value: Lit, outside = false, refs: readonly Ref[] = []): Term {
  return { known: true, value, outside, refs };
}

export function sym(
  text: string,
  parts: readonly Term[],
  extra: Partial<
    Pick<Term & { known: false }, 'head' | 'tail' | 'pure' | 'exact' | 'first' | 'sources' | 'items' | 'present'>
  > = {},
): Term {
  const sources = parts.flatMap((p) => p.sources ?? []);
  return {
    known: false,
    text,
    outside: parts.some((p) => p.outside),
    refs: parts.flatMap((p) => p.refs),
    ...(sources.length ? { sources } : {}),
    ...extra,
  };
}

/** Whether a term is made of nothing but module outputs, data-source attributes and literals. */
export function sourceOnly(t: Term): boolean {
  return t.known || t.pure === true;
}

/** A list of element terms: its literal text when every element is a literal, else the canonical texts joined. */
export function list(items: readonly Term[]): Term {
  if (items.every((t) => t.known))
    return sym(JSON.stringify(items.map((t) => (t as { value: Lit }).value)), items, { exact: true, items });
  return sym(`[${items.map(canonical).join(', ')}]`, items, { pure: items.every(sourceOnly), items });
}

/** A known empty value for `coalesce`/`coalescelist`: null, `""` or `[]`. */
export function empty(t: Term): boolean {
  return t.known ? t.value === null || t.value === '' : t.exact === true && t.text === '[]';
}

/** The elements of a list term, when the configuration says them one by one. */
function itemsOf(t: Term): readonly Term[] | undefined {
  return t.known ? undefined : t.items;
}

/** Whether an element is certainly neither null nor `""`. */
function present(t: Term): boolean {
  return t.known ? t.value !== null && t.value !== '' : t.present === true;
}

/**
 * The list functions computed when their arguments' elements are known one by one: `concat` joins
 * them, `compact` drops null and `""` (kept only when every element is known to be one or certainly
 * neither), `distinct` drops repeats (only when the elements are literals or there is at most one).
 * Otherwise undefined: the call is compared by its text.
 */
export function listCall(name: string, args: readonly Term[]): Term | undefined {
  const lists = args.map(itemsOf);
  if (lists.some((l) => l === undefined)) return undefined;
  const [only] = lists as Array<readonly Term[]>;
  if (name === 'concat') return list((lists as Array<readonly Term[]>).flat());
  if (lists.length !== 1 || !only) return undefined;
  if (name === 'compact') {
    const kept = only.filter((t) => !(t.known && (t.value === null || t.value === '')));
    return kept.every(present) ? list(kept) : undefined;
  }
  if (name === 'distinct') {
    if (only.length <= 1) return list(only);
    if (!only.every((t) => t.known)) return undefined;
    const seen = new Set<string>();
    return list(only.filter((t) => !seen.has(canonical(t)) && seen.add(canonical(t))));
  }
  return undefined;
}
