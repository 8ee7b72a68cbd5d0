/**
 * Who depends on whom in a plan, for the blast radius of a delete or a replace.
 *
 * Two sources, both in the plan JSON:
 * - `configuration`: each resource's expression `references` (and `depends_on`, `count`/`for_each`),
 *   resolved through module boundaries: `var.x` inside a module is what the module call passes as `x`,
 *   `module.m.out` is what output `out` of module `m` refers to;
 * - `prior_state`: each existing resource's `depends_on`, which Terraform records from its full graph
 *   (references through `local` values included, which `configuration` does not resolve).
 *
 * Addresses are configuration addresses (no instance keys): `module.app.aws_ecs_service.api`.
 */
import { configAddress } from './model.js';

interface ConfigResource {
  modulePath: string[];
  address: string;
  refs: string[];
}

interface Expressions {
  [k: string]: unknown;
}

export class DependencyGraph {
  /** Addresses as small integers: a blast radius may walk every resource of a large plan, many times. */
  private ids = new Map<string, number>();
  private names: string[] = [];
  /** dependency id -> direct dependent ids. */
  private out: number[][] = [];
  private visited = new Uint32Array(0);
  private stamp = 0;
  private resources: ConfigResource[] = [];
  /** `module path joined by \0` + `\0` + call name -> input name -> references (in the caller's module). */
  private calls = new Map<string, Map<string, string[]>>();
  /** module path key -> output name -> references (in that module). */
  private outputs = new Map<string, Map<string, string[]>>();
  private finished = false;
  /** References resolve the same way for every resource of a module: resolved once. */
  private resolved = new Map<string, string[]>();

  /** A resource of `configuration` (`root_module.resources[]` or a module call's `module.resources[]`). */
  addConfigResource(modulePath: string[], resource: unknown): void {
    if (!isObject(resource) || typeof resource.address !== 'string') return;
    const refs: string[] = [];
    collectReferences(resource.expressions, refs);
    collectReferences(resource.count_expression, refs);
    collectReferences(resource.for_each_expression, refs);
    if (Array.isArray(resource.depends_on))
      for (const d of resource.depends_on) if (typeof d === 'string') refs.push(d);
    this.resources.push({ modulePath, address: prefix(modulePath) + resource.address, refs });
  }

  /** The inputs of module call `name` made from module `modulePath`. */
  addModuleCall(modulePath: string[], name: string, expressions: unknown): void {
    const inputs = new Map<string, string[]>();
    if (isObject(expressions))
      for (const [k, v] of Object.entries(expressions)) {
        const refs: string[] = [];
        collectReferences(v, refs);
        inputs.set(k, refs);
      }
    this.calls.set([...modulePath, name].join('\0'), inputs);
  }

  addOutput(modulePath: string[], name: string, output: unknown): void {
    const refs: string[] = [];
    if (isObject(output)) collectReferences(output.expression, refs);
    const key = modulePath.join('\0');
    let m = this.outputs.get(key);
    if (!m) this.outputs.set(key, (m = new Map()));
    m.set(name, refs);
  }

  /** A resource of `prior_state` with the `depends_on` Terraform recorded for it. */
  addStateDependencies(address: unknown, dependsOn: unknown): void {
    if (typeof address !== 'string' || !Array.isArray(dependsOn)) return;
    const dependent = configAddress(address);
    for (const d of dependsOn) if (typeof d === 'string') this.edge(configAddress(d), dependent);
  }

  /** Resolves configuration references into edges; call once everything is read. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const r of this.resources) {
      const seen = new Set<string>();
      for (const ref of r.refs) for (const dep of this.resolve(r.modulePath, ref, seen)) this.edge(dep, r.address);
    }
    this.resolved.clear();
    this.resources = [];
    for (let i = 0; i < this.out.length; i++) if (this.out[i]!.length > 1) this.out[i] = [...new Set(this.out[i])];
  }

  /** Every resource that depends on `address`, directly or through others, sorted. */
  dependentsOf(address: string): string[] {
    const out: string[] = [];
    this.eachDependent(address, (a) => out.push(a));
    return out.sort();
  }

