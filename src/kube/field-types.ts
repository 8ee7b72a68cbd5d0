/**
 * The field types of the Kubernetes API's own kinds, checked on every changed object as part of
 * reading a manifest: a `replicas: "2"` or a ConfigMap value `port: 8080` is refused by the API
 * server (a JSON string where an integer is declared, a number where a string is), so the change
 * does not apply as written. The types come from kubernetes-models (the OpenAPI schemas of the
 * Kubernetes API), through a table generated from its declarations (scripts/kube-field-types.mjs):
 * its compiled validators cost half a second to load, the table a few milliseconds. Only types are
 * checked: unknown fields, required fields and formats are left to `revert --check`'s full schema
 * validation. Custom resources are not in the table.
 */
import type { JsonObject } from './model.js';

export interface FieldTypeProblem {
  /** Path into the object, e.g. ['spec', 'replicas']. */
  path: Array<string | number>;
  /** What the API declares: 'a string', 'an integer or a string', 'a list'... */
  expected: string;
  /** What the manifest has: 'a string', 'a number', 'a list', 'an object', 'a boolean'. */
  found: string;
}

interface Table {
  kinds: Record<string, number>;
  types: Array<Record<string, string>>;
}

let table: Promise<Table> | undefined;

function load(): Promise<Table> {
  return (table ??= import('./data/field-types.json', { with: { type: 'json' } }).then(
    (m) => (m as unknown as { default: Table }).default,
  ));
}

/** At most this many problems per object: the first ones say enough. */
const MAX_PROBLEMS = 10;

/** Whether the table knows `<group>/<version>/<Kind>` (cheap: loads the table on first call). */
export async function typeCheckerFor(): Promise<
  (o: { group: string; version: string; kind: string; body: JsonObject }) => FieldTypeProblem[] | undefined
> {
  const t = await load();
  return (o) => {
    const root = t.kinds[`${o.group}/${o.version}/${o.kind}`];
    if (root === undefined) return undefined;
    const out: FieldTypeProblem[] = [];
    checkObject(t, o.body, root, [], out);
    return out;
  };
}

// The path is one array pushed and popped on the way down; a problem takes a copy. Walking 20,000
// objects of a tree allocates nothing per field that passes.
function checkObject(t: Table, value: JsonObject, type: number, path: Array<string | number>, out: FieldTypeProblem[]) {
  const fields = t.types[type]!;
  for (const k in value) {
    if (out.length >= MAX_PROBLEMS) return;
    const code = fields[k];
    if (code === undefined) continue;
    path.push(k);
    check(t, value[k], code, path, out);
    path.pop();
  }
}

function check(t: Table, value: unknown, code: string, path: Array<string | number>, out: FieldTypeProblem[]): void {
  // null is "not set" to the API server, whatever the field's type; `*` is any value (JSON).
  if (value === null || value === undefined || code === '*' || out.length >= MAX_PROBLEMS) return;
  const problem = (expected: string) => void out.push({ path: [...path], expected, found: describe(value) });
  const isMap = typeof value === 'object' && !Array.isArray(value);
  const c = code.charAt(0);
  if (c === '[') {
    if (!Array.isArray(value)) return problem('a list');
    const inner = code.slice(1);
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      check(t, value[i], inner, path, out);
      path.pop();
    }
    return;
  }
  if (c === '{') {
    if (!isMap) return problem('a map');
    const inner = code.slice(1);
    for (const k in value as JsonObject) {
      path.push(k);
      check(t, (value as JsonObject)[k], inner, path, out);
      path.pop();
    }
    return;
  }
  if (c === 's') {
    if (typeof value !== 'string') problem('a string');
    return;
  }
  if (c === 'n') {
    if (typeof value !== 'number') problem('a number');
    return;
  }
  if (c === 'b') {
    if (typeof value !== 'boolean') problem('a boolean (true or false)');
    return;
  }
  if (c === 'q') {
    if (typeof value !== 'number' && typeof value !== 'string') problem('a number or a string');
    return;
  }
  const type = Number(code);
  if (!t.types[type]) return;
  if (!isMap) return problem('an object');
  checkObject(t, value as JsonObject, type, path, out);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return `a ${typeof v}`;
}

/** `spec.template.spec.containers[0].ports[1].containerPort` */
export function fieldPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}
