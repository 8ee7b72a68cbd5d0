import { closest } from './suggest.js';
import { InputError } from './errors.js';

/**
 * Turns schema validation issues (zod) into messages that say what to fix: an unknown key is named
 * with the nearest allowed key ("did you mean") and the list of allowed keys, a wrong enum value with
 * the allowed values, and a value that fits none of a union's shapes gets the reason of the one shape
 * it was meant to be (a string is judged as the string form, a mapping as the mapping form), never one
 * contradicting reason per shape.
 */
export type Path = ReadonlyArray<string | number>;

export interface Problem {
  /** Where the problem is: the key path in the validated value (an unknown key's own path). */
  path: Array<string | number>;
  message: string;
}

/** The few fields of a zod issue read here (zod 4 core's `$ZodIssue`). */
export interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  values?: unknown[];
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: string;
  errors?: SchemaIssue[][];
}

/** The part of a zod schema walked here (`schema._zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
  valueType?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  options?: Array<{ _zod: { def: Def } }>;
  entries?: Record<string, unknown>;
}

type Schema = { _zod: { def: unknown } };

export function explainIssues(schema: Schema, value: unknown, issues: readonly SchemaIssue[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const push = (p: Problem) => {
    const key = `${p.path.join('\0')}\0${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  };
  const walk = (list: readonly SchemaIssue[], prefix: Path) => {
    for (const issue of list) {
      const path = [...prefix, ...issue.path.map(segment)];
      if (issue.code === 'invalid_union' && issue.errors) {
        const here = valueAt(value, path);
        const meant = issue.errors.filter((branch) => !branch.every((i) => isShapeMismatch(i, here)));
        if (meant.length === 0) push({ path, message: `expected ${shapes(issue.errors)}, got ${describe(here)}` });
        // The shape the value was meant to have is the one it got furthest into.
        else walk(meant.reduce((a, b) => (depth(b) > depth(a) ? b : a)), path);
        continue;
      }
      if (issue.code === 'unrecognized_keys' && issue.keys) {
        const allowed = keysAt(defOf(schema), path) ?? [];
        for (const key of issue.keys) {
          const guess = closest(key, allowed);
          push({
            path: [...path, key],
            message:
              `unknown key ${JSON.stringify(key)}` +
              (guess !== undefined ? `: did you mean ${JSON.stringify(guess)}?` : '') +
              (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''),
          });
        }
        continue;
      }
      push({ path, message: explainOne(schema, value, issue, path) });
    }
  };
  walk(issues, []);
  return out;
}

/** `a.b[0].c`: a problem's path as written in messages, with `(root)` for the top. */
export function pathText(path: Path): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function explainOne(schema: Schema, value: unknown, issue: SchemaIssue, path: Path): string {
  if (issue.code === 'invalid_value' && issue.values) {
    const allowed = issue.values.map((v) => String(v));
    const here = valueAt(value, path);
    const guess = typeof here === 'string' ? closest(here, allowed) : undefined;
    return (
      `${describe(here)} is not one of ${allowed.join(', ')}` +
      (guess !== undefined ? `: did you mean ${JSON.stringify(guess)}?` : '')
    );
  }
  if (issue.code === 'invalid_type' && /^Invalid input/.test(issue.message) && issue.expected) {
    const here = valueAt(value, path);
    if (here === undefined) return `required: expected ${article(issue.expected)}`;
    const enumValues = enumAt(defOf(schema), path);
    if (enumValues) return `${describe(here)} is not one of ${enumValues.join(', ')}`;
    return `expected ${article(issue.expected)}, got ${describe(here)}`;
  }
  // zod/mini carries no locale: its own messages are a bare "Invalid input".
  if (issue.message === 'Invalid input' || issue.message === '') return generic(issue, valueAt(value, path));
  return issue.message;
}

