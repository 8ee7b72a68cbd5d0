/**
 * Schema validation of the Kubernetes objects a revert writes, with the OpenAPI schemas of the
 * `kubernetes-models` package (loaded lazily, only by `revert --check`). Custom resources are checked
 * against the `openAPIV3Schema` of their CRD when the repository holds it at the revert's head (a
 * structural check of types, required fields and enums); other kinds are skipped, with the reason.
 */
import type { KubeObject } from './model.js';
import { at, isObject, type JsonObject } from './model.js';

/**
 * The Kubernetes version the schemas of kubernetes-models 5.x were generated from: the package does
 * not carry it at run time; its changelog says so (5.0.0: "Update to Kubernetes v1.36.0").
 */
export const SCHEMA_KUBERNETES_VERSION = '1.36';

export interface SchemaProblem {
  /** JSON pointer into the object, e.g. `/spec/replicas`. */
  path: string;
  message: string;
}

export interface SchemaCheck {
  object: string;
  file: string;
  line: number;
  apiVersion: string;
  kind: string;
  /** `valid`, `invalid`, or `skipped` (no schema known for the kind). */
  result: 'valid' | 'invalid' | 'skipped';
  /** kubernetes-models, or the CRD the custom resource was checked against. */
  schema?: string;
  problems: SchemaProblem[];
  reason?: string;
}

