import type { ModuleSpace, TfModuleCall, TfResource } from './model.js';
import { callerPrefix, expr, resolveArgument } from './space.js';
import { createFlagGatesAll } from './data/create-flag-modules.js';
import { evaluateExpression, isObj, known, partly, UNKNOWN, type ExpressionValue as Value } from './expression.js';

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

export function instancesOf(
  space: ModuleSpace,
  r: Pick<TfResource, 'modulePrefix' | 'args' | 'file' | 'line'>,
): Instances {
  const own = repetitionOf(space, r.modulePrefix, r.args, r);
  if (own.state === 'off') return own;
  // The module calls the resource is in, innermost first. A call with no instance decides, even when
  // an inner count is unknown: a module called with `create = false` may pass its children inputs
  // this evaluator cannot follow (`try(each.value.create, true)`), and still has no instance at all.
  let unknown = own.state === 'unknown' ? own : undefined;
  let prefix = r.modulePrefix;
  while (prefix) {
    const call: TfModuleCall | undefined = space.modules.get(prefix.slice(0, -1));
    if (!call) break;
    const outer = repetitionOf(space, callerPrefix(call), call.args, call);
    if (outer.state === 'off') return outer;
    if (outer.state === 'unknown') unknown ??= outer;
    prefix = callerPrefix(call);
  }
  return unknown ?? { state: 'on' };
}

/** Whether a module call has no instance: its own `count`/`for_each`, or that of a call it sits in, is zero. */
export function callInstancesOf(space: ModuleSpace, call: TfModuleCall): Instances {
  return instancesOf(space, { modulePrefix: callerPrefix(call), args: call.args, file: call.file, line: call.line });
}

/**
 * Whether a configuration is applied itself (it configures a provider or a backend), so that the inputs
 * it gives its modules are all the inputs there are. A reusable module's variable defaults say nothing
 * of what callers outside the repository pass it.
 */
export function appliedItself(space: ModuleSpace): boolean {
  return !!space.providerConfigs?.length || space.backend !== undefined;
}

/**
 * Why none of these resources and module calls has an instance (each is `off`), with the reasons most
 * often given first; undefined when one may have an instance, or when there are none to ask about.
 */
export function noInstanceAmong(
  space: ModuleSpace,
  resources: readonly TfResource[],
  calls: readonly TfModuleCall[],
): string | undefined {
  const why = new Map<string, number>();
  const reasons = [
    ...resources.map((r) => {
      const x = instancesOf(space, r);
      return x.state === 'off' ? x.why : undefined;
    }),
    ...calls.map((c) => callCreatesNothing(space, c)),
  ];
  for (const w of reasons) {
    if (w === undefined) return undefined;
    why.set(w, (why.get(w) ?? 0) + 1);
  }
  const top = [...why].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  if (!top.length) return undefined;
  return top[0] + (top.length > 1 ? `, and ${top.length - 1} more` : '');
}

/**
 * Why a module call creates nothing: it has no instance (`callInstancesOf`), or it is a registry module
 * whose `create` input gates every resource and the call passes `create = false`; undefined otherwise.
 */
export function callCreatesNothing(space: ModuleSpace, call: TfModuleCall): string | undefined {
  const own = callInstancesOf(space, call);
  if (own.state === 'off') return own.why;
  if (!createFlagGatesAll(call.source) || call.args.create === undefined) return undefined;
  const create = argumentValue(space, callerPrefix(call), call.args.create, call);
  const text =
    typeof call.args.create === 'string' ? (expr(call.args.create) ?? call.args.create) : String(call.args.create);
  return create === false ? `create = ${text} is false, and the module gates every resource on it` : undefined;
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

/** Evaluates a value as hcl2json gives it (literals as themselves, expressions as `${...}`). */
function evaluate(
  space: ModuleSpace,
  prefix: string,
  value: unknown,
  where: { file: string; line: number },
  depth: number,
): Value {
  if (depth > 16) return UNKNOWN;
  if (typeof value !== 'string') return known(value);
  const m = /^\$\{(.*)\}$/s.exec(value.trim());
  if (!m) return value.includes('${') ? UNKNOWN : value;
  return evaluateExpression(m[1]!, (ref) => {
    const r = resolveArgument(space, prefix, `\${${ref}}`, where, { defaults: true });
    if (!r || r.steps.length === 0) return UNKNOWN;
    return evaluate(space, r.prefix, r.value, r, depth + 1);
  });
}

/**
 * The value an argument written in the module at `prefix` has with the inputs the configuration gives
 * (locals, module inputs, variable defaults, the expressions `evaluateExpression` models); undefined
 * when it depends on something else.
 */
export function argumentValue(
  space: ModuleSpace,
  prefix: string,
  value: unknown,
  where: { file: string; line: number },
): unknown {
  const v = evaluate(space, prefix, value, where, 0);
  return partly(v) ? undefined : v;
}

/** Reads a module call's arguments as the configuration gives them (undefined when absent or unknown). */
export function callArguments(space: ModuleSpace, call: TfModuleCall): (argument: string) => unknown {
  return (argument) =>
    call.args[argument] === undefined
      ? undefined
      : argumentValue(space, callerPrefix(call), call.args[argument], {
          file: call.file,
          line: call.argLines.get(argument) ?? call.line,
        });
}
