import { describe, expect, it } from 'vitest';
import type { ModuleSpace } from './model.js';
import { canonical, differ, termOf } from './value.js';

/** A space with the given locals and variable defaults (as hcl2json gives them) and no module call. */
function space(values: Record<string, unknown>): ModuleSpace {
  return {
    dir: '',
    tool: 'terraform',
    files: [],
    resources: new Map(),
    modules: new Map(),
    moved: [],
    removed: [],
    imports: [],
    providers: new Map(),
    values: new Map(Object.entries(values).map(([k, value]) => [k, { value, file: 'main.tf', line: 1 }])),
  };
}
const where = { file: 'main.tf', line: 1 };
const term = (values: Record<string, unknown>, v: unknown) => termOf(space(values), '', v, where);

describe('termOf', () => {
  const cases: Array<[string, Record<string, unknown>, unknown, string]> = [
    ['a literal', {}, 'prod', '"prod"'],
    ['a conditional on a default', { 'var.use_prefix': true }, '${var.use_prefix ? null : "x"}', 'null'],
    [
      'a template through a local',
      { 'local.n': 'eks-${var.env}', 'var.env': 'prod' },
      '${local.n}-role',
      '"eks-prod-role"',
    ],
    ['coalesce skips null', { 'var.name': null }, '${coalesce(var.name, "Karpenter")}', '"Karpenter"'],
    [
      'coalesce keeps a template with text',
      { 'var.name': null },
      '${coalesce(var.name, "K-${var.c}")}',
      '"K-${var.c}"',
    ],
    ['== and !', { 'var.a': 'x' }, '${!(var.a == "y")}', 'true'],
    [
      'a resource reference: the index Terraform adds itself is dropped',
      {},
      '${aws_iam_role.this[0].arn}',
      'aws_iam_role.this.arn',
    ],
    ['a legacy index', {}, '${aws_iam_role.this.0.arn}', 'aws_iam_role.this.arn'],
    [
      'a function of values not known',
      {},
      '${try(aws_iam_role.this[0].arn, var.arn)}',
      'try(aws_iam_role.this.arn, var.arn)',
    ],
    ['an escaped interpolation is text', {}, 'a-$${b}', '"a-${b}"'],
  ];
  for (const [name, values, v, want] of cases)
    it(name, () => {
      expect(canonical(term(values, v))).toBe(want);
    });

  it('records the resources a value reads, with the attribute', () => {
    expect(term({}, '${try(aws_iam_role.this[0].arn, null)}').refs).toEqual([
      { address: 'aws_iam_role.this', attribute: 'arn' },
    ]);
  });

  it('marks a root variable with no value as set outside', () => {
    expect(term({}, '${var.cluster_name}').outside).toBe(true);
    expect(term({ 'var.cluster_name': 'a' }, '${var.cluster_name}').outside).toBe(false);
  });
});

describe('differ', () => {
  const t = (v: unknown) => term({}, v);
  it('two literals', () => {
    expect(differ(t('a'), t('b'))).toBe(true);
    expect(differ(t('a'), t('a'))).toBe(false);
  });
  it('strings whose literal start or end differ', () => {
    expect(differ(t('KarpenterIRSA-${var.c}-'), t('KarpenterController-'))).toBe(true);
    expect(differ(t('${var.c}-cluster'), t('${var.c}-eks'))).toBe(true);
  });
  it('cannot tell when one literal end extends the other', () => {
    expect(differ(t('eks-${var.c}'), t('eks-prod'))).toBe(false);
    expect(differ(t('${aws_iam_role.a.arn}'), t('${aws_iam_role.b.arn}'))).toBe(false);
  });
});
