/**
 * The repository's ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1), with their
 * bindings, evaluated against the objects a revert writes, the way the API server admits them:
 *
 * - a policy has an effect only through a binding that names it (`spec.policyName`);
 * - a request must match the policy's `matchConstraints` and the binding's `matchResources`
 *   (intersected; the binding's `resourceRules`, when unset, do not constrain);
 * - then every `matchConditions` expression must be true (a false one skips the policy);
 * - every `validations[].expression` must be true; a false one is enforced by the binding's
 *   `validationActions`: Deny rejects the request, Warn returns a warning, Audit records it;
 * - an expression that does not compile or fails at run time is a failure of the policy, handled by
 *   `failurePolicy` (default Fail: enforced by the binding's actions; Ignore: skipped);
 * - with `paramKind`, a binding whose `paramRef` does not resolve is misconfigured (failurePolicy).
 *
 * Sources: https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/ and
 * the API reference of ValidatingAdmissionPolicySpec / ValidatingAdmissionPolicyBindingSpec.
 * CEL is @marcbachmann/cel-js: the Kubernetes CEL libraries (quantity, url, ip, cidr, isSorted...)
 * are not there, so an expression that calls one is reported as not evaluated, never as passed.
 */
import type { KubeObject } from './model.js';
import { get, isObject, type Json, type JsonObject } from './model.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequestObject {
  operation: Operation;
  /** The object as the revert writes it (null for DELETE). */
  object: KubeObject | undefined;
  /** The object before the revert (null for CREATE). */
  oldObject: KubeObject | undefined;
}

export type AdmissionVerdict = 'allowed' | 'denied' | 'warned' | 'audited' | 'not-evaluated';

export interface AdmissionResult {
  policy: string;
  binding: string;
  object: string;
  operation: Operation;
  actions: string[];
  verdict: AdmissionVerdict;
  /** The failing expression or the reason it could not be evaluated. */
  expression?: string;
  message?: string;
  /** Where the policy is written. */
  file: string;
  line: number;
  /** Where the object is written. */
  objectFile: string;
  objectLine: number;
}

export interface AdmissionReport {
  policies: number;
  bindings: number;
  evaluator: string;
  results: AdmissionResult[];
  /** Policies or bindings that could not take part, with the reason. */
  notes: string[];
}

type Cel = typeof import('@marcbachmann/cel-js');

export function isPolicy(o: Pick<KubeObject, 'group' | 'kind'>): boolean {
  return o.group === 'admissionregistration.k8s.io' && o.kind === 'ValidatingAdmissionPolicy';
}
export function isBinding(o: Pick<KubeObject, 'group' | 'kind'>): boolean {
  return o.group === 'admissionregistration.k8s.io' && o.kind === 'ValidatingAdmissionPolicyBinding';
}

/** The resource (plural, lower case) of a kind, as API discovery names it for built-in kinds. */
export function resourceOf(kind: string, crds: readonly KubeObject[] = [], group = ''): string {
  for (const c of crds) {
    const spec = c.body.spec;
    if (isObject(spec) && spec.group === group && isObject(spec.names) && spec.names.kind === kind)
      if (typeof spec.names.plural === 'string') return spec.names.plural;
  }
  const k = kind.toLowerCase();
  if (k === 'endpoints') return k;
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function ruleMatches(rule: JsonObject, o: KubeObject, op: Operation, crds: readonly KubeObject[]): boolean {
  const groups = list(rule.apiGroups);
  const versions = list(rule.apiVersions);
  const resources = list(rule.resources);
  const ops = list(rule.operations);
  const res = resourceOf(o.kind, crds, o.group);
  return (
    (groups.includes('*') || groups.includes(o.group)) &&
    (versions.includes('*') || versions.includes(o.version)) &&
    (resources.includes('*') || resources.includes(res) || resources.includes(`${res}/*`)) &&
    (ops.includes('*') || ops.includes(op))
  );
}

function labelsOf(o: KubeObject | undefined): Record<string, string> {
  const l = get(o?.body, ['metadata', 'labels']);
  return isObject(l)
    ? (Object.fromEntries(Object.entries(l).map(([k, v]) => [k, String(v)])) as Record<string, string>)
    : {};
}

/** A label selector (matchLabels and matchExpressions) against labels. */
export function selectorMatches(sel: unknown, labels: Record<string, string>): boolean {
  if (!isObject(sel)) return true;
  if (isObject(sel.matchLabels))
    for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== String(v)) return false;
  if (Array.isArray(sel.matchExpressions))
    for (const e of sel.matchExpressions) {
      if (!isObject(e) || typeof e.key !== 'string') continue;
      const has = e.key in labels;
      const vals = list(e.values);
      switch (e.operator) {
        case 'In':
          if (!has || !vals.includes(labels[e.key]!)) return false;
          break;
        case 'NotIn':
          if (has && vals.includes(labels[e.key]!)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
      }
    }
  return true;
}

/** matchConstraints / matchResources: resourceRules, excludeResourceRules, objectSelector. */
function resourcesMatch(
  m: unknown,
  o: KubeObject,
  op: Operation,
  crds: readonly KubeObject[],
  rulesRequired: boolean,
  labels: Record<string, string>,
): boolean {
  if (!isObject(m)) return !rulesRequired;
  const rules = Array.isArray(m.resourceRules) ? m.resourceRules.filter(isObject) : undefined;
  if (rules === undefined) {
    if (rulesRequired) return false;
  } else if (!rules.some((r) => ruleMatches(r, o, op, crds))) return false;
  const excluded = Array.isArray(m.excludeResourceRules) ? m.excludeResourceRules.filter(isObject) : [];
  if (excluded.some((r) => ruleMatches(r, o, op, crds))) return false;
  if (!selectorMatches(m.objectSelector, labels)) return false;
  return true;
}

/** CEL integers are int64: whole JSON numbers become BigInt, as the API server's integer fields are. */
function toCel(v: Json | undefined): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map((x) => toCel(x));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  return v;
}

