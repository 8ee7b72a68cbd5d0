import { describe, expect, it } from 'vitest';
import { parseHcl } from './hcl.js';
import { indexHcl } from './locate.js';
import { loadSpace } from './space.js';
import { canonical, differ, termOf, type Term } from './value.js';

/** The term of `resource "x" "y" { v = EXPR }` in a root module with the given other blocks, parsed as the surface parses it. */
async function term(expr: string, blocks = ''): Promise<Term> {
  const text = `${blocks}\nresource "x" "y" {\n  v = ${expr}\n}\n`;
  const { space } = await loadSpace('head', '', {
    files: async () => ({ tool: 'terraform', files: [{ path: 'main.tf', text }] }),
    parse: async (path, t) => {
      const { body } = await parseHcl(path, t);
      return body ? { body, index: indexHcl(t) } : undefined;
    },
  });
  const r = space!.resources.get('x.y')!;
  return termOf(space!, '', r.args.v, r);
}

describe('termOf', () => {
  const cases: Array<[string, string, string, string]> = [
    ['a literal', '"prod"', '', '"prod"'],
    [
      'a conditional on a default',
      'var.use_prefix ? null : "x"',
      'variable "use_prefix" {\n  default = true\n}',
      'null',
    ],
    [
      'a template through a local',
      '"${local.n}-role"',
      'locals {\n  n = "eks-${var.env}"\n}\nvariable "env" {\n  default = "prod"\n}',
      '"eks-prod-role"',
    ],
    ['coalesce skips null', 'coalesce(var.name, "Karpenter")', 'variable "name" {\n  default = null\n}', '"Karpenter"'],
    [
      'coalesce keeps a template with text',
      'coalesce(var.name, "K-${var.c}")',
      'variable "name" {\n  default = null\n}',
      '"K-${var.c}"',
    ],
    ['== and !', '!(var.a == "y")', 'variable "a" {\n  default = "x"\n}', 'true'],
    [
      'a resource reference: the index Terraform adds itself is dropped',
      'aws_iam_role.this[0].arn',
      '',
      'aws_iam_role.this.arn',
    ],
    [
      'a function of values not known',
      'try(aws_iam_role.this[0].arn, var.arn)',
      '',
      'try(aws_iam_role.this.arn, var.arn)',
    ],
    ['an escaped interpolation is text', '"a-$${b}"', '', '"a-${b}"'],
    [
      'coalescelist skips a known empty list',
      'coalescelist(var.a, module.vpc.private_subnets)',
      'variable "a" {\n  default = []\n}',
      'module.vpc.private_subnets',
    ],
    ['a list of references, elements read', '[local.a, "x"]', 'locals {\n  a = "y"\n}', '["y","x"]'],
  ];
  for (const [name, expr, blocks, want] of cases)
    it(name, async () => {
      expect(canonical(await term(expr, blocks))).toBe(want);
    });

  it('records the resources a value reads, with the attribute', async () => {
    expect((await term('try(aws_iam_role.this[0].arn, null)')).refs).toEqual([
      { address: 'aws_iam_role.this', attribute: 'arn' },
    ]);
  });

  it('records the module outputs and data sources a value is read from, and whether it is nothing else', async () => {
    const t = await term('[module.vpc.private_subnets[0], data.aws_subnets.a.ids[1]]');
    expect(t.sources).toEqual([
      { kind: 'module', instance: 'module.vpc', name: 'private_subnets' },
      { kind: 'data', instance: 'data.aws_subnets.a', name: 'ids' },
    ]);
    expect(!t.known && t.pure).toBe(true);
    const mixed = await term('concat(module.vpc.private_subnets, aws_subnet.x[*].id)');
    expect(!mixed.known && mixed.pure).toBeFalsy();
    const first = await term('coalescelist(module.vpc.intra_subnets, module.vpc.private_subnets)');
    expect(!first.known && first.first?.sources).toEqual([
      { kind: 'module', instance: 'module.vpc', name: 'intra_subnets' },
    ]);
  });

  it('marks a root variable with no value as set outside', async () => {
    expect((await term('var.cluster_name', 'variable "cluster_name" {}')).outside).toBe(true);
    expect((await term('var.cluster_name', 'variable "cluster_name" {\n  default = "a"\n}')).outside).toBe(false);
  });
});

describe('differ', () => {
  it('two literals', async () => {
    expect(differ(await term('"a"'), await term('"b"'))).toBe(true);
    expect(differ(await term('"a"'), await term('"a"'))).toBe(false);
  });
  it('strings whose literal start or end differ', async () => {
    expect(differ(await term('"KarpenterIRSA-${var.c}-"'), await term('"KarpenterController-"'))).toBe(true);
    expect(differ(await term('"${var.c}-cluster"'), await term('"${var.c}-eks"'))).toBe(true);
  });
  it('two lists of literals', async () => {
    expect(differ(await term('["10.0.1.0/24"]'), await term('["10.0.1.0/24", "10.0.2.0/24"]'))).toBe(true);
    expect(differ(await term('["10.0.1.0/24"]'), await term('[local.c]', 'locals {\n  c = "10.0.1.0/24"\n}'))).toBe(
      false,
    );
  });
  it('an empty list against a list holding an element that is certainly there', async () => {
    const vars =
      'variable "extra" {\n  default = []\n}\nvariable "sg" {\n  default = ""\n}\nvariable "create" {\n  default = false\n}';
    const ids = 'compact(distinct(concat(var.extra, [var.create ? aws_security_group.c[0].id : var.sg])))';
    expect(canonical(await term(ids, vars))).toBe('[]');
    expect(differ(await term('compact(concat([], [aws_security_group.c[0].id]))'), await term(ids, vars))).toBe(true);
    expect(differ(await term('[var.x]', 'variable "x" {}'), await term('[]'))).toBe(true);
  });
  it('cannot tell a list that compact may empty, or whose repeats distinct may drop', async () => {
    // A root variable set outside may be "" or null: compact may drop it.
    expect(differ(await term('compact([var.x])', 'variable "x" {}'), await term('[]'))).toBe(false);
    expect(differ(await term('compact([aws_security_group.c.name])'), await term('[]'))).toBe(false);
    const two = await term('distinct([aws_security_group.a.id, aws_security_group.b.id])');
    expect(!two.known && two.items).toBeUndefined();
    expect(canonical(await term('distinct(["a", "b", "a"])'))).toBe('["a","b"]');
  });
  it('cannot tell when one literal end extends the other, or two references', async () => {
    expect(differ(await term('"eks-${var.c}"'), await term('"eks-prod"'))).toBe(false);
    expect(differ(await term('aws_iam_role.a.arn'), await term('aws_iam_role.b.arn'))).toBe(false);
  });
});