function generic(issue: SchemaIssue, here: unknown): string {
  const got = `, got ${describe(here)}`;
  if (issue.code === 'too_small' && issue.minimum !== undefined) {
    const n = Number(issue.minimum);
    if (issue.origin === 'string') return n <= 1 ? 'must not be empty' : `must be at least ${n} characters`;
    if (issue.origin === 'array') return `list at least ${n} item${n === 1 ? '' : 's'}`;
    return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${n}${got}`;
  }
  if (issue.code === 'too_big' && issue.maximum !== undefined) {
    const n = Number(issue.maximum);
    if (issue.origin === 'string') return `must be at most ${n} characters`;
    if (issue.origin === 'array') return `list at most ${n} item${n === 1 ? '' : 's'}`;
    return `must be ${issue.inclusive ? 'at most' : 'less than'} ${n}${got}`;
  }
  if (issue.code === 'invalid_format')
    return `${describe(here)} does not match ${issue.pattern ? `the pattern ${issue.pattern}` : `the format ${issue.format}`}`;
  return `invalid value${got}`;
}

/**
 * A union branch that fails only because the value is not its kind of thing: a string where a mapping
 * goes, a number where one of some words goes.
 */
function isShapeMismatch(i: SchemaIssue, here: unknown): boolean {
  if (i.path.length !== 0) return false;
  return i.code === 'invalid_type' || (i.code === 'invalid_value' && typeof here !== 'string');
}

function depth(branch: readonly SchemaIssue[]): number {
  return Math.max(...branch.map((i) => i.path.length));
}

function shapes(branches: readonly SchemaIssue[][]): string {
  const names = [
    ...new Set(
      branches.flatMap((b) =>
        b.map((i) =>
          i.code === 'invalid_value' && i.values ? `one of ${i.values.map(String).join(', ')}` : article(i.expected ?? 'value'),
        ),
      ),
    ),
  ];
  return names.length <= 1 ? (names[0] ?? 'a value') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function article(type: string): string {
  if (type === 'object' || type === 'record') return 'a mapping';
  if (type === 'array') return 'a list';
  if (type === 'int') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return `${typeof v} ${String(v)}`;
}

function segment(p: PropertyKey): string | number {
  return typeof p === 'number' ? p : String(p);
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function defOf(schema: Schema): Def {
  return schema._zod.def as Def;
}

/** The schema's definition with optional/default/pipe wrappers taken off. */
function unwrap(def: Def): Def {
  let d = def;
  for (let i = 0; i < 20; i++) {
    const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!inner) break;
    d = inner._zod.def;
  }
  return d;
}

/** Every definition a path may lead to (through unions, each option that has it). */
function defsAt(def: Def, path: Path): Def[] {
  let current = [unwrap(def)];
  for (const p of path) {
    const next: Def[] = [];
    const visit = (d: Def) => {
      if (d.type === 'union') for (const o of d.options ?? []) visit(unwrap(o._zod.def));
      else if (d.type === 'object' && typeof p === 'string' && d.shape?.[p]) next.push(unwrap(d.shape[p]._zod.def));
      else if (d.type === 'record' && d.valueType) next.push(unwrap(d.valueType._zod.def));
      else if (d.type === 'array' && typeof p === 'number' && d.element) next.push(unwrap(d.element._zod.def));
    };
    for (const d of current) visit(d);
    current = next;
  }
  return current.flatMap((d) => (d.type === 'union' ? (d.options ?? []).map((o) => unwrap(o._zod.def)) : [d]));
}

/** The keys a mapping at `path` allows, if it is a fixed mapping. */
export function keysAt(def: Def, path: Path): string[] | undefined {
  const keys = defsAt(def, path).flatMap((d) => (d.type === 'object' && d.shape ? Object.keys(d.shape) : []));
  return keys.length ? [...new Set(keys)] : undefined;
}

function enumAt(def: Def, path: Path): string[] | undefined {
  const values = defsAt(def, path).flatMap((d) => (d.type === 'enum' && d.entries ? Object.keys(d.entries) : []));
  return values.length ? values : undefined;
}

/**
 * One error for every problem of a file: the first names the file and line in the error's own
 * position, the others follow on lines of their own, each with its line.
 */
export function validationError(
  file: string,
  problems: readonly Problem[],
  lineOf: (path: Path) => number | undefined,
  prefix: Path = [],
): InputError {
  const [first, ...rest] = problems;
  if (!first) return new InputError('does not validate', file);
  const text = (p: Problem) => `${pathText([...prefix, ...p.path])}: ${p.message}`;
  const more = rest.map((p) => {
    const line = lineOf(p.path);
    return `\n${file}${line ? `:${line}` : ''}: ${text(p)}`;
  });
  return new InputError(text(first) + more.join(''), file, lineOf(first.path));
}
