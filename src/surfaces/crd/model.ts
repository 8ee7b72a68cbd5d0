import type { KubeObject } from '../../kube/model.js';
import { get, isObject, type Json, type JsonObject } from '../../kube/model.js';

export function isCrd(o: Pick<KubeObject, 'group' | 'kind'>): boolean {
  return o.group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition';
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: JsonObject;
  /** Path of the version entry in the object, for locating. */
  path: Array<string | number>;
}

/**
 * The versions of a CRD as the API server reads them: `spec.versions[]` (apiextensions v1), or the
 * single `spec.version` with `spec.validation` of the removed v1beta1 form.
 */
export function versionsOf(o: KubeObject): CrdVersion[] | undefined {
  const list = get(o.body, ['spec', 'versions']);
  if (Array.isArray(list) && list.length) {
    return list.flatMap((v, i) => {
      if (!isObject(v) || typeof v.name !== 'string') return [];
      const schema = get(v, ['schema', 'openAPIV3Schema']) ?? get(o.body, ['spec', 'validation', 'openAPIV3Schema']);
      return [
        {
          name: v.name,
          served: v.served === true,
          storage: v.storage === true,
          ...(isObject(schema) ? { schema } : {}),
          path: ['spec', 'versions', i],
        },
      ];
    });
  }
  const single = get(o.body, ['spec', 'version']);
  if (typeof single === 'string') {
    const schema = get(o.body, ['spec', 'validation', 'openAPIV3Schema']);
    return [
      { name: single, served: true, storage: true, ...(isObject(schema) ? { schema } : {}), path: ['spec', 'version'] },
    ];
  }
  return undefined;
}

/** `<plural>.<group>` kinds, for messages. */
export function crdKind(o: KubeObject): string {
  const k = get(o.body, ['spec', 'names', 'kind']);
  const g = get(o.body, ['spec', 'group']);
  return typeof k === 'string' && typeof g === 'string' ? `${g}/${k}` : o.name;
}

export interface Tightening {
  /** JSON-pointer-ish path of the schema node, e.g. `.spec.replicas`. */
  at: string;
  what: string;
}

const VALIDATIONS = [
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'multipleOf',
  'format',
  'uniqueItems',
] as const;

/**
 * Ways the new schema accepts less than the old one, walking both in step: a field newly required,
 * enum values removed, a validation added or changed, a CEL rule added, a type changed, a
 * property dropped under `additionalProperties: false` / no preserve-unknown-fields.
 */