  /** Visits every resource that depends on `address`, directly or through others, once, in no order. */
  eachDependent(address: string, visit: (address: string) => void): void {
    this.finish();
    const start = this.ids.get(address);
    if (start === undefined) return;
    if (this.visited.length < this.names.length) this.visited = new Uint32Array(this.names.length);
    const stamp = ++this.stamp;
    const seen = this.visited;
    seen[start] = stamp;
    const queue = [start];
    while (queue.length) {
      const edges = this.out[queue.pop()!];
      if (!edges) continue;
      for (const d of edges) {
        if (seen[d] === stamp) continue;
        seen[d] = stamp;
        visit(this.names[d]!);
        queue.push(d);
      }
    }
  }

  private id(address: string): number {
    let i = this.ids.get(address);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(address, i);
      this.names.push(address);
      this.out.push([]);
    }
    return i;
  }

  private edge(from: string, to: string): void {
    if (from === to) return;
    this.out[this.id(from)]!.push(this.id(to));
  }

  /** The resource addresses a reference made in module `path` stands for. */
  private resolve(path: string[], ref: string, seen: Set<string>): string[] {
    const key = path.length ? `${path.join('\0')}\u0001${ref}` : ref;
    const cached = this.resolved.get(key);
    if (cached) return cached;
    if (seen.has(key)) return [];
    seen.add(key);
    const out = this.resolveOnce(path, ref, seen);
    this.resolved.set(key, out);
    return out;
  }

  private resolveOnce(path: string[], ref: string, seen: Set<string>): string[] {
    // The common case, a resource attribute (`aws_x.y.id`) at the root: no split, no allocation but the result.
    if (path.length === 0 && !ref.includes('[')) {
      const d1 = ref.indexOf('.');
      const head = d1 > 0 ? ref.slice(0, d1) : ref;
      if (d1 > 0 && !SPECIAL.has(head)) {
        const d2 = ref.indexOf('.', d1 + 1);
        return [d2 < 0 ? ref : ref.slice(0, d2)];
      }
    }
    const parts = splitReference(ref);
    const [head, second, third] = parts;
    if (head === undefined) return [];
    switch (head) {
      case 'var': {
        if (second === undefined || path.length === 0) return [];
        const inputs = this.calls.get(path.join('\0'));
        const refs = inputs?.get(second) ?? [];
        return refs.flatMap((r) => this.resolve(path.slice(0, -1), r, seen));
      }
      case 'module': {
        if (second === undefined) return [];
        const child = [...path, second];
        const outs = this.outputs.get(child.join('\0'));
        if (!outs) return [];
        const names = third !== undefined && outs.has(third) ? [third] : [...outs.keys()];
        return names.flatMap((n) => (outs.get(n) ?? []).flatMap((r) => this.resolve(child, r, seen)));
      }
      case 'data':
        return second !== undefined && third !== undefined ? [`${prefix(path)}data.${second}.${third}`] : [];
      case 'local':
      case 'each':
      case 'count':
      case 'self':
      case 'path':
      case 'terraform':
        return [];
      default:
        return second !== undefined ? [`${prefix(path)}${head}.${second}`] : [];
    }
  }
}

/** Reference heads that are not resource types. */
const SPECIAL = new Set(['var', 'module', 'data', 'local', 'each', 'count', 'self', 'path', 'terraform']);

export function prefix(modulePath: readonly string[]): string {
  return modulePath.map((m) => `module.${m}.`).join('');
}

/** `aws_x.y[0].attr["k"]` -> `['aws_x', 'y', 'attr']`: the dotted names, index steps dropped. */
function splitReference(ref: string): string[] {
  return configAddress(ref)
    .split('.')
    .filter((p) => p !== '');
}

/** Collects every `references` array in an expression tree (nested blocks are arrays of expression maps). */
function collectReferences(node: unknown, out: string[]): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const n of node) collectReferences(n, out);
    return;
  }
  const o = node as Expressions;
  for (const k in o) {
    const v = o[k];
    if (k === 'references') {
      if (Array.isArray(v)) for (const r of v) if (typeof r === 'string') out.push(r);
    } else if (k !== 'constant_value' && typeof v === 'object' && v !== null) collectReferences(v, out);
  }
}

function isObject(v: unknown): v is Expressions {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