export interface SchemaValidation {
  /** Where the schemas come from and for which Kubernetes version. */
  source: string;
  schemaVersion: string;
  /** The configured target (`.rollwright.yaml` kubernetes.version). */
  targetVersion: string;
  checked: SchemaCheck[];
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** The API groups kubernetes-models 5.x ships schemas for ('' is the core group). */
const MODEL_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

/** Core kinds live at `kubernetes-models/v1/<Kind>`, the others at `kubernetes-models/<group>/<version>/<Kind>`. */
export function modelSpecifier(group: string, version: string, kind: string): string | undefined {
  if (!/^[A-Za-z0-9]+$/.test(kind) || !/^v\d+[a-z0-9]*$/.test(version) || !MODEL_GROUPS.has(group)) return undefined;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/v1/${kind}`;
}

/**
 * `import()` of a computed specifier. The CLI bundle runs from V8's code cache, where `import()`
 * cannot run on Node 20: its launcher provides an importer (see scripts/build.mjs), used when present.
 */
function importComputed(spec: string): Promise<unknown> {
  const launcher = (globalThis as Record<symbol, unknown>)[Symbol.for('rollwright.import')];
  return typeof launcher === 'function' ? (launcher as (s: string) => Promise<unknown>)(spec) : import(spec);
}

async function loadModel(spec: string): Promise<ModelClass | undefined> {
  try {
    const mod = (await importComputed(spec)) as Record<string, unknown>;
    const kind = spec.slice(spec.lastIndexOf('/') + 1);
    const cls = (mod[kind] ?? mod.default) as ModelClass | undefined;
    return typeof cls === 'function' ? cls : undefined;
  } catch (e) {
    // A group the package has, without this version or kind: no schema (reported as skipped).
    if (/not exported|cannot find|not find|no such/i.test(e instanceof Error ? e.message : String(e))) return undefined;
    throw e;
  }
}

/** Plain JSON for the validator: the object as the API server would receive it. */
function plain(body: JsonObject): unknown {
  return JSON.parse(JSON.stringify(body)) as unknown;
}

export async function validateObjects(
  objects: readonly KubeObject[],
  crds: readonly KubeObject[],
  targetVersion: string,
): Promise<SchemaValidation> {
  const checked: SchemaCheck[] = [];
  for (const o of objects) {
    const base = {
      object: o.id,
      file: o.file,
      apiVersion: o.apiVersion,
      kind: o.kind,
    };
    const line = at(o).line;
    const spec = modelSpecifier(o.group, o.version, o.kind);
    const cls = spec ? await loadModel(spec) : undefined;
    if (cls) {
      try {
        new cls(plain(o.body)).validate();
        checked.push({ ...base, line, result: 'valid', schema: `kubernetes-models ${spec!.slice(18)}`, problems: [] });
      } catch (e) {
        const errors = (e as { errors?: Array<{ instancePath?: string; message?: string; params?: unknown }> }).errors;
        const problems: SchemaProblem[] = errors?.length
          ? errors.map((x) => ({ path: x.instancePath || '/', message: describeAjv(x) }))
          : [{ path: '/', message: e instanceof Error ? e.message : String(e) }];
        checked.push({ ...base, line, result: 'invalid', schema: `kubernetes-models ${spec!.slice(18)}`, problems });
      }
      continue;
    }
    const crd = crds.find((c) => crdServes(c, o.group, o.kind));
    const schema = crd ? crdSchema(crd, o.version) : undefined;
    if (crd && schema) {
      const problems = checkSchema(o.body, schema, '');
      checked.push({
        ...base,
        line,
        result: problems.length ? 'invalid' : 'valid',
        schema: `CustomResourceDefinition ${crd.name} (${o.version}) in ${crd.file}`,
        problems,
      });
      continue;
    }
    checked.push({
      ...base,
      line,
      result: 'skipped',
      problems: [],
      reason: crd
        ? `the CustomResourceDefinition ${crd.name} in the repository does not serve ${o.version} with a schema`
        : o.group && !o.group.endsWith('.k8s.io') && o.group.includes('.')
          ? `custom resource: no CustomResourceDefinition for ${o.group}/${o.kind} in the repository`
          : `no schema for ${o.apiVersion} ${o.kind} in kubernetes-models (Kubernetes ${SCHEMA_KUBERNETES_VERSION})`,
    });
  }
  return {
    source: 'kubernetes-models (OpenAPI schemas of the Kubernetes API) and CRD openAPIV3Schema found in the repository',
    schemaVersion: SCHEMA_KUBERNETES_VERSION,
    targetVersion,
    checked,
  };
}

function describeAjv(x: { instancePath?: string; message?: string; params?: unknown }): string {
  const p = x.params as
    { allowedValues?: unknown[]; missingProperty?: string; additionalProperty?: string } | undefined;
  if (p?.allowedValues) return `${x.message ?? 'invalid'}: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return x.message ?? 'invalid';
}

function crdServes(crd: KubeObject, group: string, kind: string): boolean {
  const spec = crd.body.spec;
  if (!isObject(spec)) return false;
  const names = spec.names;
  return spec.group === group && isObject(names) && names.kind === kind;
}

function crdSchema(crd: KubeObject, version: string): JsonObject | undefined {
  const spec = crd.body.spec;
  if (!isObject(spec) || !Array.isArray(spec.versions)) return undefined;
  for (const v of spec.versions) {
    if (!isObject(v) || v.name !== version || v.served !== true) continue;
    const s = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    return isObject(s) ? s : undefined;
  }
  return undefined;
}

/**
 * A structural subset of OpenAPI v3 validation, as a CRD's schema uses it: type, required, enum,
 * properties, items, additionalProperties: false, minimum/maximum, x-kubernetes-int-or-string and
 * x-kubernetes-preserve-unknown-fields. apiVersion, kind and metadata are the API server's.
 */
export function checkSchema(value: unknown, schema: JsonObject, path: string): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const at = path || '/';
  if (value === null || value === undefined) return out;
  const type = schema.type;
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value)))
      out.push({ path: at, message: 'must be an integer or a string' });
    return out;
  }
  const typeOk =
    type === undefined ||
    (type === 'object' && isObject(value)) ||
    (type === 'array' && Array.isArray(value)) ||
    (type === 'string' && typeof value === 'string') ||
    (type === 'integer' && typeof value === 'number' && Number.isInteger(value)) ||
    (type === 'number' && typeof value === 'number') ||
    (type === 'boolean' && typeof value === 'boolean');
  if (!typeOk) {
    out.push({ path: at, message: `must be ${String(type)}` });
    return out;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    out.push({ path: at, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      out.push({ path: at, message: `must be >= ${schema.minimum}` });
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      out.push({ path: at, message: `must be <= ${schema.maximum}` });
  }
  if (isObject(value)) {
    const props = isObject(schema.properties) ? schema.properties : {};
    const top = path === '';
    if (Array.isArray(schema.required))
      for (const r of schema.required)
        if (typeof r === 'string' && !(r in value))
          out.push({ path: at, message: `must have required property '${r}'` });
    for (const [k, v] of Object.entries(value)) {
      if (top && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const sub = props[k];
      if (isObject(sub)) out.push(...checkSchema(v, sub, `${path}/${k}`));
      else if (isObject(schema.additionalProperties))
        out.push(...checkSchema(v, schema.additionalProperties, `${path}/${k}`));
      else if (
        Object.keys(props).length > 0 &&
        schema['x-kubernetes-preserve-unknown-fields'] !== true &&
        schema.additionalProperties !== true
      )
        // The API server prunes unknown fields of a structural schema rather than rejecting them.
        out.push({ path: `${path}/${k}`, message: 'unknown field: the API server prunes it (it is not stored)' });
    }
  }
  if (Array.isArray(value) && isObject(schema.items))
    value.forEach((v, i) => out.push(...checkSchema(v, schema.items as JsonObject, `${path}/${i}`)));
  return out;
}
