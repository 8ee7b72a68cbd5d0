import { describe, expect, it } from 'vitest';
import { evaluateExpression, isUnknown, UNKNOWN_VALUE, type ExpressionValue } from './expression.js';

/** The values the configuration gives, as `var.x`/`local.x` resolve them (an absent name is unknown). */
const scope: Record<string, unknown> = {
  'var.create': false,
  'var.on': true,
  'local.create_eks': false,
  'var.profiles': {},
  'var.groups': { a: { size: 1 }, b: { size: 2 } },
  'var.subnets': ['s-1', 's-2'],
  'var.empty': [],
  'var.name': 'x',
  'var.nothing': null,
  'var.settings': { enabled: false, mode: 'API' },
};
const ref = (name: string): ExpressionValue => (name in scope ? (scope[name] as ExpressionValue) : UNKNOWN_VALUE);
const U = 'unknown';
const evaluate = (text: string) => {
  const v = evaluateExpression(text, ref);
  return isUnknown(v) ? U : v;
};

describe('count and for_each expressions', () => {
  // [expression, value] — what Terraform's expression language gives with the scope above.
  const cases: Array<[string, unknown]> = [
    // valid: decided by what the configuration gives
    ['var.create ? 1 : 0', 0],
    ['local.create_eks && var.on ? 1 : 0', 0],
    ['local.create_eks && var.undeclared ? 1 : 0', 0],
    ['var.on && length(var.profiles) > 0 ? 1 : 0', 0],
    ['var.on && length(var.groups) > 0 ? 1 : 0', 1],
    ['var.create && length(aws_x.y.ids) > 0 ? 1 : 0', 0],
    ['!var.on ? 1 : 0', 0],
    ['!var.create ? 1 : 0', 1],
    ['var.create ? toset(var.subnets) : []', []],
    ['var.on ? toset(var.subnets) : toset([])', ['s-1', 's-2']],
    ['var.create ? var.groups : {}', {}],
    ['{ for k, v in var.groups : k => v if var.create }', {}],
    ['{ for k, v in var.profiles : k => v }', {}],
    ['[for s in var.empty : s]', []],
    ['try(var.settings.enabled, true) ? 1 : 0', 0],
    ['coalesce(var.nothing, var.create) ? 1 : 0', 0],
    ['coalesce(var.nothing, "") == "" ? 1 : 0', U],
    ['var.name != null ? 1 : 0', 1],
    ['var.nothing == null ? 0 : 1', 0],
    ['length(var.subnets) - 2', 0],
    ['length(var.subnets) >= 2 && var.on ? 1 : 0', 1],
    ['var.settings.mode == "API" ? 1 : 0', 1],
    ['var.settings["enabled"] ? 1 : 0', 0],
    ['lookup(var.settings, "enabled", true) ? 1 : 0', 0],
    ['contains(["a", "b"], "c") ? 1 : 0', 0],
    ['var.create || var.on ? 1 : 0', 1],
    ['var.on || aws_x.y.enabled ? 1 : 0', 1],
    ['anytrue([var.create, false]) ? 1 : 0', 0],
    ['length(concat(var.subnets, ["s-3"]))', 3],
    ['length(merge(var.groups, { c = 1 }))', 3],
    ['tobool("false") ? 1 : 0', 0],
    ['var.create ? 1 : (var.on ? 0 : 1)', 0],
    ['aws_x.y.enabled ? 1 : 1', 1],
    ['{\n  a = 1\n  b = var.create\n}', { a: 1, b: false }],
    // invalid: the value depends on something the configuration does not give
    ['var.undeclared ? 1 : 0', U],
    ['var.on && aws_x.y.enabled ? 1 : 0', U],
    ['var.on ? toset(aws_x.y.ids) : []', U],
    ['length(data.aws_subnets.this.ids)', U],
    ['var.on && length(var.undeclared) > 0 ? 1 : 0', U],
    ['each.value.enabled ? 1 : 0', U],
    ['"${var.name}-x" == "x-x" ? 1 : 0', U],
    ['var.subnets[*] == [] ? 0 : 1', U],
    ['sort(var.subnets)', U],
    ['var.on ? 1 : 0 +', U],
    ['try(aws_x.y.enabled, false) ? 1 : 0', U],
  ];
  it.each(cases)('%s', (text, want) => {
    expect(evaluate(text)).toEqual(want);
  });
});