export function tightenings(oldS: Json | undefined, newS: Json | undefined, at = '', inBranch = false): Tightening[] {
  // Inside a combinator branch, a property the old branch did not mention was unconstrained there (the
  // field itself exists in the object), so its new constraints tighten; elsewhere a new property is a new field.
  if (inBranch && oldS === undefined) oldS = {};
  if (!isObject(oldS) || !isObject(newS)) return [];
  const out: Tightening[] = [];
  const here = at || '.';
  if (oldS.type !== undefined && newS.type !== undefined && oldS.type !== newS.type)
    out.push({ at: here, what: `type ${String(oldS.type)} → ${String(newS.type)}` });
  const oldReq = new Set(Array.isArray(oldS.required) ? oldS.required.map(String) : []);
  for (const r of Array.isArray(newS.required) ? newS.required.map(String) : [])
    if (!oldReq.has(r)) out.push({ at: `${at}.${r}`, what: 'newly required' });
  if (Array.isArray(newS.enum)) {
    const now = new Set(newS.enum.map((x) => JSON.stringify(x)));
    if (!Array.isArray(oldS.enum)) out.push({ at: here, what: 'enum added' });
    else {
      const gone = oldS.enum.filter((x) => !now.has(JSON.stringify(x)));
      if (gone.length)
        out.push({ at: here, what: `enum values removed (${gone.map((x) => JSON.stringify(x)).join(', ')})` });
    }
  }
  for (const v of VALIDATIONS)
    if (newS[v] !== undefined && JSON.stringify(newS[v]) !== JSON.stringify(oldS[v]))
      out.push({ at: here, what: oldS[v] === undefined ? `${v} added` : `${v} changed` });
  const oldRules = new Set(
    (Array.isArray(oldS['x-kubernetes-validations']) ? oldS['x-kubernetes-validations'] : []).map((r) =>
      JSON.stringify(isObject(r) ? r.rule : r),
    ),
  );
  for (const r of Array.isArray(newS['x-kubernetes-validations']) ? newS['x-kubernetes-validations'] : [])
    if (!oldRules.has(JSON.stringify(isObject(r) ? r.rule : r)))
      out.push({ at: here, what: `validation rule added (${isObject(r) ? String(r.rule) : '?'})` });
  if (oldS['x-kubernetes-preserve-unknown-fields'] === true && newS['x-kubernetes-preserve-unknown-fields'] !== true)
    out.push({ at: here, what: 'unknown fields no longer preserved (pruned on write)' });
  const oldP = isObject(oldS.properties) ? oldS.properties : {};
  const newP = isObject(newS.properties) ? newS.properties : {};
  for (const [k, v] of Object.entries(newP)) out.push(...tightenings(oldP[k], v, `${at}.${k}`, inBranch));
  for (const k of Object.keys(oldP))
    if (!inBranch && !(k in newP) && newS['x-kubernetes-preserve-unknown-fields'] !== true)
      out.push({ at: `${at}.${k}`, what: 'property removed (its stored values are pruned)' });
  if (isObject(oldS.items) && isObject(newS.items))
    out.push(...tightenings(oldS.items, newS.items, `${at}[]`, inBranch));
  if (isObject(oldS.additionalProperties) && isObject(newS.additionalProperties))
    out.push(...tightenings(oldS.additionalProperties, newS.additionalProperties, `${at}.*`, inBranch));
  for (const op of ['allOf', 'anyOf', 'oneOf'] as const) out.push(...combinatorTightenings(op, oldS[op], newS[op], at));
  if (newS.not !== undefined && JSON.stringify(newS.not) !== JSON.stringify(oldS.not))
    out.push({
      at: here,
      what: oldS.not === undefined ? '`not` added (objects matching it are rejected)' : '`not` changed',
    });
  return out;
}

/**
 * `allOf`: every branch must hold, so a branch added, or a branch that accepts less, tightens.
 * `anyOf`/`oneOf` where none was: objects must now match a branch. A branch removed tightens; a branch that
 * accepts less tightens for the objects only it matched. `oneOf` also tightens when a branch is added: an
 * object that matched exactly one branch may now match two, which `oneOf` rejects. Branches are paired by
 * equal content first, then in order. (OpenAPI v3 / JSON Schema semantics, which the API server's
 * structural-schema validation applies: kubernetes.io "Specifying a structural schema".)
 */
function combinatorTightenings(
  op: 'allOf' | 'anyOf' | 'oneOf',
  oldV: Json | undefined,
  newV: Json | undefined,
  at: string,
): Tightening[] {
  const here = at || '.';
  if (!Array.isArray(newV) || newV.length === 0) return [];
  if (!Array.isArray(oldV) || oldV.length === 0)
    return [
      {
        at: here,
        what:
          op === 'allOf'
            ? `allOf added (${newV.length} branch${newV.length === 1 ? '' : 'es'} every object must match)`
            : `${op} added (objects must match ${op === 'oneOf' ? 'exactly one' : 'one'} of ${newV.length} branches)`,
      },
    ];
  const key = (x: Json) => JSON.stringify(x);
  const oldLeft = oldV.map((x, i) => ({ x, i })).filter(({ x }) => !newV.some((n) => key(n) === key(x)));
  const newLeft = newV.map((x, i) => ({ x, i })).filter(({ x }) => !oldV.some((o) => key(o) === key(x)));
  const out: Tightening[] = [];
  const paired = Math.min(oldLeft.length, newLeft.length);
  for (let k = 0; k < paired; k++)
    out.push(...tightenings(oldLeft[k]!.x, newLeft[k]!.x, `${at}.${op}[${newLeft[k]!.i}]`, true));
  for (const { i } of newLeft.slice(paired))
    if (op === 'allOf') out.push({ at: `${at}.allOf[${i}]`, what: 'allOf branch added' });
    else if (op === 'oneOf')
      out.push({ at: `${at}.oneOf[${i}]`, what: 'oneOf branch added (an object matching two branches is rejected)' });
  if (op !== 'allOf')
    for (const { i } of oldLeft.slice(paired)) out.push({ at: here, what: `${op} branch ${i} removed` });
  return out;
}