class NotEvaluated extends Error {}

function evalCel(cel: Cel, expr: string, vars: Record<string, unknown>): unknown {
  let fn;
  try {
    fn = cel.parse(expr);
  } catch (e) {
    throw new NotEvaluated(`does not compile: ${firstLine(e)}`);
  }
  try {
    return fn(vars);
  } catch (e) {
    const msg = firstLine(e);
    if (/no matching overload|Unknown function|is not a function|unsupported/i.test(msg))
      throw new NotEvaluated(`uses a function this evaluator does not have (${msg})`);
    throw new Error(`runtime error: ${msg}`);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

export async function evaluateAdmission(
  requests: readonly AdmissionRequestObject[],
  headObjects: readonly KubeObject[],
  locate: (o: KubeObject) => number,
): Promise<AdmissionReport> {
  const policies = headObjects.filter((o) => isPolicy(o) && o.version === 'v1');
  const bindings = headObjects.filter((o) => isBinding(o) && o.version === 'v1');
  const crds = headObjects.filter((o) => o.group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition');
  const report: AdmissionReport = {
    policies: policies.length,
    bindings: bindings.length,
    evaluator: '@marcbachmann/cel-js (CEL standard library; Kubernetes CEL libraries not available)',
    results: [],
    notes: [],
  };
  if (policies.length === 0 || requests.length === 0) return report;
  const cel = (await import('@marcbachmann/cel-js')) as Cel;
  for (const b of bindings) {
    const bspec = isObject(b.body.spec) ? b.body.spec : {};
    const policyName = bspec.policyName;
    const policy = policies.find((p) => p.name === policyName);
    if (!policy) {
      report.notes.push(
        `${b.name}: binds ${JSON.stringify(policyName)}, which is not in the repository at the revert's head`,
      );
      continue;
    }
    const pspec = isObject(policy.body.spec) ? policy.body.spec : {};
    const actions = list(bspec.validationActions);
    const failurePolicy = pspec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail';
    let params: unknown = null;
    let misconfigured: string | undefined;
    if (isObject(pspec.paramKind)) {
      const ref = isObject(bspec.paramRef) ? bspec.paramRef : undefined;
      const pk = pspec.paramKind;
      const found = ref
        ? headObjects.find(
            (o) =>
              o.apiVersion === pk.apiVersion &&
              o.kind === pk.kind &&
              o.name === ref.name &&
              (typeof ref.namespace !== 'string' || o.namespace === ref.namespace),
          )
        : undefined;
      if (found) params = toCel(found.body);
      else if (!(ref && ref.parameterNotFoundAction === 'Allow'))
        misconfigured = `paramRef ${JSON.stringify(ref?.name ?? ref?.selector ?? null)} does not resolve to a ${String(pk.kind)} in the repository`;
      else params = null;
    }
    for (const r of requests) {
      const subject = (r.object ?? r.oldObject)!;
      const labels = labelsOf(subject);
      if (!resourcesMatch(pspec.matchConstraints, subject, r.operation, crds, true, labels)) continue;
      if (!resourcesMatch(bspec.matchResources, subject, r.operation, crds, false, labels)) continue;
      const base = {
        policy: policy.name,
        binding: b.name,
        object: subject.id,
        operation: r.operation,
        actions,
        file: policy.file,
        line: locate(policy),
        objectFile: subject.file,
        objectLine: locate(subject),
      };
      const failed = (expression: string, message: string, notEvaluated: boolean): void => {
        if (notEvaluated) {
          report.results.push({ ...base, verdict: 'not-evaluated', expression, message });
          return;
        }
        report.results.push({ ...base, verdict: verdictOf(actions), expression, message });
      };
      if (misconfigured) {
        if (failurePolicy === 'Fail') failed('paramRef', misconfigured, false);
        else report.notes.push(`${policy.name}/${b.name}: ${misconfigured}; failurePolicy Ignore skips it`);
        continue;
      }
      const vars: Record<string, unknown> = {
        object: r.object ? toCel(r.object.body) : null,
        oldObject: r.oldObject ? toCel(r.oldObject.body) : null,
        params,
        request: {
          operation: r.operation,
          kind: { group: subject.group, version: subject.version, kind: subject.kind },
          resource: {
            group: subject.group,
            version: subject.version,
            resource: resourceOf(subject.kind, crds, subject.group),
          },
          name: subject.name,
          namespace: subject.namespace,
          userInfo: { username: 'rollwright-revert-check', groups: [] },
          dryRun: false,
        },
        namespaceObject: null,
        authorizer: null,
      };
      const variables: Record<string, unknown> = {};
      vars.variables = variables;
      try {
        for (const v of Array.isArray(pspec.variables) ? pspec.variables.filter(isObject) : [])
          if (typeof v.name === 'string' && typeof v.expression === 'string')
            variables[v.name] = evalCel(cel, v.expression, vars);
        let matched = true;
        for (const mc of Array.isArray(pspec.matchConditions) ? pspec.matchConditions.filter(isObject) : []) {
          if (typeof mc.expression !== 'string') continue;
          if (evalCel(cel, mc.expression, vars) !== true) {
            matched = false;
            break;
          }
        }
        if (!matched) continue;
        let denied = false;
        for (const v of Array.isArray(pspec.validations) ? pspec.validations.filter(isObject) : []) {
          if (typeof v.expression !== 'string') continue;
          let ok: unknown;
          try {
            ok = evalCel(cel, v.expression, vars);
          } catch (e) {
            if (e instanceof NotEvaluated) throw Object.assign(e, { expression: v.expression });
            if (failurePolicy === 'Fail') failed(v.expression, (e as Error).message, false);
            else
              report.notes.push(
                `${policy.name}: ${v.expression}: ${(e as Error).message}; failurePolicy Ignore skips it`,
              );
            denied = true;
            continue;
          }
          if (ok !== true) {
            denied = true;
            failed(v.expression, messageOf(cel, v, vars), false);
          }
        }
        if (!denied) report.results.push({ ...base, verdict: 'allowed' });
      } catch (e) {
        const expression = (e as { expression?: string }).expression ?? '(variables or matchConditions)';
        if (e instanceof NotEvaluated) failed(expression, e.message, true);
        else if (failurePolicy === 'Fail') failed(expression, (e as Error).message, false);
        else report.notes.push(`${policy.name}: ${(e as Error).message}; failurePolicy Ignore skips it`);
      }
    }
  }
  for (const p of policies)
    if (!bindings.some((b) => isObject(b.body.spec) && b.body.spec.policyName === p.name))
      report.notes.push(
        `${p.name}: no ValidatingAdmissionPolicyBinding in the repository binds it, so it has no effect`,
      );
  report.notes.sort();
  return report;
}

function verdictOf(actions: readonly string[]): AdmissionVerdict {
  if (actions.includes('Deny')) return 'denied';
  if (actions.includes('Warn')) return 'warned';
  return 'audited';
}

function messageOf(cel: Cel, v: JsonObject, vars: Record<string, unknown>): string {
  if (typeof v.messageExpression === 'string') {
    try {
      const m = evalCel(cel, v.messageExpression, vars);
      if (typeof m === 'string' && m.trim()) return m;
    } catch {
      /* the static message, below */
    }
  }
  if (typeof v.message === 'string' && v.message) return v.message;
  return `failed expression: ${String(v.expression)}`;
}
